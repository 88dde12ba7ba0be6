package mixture

// vFamily is mclust's V, for one feature: each component its own variance
// σ²_k. covs holds the K variances; chol the K 1/σ_k. The M-step (mclust's
// ms1v) is each component's scatter about its new mean:
//
//	σ²_k = W_k / n_k.
//
// It needs D = 1 (VII is the same model in more dimensions).
type vFamily struct{ layout }

var vFam = vFamily{layout{typ: V, vol: shareVary, univariate: true}}

func (f vFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f vFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (vFamily) fit(c *comps, scat, nk []float64, _ inner) error {
	for k, n := range nk {
		c.covs[k] = scat[k] / n
	}
	return nil
}
