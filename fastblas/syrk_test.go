package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/latentgo/latent/internal/testutil"
)

// syrkOperands draws A (n×k, or k×n when tA) with padded rows, and C with
// NaN in its padding and in the triangle Dsyrk must not touch.
func syrkOperands(seed uint64, ul blas.Uplo, tA blas.Transpose, n, k, pad int) (a []float64, lda int, c []float64, ldc int) {
	rnd := rand.New(rand.NewPCG(seed, 77))
	rows, cols := n, k
	if tA == blas.Trans {
		rows, cols = k, n
	}
	lda = max(1, cols) + pad
	a = make([]float64, max(0, rows*lda))
	for i := range a {
		a[i] = math.NaN()
		if i%lda < cols {
			a[i] = 2*rnd.Float64() - 1
		}
	}
	ldc = max(1, n) + pad
	c = make([]float64, n*ldc)
	for i := range c {
		r, j := i/ldc, i%ldc
		inside := j < n && (ul == blas.Upper && j >= r || ul == blas.Lower && j <= r)
		c[i] = math.NaN()
		if inside {
			c[i] = 2*rnd.Float64() - 1
		}
	}
	return
}

// TestDsyrkMatchesGonum compares Dsyrk with gonum's on both triangles, both
// transposes, alpha/beta special values, sizes below, at and above the
// diagonal block (2·128 → blocked), with every kernel; the other triangle
// and the padding of C (NaN) must come out bit for bit as they went in.
func TestDsyrkMatchesGonum(t *testing.T) {
	seed := uint64(500)
	for _, kern := range testKernels() {
		for _, s := range [][2]int{{1, 1}, {1, 9}, {5, 3}, {16, 300}, {17, 40}, {300, 20}, {600, 7}} {
			n, k := s[0], s[1]
			if kern.name == kernelGo && n*n*k > 1e6 {
				continue // the Go kernel is covered on the smaller shapes
			}
			for _, ul := range []blas.Uplo{blas.Upper, blas.Lower} {
				for _, tA := range transposes {
					for _, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {2, 0.25}} {
						seed++
						a, lda, c, ldc := syrkOperands(seed, ul, tA, n, k, int(seed%2))
						want := append([]float64(nil), c...)
						gonum.Implementation{}.Dsyrk(ul, tA, n, k, ab[0], a, lda, ab[1], want, ldc)
						got := append([]float64(nil), c...)
						dsyrk(kern, 2, ul, tA, n, k, ab[0], a, lda, ab[1], got, ldc)
						tc := gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: n, n: n, k: k, alpha: ab[0], beta: ab[1]}
						if tA == blas.Trans {
							tc.tA, tc.tB = blas.Trans, blas.NoTrans
						}
						cz := append([]float64(nil), c...)
						for i := range cz {
							if math.IsNaN(cz[i]) {
								cz[i] = 0
							}
						}
						bound := errorBound(tc, a, lda, a, lda, cz, ldc)
						what := fmt.Sprintf("%s %c%c n=%d k=%d alpha=%g beta=%g", kern.name, ul, tA, n, k, ab[0], ab[1])
						for i := range got {
							if math.IsNaN(c[i]) {
								if !math.IsNaN(got[i]) {
									t.Fatalf("%s: C[%d,%d] outside the triangle written: %g", what, i/ldc, i%ldc, got[i])
								}
								continue
							}
							if !testutil.Close(got[i], want[i], bound[i], 0) {
								t.Fatalf("%s: C[%d,%d] = %.17g, want %.17g (gonum), bound %.3g", what, i/ldc, i%ldc, got[i], want[i], bound[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestDsyrkDeterministic: the same bits with 1, 2 and 4 workers.
func TestDsyrkDeterministic(t *testing.T) {
	for _, kern := range available {
		for _, s := range [][2]int{{10, 5000}, {300, 50}} {
			a, lda, c0, ldc := syrkOperands(9, blas.Lower, blas.Trans, s[0], s[1], 1)
			var first []float64
			for _, procs := range []int{1, 2, 4} {
				c := append([]float64(nil), c0...)
				dsyrk(kern, procs, blas.Lower, blas.Trans, s[0], s[1], 1, a, lda, 0.5, c, ldc)
				if first == nil {
					first = c
					continue
				}
				assertSameBits(t, fmt.Sprintf("%s Dsyrk n=%d k=%d procs=%d", kern.name, s[0], s[1], procs), c, first)
			}
		}
	}
}

// TestDsyrkPanics: bad arguments panic with gonum's messages.
func TestDsyrkPanics(t *testing.T) {
	x := make([]float64, 100)
	cases := []struct {
		name string
		ul   blas.Uplo
		tA   blas.Transpose
		n, k int
		a    []float64
		lda  int
		c    []float64
		ldc  int
	}{
		{"uplo", 'X', blas.NoTrans, 2, 2, x, 2, x, 2},
		{"trans", blas.Upper, 'X', 2, 2, x, 2, x, 2},
		{"n<0", blas.Upper, blas.NoTrans, -1, 2, x, 2, x, 2},
		{"k<0", blas.Upper, blas.NoTrans, 2, -1, x, 2, x, 2},
		{"lda", blas.Upper, blas.NoTrans, 2, 3, x, 2, x, 2},
		{"lda T", blas.Lower, blas.Trans, 3, 2, x, 2, x, 3},
		{"ldc", blas.Upper, blas.NoTrans, 3, 2, x, 2, x, 2},
		{"short a", blas.Upper, blas.NoTrans, 10, 10, x[:99], 10, x, 10},
		{"short c", blas.Lower, blas.NoTrans, 10, 2, x, 2, x[:99], 10},
	}
	catch := func(f func()) (r any) {
		defer func() { r = recover() }()
		f()
		return nil
	}
	for _, tc := range cases {
		want := catch(func() { gonum.Implementation{}.Dsyrk(tc.ul, tc.tA, tc.n, tc.k, 1, tc.a, tc.lda, 0, tc.c, tc.ldc) })
		got := catch(func() { Implementation{}.Dsyrk(tc.ul, tc.tA, tc.n, tc.k, 1, tc.a, tc.lda, 0, tc.c, tc.ldc) })
		if want == nil {
			t.Fatalf("%s: gonum did not panic; the case is wrong", tc.name)
		}
		if got != want {
			t.Errorf("%s: panic %v, want %v (gonum)", tc.name, got, want)
		}
	}
}
