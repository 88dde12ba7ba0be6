package mixture

import "math"

// vveFamily is mclust's VVE: covariances Σ_k = λ_k D A_k Dᵀ with common
// principal axes D (Flury's common principal components). covs holds the
// K volumes λ_k, the K shapes a_k (product 1 each) and D; chol the K
// Cholesky precision factors.
//
// The M-step has no closed form: given D, the variances along the axes
// are Δ_k = λ_k A_k = diag(DᵀW_kD) / n_k; D minimises Σ_k tr(W_k D Δ_k⁻¹
// Dᵀ) at fixed Δ_k, which the MM algorithm of Browne & McNicholas (2014)
// decreases (axesMM). Each inner iteration runs MM 1 and MM 2 for the
// current Δ_k, then sets Δ_k, from D = I and Δ_k = I in the first M-step
// (mclust's msvve start) and from the previous parameters after it, and
// stops when the target D·n + D·Σ_k n_k log λ_k (−2 times the profile
// log-likelihood less constants, as VEE's) changes by at most tol
// relative to 1 + |itself| (mclust's sqrt(ε)). For K = 1 the model is one
// free covariance, fitted in closed form (W's eigen-decomposition), as
// mclust fits G = 1.
//
// mclust's msvve and mevve weight the majorisation by 1/a_kj, the shapes
// without their volumes, as EVE's, where it should be 1/(λ_k a_kj): their
// iterations then settle where no M-step of VVE is (on iris with the
// partition of hclass(hc(X), 3), Q = Σ_i Σ_k z_ik log π_k N(x_i | μ_k,
// Σ_k) is −244.97 at mclust's mstep and −243.95 at ours, the brute-force
// maximum; TestVVEMclustVariant reproduces mclust's numbers with its
// weights), so our VVE fits are as good as mclust's or better and need
// not equal them.
type vveFamily struct{ layout }

var vveFam = vveFamily{layout{typ: VVE, vol: shareVary, shape: shareVary, orient: shareEqual}}

func (f vveFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f vveFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (f vveFamily) fit(c *comps, scat, nk []float64, in inner) error {
	k, d := c.k, c.d
	dd := d * d
	sh, or, _ := f.offsets(k, d)
	scale, o := c.covs[:k], c.covs[or:or+dd]
	shapes := make([][]float64, k)
	for i := range shapes {
		shapes[i] = c.covs[sh+i*d : sh+(i+1)*d]
	}
	lw := newLinWork(d)
	if k == 1 {
		g, ok := oneAxes(o, shapes[0], scat, lw)
		scale[0] = g / nk[0]
		if !ok || !allPositive(shapes[0]) {
			scale[0] = math.NaN()
		}
		return nil
	}
	mm, ok := newAxesMM(scat, k, d, lw)
	if !ok {
		return f.singular(c)
	}
	// variances sets Δ_k = diag(DᵀW_kD)/n_k as λ_k and a_k, and returns
	// the target.
	tot := 0.0
	for _, n := range nk {
		tot += n
	}
	variances := func() float64 {
		trgt := float64(d) * tot
		mm.rotatedDiags(shapes, o, scat)
		for i, a := range shapes {
			for j := range a {
				a[j] /= nk[i]
			}
			scale[i] = unitDet(a)
			trgt += float64(d) * nk[i] * math.Log(scale[i])
			if !allPositive(a) || !positive(scale[i]) {
				return math.NaN() // component i is singular: factor refuses it
			}
		}
		return trgt
	}
	switch in.start {
	case startMclust:
		identity(o, d)
		for i, a := range shapes {
			for j := range a {
				a[j] = 1
			}
			scale[i] = 1
		}
	case startPooled:
		if !pooledAxes(o, scat, k, d, lw) {
			return f.singular(c)
		}
		if math.IsNaN(variances()) {
			return nil
		}
	}
	inv := make([][]float64, k)
	for i := range inv {
		inv[i] = make([]float64, d)
	}
	prev := math.MaxFloat64 / 2
	for it := 1; ; it++ {
		for i, a := range shapes {
			for j, v := range a {
				inv[i][j] = 1 / (scale[i] * v)
			}
		}
		if !mm.step(o, scat, inv) {
			return f.singular(c)
		}
		trgt := variances()
		if math.IsNaN(trgt) {
			return nil
		}
		change := math.Abs(trgt-prev) / (1 + math.Abs(trgt))
		prev = trgt
		if !(change > in.tol) || it >= in.maxIter {
			break
		}
	}
	key := make([]float64, d)
	for i, a := range shapes {
		for j, v := range a {
			key[j] += scale[i] * v
		}
	}
	sortAxes(o, shapes, key, d)
	return nil
}

// singular leaves parameters that factor refuses.
func (vveFamily) singular(c *comps) error {
	c.covs[0] = math.NaN()
	return nil
}
