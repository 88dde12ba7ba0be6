package vae

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/logmath"
	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/nn"
)

// vampLogPrior equals the mixture density written out entry by entry,
// log (1/K) Σ_k Π_j N(z_j; μ_kj, e^{v_kj}), at 1e-12.
func TestVampLogPriorClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const n, K, L = 5, 7, 3
	z, mu, lv := randMat(rng, n, L, -2, 2), randMat(rng, K, L, -1, 1), randMat(rng, K, L, -2, 1)
	tp := autodiff.NewTape()
	got := vampLogPrior(tp, tp.Const(z), tp.Const(mu), tp.Const(lv)).Value
	for i := 0; i < n; i++ {
		terms := make([]float64, K)
		for k := 0; k < K; k++ {
			for j := 0; j < L; j++ {
				r := z.At(i, j) - mu.At(k, j)
				terms[k] += -0.5 * (math.Log(2*math.Pi) + lv.At(k, j) + r*r/math.Exp(lv.At(k, j)))
			}
		}
		want := logmath.LogSumExp(terms) - math.Log(K)
		testutil.AssertClose(t, "log p(z)", got[i], want, 1e-12, 1e-12)
	}
}

func randMat(rng *rand.Rand, r, c int, lo, hi float64) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, lo+(hi-lo)*rng.Float64())
		}
	}
	return m
}

// The VampPrior objectives' gradients — encoder, decoder and the
// pseudo-inputs, through the mixture prior and the Monte Carlo KL — pass
// the central-difference check on a tiny tanh network (ELBO and k = 3).
func TestVampObjectiveGradient(t *testing.T) {
	x := mat.NewDense(4, 3, []float64{0.1, 0.9, 0.5, 0.3, 0.2, 0.8, 1, 0, 0.6, 0.4, 0.7, 0.05})
	rng := rand.New(rand.NewPCG(6, 6))
	for _, lik := range []Likelihood{Bernoulli, Gaussian} {
		m, err := New(Config{Inputs: 3, Latent: 2, Hidden: []int{4}, Activation: nn.Tanh, Likelihood: lik, Variance: 0.5, Prior: PriorVamp, PseudoInputs: 3, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m.Params()[:len(m.Params())-1] {
			for i := range p.Value {
				p.Value[i] += 0.1 * rng.NormFloat64()
			}
		}
		if lik == Bernoulli { // pseudo-inputs inside (0, 1), away from the clamp's kinks
			for i := range m.pseudo.Value {
				m.pseudo.Value[i] = 0.2 + 0.6*rng.Float64()
			}
		}
		for _, k := range []int{0, 3} {
			eps := make([]float64, 4*max(k, 1)*2)
			for i := range eps {
				eps[i] = rng.NormFloat64()
			}
			f := func(tp *autodiff.Tape, in []*autodiff.Node) *autodiff.Node {
				mm := withParams(m, in)
				mm.pseudo = in[len(in)-1]
				e := tp.NewConst(4*max(k, 1), 2)
				copy(e.Value, eps)
				if k == 0 {
					return mm.Objective(tp, tp.Const(x), e, 1, 0).Loss
				}
				return mm.IWObjective(tp, tp.Const(x), e, k).Loss
			}
			if err := autodiff.CheckGradient(f, paramMatrices(m), autodiff.CheckOptions{}); err != nil {
				t.Errorf("%s, k = %d: %v", lik, k, err)
			}
		}
	}
}

// A VampPrior of one pseudo-input whose posterior is N(0, I) (u = 0, the
// encoder's biases 0: μ(0) = 0, log σ²(0) = 0) is the standard normal:
// the IWAE estimates of the two models agree to rounding draw for draw,
// and the Monte Carlo KL agrees with the closed form within its error.
func TestVampOneStandardComponentIsNormal(t *testing.T) {
	base, err := New(Config{Inputs: 3, Latent: 2, Hidden: []int{}, Likelihood: Gaussian, Variance: 0.5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	vamp, err := New(Config{Inputs: 3, Latent: 2, Hidden: []int{}, Likelihood: Gaussian, Variance: 0.5, Prior: PriorVamp, PseudoInputs: 1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	clear(base.enc.Layers[0].B.Value)
	for i, p := range base.Params() {
		copy(vamp.Params()[i].Value, p.Value)
	}
	clear(vamp.pseudo.Value)
	x := mat.NewDense(3, 3, []float64{0.5, -1, 2, 0, 0.3, -0.7, 1.5, 1, 0})
	a, err := base.LogLikelihood(context.Background(), x, IWAEOptions{K: 200, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	b, err := vamp.LogLikelihood(context.Background(), x, IWAEOptions{K: 200, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	testutil.AssertCloseSlice(t, "IWAE, VampPrior of N(0, I) vs N(0, I)", b, a, 1e-12, 1e-12)
	ea, err := base.Evaluate(x, EvalOptions{Samples: 20000, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	eb, err := vamp.Evaluate(x, EvalOptions{Samples: 20000, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The reconstruction uses the same draws; the KL's Monte Carlo error
	// with 20000 draws per row is below 0.01 nats here.
	testutil.AssertClose(t, "reconstruction", eb.Reconstruction, ea.Reconstruction, 1e-12, 1e-12)
	testutil.AssertClose(t, "Monte Carlo KL vs closed form", eb.KL, ea.KL, 0.01, 0)
	if eb.KLPerDim != nil {
		t.Errorf("KLPerDim %v under the VampPrior, want nil", eb.KLPerDim)
	}
}

// A VampPrior model trains, keeps its pseudo-inputs in a version 2 model
// file (loaded bit for bit), and samples codes from its mixture.
func TestVampTrainFileSample(t *testing.T) {
	x, _ := digits01()
	train := x.Slice(0, 300, 0, 64).(*mat.Dense)
	m, rep, err := Train(context.Background(), train, Options{Model: Config{Hidden: []int{16}, Latent: 3, Prior: PriorVamp, PseudoInputs: 20},
		Epochs: 3, BatchSize: 50, Test: x.Slice(300, 400, 0, 64), Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Vamp() || rep.Params != m.NumParams() || m.NumParams() != 64*16+16+16*6+6+3*16+16+16*64+64+20*64 {
		t.Errorf("params %d", m.NumParams())
	}
	u := m.PseudoInputs()
	if r, c := u.Dims(); r != 20 || c != 64 {
		t.Fatalf("pseudo-inputs %d×%d", r, c)
	}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"version": 2`)) || !bytes.Contains(data, []byte(`"prior": "vamp"`)) {
		t.Error("model file lacks version 2 or the prior")
	}
	back, err := Read(bytes.NewReader(data), "v.json")
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "saved and loaded", m, back)
	s1, s2 := mat.NewDense(6, 64, nil), mat.NewDense(6, 64, nil)
	if err := m.Sample(s1, rand.New(rand.NewPCG(1, SampleStream))); err != nil {
		t.Fatal(err)
	}
	if err := back.Sample(s2, rand.New(rand.NewPCG(1, SampleStream))); err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(s1, s2) {
		t.Error("the loaded model samples differently")
	}
	if _, _, err := Train(context.Background(), train, Options{Model: Config{Prior: PriorVamp}, FreeBits: 0.5}); err == nil {
		t.Error("free bits with the VampPrior trained")
	}
	if _, err := New(Config{Inputs: 3, PseudoInputs: 5}); err == nil {
		t.Error("pseudo-inputs without the VampPrior accepted")
	}
}
