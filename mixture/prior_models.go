package mixture

// The MAP M-steps of mclust's other models under the conjugate prior
// (prior.go has VVV, EEE, VVI, VII and the shared parts). Each follows
// the M-step inside mclust 6.0's me…p routine of the model (src/mclust.f),
// which mclustBIC, Mclust and me use; the table in priorFamily's comment
// lists them. mclust has no MAP M-step for VEE, EVE, VVE and EVV (its
// me routines for them, in mclust2.f, take no prior, and mclustBIC drops
// them when given one), so those families refuse Options.Prior.
//
// One component (K = 1) is fitted as mclustBIC fits its G = 1 cells: by
// mvn…p, the single Gaussian's MAP of the model's shape — VII's formula
// for the spherical models (EII, E, V), VVI's for the diagonal ones (EEI,
// VEI, EVI) and VVV's for the ellipsoidal ones (EEV, VEV) — see
// priorOne.
//
// reg, the regularisation (RegCovar), is added to the scatters as n_k·reg
// on the diagonal, as the models' maximum-likelihood M-steps add it
// (mstepWith); mclust has none.

// priorScatters returns the K blocks W_k + B_k (priorScatter), D×D or D
// diagonal values as full says, with n_k·reg added to the diagonal.
func priorScatters(st *mapStats, p *priorParams, k, d int, full bool, reg float64) []float64 {
	per := d
	if full {
		per = d * d
	}
	out := make([]float64, k*per)
	for c := 0; c < k; c++ {
		b := out[c*per : (c+1)*per]
		priorScatter(b, st, p, c, d, full)
		for j := 0; j < d; j++ {
			if full {
				b[j*d+j] += st.nk[c] * reg
			} else {
				b[j] += st.nk[c] * reg
			}
		}
	}
	return out
}

// shrinkAll sets every component's mean to its posterior mean.
func shrinkAll(c *comps, st *mapStats, p *priorParams) {
	d := c.d
	for k := 0; k < c.k; k++ {
		shrunkMean(c.means[k*d:(k+1)*d], st, p, k, d)
	}
}

// kappaTerm is 1 when the prior has a shrinkage (mclust's "+1" terms that
// come from the mean's prior), else 0.
func kappaTerm(p *priorParams) float64 {
	if p.shrink > 0 {
		return 1
	}
	return 0
}

// priorOne is the MAP M-step of one component for a model of layout l
// with M-step proper fit, as mclust's mvn…p computes it by the model's
// shape (mnxiip, mnxxip, mnxxxp, mvn1p): the posterior mean, and the
// covariance
//
//	spherical:   σ² = (λ_P + tr(W + B)) / (ν_P + nD + 2 + D[κ>0]),
//	diagonal:    Σ_jj = (λ_P + (W + B)_jj) / (ν_P + n + 2 + [κ>0]),
//	ellipsoidal: Σ = (Λ_P + W + B) / (ν_P + n + D + 1 + [κ>0]),
//
// which fit, given it as the scatter of one point, stores in the model's
// parts exactly (every model is free at K = 1 within its shape).
func (l layout) priorOne(c *comps, st *mapStats, p *priorParams, reg float64, fit fitFunc) error {
	d := c.d
	fd := float64(d)
	n := st.nk[0]
	shrunkMean(c.means[:d], st, p, 0, d)
	full := l.orient != shareNone
	sc := priorScatters(st, p, 1, d, full, reg)
	switch {
	case full:
		div := p.dof + n + fd + 1 + kappaTerm(p)
		for i := range sc {
			sc[i] = (sc[i] + p.scale[i]) / div
		}
	case l.shape != shareNone:
		div := p.dof + n + 2 + kappaTerm(p)
		for j := range sc {
			sc[j] = (sc[j] + p.scalar) / div
		}
	default:
		tr := p.scalar
		for _, v := range sc {
			tr += v
		}
		v := tr / (p.dof + n*fd + 2 + fd*kappaTerm(p))
		for j := range sc {
			sc[j] = v
		}
	}
	return fit(c, sc, []float64{1}, inner{start: startMclust, tol: mclustInnerTol, maxIter: innerMaxIter})
}

// priorMStep of EII (mclust's meeiip): the posterior means and
//
//	σ² = Σ_k tr(W_k + B_k) / (ν_P + (n + K)·D + 2),
//
// with no λ_P and the K·D term whatever the shrinkage, as mclust has it.
func (f eiiFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	if c.k == 1 {
		return f.priorOne(c, st, p, reg, f.fit)
	}
	d := c.d
	shrinkAll(c, st, p)
	tr := 0.0
	for _, v := range priorScatters(st, p, c.k, d, false, reg) {
		tr += v
	}
	c.covs[0] = tr / (p.dof + (st.n+float64(c.k))*float64(d) + 2)
	return nil
}

// priorMStep of EEI (mclust's meeeip): the means are the sample means
// (mclust does not shrink them for EEI), and with s = λ_P + Σ_k diag(W_k +
// B_k),
//
//	λA = diag(s) / (ν_P + n + 1 + [κ>0]).
func (f eeiFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	if c.k == 1 {
		return f.priorOne(c, st, p, reg, f.fit)
	}
	d := c.d
	copy(c.means, st.xbar)
	a := c.covs[1 : 1+d]
	for j := range a {
		a[j] = p.scalar
	}
	sc := priorScatters(st, p, c.k, d, false, reg)
	for k := 0; k < c.k; k++ {
		for j, v := range sc[k*d : (k+1)*d] {
			a[j] += v
		}
	}
	if !allPositive(a) {
		c.covs[0] = 0 // factor refuses it
		return nil
	}
	c.covs[0] = unitDet(a) / (p.dof + st.n + 1 + kappaTerm(p))
	return nil
}

// priorMStep of EVI (mclust's meevip): the posterior means and, with s_k
// = λ_P + diag(W_k + B_k) and gm the geometric mean,
//
//	A_k = s_k / gm(s_k),  λ = Σ_k gm(s_k) / (ν_P + n + 1 + [κ>0]).
func (f eviFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	if c.k == 1 {
		return f.priorOne(c, st, p, reg, f.fit)
	}
	shrinkAll(c, st, p)
	sc := priorScatters(st, p, c.k, c.d, false, reg)
	for i := range sc {
		sc[i] += p.scalar
	}
	if err := f.fit(c, sc, st.nk, inner{}); err != nil {
		return err
	}
	c.covs[0] *= st.n / (p.dof + st.n + 1 + kappaTerm(p)) // fit divides Σ_k gm(s_k) by n
	return nil
}

// priorMStep of VEI (mclust's meveip): the posterior means and, with w_k
// = λ_P + diag(W_k + B_k), VEI's fixed point (vei.go) with the volumes'
// divisor grown by the prior,
//
//	λ_k = Σ_j w_kj / a_j / (D·n_k + ν_P + 2 + [κ>0]),  A ∝ Σ_k w_k / λ_k,
//
// from A = I, λ = 1 at a fit's first M-step and from the last M-step's
// parameters after it, as mclust's.
func (f veiFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	if c.k == 1 {
		return f.priorOne(c, st, p, reg, f.fit)
	}
	shrinkAll(c, st, p)
	sc := priorScatters(st, p, c.k, c.d, false, reg)
	for i := range sc {
		sc[i] += p.scalar
	}
	if err := f.fitOffset(c, sc, st.nk, f.emInner(c), p.dof+2+kappaTerm(p)); err != nil {
		return err
	}
	f.zeroTinyVolumes(c)
	return nil
}

// priorMStep of EEV (mclust's meeevp): the posterior means and, with
// Λ_P + W_k + B_k = D_k Ω_k D_kᵀ (Λ_P in every component) and s = Σ_k Ω_k,
//
//	A = s / gm(s),  λ = gm(s) / (ν_P + n + D + 1 + [κ>0]).
func (f eevFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	if c.k == 1 {
		return f.priorOne(c, st, p, reg, f.fit)
	}
	d := c.d
	sc := scaledScatters(c, st, p, reg)
	if err := f.fit(c, sc, st.nk, inner{}); err != nil {
		return err
	}
	c.covs[0] *= st.n / (p.dof + st.n + float64(d) + 1 + kappaTerm(p)) // fit divides gm(s) by n
	return nil
}

// priorMStep of VEV (mclust's mevevp): the posterior means, and VEV's
// maximum-likelihood fixed point (vev.go) on the matrices Λ_P + W_k + B_k
// in place of the scatters W_k: ν_P enters nowhere, as in mclust.
func (f vevFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	if c.k == 1 {
		return f.priorOne(c, st, p, reg, f.fit)
	}
	sc := scaledScatters(c, st, p, reg)
	if err := f.fit(c, sc, st.nk, f.emInner(c)); err != nil {
		return err
	}
	f.zeroTinyVolumes(c)
	return nil
}

// priorMStep of E (mclust's me1ep): the posterior means and
//
//	σ² = (λ_P + Σ_k (W_k + B_k)) / (ν_P + n + K + 2),
//
// the K term whatever the shrinkage, as mclust has it.
func (f eFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	if c.d != 1 {
		return univariateError(f.typ, c.d)
	}
	if c.k == 1 {
		return f.priorOne(c, st, p, reg, f.fit)
	}
	shrinkAll(c, st, p)
	s := p.scalar
	for _, v := range priorScatters(st, p, c.k, 1, false, reg) {
		s += v
	}
	c.covs[0] = s / (p.dof + st.n + float64(c.k) + 2)
	return nil
}

// priorMStep of V (mclust's me1vp): the posterior means and
//
//	σ²_k = (λ_P + W_k + B_k) / (ν_P + n_k + 3),
//
// the 3 whatever the shrinkage, as mclust has it.
func (f vFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	if c.d != 1 {
		return univariateError(f.typ, c.d)
	}
	if c.k == 1 {
		return f.priorOne(c, st, p, reg, f.fit)
	}
	shrinkAll(c, st, p)
	for k, v := range priorScatters(st, p, c.k, 1, false, reg) {
		c.covs[k] = (p.scalar + v) / (p.dof + st.nk[k] + 3)
	}
	f.zeroTinyVolumes(c)
	return nil
}

// scaledScatters shrinks the means to their posterior (shrinkAll) and
// returns each component's Λ_P + W_k + B_k, D×D row-major one after the
// other: the matrices EEV's and VEV's MAP M-steps decompose.
func scaledScatters(c *comps, st *mapStats, p *priorParams, reg float64) []float64 {
	d := c.d
	shrinkAll(c, st, p)
	sc := priorScatters(st, p, c.k, d, true, reg)
	for k := 0; k < c.k; k++ {
		b := sc[k*d*d : (k+1)*d*d]
		for i := range b {
			b[i] += p.scale[i]
		}
	}
	return sc
}
