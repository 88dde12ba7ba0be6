package mixture

import "math"

// veiFamily is mclust's VEI: diagonal covariances Σ_k = λ_k A of one
// shape, proportional to each other. covs holds the K volumes λ_k and the
// shape a (D values of product 1); chol the K×D inverse deviations.
//
// The M-step has no closed form. Celeux & Govaert (1995, §3.2) alternate
// the two conditional maximisers of the expected complete-data
// log-likelihood, with w_kj = (W_k)_jj:
//
//	λ_k = Σ_j w_kj / a_j / (D·n_k),
//	a   ∝ Σ_k w_k / λ_k   (normalised to product 1),
//
// as mclust's msvei and mevei do: from a = 1 (and λ = 1) in the first
// M-step, from the previous parameters after it, stopping when no volume
// and no shape value moves by more than tol relative to 1 + itself
// (|old − new| / (1 + new); mclust's sqrt(ε)).
type veiFamily struct{ layout }

var veiFam = veiFamily{layout{typ: VEI, vol: shareVary, shape: shareEqual}}

func (f veiFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f veiFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (f veiFamily) fit(c *comps, scat, nk []float64, in inner) error {
	return f.fitOffset(c, scat, nk, in, 0)
}

// fitOffset is fit with off added to the volumes' divisors D·n_k: 0 for
// the maximum likelihood, ν_P + 2 (+1 with shrinkage) for the MAP M-step
// of mclust's meveip (prior_models.go).
func (f veiFamily) fitOffset(c *comps, scat, nk []float64, in inner, off float64) error {
	k, d := c.k, c.d
	scale, shape := c.covs[:k], c.covs[k:k+d]
	switch in.start {
	case startMclust:
		for j := range shape {
			shape[j] = 1
		}
		for i := range scale {
			scale[i] = 1
		}
	case startPooled: // EEI's shape
		clear(shape)
		for i := 0; i < k; i++ {
			for j := 0; j < d; j++ {
				shape[j] += scat[i*d+j]
			}
		}
		unitDet(shape)
		for i := range scale {
			scale[i] = 1
		}
	}
	oldScale, oldShape := make([]float64, k), make([]float64, d)
	for it := 1; ; it++ {
		copy(oldScale, scale)
		for i := 0; i < k; i++ {
			s := 0.0
			for j := 0; j < d; j++ {
				s += scat[i*d+j] / shape[j]
			}
			scale[i] = s / (float64(d)*nk[i] + off)
			if !positive(scale[i]) {
				return nil // factor refuses it
			}
		}
		copy(oldShape, shape)
		for j := 0; j < d; j++ {
			s := 0.0
			for i := 0; i < k; i++ {
				s += scat[i*d+j] / scale[i]
			}
			shape[j] = s
			if !positive(s) {
				return nil
			}
		}
		unitDet(shape)
		change := 0.0
		for i, v := range scale {
			change = math.Max(change, math.Abs(oldScale[i]-v)/(1+v))
		}
		for j, v := range shape {
			change = math.Max(change, math.Abs(oldShape[j]-v)/(1+v))
		}
		if !(change > in.tol) || it >= in.maxIter {
			return nil
		}
	}
}
