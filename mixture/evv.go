package mixture

import "math"

// evvFamily is mclust's EVV: covariances Σ_k = λ C_k of equal volume,
// C_k = D_k A_k D_kᵀ of determinant 1. covs holds λ, the K shapes a_k
// (decreasing, product 1 each) and the K orientations D_k; chol the K
// Cholesky precision factors. The M-step (Celeux & Govaert 1995, §3.3;
// mclust's msevv) is closed:
//
//	C_k = W_k / |W_k|^(1/D),  λ = Σ_k |W_k|^(1/D) / n,
//
// stored as the eigen-decompositions of C_k.
type evvFamily struct{ layout }

var evvFam = evvFamily{layout{typ: EVV, vol: shareEqual, shape: shareVary, orient: shareVary}}

func (f evvFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f evvFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (f evvFamily) fit(c *comps, scat, nk []float64, _ inner) error {
	k, d := c.k, c.d
	dd := d * d
	lw := newLinWork(d)
	tot, vol := 0.0, 0.0
	for i := 0; i < k; i++ {
		tot += nk[i]
		a := f.shapeOf(c, i)
		if !lw.eig(a, f.orientOf(c, i), scat[i*dd:(i+1)*dd]) {
			c.covs[0] = math.NaN()
			return nil
		}
		if g := unitDet(a); positive(g) {
			vol += g
		} else {
			a[0] = math.NaN() // a singular scatter: factor refuses component i, not the volume
		}
	}
	c.covs[0] = vol / tot
	return nil
}
