package biasvar

import "math"

// lstsq solves the least-squares problem min ‖Aβ − b‖₂ for a full-rank
// A (m × p, m ≥ p, row-major in a, overwritten) by Householder QR
// (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 5.2.1 and §5.3.3),
// writing β into beta (length p) and overwriting b. It returns the
// 1-norm condition number of R (= that of A up to the orthogonal factor),
// computed exactly from R⁻¹, +Inf when R has a zero on its diagonal. work
// needs p·p values.
//
// It is written out rather than taken from gonum's mat.QR so that a fit
// costs one allocation: the decomposer fits thousands of small problems per
// second on every core, and the garbage collector is what stops that from
// scaling.
func lstsq(a []float64, m, p int, b, beta, work []float64) float64 {
	for k := 0; k < p; k++ {
		// Householder vector for column k below the diagonal.
		var scale float64
		for i := k; i < m; i++ {
			scale = math.Max(scale, math.Abs(a[i*p+k]))
		}
		if scale == 0 {
			return math.Inf(1)
		}
		var ss float64
		for i := k; i < m; i++ {
			v := a[i*p+k] / scale
			ss += v * v
		}
		norm := scale * math.Sqrt(ss)
		alpha := -math.Copysign(norm, a[k*p+k])
		// v = x − αe₁, stored in place of column k; vᵀv = 2(‖x‖² − αx₀).
		x0 := a[k*p+k]
		a[k*p+k] = x0 - alpha
		vtv := 2 * (norm*norm - alpha*x0)
		if vtv == 0 {
			return math.Inf(1)
		}
		for j := k + 1; j < p; j++ {
			var dot float64
			for i := k; i < m; i++ {
				dot += a[i*p+k] * a[i*p+j]
			}
			f := 2 * dot / vtv
			for i := k; i < m; i++ {
				a[i*p+j] -= f * a[i*p+k]
			}
		}
		var dot float64
		for i := k; i < m; i++ {
			dot += a[i*p+k] * b[i]
		}
		f := 2 * dot / vtv
		for i := k; i < m; i++ {
			b[i] -= f * a[i*p+k]
		}
		a[k*p+k] = alpha // R's diagonal; the rest of column k is no longer needed
	}
	// Back substitution R β = (Qᵀb)[:p].
	for k := p - 1; k >= 0; k-- {
		s := b[k]
		for j := k + 1; j < p; j++ {
			s -= a[k*p+j] * beta[j]
		}
		beta[k] = s / a[k*p+k]
	}
	// cond₁(R) = ‖R‖₁·‖R⁻¹‖₁, with R⁻¹ (upper triangular) column by column.
	rinv := work[:p*p]
	clear(rinv)
	var normR, normInv float64
	for j := 0; j < p; j++ {
		var c float64
		for i := 0; i <= j; i++ {
			c += math.Abs(a[i*p+j])
		}
		normR = math.Max(normR, c)
		// Solve R z = e_j; z has zeros below j.
		for i := j; i >= 0; i-- {
			s := 0.0
			if i == j {
				s = 1
			}
			for l := i + 1; l <= j; l++ {
				s -= a[i*p+l] * rinv[l*p+j]
			}
			rinv[i*p+j] = s / a[i*p+i]
		}
		var ci float64
		for i := 0; i <= j; i++ {
			ci += math.Abs(rinv[i*p+j])
		}
		normInv = math.Max(normInv, ci)
	}
	c := normR * normInv
	if math.IsNaN(c) {
		return math.Inf(1)
	}
	return c
}
