package mixture

// eiiFamily is mclust's EII: one spherical covariance Σ_k = λI for every
// component. covs holds λ; chol the K equal inverse deviations 1/√λ. The
// M-step (Celeux & Govaert 1995, §3.1; mclust's mseii) pools the traces of
// the scatters W_k about the new means:
//
//	λ = Σ_k tr W_k / (n·D),  n = Σ_k n_k.
type eiiFamily struct{ layout }

var eiiFam = eiiFamily{layout{typ: EII, vol: shareEqual}}

func (f eiiFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f eiiFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (eiiFamily) fit(c *comps, scat, nk []float64, _ inner) error {
	d := c.d
	tot, tr := 0.0, 0.0
	for k, n := range nk {
		tot += n
		for _, v := range scat[k*d : (k+1)*d] {
			tr += v
		}
	}
	c.covs[0] = tr / (tot * float64(d))
	return nil
}
