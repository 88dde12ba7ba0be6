package mixture

import (
	"math"

	"gonum.org/v1/gonum/blas"
	blasgonum "gonum.org/v1/gonum/blas/gonum"
	lapackgonum "gonum.org/v1/gonum/lapack/gonum"

	"github.com/latentgo/latent/fastblas"
)

// The dense linear algebra of the families with D×D matrices. Every
// level-3 product of mixture runs on fastblas's kernels, called explicitly
// (never through the program's gonum BLAS, which a program may or may not
// have replaced with fastblas.Enable): the results have the same bits
// either way. Level-1 and level-2 routines, and the triangular level-3
// routines Dtrsm and Dtrmm, are gonum's in both cases (fastblas overrides
// only Dgemm and Dsyrk).

// lapackBlock is the block size of gonum's Dpotrf and Dlauum (Ilaenv):
// matrices of at most this order are factorised by the unblocked code,
// which uses level-1 and level-2 routines only.
const lapackBlock = 64

var (
	fast  fastblas.Implementation // Dgemm and Dsyrk
	gblas blasgonum.Implementation
	glapk lapackgonum.Implementation
)

// cholesky overwrites the lower triangle of the symmetric D×D row-major a
// with its Cholesky factor L (a = L·Lᵀ) and reports whether a is positive
// definite. It is LAPACK's dpotrf (lower, right-looking, block 64), the
// same sequence of operations as lapack64.Potrf when fastblas is gonum's
// BLAS, with the rank-k updates on fastblas whatever BLAS is installed.
func cholesky(a []float64, d int) bool {
	if d <= lapackBlock {
		return glapk.Dpotf2(blas.Lower, d, a, d)
	}
	for j := 0; j < d; j += lapackBlock {
		jb := min(lapackBlock, d-j)
		fast.Dsyrk(blas.Lower, blas.NoTrans, jb, j, -1, a[j*d:], d, 1, a[j*d+j:], d)
		if !glapk.Dpotf2(blas.Lower, jb, a[j*d+j:], d) {
			return false
		}
		if j+jb < d {
			fast.Dgemm(blas.NoTrans, blas.Trans, d-j-jb, jb, j, -1, a[(j+jb)*d:], d, a[j*d:], d, 1, a[(j+jb)*d+j:], d)
			gblas.Dtrsm(blas.Right, blas.Lower, blas.Trans, blas.NonUnit, d-j-jb, jb, 1, a[j*d+j:], d, a[(j+jb)*d+j:], d)
		}
	}
	return true
}

// lowerGram overwrites the lower triangle of the D×D row-major lower
// triangular a with that of aᵀ·a: LAPACK's dlauum (lower, block 64), as
// gonum's with fastblas installed, on fastblas explicitly.
func lowerGram(a []float64, d int) {
	if d <= lapackBlock {
		glapk.Dlauu2(blas.Lower, d, a, d)
		return
	}
	for i := 0; i < d; i += lapackBlock {
		ib := min(lapackBlock, d-i)
		gblas.Dtrmm(blas.Left, blas.Lower, blas.Trans, blas.NonUnit, ib, i, 1, a[i*d+i:], d, a[i*d:], d)
		glapk.Dlauu2(blas.Lower, ib, a[i*d+i:], d)
		if d-i-ib > 0 {
			fast.Dgemm(blas.Trans, blas.NoTrans, ib, i, d-i-ib, 1, a[(i+ib)*d+i:], d, a[(i+ib)*d:], d, 1, a[i*d:], d)
			fast.Dsyrk(blas.Lower, blas.Trans, ib, d-i-ib, 1, a[(i+ib)*d+i:], d, 1, a[i*d+i:], d)
		}
	}
}

// factorize sets dst (D×D, row-major) to A = L⁻¹, the inverse of the lower
// Cholesky factor L of the symmetric matrix cov (D×D row-major; its lower
// triangle is read), so that Σ⁻¹ = AᵀA and the Mahalanobis distance is
// ‖A(x − μ)‖². A is lower triangular; dst's upper triangle is zeroed. It
// returns log det A = −½ log det Σ, and false when cov is not positive
// definite (catalog N-03: a failed factorisation is an ill-defined
// covariance, never a NaN). scratch has at least D·D elements.
func factorize(dst, cov, scratch []float64, d int) (logDet float64, ok bool) {
	a := scratch[:d*d]
	copy(a, cov[:d*d])
	if !cholesky(a, d) {
		return 0, false
	}
	for i := 0; i < d; i++ {
		if !(a[i*d+i] > 0) || math.IsInf(a[i*d+i], 0) {
			return 0, false
		}
	}
	if !glapk.Dtrtri(blas.Lower, blas.NonUnit, d, a, d) {
		return 0, false
	}
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			if j > i {
				dst[i*d+j] = 0
			} else {
				dst[i*d+j] = a[i*d+j]
			}
		}
		v := dst[i*d+i]
		if !(v > 0) || math.IsInf(v, 0) {
			return 0, false
		}
		logDet += math.Log(v)
	}
	return logDet, true
}

// symmetricOK reports whether the D×D row-major matrix a is symmetric to
// numpy's allclose tolerance (|a_ij − a_ji| ≤ 1e-8 + 1e-5·|a_ji|), the test
// scikit-learn applies to user-given precisions; and whether every element
// is finite.
func symmetricOK(a []float64, d int) (sym, finite bool) {
	sym, finite = true, true
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			v := a[i*d+j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				finite = false
			}
			if j > i && math.Abs(v-a[j*d+i]) > 1e-8+1e-5*math.Abs(a[j*d+i]) {
				sym = false
			}
		}
	}
	return sym, finite
}

// invertSPD sets dst to the inverse of the symmetric positive definite D×D
// matrix a (row-major; lower triangle read) through its Cholesky factor
// (LAPACK's dpotri: L⁻ᵀL⁻¹), and reports false when a is not positive
// definite.
func invertSPD(dst, a []float64, d int) bool {
	tmp := make([]float64, d*d)
	copy(tmp, a)
	if !cholesky(tmp, d) {
		return false
	}
	if !glapk.Dtrtri(blas.Lower, blas.NonUnit, d, tmp, d) {
		return false
	}
	lowerGram(tmp, d)
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			dst[i*d+j] = tmp[i*d+j]
			dst[j*d+i] = tmp[i*d+j]
		}
	}
	return true
}

// symmetrise sets dst to (a + aᵀ)/2.
func symmetrise(dst, a []float64, d int) {
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			dst[i*d+j] = 0.5 * (a[i*d+j] + a[j*d+i])
		}
	}
}
