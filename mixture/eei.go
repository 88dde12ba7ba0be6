package mixture

// eeiFamily is mclust's EEI: one diagonal covariance Σ_k = λA for every
// component. covs holds λ and the shape a (D values of product 1); chol
// the K×D inverse deviations 1/√(λ a_j). The M-step (Celeux & Govaert
// 1995, §3.2; mclust's mseei) is the diagonal of the pooled scatter:
//
//	λA = diag(Σ_k W_k) / n,  λ = |diag(Σ_k W_k)|^(1/D) / n.
type eeiFamily struct{ layout }

var eeiFam = eeiFamily{layout{typ: EEI, vol: shareEqual, shape: shareEqual}}

func (f eeiFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f eeiFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (eeiFamily) fit(c *comps, scat, nk []float64, _ inner) error {
	d := c.d
	a := c.covs[1 : 1+d]
	clear(a)
	tot := 0.0
	for k, n := range nk {
		tot += n
		for j, v := range scat[k*d : (k+1)*d] {
			a[j] += v
		}
	}
	c.covs[0] = unitDet(a) / tot
	return nil
}
