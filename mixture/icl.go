package mixture

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Uncertainty returns, in dst (allocated when nil, one element per row of
// x otherwise), each row's classification uncertainty 1 − max_k p(z = k |
// x_i), as mclust's uncertainty: 0 for a row surely in one component, up to
// 1 − 1/K for a row equally likely in all.
func (m *Model) Uncertainty(dst []float64, x mat.Matrix) ([]float64, error) {
	if _, err := m.input(x); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	dst = sizedF(dst, n, "Uncertainty")
	_, err := m.run(x, nil, true, func(row int, lp []float64, ll float64) {
		best := math.Inf(-1)
		for _, v := range lp {
			best = math.Max(best, v)
		}
		dst[row] = 1 - math.Exp(best-ll)
	})
	return dst, err
}

// classificationLogLik is Σ_i w_i log max_k p(z = k | x_i), the
// log-likelihood of the hard classification, whose −2 times is the ICL's
// penalty over BIC (Biernacki, Celeux & Govaert 2000; mclust's icl:
// ICL = BIC + 2 Σ_i log z_{i,map(i)} in mclust's sign).
func (m *Model) classificationLogLik(x mat.Matrix, w []float64) (float64, error) {
	var s float64
	err := m.classificationAdd(x, w, &s)
	return s, err
}

// classificationAdd adds x's rows' w_i log max_k z_ik to *s one row at a
// time in row order, so that a pass in blocks sums as one call would.
func (m *Model) classificationAdd(x mat.Matrix, w []float64, s *float64) error {
	n, _ := x.Dims()
	per := make([]float64, n) // rows run on all cores: sum in row order
	_, err := m.run(x, nil, true, func(row int, lp []float64, ll float64) {
		best := math.Inf(-1)
		for _, v := range lp {
			best = math.Max(best, v)
		}
		per[row] = best - ll
	})
	if err != nil {
		return err
	}
	for i, v := range per {
		if w != nil {
			v *= w[i]
		}
		*s += v
	}
	return nil
}

// UncertaintyOf returns, in dst (allocated when nil), 1 − max_k p_ik for
// each row of the posterior probabilities p (as PredictProba returns).
func UncertaintyOf(dst []float64, p mat.Matrix) []float64 {
	n, k := p.Dims()
	dst = sizedF(dst, n, "UncertaintyOf")
	for i := range n {
		best := 0.0
		for j := range k {
			best = math.Max(best, p.At(i, j))
		}
		dst[i] = 1 - best
	}
	return dst
}
