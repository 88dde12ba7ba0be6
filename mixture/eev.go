package mixture

import "math"

// eevFamily is mclust's EEV: covariances Σ_k = λ D_k A D_kᵀ of equal
// volume and shape, their own axes. covs holds λ, the shape a (decreasing,
// product 1) and the K orientations D_k; chol the K Cholesky precision
// factors. The M-step (Celeux & Govaert 1995, §3.3; mclust's mseev) is
// closed: with W_k = L_k Ω_k L_kᵀ the eigen-decompositions (eigenvalues
// decreasing),
//
//	D_k = L_k,  A = Σ_k Ω_k / |Σ_k Ω_k|^(1/D),  λ = |Σ_k Ω_k|^(1/D) / n.
type eevFamily struct{ layout }

var eevFam = eevFamily{layout{typ: EEV, vol: shareEqual, shape: shareEqual, orient: shareVary}}

func (f eevFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f eevFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (f eevFamily) fit(c *comps, scat, nk []float64, _ inner) error {
	k, d := c.k, c.d
	dd := d * d
	shape := c.covs[1 : 1+d]
	clear(shape)
	lw := newLinWork(d)
	vals := make([]float64, d)
	tot := 0.0
	for i := 0; i < k; i++ {
		tot += nk[i]
		if !lw.eig(vals, f.orientOf(c, i), scat[i*dd:(i+1)*dd]) {
			c.covs[0] = math.NaN()
			return nil
		}
		for j, v := range vals {
			shape[j] += v
		}
	}
	c.covs[0] = unitDet(shape) / tot
	return nil
}
