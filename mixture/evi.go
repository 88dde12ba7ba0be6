package mixture

import "math"

// eviFamily is mclust's EVI: diagonal covariances Σ_k = λA_k of equal
// volume. covs holds λ and the K shapes a_k (D values of product 1 each);
// chol the K×D inverse deviations. The M-step (Celeux & Govaert 1995,
// §3.2; mclust's msevi) normalises each diagonal and pools the volumes:
//
//	A_k = diag W_k / |diag W_k|^(1/D),  λ = Σ_k |diag W_k|^(1/D) / n.
type eviFamily struct{ layout }

var eviFam = eviFamily{layout{typ: EVI, vol: shareEqual, shape: shareVary}}

func (f eviFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f eviFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (f eviFamily) fit(c *comps, scat, nk []float64, _ inner) error {
	d := c.d
	tot, vol := 0.0, 0.0
	for k, n := range nk {
		tot += n
		a := f.shapeOf(c, k)
		copy(a, scat[k*d:(k+1)*d])
		if g := unitDet(a); positive(g) {
			vol += g
		} else {
			a[0] = math.NaN() // a singular scatter: factor refuses component k, not the volume
		}
	}
	c.covs[0] = vol / tot
	return nil
}
