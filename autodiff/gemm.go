package autodiff

import (
	"gonum.org/v1/gonum/blas"

	"github.com/latentgo/latent/fastblas"
)

// Every matrix product of the tape is one call of fastblas's Dgemm, made
// explicitly: the tape is fast in any program without changing gonum's
// BLAS (importing autodiff has no side effect). fastblas splits a product
// among cores itself, allocates nothing once warm, and gives each element
// the same bits whatever GOMAXPROCS is; fastblas.UseKernel chooses its
// kernel for the whole program (the "gonum" kernel puts the tape on
// gonum's own arithmetic).

// dgemm is fastblas.Dgemm, a variable only so that a benchmark can time
// the products (bench_test.go).
var dgemm = fastblas.Dgemm

// gemm computes c = alpha·op(a)·op(b) + beta·c, where a is stored with ac
// columns and b with bc (row-major, no stride), and c is m×n with inner
// dimension k.
func gemm(ta, tb bool, alpha float64, ac int, a []float64, bc int, b []float64, beta float64, c []float64, m, n, k int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 { // an empty sum, C = β·C; a and b may be empty, which BLAS's length checks refuse
		if beta == 0 {
			clear(c[:m*n])
		} else if beta != 1 {
			for i := range c[:m*n] {
				c[i] *= beta
			}
		}
		return
	}
	dgemm(trans(ta), trans(tb), m, n, k, alpha, a, max(ac, 1), b, max(bc, 1), beta, c, max(n, 1))
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}
