package mixture

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// NoShrinkage as Prior.Shrinkage puts no prior on the means (mclust's
// priorControl(shrinkage = 0)): the means are the sample means and only
// the covariances are regularised.
const NoShrinkage = -1.0

// DefaultShrinkage is mclust's default κ_P (priorControl()).
const DefaultShrinkage = 0.01

// Prior is the conjugate prior of Fraley & Raftery (2007), "Bayesian
// regularization for normal mixture estimation and model-based
// clustering", J. Classification 24:155–181, as R's mclust implements it
// (priorControl, defaultPrior): given Σ_k, each mean is normal about Mean
// with covariance Σ_k/Shrinkage, and each covariance inverse-Wishart with
// Dof degrees of freedom and scale Scale (for the spherical and diagonal
// forms, inverse-gamma on each variance with shape Dof/2 and scale
// Scale/2). EM then finds the posterior mode (MAP) instead of the maximum
// likelihood: the M-step of each family takes the prior (see doc.go,
// "Conjugate prior"), which keeps a component with few points from
// collapsing. The mixing weights have no prior.
//
// The zero Prior is mclust's default, computed from the data each fit is
// given: Shrinkage 0.01, Mean the columns' means, Dof D + 2, Scale
// (1/K)^(2/D)·cov(X) for the models with an orientation (VVV, EEE, EEV,
// VEV; cov with divisor n − 1, its diagonal only when n ≤ D) and
// (1/K)^(2/D)·Σ_j var(x_j)/D for the others (VII, VVI, EII, EEI, VEI, EVI,
// E, V). The log-likelihood a fit reports (and its BIC) is that of the MAP
// parameters, as mclust's. VEE, EVE, VVE and EVV have no MAP M-step (nor
// in mclust): CovarianceType.HasPrior.
type Prior struct {
	// Shrinkage is κ_P ≥ 0; 0 means DefaultShrinkage (0.01); NoShrinkage
	// means none (no prior on the means).
	Shrinkage float64
	// Mean is μ_P (D values); nil means the columns' means. It needs a
	// shrinkage.
	Mean []float64
	// Dof is ν_P > D − 1; 0 means D + 2.
	Dof float64
	// Scale is Λ_P, D×D symmetric positive definite, used as given for
	// every K; nil means mclust's default above. The spherical and
	// diagonal forms use the scalar tr(Λ_P)/D.
	Scale *mat.SymDense
}

// priorParams is a Prior resolved for one fit: one family, K and data.
type priorParams struct {
	shrink float64   // κ_P ≥ 0
	mean   []float64 // μ_P, D
	dof    float64   // ν_P
	scale  []float64 // Λ_P, D×D row-major (families with D×D scatter)
	scalar float64   // λ_P (families with diagonal scatter)
}

// priorFamily is implemented by the covariance families that have a MAP
// M-step under the conjugate prior; a family without it refuses
// Options.Prior with an *OptionError. (mclust has none for EVE, VEE, VVE
// and EVV.) VVV, EEE, VVI and VII are below, the other models' in
// prior_models.go.
//
// What mclust 6.0's me…p routines compute, for the families that implement
// it (μ̃_k the shrunk mean (n_k x̄_k + κ μ_P)/(n_k + κ), B_k as in
// priorScatter, [κ>0] a term present only with shrinkage, λ_P the scalar
// scale, Λ_P the matrix; gm the geometric mean):
//
//	VVV  mevvvp  μ̃_k; Σ_k = (Λ_P + W_k + B_k)/(ν + n_k + D + 2)
//	EEE  meeeep  μ̃_k; Σ = (Λ_P + Σ_k (W_k + B_k))/(ν + n + D + 1 + K[κ>0])
//	VVI  mevvip  μ̃_k; (Σ_k)_jj = (λ_P + (W_k + B_k)_jj)/(ν + n_k + 2 + [κ>0])
//	VII  meviip  μ̃_k; σ²_k = (λ_P + tr(W_k + B_k))/(ν + n_k D + 2 + D[κ>0])
//	EII  meeiip  μ̃_k; σ² = Σ_k tr(W_k + B_k)/(ν + (n + K) D + 2): no λ_P, K·D always
//	EEI  meeeip  means NOT shrunk (x̄_k); s = λ_P + Σ_k diag(W_k + B_k);
//	             Σ = diag(s)/(ν + n + 1 + [κ>0])
//	EVI  meevip  μ̃_k; s_k = λ_P + diag(W_k + B_k); λ = Σ_k gm(s_k)/(ν + n + 1 + [κ>0]);
//	             Σ_k = λ s_k/gm(s_k)
//	VEI  meveip  μ̃_k; w_kj = λ_P + (W_k + B_k)_jj; VEI's fixed point with
//	             λ_k = Σ_j w_kj/A_j / (D n_k + ν + 2 + [κ>0]), A ∝ Σ_k w_k/λ_k, gm(A) = 1
//	             (A = 1, λ = 1 before the first EM iteration, then carried over)
//	EEV  meeevp  μ̃_k; Ω_k, D_k the eigen-decomposition of Λ_P + W_k + B_k (Λ_P in
//	             every component); s = Σ_k Ω_k by rank; λ = gm(s)/(ν + n + D + 1 + [κ>0]);
//	             Σ_k = λ D_k (s/gm(s)) D_kᵀ
//	VEV  mevevp  μ̃_k; Ω_k, D_k of Λ_P + W_k + B_k; then VEV's ML fixed point on
//	             them (λ_k = Σ_j Ω_kj/A_j/(n_k D)): ν enters nowhere
//	E    me1ep   μ̃_k; σ² = (λ_P + Σ_k (W_k + B_k))/(ν + n + K + 2)
//	V    me1vp   μ̃_k; σ²_k = (λ_P + W_k + B_k)/(ν + n_k + 3)
//
// mclustBIC's K = 1 cells use mvn…p instead, by shape: spherical models
// VII's formula, diagonal ones VVI's, ellipsoidal ones VVV's, E and V
// V's (mnxiip, mnxxip, mnxxxp, mvn1p; for the four families here priorMStep
// at K = 1 is that already, the others' call priorOne). The standalone mstep's routines (ms…p) differ
// for EII, EEI, EVI and EEV (testdata/mclust/NOTES.md §7); me's are the
// ones mclustBIC uses.
type priorFamily interface {
	family
	// priorMStep sets c.means and c.covs to the MAP estimates of the
	// component means and covariances from the statistics st and the
	// prior p, with reg added to the variances. It must not factor; an
	// iterative M-step starts from c.covs (all zero at a fit's first
	// M-step). mclust's me…p routines define what each family computes;
	// shrunkMean and priorScatter below are the parts they share.
	priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error
}

// mapStats are what a MAP M-step reads, per component k: the exact count
// n_k = Σ_i w_i z_ik (no floor), the sample mean x̄_k and the scatter W_k =
// Σ_i w_i z_ik (x_i − x̄_k)(x_i − x̄_k)ᵀ, D×D with both triangles or its D
// diagonal values as the family's fullScatter says; n = Σ_k n_k.
type mapStats struct {
	nk   []float64 // K
	xbar []float64 // K·D
	scat []float64 // K·D·D or K·D
	n    float64
}

// shrunkMean sets dst to component k's posterior mean
// μ_k = (n_k x̄_k + κ μ_P)/(n_k + κ) (Fraley & Raftery 2007, Table 2).
func shrunkMean(dst []float64, st *mapStats, p *priorParams, k, d int) {
	n := st.nk[k]
	xb := st.xbar[k*d : (k+1)*d]
	if p.shrink == 0 {
		copy(dst, xb)
		return
	}
	c := n + p.shrink
	for j := range dst[:d] {
		dst[j] = (n/c)*xb[j] + (p.shrink/c)*p.mean[j]
	}
}

// priorScatter adds to dst the prior's terms of component k's scatter:
// W_k + B_k with B_k = (n_k κ/(n_k + κ)) (x̄_k − μ_P)(x̄_k − μ_P)ᵀ, in the
// full D×D form when full, else its diagonal. The prior's scale is added by
// the caller, as each model adds it differently.
func priorScatter(dst []float64, st *mapStats, p *priorParams, k, d int, full bool) {
	per := d
	if full {
		per = d * d
	}
	copy(dst[:per], st.scat[k*per:(k+1)*per])
	if p.shrink == 0 {
		return
	}
	n := st.nk[k]
	f := n * p.shrink / (n + p.shrink)
	xb := st.xbar[k*d : (k+1)*d]
	for a := 0; a < d; a++ {
		da := xb[a] - p.mean[a]
		if !full {
			dst[a] += f * da * da
			continue
		}
		for b := 0; b < d; b++ {
			dst[a*d+b] += f * da * (xb[b] - p.mean[b])
		}
	}
}

// HasPrior reports whether the covariance model c has a MAP M-step under
// the conjugate prior (Options.Prior): every model but VEE, EVE, VVE and
// EVV, which mclust has none for either. It is false for an unknown type.
func (c CovarianceType) HasPrior() bool {
	f, ok := lookupFamily(c.orDefault())
	if !ok {
		return false
	}
	_, ok = f.(priorFamily)
	return ok
}

// lookupPriorFamily returns f as a priorFamily, or the *OptionError of
// Options.Prior when f has no MAP M-step.
func lookupPriorFamily(f family) (priorFamily, error) {
	if pf, ok := f.(priorFamily); ok {
		return pf, nil
	}
	return nil, optionErrorf("Prior", ": the %s covariance model has no MAP M-step under the conjugate prior (nor has mclust for EVE, VEE, VVE and EVV); fit it without a prior, or choose another model", f.Type())
}

// dataMoments returns the weighted column means and covariance (divisor
// Σw − 1, D×D row-major) of the rows of r; w nil means ones.
func dataMoments(r *rowData, w []float64) (mean, cov []float64) {
	d := r.d
	mean = make([]float64, d)
	cov = make([]float64, d*d)
	tot := 0.0
	wt := func(i int) float64 {
		if w == nil {
			return 1
		}
		return w[i]
	}
	for i := 0; i < r.n; i++ {
		wi := wt(i)
		tot += wi
		for j, v := range r.row(i) {
			mean[j] += wi * v
		}
	}
	for j := range mean {
		mean[j] /= tot
	}
	dev := make([]float64, d)
	for i := 0; i < r.n; i++ {
		wi := wt(i)
		for j, v := range r.row(i) {
			dev[j] = v - mean[j]
		}
		for a := 0; a < d; a++ {
			for b := a; b < d; b++ {
				cov[a*d+b] += wi * dev[a] * dev[b]
			}
		}
	}
	for a := 0; a < d; a++ {
		for b := a; b < d; b++ {
			v := cov[a*d+b] / (tot - 1)
			cov[a*d+b], cov[b*d+a] = v, v
		}
	}
	return mean, cov
}

// check validates the user-given parts of p for D dimensions, naming the
// field.
func (p *Prior) check(d int) error {
	switch s := p.Shrinkage; {
	case math.IsNaN(s) || math.IsInf(s, 0):
		return optionErrorf("Prior", ".Shrinkage %v is not a finite number", s)
	case s < 0 && s != NoShrinkage:
		return optionErrorf("Prior", ".Shrinkage %g is negative; use 0 for mclust's %g or NoShrinkage for no prior on the means", s, DefaultShrinkage)
	}
	if p.Mean != nil {
		if len(p.Mean) != d {
			return optionErrorf("Prior", ".Mean has %d values for %d columns", len(p.Mean), d)
		}
		for j, v := range p.Mean {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return optionErrorf("Prior", ".Mean[%d] = %v is not a finite number", j, v)
			}
		}
		if p.Shrinkage == NoShrinkage {
			return optionErrorf("Prior", ".Mean is given but Shrinkage is NoShrinkage: a prior mean needs a shrinkage")
		}
	}
	switch v := p.Dof; {
	case v == 0:
	case math.IsNaN(v) || math.IsInf(v, 0) || v <= float64(d-1):
		return optionErrorf("Prior", ".Dof = %v; give more than D − 1 = %d degrees of freedom, or 0 for mclust's D + 2", v, d-1)
	}
	if p.Scale != nil {
		if p.Scale.SymmetricDim() != d {
			return optionErrorf("Prior", ".Scale is %d×%d for %d columns", p.Scale.SymmetricDim(), p.Scale.SymmetricDim(), d)
		}
		a := make([]float64, d*d)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				a[i*d+j] = p.Scale.At(i, j)
			}
		}
		if _, ok := factorize(make([]float64, d*d), a, make([]float64, d*d), d); !ok {
			return optionErrorf("Prior", ".Scale is not positive definite")
		}
	}
	return nil
}

// resolve returns the prior for a fit of K components of family f to data
// of n rows with column means mean and covariance cov (D×D, divisor
// n − 1): mclust's defaultPrior(data, G = K, modelName) for the parts not
// given. p has been checked.
func (p *Prior) resolve(f family, k, n int, mean, cov []float64) *priorParams {
	d := len(mean)
	pp := &priorParams{shrink: p.Shrinkage, dof: p.Dof}
	switch p.Shrinkage {
	case 0:
		pp.shrink = DefaultShrinkage
	case NoShrinkage:
		pp.shrink = 0
	}
	pp.mean = append([]float64(nil), mean...)
	if p.Mean != nil {
		copy(pp.mean, p.Mean)
	}
	if pp.dof == 0 {
		pp.dof = float64(d + 2)
	}
	fac := math.Pow(1/float64(k), 2/float64(d))
	switch {
	case p.Scale != nil:
		pp.scale = make([]float64, d*d)
		tr := 0.0
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				pp.scale[i*d+j] = p.Scale.At(i, j)
			}
			tr += p.Scale.At(i, i)
		}
		pp.scalar = tr / float64(d)
	case f.fullScatter():
		pp.scale = make([]float64, d*d)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				if i == j || n > d {
					pp.scale[i*d+j] = fac * cov[i*d+j]
				}
			}
		}
	default:
		tr := 0.0
		for j := 0; j < d; j++ {
			tr += cov[j*d+j]
		}
		pp.scalar = fac * tr / float64(d)
	}
	return pp
}

// mapStep is the MAP form of Model.mstep under m.prior: the statistics s
// (about the current means, as the E-step leaves them) become the sample
// means and scatters, the weights are the counts' shares (with the 10ε
// floor of mstep), and the family sets the means and covariances. It
// returns Q = E_q log p(x, z | θ_new), without the log prior.
func (m *Model) mapStep(s *stats, regCovar float64, during string) (float64, error) {
	k, d := m.k, m.d
	pf, err := lookupPriorFamily(m.fam)
	if err != nil {
		return 0, err
	}
	full := s.full
	per := d
	if full {
		per = d * d
	}
	st := &mapStats{nk: make([]float64, k), xbar: make([]float64, k*d), scat: make([]float64, k*per)}
	tot := 0.0
	for c := 0; c < k; c++ {
		n := s.n[c]
		st.nk[c] = n
		st.n += n
		tot += n + nkFloor
		mu := m.means[c*d : (c+1)*d]
		xb := st.xbar[c*d : (c+1)*d]
		for j := range xb {
			xb[j] = mu[j] + s.m[c*d+j]
		}
		sc := st.scat[c*per : (c+1)*per]
		if full {
			m2 := s.m2[c*d*d : (c+1)*d*d]
			for a := 0; a < d; a++ {
				for b := a; b < d; b++ {
					sc[a*d+b], sc[b*d+a] = m2[a*d+b], m2[a*d+b]
				}
			}
		} else {
			copy(sc, s.m2[c*d:(c+1)*d])
		}
	}
	for c := 0; c < k; c++ {
		m.weights[c] = (s.n[c] + nkFloor) / tot
	}
	if err := pf.priorMStep(&m.comps, st, m.prior, regCovar); err != nil {
		return 0, fmt.Errorf("%s: %w", during, err)
	}
	if c, ok := m.refresh(); !ok {
		return 0, &ComponentError{Component: c, Weight: m.weights[c], Points: s.n[c], RegCovar: regCovar, Covariance: m.fam.Type(), During: during}
	}
	// Q from the statistics: the scatter about the new (shrunk) mean is
	// W_k + n_k (x̄_k − μ_k)(x̄_k − μ_k)ᵀ.
	q := 0.0
	sc := make([]float64, per)
	for c := 0; c < k; c++ {
		n := st.nk[c]
		if n == 0 {
			continue
		}
		copy(sc, st.scat[c*per:(c+1)*per])
		mu := m.means[c*d : (c+1)*d]
		xb := st.xbar[c*d : (c+1)*d]
		for a := 0; a < d; a++ {
			da := xb[a] - mu[a]
			if !full {
				sc[a] += n * da * da
				continue
			}
			for b := 0; b < d; b++ {
				sc[a*d+b] += n * da * (xb[b] - mu[b])
			}
		}
		tr := m.fam.trace(&m.comps, c, sc)
		q += n*(m.logW[c]-0.5*float64(d)*log2Pi+m.logDet[c]) - 0.5*tr
	}
	return q, nil
}

// The MAP M-steps of the four families (mclust's me…p routines, which the
// reference tables of mclustBIC(prior = priorControl()) come from). With
// κ = 0 the means are the sample means, B_k = 0, and the terms marked
// [κ>0] drop out, as in mclust.

// priorMStep of full (mclust's VVV, mevvvp):
//
//	Σ_k = (Λ_P + W_k + B_k) / (ν_P + n_k + D + 2).
func (fullFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	d := c.d
	for k := 0; k < c.k; k++ {
		shrunkMean(c.means[k*d:(k+1)*d], st, p, k, d)
		cv := c.covs[k*d*d : (k+1)*d*d]
		priorScatter(cv, st, p, k, d, true)
		div := p.dof + st.nk[k] + float64(d) + 2
		for i := range cv {
			cv[i] = (cv[i] + p.scale[i]) / div
		}
		for i := 0; i < d; i++ {
			cv[i*d+i] += reg
		}
	}
	return nil
}

// priorMStep of tied (mclust's EEE, meeeep):
//
//	Σ = (Λ_P + Σ_k (W_k + B_k)) / (ν_P + n + D + 1 + K[κ>0]).
func (tiedFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	d := c.d
	copy(c.covs, p.scale)
	b := make([]float64, d*d)
	for k := 0; k < c.k; k++ {
		shrunkMean(c.means[k*d:(k+1)*d], st, p, k, d)
		priorScatter(b, st, p, k, d, true)
		for i := range b {
			c.covs[i] += b[i]
		}
	}
	div := p.dof + st.n + float64(d) + 1
	if p.shrink > 0 {
		div += float64(c.k)
	}
	for i := range c.covs {
		c.covs[i] /= div
	}
	for i := 0; i < d; i++ {
		c.covs[i*d+i] += reg
	}
	return nil
}

// priorMStep of diag (mclust's VVI, mevvip):
//
//	(Σ_k)_jj = (λ_P + (W_k)_jj + (B_k)_jj) / (ν_P + n_k + 2 + [κ>0]).
func (diagFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	d := c.d
	for k := 0; k < c.k; k++ {
		shrunkMean(c.means[k*d:(k+1)*d], st, p, k, d)
		cv := c.covs[k*d : (k+1)*d]
		priorScatter(cv, st, p, k, d, false)
		div := p.dof + st.nk[k] + 2
		if p.shrink > 0 {
			div++
		}
		for j := range cv {
			cv[j] = (cv[j]+p.scalar)/div + reg
		}
	}
	return nil
}

// priorMStep of spherical (mclust's VII, meviip):
//
//	σ_k² = (λ_P + tr W_k + tr B_k) / (ν_P + n_k D + 2 + D[κ>0]).
func (sphericalFamily) priorMStep(c *comps, st *mapStats, p *priorParams, reg float64) error {
	d := c.d
	diag := make([]float64, d)
	for k := 0; k < c.k; k++ {
		shrunkMean(c.means[k*d:(k+1)*d], st, p, k, d)
		priorScatter(diag, st, p, k, d, false)
		tr := p.scalar
		for _, v := range diag {
			tr += v
		}
		div := p.dof + st.nk[k]*float64(d) + 2
		if p.shrink > 0 {
			div += float64(d)
		}
		c.covs[k] = tr/div + reg
	}
	return nil
}

// PriorValues are the hyperparameters of a MAP fit, as mclust's
// defaultPrior returns them: Scale is Λ_P (D×D) for the forms with D×D
// scatter, and λ_P·I for the spherical and diagonal forms, whose prior
// reads the scalar λ_P.
type PriorValues struct {
	Shrinkage float64     `json:"shrinkage"`
	Mean      []float64   `json:"mean"`
	Dof       float64     `json:"dof"`
	Scale     [][]float64 `json:"scale"`
}

func (p *priorParams) values(f family, d int) *PriorValues {
	v := &PriorValues{Shrinkage: p.shrink, Mean: append([]float64(nil), p.mean...), Dof: p.dof}
	for i := 0; i < d; i++ {
		row := make([]float64, d)
		if f.fullScatter() {
			copy(row, p.scale[i*d:(i+1)*d])
		} else {
			row[i] = p.scalar
		}
		v.Scale = append(v.Scale, row)
	}
	return v
}

// resolveFitPrior checks and resolves Options.Prior for a fit of K
// components of family f; its defaults come from the rows of r (with
// their weights as frequencies).
func resolveFitPrior(p *Prior, f family, k int, r *rowData) (*priorParams, error) {
	if _, err := lookupPriorFamily(f); err != nil {
		return nil, err
	}
	if err := p.check(r.d); err != nil {
		return nil, err
	}
	if r.n == 0 && (p.Mean == nil && p.Shrinkage != NoShrinkage || p.Scale == nil) {
		return nil, optionErrorf("Prior", ": the defaults of the prior's mean and scale come from the data; give FitSource a sample, or give Prior.Mean and Prior.Scale")
	}
	mean, cov := make([]float64, r.d), make([]float64, r.d*r.d)
	if r.n > 0 {
		mean, cov = dataMoments(r, r.w)
	}
	return p.resolve(f, k, r.n, mean, cov), nil
}
