// Package logmath holds the log-space scalar kernels shared by the mixture
// E-step, the autodiff ops and the VAE: log-sum-exp, softplus and
// log-sigmoid, each stable over the whole float64 range.
//
// LogSumExp shifts by the maximum m before exponentiating,
//
//	log Σ exp(x_i) = m + log Σ exp(x_i − m),
//
// and, as JAX does (jax/_src/ops/special.py), shifts by 0 when m is not
// finite, so that a row of −Inf gives −Inf rather than (−Inf) − (−Inf) = NaN
// (catalog N-01; the bug of matrixStats #84, tinygrad #17822, TF #11692). An
// empty input gives −Inf, the log of an empty sum (gonum's floats.LogSumExp
// panics there); NaN anywhere gives NaN (gonum's skips it).
//
// Softplus(x) = log(1 + eˣ) is computed as max(x, 0) + log1p(e^−|x|), exact
// to rounding for every x, with Softplus(+Inf) = +Inf and Softplus(−Inf) = 0
// (N-06). LogSigmoid(x) = −Softplus(−x) (N-07) never forms σ(x), which
// underflows to 0 near x = −745.
package logmath

import "math"

// LogSumExp returns log Σ exp(x[i]); see the package documentation for the
// edge cases. It does not modify x.
func LogSumExp(x []float64) float64 {
	if len(x) == 0 {
		return math.Inf(-1)
	}
	m := math.Inf(-1)
	for _, v := range x {
		if math.IsNaN(v) {
			return math.NaN()
		}
		if v > m {
			m = v
		}
	}
	if math.IsInf(m, 0) {
		// All −Inf gives −Inf; any +Inf gives +Inf.
		return m
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// LogAddExp returns log(eᵃ + eᵇ) without overflow; LogAddExp(−Inf, −Inf) is
// −Inf.
func LogAddExp(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	if a < b {
		a, b = b, a
	}
	if math.IsInf(a, 0) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// Softplus returns log(1 + eˣ).
func Softplus(x float64) float64 {
	if math.IsInf(x, 1) {
		return x
	}
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

// LogSigmoid returns log σ(x) = −Softplus(−x).
func LogSigmoid(x float64) float64 { return -Softplus(-x) }

// Sigmoid returns σ(x) = 1/(1 + e^−x), evaluated so that neither branch
// overflows.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
