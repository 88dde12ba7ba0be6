package mixture

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// CovarianceType is the form of the components' covariance matrices, as
// scikit-learn's covariance_type.
type CovarianceType string

// The covariance types. The zero value "" means Full.
const (
	Full      CovarianceType = "full"      // each component its own D×D matrix
	Tied      CovarianceType = "tied"      // one D×D matrix shared by all components
	Diag      CovarianceType = "diag"      // each component its own diagonal matrix
	Spherical CovarianceType = "spherical" // each component its own σ²·I
)

// CovarianceTypes lists the covariance types, from the most to the least
// flexible per component.
var CovarianceTypes = []CovarianceType{Full, Tied, Diag, Spherical}

// ParseCovarianceType returns the covariance type named s ("full", "tied",
// "diag" or "spherical", any case).
func ParseCovarianceType(s string) (CovarianceType, error) {
	c := CovarianceType(strings.ToLower(strings.TrimSpace(s)))
	switch c {
	case Full, Tied, Diag, Spherical:
		return c, nil
	}
	return "", fmt.Errorf("mixture: unknown covariance type %q; use full, tied, diag or spherical", s)
}

func (c CovarianceType) orDefault() CovarianceType {
	if c == "" {
		return Full
	}
	return c
}

// covLen is the number of stored covariance values: full K·D·D, tied D·D,
// diag K·D, spherical K.
func covLen(c CovarianceType, k, d int) int {
	switch c {
	case Full:
		return k * d * d
	case Tied:
		return d * d
	case Diag:
		return k * d
	default:
		return k
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
	t, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Lower, N: d, Stride: d, Data: a})
	if !ok {
		return 0, false
	}
	for i := 0; i < d; i++ {
		if !(a[i*d+i] > 0) || math.IsInf(a[i*d+i], 0) {
			return 0, false
		}
	}
	if !lapack64.Trtri(t) {
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
// matrix a (row-major; lower triangle read) through its Cholesky factor, and
// reports false when a is not positive definite.
func invertSPD(dst, a []float64, d int) bool {
	tmp := make([]float64, d*d)
	copy(tmp, a)
	t, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Lower, N: d, Stride: d, Data: tmp})
	if !ok {
		return false
	}
	s, ok := lapack64.Potri(t)
	if !ok {
		return false
	}
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			dst[i*d+j] = s.Data[i*d+j]
			dst[j*d+i] = s.Data[i*d+j]
		}
	}
	return true
}
