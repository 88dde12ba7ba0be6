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
		kernels = append([]*kernel{external}, kernels...)
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
		{"impl=" + selected.name, func() { Implementation{}.Dsyrk(blas.Lower, blas.Trans, n, k, 1, x, n, 0, c, n) }},
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
