package mixture

import "math"

// mclustVVE is mclust 6.0's VVE M-step (mclustaddson.f:msvve, mevve), which
// Select's Mclust grid uses so that its VVE cells are mclust's. mclust's
// MM iteration weights the majorisation by 1/a_kj, the shapes without
// their volumes (as for EVE), and stops on T = Σ_k Σ_j (DᵀW_kD)_jj / a_kj;
// its fixed point is not in general the VVE M-step proper, which vveFamily
// computes (see vve.go and TestVVEMclustVariant). Like mevve it starts the
// first M-step from D = I, a_k = 1 and every later one from the previous
// parameters.
type mclustVVE struct{ vveFamily }

var mclustVVEFam = mclustVVE{vveFam}

func (f mclustVVE) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fitMclust)
}

func (f mclustVVE) fitMclust(c *comps, scat, nk []float64, in inner) error {
	k, d := c.k, c.d
	if k == 1 {
		return f.fit(c, scat, nk, in)
	}
	sh, or, _ := f.offsets(k, d)
	scale, o := c.covs[:k], c.covs[or:or+d*d]
	shapes := make([][]float64, k)
	for i := range shapes {
		shapes[i] = c.covs[sh+i*d : sh+(i+1)*d]
	}
	lw := newLinWork(d)
	mm, ok := newAxesMM(scat, k, d, lw)
	if !ok {
		return f.singular(c)
	}
	if in.start == startMclust {
		identity(o, d)
		for i, a := range shapes {
			for j := range a {
				a[j] = 1
			}
			scale[i] = 1
		}
	}
	inv := make([][]float64, k)
	g := make([][]float64, k)
	for i := range inv {
		inv[i], g[i] = make([]float64, d), make([]float64, d)
	}
	prev := math.MaxFloat64 / 2
	for it := 1; ; it++ {
		for i, a := range shapes {
			for j, v := range a {
				inv[i][j] = 1 / v
			}
		}
		if !mm.step(o, scat, inv) {
			return f.singular(c)
		}
		mm.rotatedDiags(g, o, scat)
		trgt := 0.0
		for i, a := range shapes {
			for j := range a {
				a[j] = g[i][j] / nk[i]
			}
			scale[i] = unitDet(a)
			if !allPositive(a) || !positive(scale[i]) || slicesMin(a) <= mcRteps {
				return f.singular(c)
			}
			for j := range a {
				trgt += g[i][j] / a[j]
			}
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

func slicesMin(a []float64) float64 {
	m := math.Inf(1)
	for _, v := range a {
		m = math.Min(m, v)
	}
	return m
}
