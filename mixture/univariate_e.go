package mixture

// eFamily is mclust's E, for one feature: one variance σ² for every
// component. covs holds σ²; chol the K equal 1/σ. The M-step (mclust's
// ms1e) pools the scatters about the new means:
//
//	σ² = Σ_k W_k / n.
//
// It needs D = 1 (EII is the same model in more dimensions).
type eFamily struct{ layout }

var eFam = eFamily{layout{typ: E, vol: shareEqual, univariate: true}}

func (f eFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f eFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (eFamily) fit(c *comps, scat, nk []float64, _ inner) error {
	tot, s := 0.0, 0.0
	for k, n := range nk {
		tot += n
		s += scat[k]
	}
	c.covs[0] = s / tot
	return nil
}
