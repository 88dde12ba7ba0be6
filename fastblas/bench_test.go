package fastblas

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Benchmarks on the shapes latent spends its time in. Each has the
// sub-benchmarks
//
//	impl=K         this package's Dgemm with kernel K, for every kernel this
//	               CPU runs (avx512, avx2, go; and openblas with -tags openblas)
//	impl=gonum     gonum's default pure-Go Dgemm, the baseline
//
// and reports GFLOP/s = 2·m·n·k / seconds. For example, with benchstat:
//
//	go test ./fastblas -run '^$' -bench 'Dgemm.*/impl=(avx512|gonum)$' -count 6 > new.txt
//	benchstat -col /impl -filter '.unit:GFLOP/s' new.txt

type benchShape struct {
	tA, tB  blas.Transpose
	m, n, k int
}

func benchDgemm(b *testing.B, s benchShape) {
	rnd := rand.New(rand.NewPCG(1, 2))
	rowsA, colsA := s.m, s.k
	if s.tA == blas.Trans {
		rowsA, colsA = s.k, s.m
	}
	rowsB, colsB := s.k, s.n
	if s.tB == blas.Trans {
		rowsB, colsB = s.n, s.k
	}
	a := make([]float64, rowsA*colsA)
	bb := make([]float64, rowsB*colsB)
	c := make([]float64, s.m*s.n)
	for i := range a {
		a[i] = rnd.NormFloat64()
	}
	for i := range bb {
		bb[i] = rnd.NormFloat64()
	}
	flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
	run := func(name string, f func()) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				f()
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
	kernels := available
	if external != nil {
		kernels = append([]*kernel[float64]{external}, kernels...)
	}
	for _, kern := range kernels {
		run("impl="+kern.name, func() {
			dgemm(kern, 0, s.tA, s.tB, s.m, s.n, s.k, 1, a, colsA, bb, colsB, 0, c, s.n)
		})
	}
	run("impl=gonum", func() {
		gonum.Implementation{}.Dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, colsA, bb, colsB, 0, c, s.n)
	})
}

func BenchmarkDgemm512(b *testing.B) {
	benchDgemm(b, benchShape{blas.NoTrans, blas.NoTrans, 512, 512, 512})
}

func BenchmarkDgemm1024(b *testing.B) {
	benchDgemm(b, benchShape{blas.NoTrans, blas.NoTrans, 1024, 1024, 1024})
}

func BenchmarkDgemm2000(b *testing.B) {
	benchDgemm(b, benchShape{blas.NoTrans, blas.NoTrans, 2000, 2000, 2000})
}

// BenchmarkDgemmVAE128x784x400 is the VAE encoder's first layer on a batch
// of 128 MNIST images: X (128×784) · W (784×400).
func BenchmarkDgemmVAE128x784x400(b *testing.B) {
	benchDgemm(b, benchShape{blas.NoTrans, blas.NoTrans, 128, 400, 784})
}

// BenchmarkDgemmVAE784x128Tx128x400 is that layer's weight gradient:
// Xᵀ (784×128) · dY (128×400).
func BenchmarkDgemmVAE784x128Tx128x400(b *testing.B) {
	benchDgemm(b, benchShape{blas.Trans, blas.NoTrans, 784, 400, 128})
}

// BenchmarkDgemmVAE128x400x784x400T is the decoder's last layer backward
// to its input: dY (128×400)... shaped as G (128×400) · Wᵀ with W 784×400.
func BenchmarkDgemmVAE128x400x784x400T(b *testing.B) {
	benchDgemm(b, benchShape{blas.NoTrans, blas.Trans, 128, 784, 400})
}

// BenchmarkDgemm1e5x16x16 is the mixture E-step's whitening of 1e5 points
// in 16 dimensions by a 16×16 factor.
func BenchmarkDgemm1e5x16x16(b *testing.B) {
	benchDgemm(b, benchShape{blas.NoTrans, blas.NoTrans, 100000, 16, 16})
}

// BenchmarkDgemmXtX16x1e5x16 is a mixture M-step's scatter matrix: Xᵀ·X
// for 1e5 points in 16 dimensions (C is 16×16, the sum runs over 1e5).
func BenchmarkDgemmXtX16x1e5x16(b *testing.B) {
	benchDgemm(b, benchShape{blas.Trans, blas.NoTrans, 16, 16, 100000})
}

// BenchmarkDgemmXtX10x1e5x10 is the same for 10 dimensions: C is a single
// register tile, so the depth is split among the workers.
func BenchmarkDgemmXtX10x1e5x10(b *testing.B) {
	benchDgemm(b, benchShape{blas.Trans, blas.NoTrans, 10, 10, 100000})
}

// BenchmarkDsyrkXtX16x1e5 is the scatter matrix of BenchmarkDgemmXtX16x1e5x16
// through Dsyrk (gonum/mat's SymOuterK): the lower triangle of Xᵀ·X. GFLOP/s
// counts the flops of the whole product, 2·16·16·1e5, for comparison.
func BenchmarkDsyrkXtX16x1e5(b *testing.B) {
	const n, k = 16, 100000
	rnd := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, k*n)
	for i := range x {
		x[i] = rnd.NormFloat64()
	}
	c := make([]float64, n*n)
	flops := 2.0 * n * n * k
	for _, impl := range []struct {
		name string
		f    func()
	}{
		{"impl=" + current().name, func() { Implementation{}.Dsyrk(blas.Lower, blas.Trans, n, k, 1, x, n, 0, c, n) }},
		{"impl=gonum", func() { gonum.Implementation{}.Dsyrk(blas.Lower, blas.Trans, n, k, 1, x, n, 0, c, n) }},
	} {
		b.Run(impl.name, func(b *testing.B) {
			for b.Loop() {
				impl.f()
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// gemmCall is one product of a workload: shapes and transposes; operands
// are drawn once per workload.
type gemmCall struct {
	tA, tB  blas.Transpose
	m, n, k int
}

// benchWorkload times a sequence of products, per implementation, and
// reports ms per pass and GFLOP/s.
func benchWorkload(b *testing.B, calls []gemmCall) {
	rnd := rand.New(rand.NewPCG(3, 4))
	type ops struct{ a, b, c []float64 }
	data := make([]ops, len(calls))
	flops := 0.0
	for i, cl := range calls {
		fill := func(n int) []float64 {
			x := make([]float64, n)
			for j := range x {
				x[j] = rnd.NormFloat64()
			}
			return x
		}
		data[i] = ops{fill(cl.m * cl.k), fill(cl.k * cl.n), make([]float64, cl.m*cl.n)}
		flops += 2 * float64(cl.m) * float64(cl.n) * float64(cl.k)
	}
	ld := func(t blas.Transpose, rows, cols int) int {
		if t == blas.Trans {
			return rows
		}
		return cols
	}
	pass := func(dg func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)) {
		for i, cl := range calls {
			d := data[i]
			dg(cl.tA, cl.tB, cl.m, cl.n, cl.k, 1, d.a, ld(cl.tA, cl.m, cl.k), d.b, ld(cl.tB, cl.k, cl.n), 0, d.c, cl.n)
		}
	}
	for _, impl := range []struct {
		name string
		dg   func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)
	}{
		{"impl=" + current().name, Dgemm},
		{"impl=gonum", gonum.Implementation{}.Dgemm},
	} {
		b.Run(impl.name, func(b *testing.B) {
			for b.Loop() {
				pass(impl.dg)
			}
			s := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(s*1e3, "ms/pass")
			b.ReportMetric(flops/s/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkVAEStepGEMMs is the matrix products of one training step of the
// MNIST VAE 784-400-(20+20)-400-784 on a batch of 128: for each dense layer
// X·W forward, and Xᵀ·dY (weight gradient) and dY·Wᵀ (input gradient)
// backward (the first layer's input gradient is not needed). It bounds
// what the VAE step gains from fastblas; the step's other work (activations,
// the optimiser) is not in it.
func BenchmarkVAEStepGEMMs(b *testing.B) {
	const batch = 128
	var calls []gemmCall
	for i, l := range [][2]int{{784, 400}, {400, 40}, {20, 400}, {400, 784}} {
		in, out := l[0], l[1]
		calls = append(calls,
			gemmCall{blas.NoTrans, blas.NoTrans, batch, out, in}, // Y = X·W
			gemmCall{blas.Trans, blas.NoTrans, in, out, batch},   // dW = Xᵀ·dY
		)
		if i > 0 {
			calls = append(calls, gemmCall{blas.NoTrans, blas.Trans, batch, in, out}) // dX = dY·Wᵀ
		}
	}
	benchWorkload(b, calls)
}

// BenchmarkEMIterationGEMMs1e5x16K16 is the matrix products of one EM
// iteration of a full-covariance mixture with K = 16 components on 1e5
// points in 16 dimensions, if written as products: per component, the
// whitening (X−μ)·L⁻ᵀ (1e5×16 · 16×16) in the E-step and the scatter
// (R∘(X−μ))ᵀ·(X−μ) (16×1e5 · 1e5×16) in the M-step, 4·N·K·D² flops.
func BenchmarkEMIterationGEMMs1e5x16K16(b *testing.B) {
	const n, d, k = 100000, 16, 16
	var calls []gemmCall
	for range k {
		calls = append(calls,
			gemmCall{blas.NoTrans, blas.Trans, n, d, d},
			gemmCall{blas.Trans, blas.NoTrans, d, d, n},
		)
	}
	benchWorkload(b, calls)
}

// benchSgemm is benchDgemm in float32: impl=K for every kernel's float32
// twin, impl=gonum for gonum's pure-Go Sgemm.
func benchSgemm(b *testing.B, s benchShape) {
	rnd := rand.New(rand.NewPCG(1, 2))
	colsA, colsB := s.k, s.n
	if s.tA == blas.Trans {
		colsA = s.m
	}
	if s.tB == blas.Trans {
		colsB = s.k
	}
	a := make([]float32, s.m*s.k)
	bb := make([]float32, s.k*s.n)
	c := make([]float32, s.m*s.n)
	for i := range a {
		a[i] = float32(rnd.NormFloat64())
	}
	for i := range bb {
		bb[i] = float32(rnd.NormFloat64())
	}
	flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
	run := func(name string, f func()) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				f()
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
	kernels := available
	if external != nil {
		kernels = append([]*kernel[float64]{external}, kernels...)
	}
	for _, k64 := range kernels {
		kern := single(k64)
		run("impl="+kern.name, func() {
			gemm(kern, 0, s.tA, s.tB, s.m, s.n, s.k, 1, a, colsA, bb, colsB, 0, c, s.n)
		})
	}
	run("impl=gonum", func() {
		gonum.Implementation{}.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, colsA, bb, colsB, 0, c, s.n)
	})
}

func BenchmarkSgemm1024(b *testing.B) {
	benchSgemm(b, benchShape{blas.NoTrans, blas.NoTrans, 1024, 1024, 1024})
}

func BenchmarkSgemm2000(b *testing.B) {
	benchSgemm(b, benchShape{blas.NoTrans, blas.NoTrans, 2000, 2000, 2000})
}

// The VAE's three products of its first layer, as for Dgemm.
func BenchmarkSgemmVAE128x784x400(b *testing.B) {
	benchSgemm(b, benchShape{blas.NoTrans, blas.NoTrans, 128, 400, 784})
}

func BenchmarkSgemmVAE784x128Tx128x400(b *testing.B) {
	benchSgemm(b, benchShape{blas.Trans, blas.NoTrans, 784, 400, 128})
}

func BenchmarkSgemmVAE128x400x784x400T(b *testing.B) {
	benchSgemm(b, benchShape{blas.NoTrans, blas.Trans, 128, 784, 400})
}
