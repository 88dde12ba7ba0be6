package mixture

import "math"

// eveFamily is mclust's EVE: covariances Σ_k = λ D A_k Dᵀ of equal
// volume with common principal axes D and their own shapes. covs holds λ,
// the K shapes a_k (product 1 each) and D; chol the K Cholesky precision
// factors.
//
// The M-step has no closed form: given D, A_k = diag(DᵀW_kD) /
// |diag(DᵀW_kD)|^(1/D) and λ = Σ_k tr(DᵀW_kD A_k⁻¹) / (n·D) (Celeux &
// Govaert 1995); D minimises Σ_k tr(W_k D A_k⁻¹ Dᵀ), which the MM
// algorithm of Browne & McNicholas (2014) decreases (axesMM). As mclust's
// mseve and meeve: each inner iteration runs MM 1, MM 2, then the shapes,
// from D = I and A_k = I in the first M-step and from the previous
// parameters after it, and stops when the target Σ_k tr(DᵀW_kD A_k⁻¹) =
// n·D·λ changes by at most tol relative to 1 + itself (mclust's sqrt(ε)).
// The axes are then ordered by decreasing Σ_k a_kj (their order is
// otherwise arbitrary). For K = 1 the model is one free covariance: D and
// A are W's eigen-decomposition, λ = |W|^(1/D)/n, as mclust's fit at G = 1.
type eveFamily struct{ layout }

var eveFam = eveFamily{layout{typ: EVE, vol: shareEqual, shape: shareVary, orient: shareEqual}}

func (f eveFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f eveFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (f eveFamily) fit(c *comps, scat, nk []float64, in inner) error {
	k, d := c.k, c.d
	dd := d * d
	sh, or, _ := f.offsets(k, d)
	o := c.covs[or : or+dd]
	shapes := make([][]float64, k)
	for i := range shapes {
		shapes[i] = c.covs[sh+i*d : sh+(i+1)*d]
	}
	lw := newLinWork(d)
	if k == 1 {
		g, ok := oneAxes(o, shapes[0], scat, lw)
		if !ok || !allPositive(shapes[0]) {
			return f.singularAt(c)
		}
		c.covs[0] = g / nk[0]
		return nil
	}
	mm, ok := newAxesMM(scat, k, d, lw)
	if !ok {
		return f.singular(c)
	}
	switch in.start {
	case startMclust:
		identity(o, d)
		for _, a := range shapes {
			for j := range a {
				a[j] = 1
			}
		}
	case startPooled:
		if !pooledAxes(o, scat, k, d, lw) {
			return f.singular(c)
		}
		mm.rotatedDiags(shapes, o, scat)
		for _, a := range shapes {
			unitDet(a)
			if !allPositive(a) {
				return f.singularAt(c)
			}
		}
	}
	inv := make([][]float64, k)
	for i := range inv {
		inv[i] = make([]float64, d)
	}
	tot := 0.0
	for _, n := range nk {
		tot += n
	}
	prev, trgt := math.MaxFloat64/2, 0.0
	for it := 1; ; it++ {
		for i, a := range shapes {
			for j, v := range a {
				inv[i][j] = 1 / v
			}
		}
		if !mm.step(o, scat, inv) {
			return f.singular(c)
		}
		trgt = 0
		mm.rotatedDiags(shapes, o, scat)
		for _, a := range shapes {
			trgt += float64(d) * unitDet(a)
			if !allPositive(a) {
				return f.singularAt(c) // component i's scatter is singular
			}
		}
		change := math.Abs(trgt-prev) / (1 + math.Abs(trgt))
		prev = trgt
		if !(change > in.tol) || it >= in.maxIter {
			break
		}
	}
	c.covs[0] = trgt / (tot * float64(d))
	key := make([]float64, d)
	for _, a := range shapes {
		for j, v := range a {
			key[j] += v
		}
	}
	sortAxes(o, shapes, key, d)
	return nil
}

// singularAt leaves a positive volume, so that factor refuses the
// component whose shape is not positive (its scatter is singular).
func (eveFamily) singularAt(c *comps) error {
	c.covs[0] = 1
	return nil
}

// singular leaves parameters that factor refuses (LAPACK failed on a
// scatter that is not finite).
func (eveFamily) singular(c *comps) error {
	c.covs[0] = math.NaN()
	return nil
}
