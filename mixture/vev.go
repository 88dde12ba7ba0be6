package mixture

import "math"

// vevFamily is mclust's VEV: covariances Σ_k = λ_k D_k A D_kᵀ of one
// shape, their own volumes and axes. covs holds the K volumes λ_k, the
// shape a (decreasing, product 1) and the K orientations D_k; chol the K
// Cholesky precision factors.
//
// The M-step has no closed form. With W_k = L_k Ω_k L_kᵀ (eigenvalues
// decreasing), D_k = L_k for any decreasing shape, and Celeux & Govaert
// (1995, §3.3) alternate the conditional maximisers
//
//	λ_k = tr(Ω_k A⁻¹) / (D·n_k),
//	A   ∝ Σ_k Ω_k / λ_k   (normalised to product 1, and decreasing),
//
// as mclust's msvev and mevev do: from EEV's shape A ∝ Σ_k Ω_k in the
// first M-step and from the previous shape after it, stopping when no
// volume and no shape value moves by tol or more relative to 1 + itself
// (mclust's sqrt(ε); its first iteration never stops).
type vevFamily struct{ layout }

var vevFam = vevFamily{layout{typ: VEV, vol: shareVary, shape: shareEqual, orient: shareVary}}

func (f vevFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f vevFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (f vevFamily) fit(c *comps, scat, nk []float64, in inner) error {
	k, d := c.k, c.d
	dd := d * d
	scale, shape := c.covs[:k], c.covs[k:k+d]
	lw := newLinWork(d)
	omega := make([]float64, k*d)
	for i := 0; i < k; i++ {
		if !lw.eig(omega[i*d:(i+1)*d], f.orientOf(c, i), scat[i*dd:(i+1)*dd]) {
			scale[0] = math.NaN()
			return nil
		}
	}
	cold := in.start != startWarm
	if cold {
		clear(shape)
		for i := 0; i < k; i++ {
			for j := 0; j < d; j++ {
				shape[j] += omega[i*d+j]
			}
		}
		unitDet(shape)
	}
	oldScale, oldShape := make([]float64, k), make([]float64, d)
	for it := 1; ; it++ {
		copy(oldShape, shape)
		copy(oldScale, scale)
		clear(shape)
		for i := 0; i < k; i++ {
			s := 0.0
			for j := 0; j < d; j++ {
				s += omega[i*d+j] / oldShape[j]
			}
			v := s / (nk[i] * float64(d))
			scale[i] = v
			if !positive(v) {
				return nil // factor refuses it
			}
			for j := 0; j < d; j++ {
				shape[j] += omega[i*d+j] / v
			}
		}
		unitDet(shape)
		change := 0.0
		for j, v := range shape {
			change = math.Max(change, math.Abs(oldShape[j]-v)/(1+v))
		}
		for i, v := range scale {
			change = math.Max(change, math.Abs(v-oldScale[i])/(1+v))
		}
		if cold && it == 1 {
			continue
		}
		if !(change >= in.tol) || it >= in.maxIter {
			return nil
		}
	}
}
