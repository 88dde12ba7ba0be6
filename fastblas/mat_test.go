package fastblas_test

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/fastblas"
	"github.com/latentgo/latent/internal/testutil"
)

func randDense(rnd *rand.Rand, r, c int) *mat.Dense {
	x := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			x.Set(i, j, rnd.NormFloat64())
		}
	}
	return x
}

// withImpl runs f with fastblas enabled or disabled and restores the state.
func withImpl(t *testing.T, on bool, f func()) {
	t.Helper()
	was := fastblas.Enabled()
	defer func() {
		if was {
			fastblas.Enable()
		} else {
			fastblas.Disable()
		}
	}()
	if on {
		fastblas.Enable()
	} else {
		fastblas.Disable()
	}
	f()
}

// TestEnableDisable: Enable installs fastblas as gonum's BLAS, Disable puts
// gonum's own back.
func TestEnableDisable(t *testing.T) {
	withImpl(t, true, func() {
		if _, ok := blas64.Implementation().(gonum.Implementation); ok || !fastblas.Enabled() {
			t.Fatalf("after Enable: blas64 uses %T, Enabled %v", blas64.Implementation(), fastblas.Enabled())
		}
	})
	withImpl(t, false, func() {
		if _, ok := blas64.Implementation().(gonum.Implementation); !ok || fastblas.Enabled() {
			t.Fatalf("after Disable: blas64 uses %T, Enabled %v", blas64.Implementation(), fastblas.Enabled())
		}
	})
}

// TestMatMul: mat.Dense.Mul goes through fastblas when enabled (the same
// bits as fastblas.Dgemm) and agrees with gonum's own product.
func TestMatMul(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	a := randDense(rnd, 150, 70)
	b := randDense(rnd, 50, 70)
	var fast, slow mat.Dense
	withImpl(t, true, func() { fast.Mul(a, b.T()) })
	withImpl(t, false, func() { slow.Mul(a, b.T()) })
	direct := make([]float64, 150*50)
	fastblas.Dgemm('N', 'T', 150, 50, 70, 1, a.RawMatrix().Data, 70, b.RawMatrix().Data, 70, 0, direct, 50)
	for i, v := range fast.RawMatrix().Data {
		if v != direct[i] {
			t.Fatalf("mat.Mul with fastblas: element %d = %.17g, fastblas.Dgemm gives %.17g", i, v, direct[i])
		}
	}
	// 70 terms of products of standard normals: |sum| ≲ 70·4², error
	// ≲ 2·72·2⁻⁵³·70·16 ≈ 2e-11; 1e-12 relative to 1e-11 absolute is ample
	// and still fails on any wrong term (each term is ~1).
	testutil.AssertCloseSlice(t, "fastblas vs gonum", fast.RawMatrix().Data, slow.RawMatrix().Data, 1e-11, 1e-12)
}

// TestMatAliasing: gonum/mat handles a destination that is an operand by
// working in a copy (the product must still be right with fastblas), and
// panics, before any BLAS call, on a destination that partly overlaps an
// operand; fastblas changes neither.
func TestMatAliasing(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	a := randDense(rnd, 20, 20)
	b := randDense(rnd, 20, 20)
	withImpl(t, true, func() {
		var want mat.Dense
		want.Mul(a, b)
		a.Mul(a, b)
		testutil.AssertCloseSlice(t, "a.Mul(a, b)", a.RawMatrix().Data, want.RawMatrix().Data, 0, 0)

		big := randDense(rnd, 30, 30)
		src := big.Slice(0, 20, 0, 20)
		dst := big.Slice(5, 25, 5, 25).(*mat.Dense)
		defer func() {
			if r := recover(); r == nil {
				t.Fatal("Mul into a view overlapping an operand did not panic")
			}
		}()
		dst.Mul(src, b)
	})
}

// TestCholesky: gonum's LAPACK (blocked Dpotrf, which calls Dgemm on
// blocks of one matrix) gives the same factor with fastblas as without,
// to rounding.
func TestCholesky(t *testing.T) {
	const n = 300
	rnd := rand.New(rand.NewPCG(9, 10))
	x := randDense(rnd, n+20, n)
	var s mat.SymDense
	s.SymOuterK(1, x.T())
	var fast, slow mat.Cholesky
	withImpl(t, true, func() {
		if !fast.Factorize(&s) {
			t.Fatal("fastblas: matrix not positive definite")
		}
	})
	withImpl(t, false, func() {
		if !slow.Factorize(&s) {
			t.Fatal("gonum: matrix not positive definite")
		}
	})
	var lf, ls mat.TriDense
	fast.LTo(&lf)
	slow.LTo(&ls)
	// XᵀX of 320 standard-normal rows has entries up to ~320 and a
	// condition number near (1+√(300/320))²/(1−√(300/320))² ≈ 2e3; the
	// factors agree to ~1e-13 relative, checked at 1e-10.
	testutil.AssertCloseSlice(t, "Cholesky factor", lf.RawTriangular().Data, ls.RawTriangular().Data, 1e-10, 1e-10)
}
