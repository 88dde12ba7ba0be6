package autodiff

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/fastblas"
)

// vaeStep is one training step of the VAE shape 784-400-(20+20)-400-784 at
// batch 128, as the classic PyTorch MNIST VAE (shared/bench/torch_vae.py):
// encoder h = relu(x·W1 + b1), [μ | log σ²] = h·W2 + b2; z = μ + e^{½log σ²}⊙ε;
// decoder logits = relu(z·W3 + b3)·W4 + b4; loss = Σ BCE(logits, x) + Σ KL,
// then a plain SGD update (written inline: autodiff cannot import nn).
type vaeStep struct {
	tape   *Tape
	params []*Node
	x, eps []float64
	batch  int
}

const vaeIn, vaeHidden, vaeLatent = 784, 400, 20

func newVAEStep(x []float64, batch int) *vaeStep {
	rng := rand.New(rand.NewPCG(1, 1))
	param := func(r, c int) *Node {
		d := make([]float64, r*c)
		sd := math.Sqrt(1 / float64(r))
		for i := range d {
			d[i] = sd * rng.NormFloat64()
		}
		return NewParam(r, c, d)
	}
	s := &vaeStep{tape: NewTape(), x: x, batch: batch}
	s.params = []*Node{
		param(vaeIn, vaeHidden), NewParam(1, vaeHidden, nil),
		param(vaeHidden, 2*vaeLatent), NewParam(1, 2*vaeLatent, nil),
		param(vaeLatent, vaeHidden), NewParam(1, vaeHidden, nil),
		param(vaeHidden, vaeIn), NewParam(1, vaeIn, nil),
	}
	s.eps = make([]float64, batch*vaeLatent)
	for i := range s.eps {
		s.eps[i] = rng.NormFloat64()
	}
	return s
}

func (s *vaeStep) run() float64 {
	t, p := s.tape, s.params
	t.Reset()
	x := t.NewConst(s.batch, vaeIn)
	copy(x.Value, s.x)
	eps := t.NewConst(s.batch, vaeLatent)
	copy(eps.Value, s.eps)
	h := t.ReLU(t.AddRow(t.MatMul(x, p[0]), p[1]))
	enc := t.AddRow(t.MatMul(h, p[2]), p[3])
	mu, lv := t.SliceCols(enc, 0, vaeLatent), t.SliceCols(enc, vaeLatent, 2*vaeLatent)
	z := t.Add(mu, t.Mul(t.Exp(t.Scale(lv, 0.5)), eps))
	hd := t.ReLU(t.AddRow(t.MatMul(z, p[4]), p[5]))
	logits := t.AddRow(t.MatMul(hd, p[6]), p[7])
	loss := t.Sum(t.Add(t.BCEWithLogits(logits, x), t.KLNormal(mu, lv)))
	t.Backward(loss)
	for _, q := range p {
		for i, g := range q.Grad {
			q.Value[i] -= 1e-6 * g
		}
		q.ZeroGrad()
	}
	return loss.Scalar()
}

// vaeFlops is the floating-point work of the step's matrix products:
// 2·m·n·k per product, the forward products, the weight gradients of all
// four layers, and the input gradients of the last three (the first layer's
// input is data and gets none).
func vaeFlops(batch int) float64 {
	b := float64(batch)
	layers := [][2]float64{{vaeIn, vaeHidden}, {vaeHidden, 2 * vaeLatent}, {vaeLatent, vaeHidden}, {vaeHidden, vaeIn}}
	f := 0.0
	for i, l := range layers {
		f += 2 * b * l[0] * l[1] * 2 // forward and ∂W
		if i > 0 {
			f += 2 * b * l[0] * l[1] // ∂X
		}
	}
	return f
}

func syntheticImages(batch int) []float64 {
	rng := rand.New(rand.NewPCG(2, 2))
	x := make([]float64, batch*vaeIn)
	for i := range x {
		x[i] = rng.Float64()
	}
	return x
}

// BenchmarkVAEStep784x400x20B128 times one forward+backward+update step of
// the VAE shape at batch 128 and reports GFLOP/s of its matrix products
// (419.8 MFLOP per step). "dense" feeds uniform [0,1) pixels; "mnist" feeds
// the first 128 MNIST training images (skipped without the files), whose
// zeros gonum's GEMM skips in the products that take x (on the "gonum"
// kernel). allocs/op is 0 on every kernel. The kernel is the default, or
// the one LATENT_FASTBLAS_KERNEL names (TestMain).
func BenchmarkVAEStep784x400x20B128(b *testing.B) {
	const batch = 128
	for _, name := range []string{"dense", "mnist"} {
		b.Run(name, func(b *testing.B) {
			x := syntheticImages(batch)
			if name == "mnist" {
				m, err := datasets.LoadMNIST("")
				if err != nil {
					b.Skipf("MNIST not available: %v", err)
				}
				x = m.Train.Dense().RawMatrix().Data[:batch*vaeIn]
			}
			s := newVAEStep(x, batch)
			s.run()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				s.run()
			}
			b.ReportMetric(vaeFlops(batch)*float64(b.N)/time.Since(start).Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkVAEStepGemmShare784x400x20B128 is the dense step with a
// stopwatch around every matrix product: gemm-share is the fraction of
// the step's time spent inside fastblas's Dgemm (on the kernel in use).
func BenchmarkVAEStepGemmShare784x400x20B128(b *testing.B) {
	var inGemm time.Duration
	defer func(f func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)) {
		dgemm = f
	}(dgemm)
	dgemm = func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
		start := time.Now()
		fastblas.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		inGemm += time.Since(start)
	}
	s := newVAEStep(syntheticImages(128), 128)
	s.run()
	inGemm = 0
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		s.run()
	}
	total := time.Since(start)
	b.ReportMetric(inGemm.Seconds()/total.Seconds(), "gemm-share")
	b.ReportMetric(vaeFlops(128)*float64(b.N)/total.Seconds()/1e9, "GFLOP/s")
}
