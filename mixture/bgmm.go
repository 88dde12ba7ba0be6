package mixture

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// WeightPrior is the prior of a Bayesian mixture's weights, as
// scikit-learn's weight_concentration_prior_type.
type WeightPrior string

// The weight priors. The zero value "" means DirichletProcess,
// scikit-learn's default.
const (
	// DirichletProcess is a Dirichlet process by its stick-breaking
	// construction, π_k = v_k Π_{j<k} (1 − v_j) with v_k ~ Beta(1, α₀),
	// whose variational posterior is truncated at K components (Blei &
	// Jordan 2006): the weights of unneeded components fall towards 0.
	DirichletProcess WeightPrior = "dirichlet_process"
	// DirichletDistribution is a symmetric Dirichlet distribution,
	// π ~ Dir(α₀, …, α₀) over K components (Bishop, PRML §10.2).
	DirichletDistribution WeightPrior = "dirichlet_distribution"
)

// WeightPriors lists the weight priors.
var WeightPriors = []WeightPrior{DirichletProcess, DirichletDistribution}

// ParseWeightPrior returns the weight prior named s: "dirichlet_process"
// (also "dirichlet-process", "dp") or "dirichlet_distribution" (also
// "dirichlet-distribution", "dirichlet"), any case.
func ParseWeightPrior(s string) (WeightPrior, error) {
	t := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	switch t {
	case "dirichlet_process", "dp":
		return DirichletProcess, nil
	case "dirichlet_distribution", "dirichlet":
		return DirichletDistribution, nil
	}
	return "", fmt.Errorf("mixture: %s", unknownWeightPrior(s))
}

func unknownWeightPrior(s string) string {
	return fmt.Sprintf("unknown weight prior %q; use dirichlet_process or dirichlet_distribution", s)
}

func (w WeightPrior) orDefault() WeightPrior {
	if w == "" {
		return DirichletProcess
	}
	return w
}

// BayesPriors are the priors of a Bayesian mixture, as scikit-learn names
// them (its attributes weight_concentration_prior_ … covariance_prior_),
// with the defaults resolved:
//
//	π        ~ Dir(α₀, …, α₀), or sticks v_k ~ Beta(1, α₀)     α₀ = WeightConcentration
//	Λ_k      ~ W(Ψ₀⁻¹, ν₀)                                      ν₀ = DegreesOfFreedom, Ψ₀ = Covariance
//	μ_k | Λ_k ~ N(m₀, (β₀ Λ_k)⁻¹)                               β₀ = MeanPrecision, m₀ = Mean
//
// For diag and spherical covariances the Wishart is one-dimensional: a
// Gamma per feature (diag) or per component (spherical); see the package
// documentation.
type BayesPriors struct {
	WeightPrior         WeightPrior `json:"weight_concentration_prior_type"`
	WeightConcentration float64     `json:"weight_concentration_prior"`
	MeanPrecision       float64     `json:"mean_precision_prior"`
	Mean                []float64   `json:"mean_prior"`
	DegreesOfFreedom    float64     `json:"degrees_of_freedom_prior"`
	// Covariance is Ψ₀ in the covariance type's shape, flattened: full and
	// tied D×D row-major, diag D variances, spherical one variance.
	Covariance []float64 `json:"covariance_prior"`
}

func (p BayesPriors) clone() BayesPriors {
	p.Mean = slices.Clone(p.Mean)
	p.Covariance = slices.Clone(p.Covariance)
	return p
}

// BayesModel is a Bayesian Gaussian mixture fitted by variational
// inference, as scikit-learn's BayesianGaussianMixture: the variational
// posterior
//
//	q(π) q(μ, Λ) = q(π) Π_k N(μ_k | m_k, (β_k Λ_k)⁻¹) W(Λ_k | W_k, ν_k)
//
// over K components in D dimensions, with q(π) a Dirichlet or, for the
// Dirichlet process, a product of Beta sticks. FitBayes and LoadBayes
// return one; its methods never modify it, so one BayesModel may serve
// many goroutines. The zero BayesModel is not fitted: its methods return
// ErrNotFitted.
//
// Its point estimates, scikit-learn's weights_, means_ and covariances_,
// are E_q[π], m_k and (ν_k W_k)⁻¹ = E_q[Λ_k]⁻¹; PointEstimate returns them
// as a Model.
type BayesModel struct {
	// vb holds the point estimates: means m_k, covariances (ν_k W_k)⁻¹ in
	// the family's stored form with their precision factors, weights
	// E_q[π_k]; its log weights are the constants of the variational
	// E-step (setDerived), so that its E-step, Predict, PredictProba and
	// ScoreSamples are the variational ones.
	vb    *Model
	prior BayesPriors
	// conc is q(π): for DirichletDistribution K concentrations α_k; for
	// DirichletProcess 2K values, the sticks' Beta(a_k, b_k) as a_0 … a_{K−1}
	// then b_0 … b_{K−1}.
	conc  []float64
	beta  []float64 // K: β_k, scikit-learn's mean_precision_
	dof   []float64 // K (tied: 1): ν_k, scikit-learn's degrees_of_freedom_
	elnpi []float64 // K: E_q ln π_k
	gen   int       // counts the updates of q(θ), for the E-step's workers

	// ascent makes the E-step use the family's own E ln|Λ_k|
	// (BayesOptions.CoordinateAscent).
	ascent bool

	regCovar   float64
	seed       uint64
	nIter      int
	converged  bool
	lowerBound float64 // scikit-learn's lower_bound_ of the last iteration
	elbo       float64 // the full ELBO of the last iteration
}

// fittedB is fitted for a BayesModel.
func (b *BayesModel) fittedB() error {
	if b == nil {
		panic("mixture: nil *BayesModel")
	}
	if b.vb == nil {
		return ErrNotFitted
	}
	return nil
}

// bfam returns the model's family with its variational methods.
func (b *BayesModel) bfam() bayesFamily { return b.vb.fam.(bayesFamily) }

// nu returns ν of component k (the shared one for tied covariances).
func (b *BayesModel) nu(k int) float64 {
	if len(b.dof) == 1 {
		return b.dof[0]
	}
	return b.dof[k]
}

func (b *BayesModel) clone() *BayesModel {
	c := *b
	c.vb = b.vb.clone()
	c.prior = b.prior.clone()
	c.conc = slices.Clone(b.conc)
	c.beta = slices.Clone(b.beta)
	c.dof = slices.Clone(b.dof)
	c.elnpi = slices.Clone(b.elnpi)
	return &c
}

// K returns the number of components (0 for a zero BayesModel).
func (b *BayesModel) K() int {
	if b.vb == nil {
		return 0
	}
	return b.vb.k
}

// Dim returns the number of features D (0 for a zero BayesModel).
func (b *BayesModel) Dim() int {
	if b.vb == nil {
		return 0
	}
	return b.vb.d
}

// CovarianceType returns the form of the covariances ("" for a zero
// BayesModel).
func (b *BayesModel) CovarianceType() CovarianceType {
	if b.vb == nil {
		return ""
	}
	return b.vb.CovarianceType()
}

// CoordinateAscent reports whether the fit's E-step used the covariance
// family's own E ln|Λ_k| (BayesOptions.CoordinateAscent).
func (b *BayesModel) CoordinateAscent() bool { return b.ascent }

// WeightPrior returns the prior of the weights.
func (b *BayesModel) WeightPrior() WeightPrior { return b.prior.WeightPrior }

// Priors returns a copy of the priors the model was fitted with.
func (b *BayesModel) Priors() BayesPriors { return b.prior.clone() }

// FeatureNames returns a copy of the feature names, or nil.
func (b *BayesModel) FeatureNames() []string {
	if b.vb == nil {
		return nil
	}
	return b.vb.FeatureNames()
}

// RegCovar returns the regularisation of the fit (scikit-learn's
// reg_covar).
func (b *BayesModel) RegCovar() float64 { return b.regCovar }

// Seed returns the seed of the fit.
func (b *BayesModel) Seed() uint64 { return b.seed }

// Iterations returns the number of variational iterations of the fit.
func (b *BayesModel) Iterations() int { return b.nIter }

// Converged reports whether the fit converged.
func (b *BayesModel) Converged() bool { return b.converged }

// LowerBound returns scikit-learn's lower_bound_ of the last iteration:
// the ELBO less constants, a total over the rows (not a mean).
func (b *BayesModel) LowerBound() float64 { return b.lowerBound }

// ELBO returns the full evidence lower bound of the last iteration, with
// every constant: a true lower bound on log p(X), a total over the rows.
func (b *BayesModel) ELBO() float64 { return b.elbo }

// Weights returns scikit-learn's weights_, E_q[π_k] (for the Dirichlet
// process renormalised over the K components), in dst (allocated when
// nil; otherwise of length K).
func (b *BayesModel) Weights(dst []float64) []float64 {
	if err := b.fittedB(); err != nil {
		panic("mixture: Weights of a zero BayesModel")
	}
	return b.vb.Weights(dst)
}

// Means returns the K×D means m_k in dst (allocated when nil).
func (b *BayesModel) Means(dst *mat.Dense) *mat.Dense {
	if err := b.fittedB(); err != nil {
		panic("mixture: Means of a zero BayesModel")
	}
	return b.vb.Means(dst)
}

// Covariance returns component k's covariance point estimate
// (ν_k W_k)⁻¹ = E_q[Λ_k]⁻¹, scikit-learn's covariances_, as a full D×D
// matrix in dst (allocated when nil).
func (b *BayesModel) Covariance(dst *mat.SymDense, k int) *mat.SymDense {
	if err := b.fittedB(); err != nil {
		panic("mixture: Covariance of a zero BayesModel")
	}
	return b.vb.Covariance(dst, k)
}

// Precision returns E_q[Λ_k] = ν_k W_k as a full D×D matrix in dst.
func (b *BayesModel) Precision(dst *mat.SymDense, k int) *mat.SymDense {
	if err := b.fittedB(); err != nil {
		panic("mixture: Precision of a zero BayesModel")
	}
	return b.vb.Precision(dst, k)
}

// PrecisionCholesky returns scikit-learn's precisions_cholesky_[k], the
// upper triangular U with E_q[Λ_k] = U·Uᵀ, in dst.
func (b *BayesModel) PrecisionCholesky(dst *mat.TriDense, k int) *mat.TriDense {
	if err := b.fittedB(); err != nil {
		panic("mixture: PrecisionCholesky of a zero BayesModel")
	}
	return b.vb.PrecisionCholesky(dst, k)
}

// WeightConcentration returns scikit-learn's weight_concentration_: for
// DirichletDistribution the K concentrations α_k of q(π) in alpha and nil
// in beta; for DirichletProcess the K sticks' q(v_k) = Beta(alpha_k,
// beta_k).
func (b *BayesModel) WeightConcentration() (alpha, beta []float64) {
	if err := b.fittedB(); err != nil {
		panic("mixture: WeightConcentration of a zero BayesModel")
	}
	k := b.vb.k
	if b.prior.WeightPrior == DirichletProcess {
		return slices.Clone(b.conc[:k]), slices.Clone(b.conc[k:])
	}
	return slices.Clone(b.conc), nil
}

// MeanPrecision returns scikit-learn's mean_precision_, the K β_k, in dst
// (allocated when nil; otherwise of length K).
func (b *BayesModel) MeanPrecision(dst []float64) []float64 {
	if err := b.fittedB(); err != nil {
		panic("mixture: MeanPrecision of a zero BayesModel")
	}
	return copyTo(dst, b.beta, "MeanPrecision")
}

// DegreesOfFreedom returns scikit-learn's degrees_of_freedom_ ν_k for the
// K components in dst (allocated when nil; otherwise of length K). Tied
// covariances share one ν, repeated K times (scikit-learn's is a scalar).
func (b *BayesModel) DegreesOfFreedom(dst []float64) []float64 {
	if err := b.fittedB(); err != nil {
		panic("mixture: DegreesOfFreedom of a zero BayesModel")
	}
	v := make([]float64, b.vb.k)
	for k := range v {
		v[k] = b.nu(k)
	}
	return copyTo(dst, v, "DegreesOfFreedom")
}

// ExpectedLogWeights returns E_q[ln π_k] for the K components in dst
// (allocated when nil; otherwise of length K).
func (b *BayesModel) ExpectedLogWeights(dst []float64) []float64 {
	if err := b.fittedB(); err != nil {
		panic("mixture: ExpectedLogWeights of a zero BayesModel")
	}
	return copyTo(dst, b.elnpi, "ExpectedLogWeights")
}

func copyTo(dst, src []float64, what string) []float64 {
	if dst == nil {
		dst = make([]float64, len(src))
	}
	if len(dst) != len(src) {
		panic(fmt.Sprintf("mixture: %s: dst has length %d, want %d", what, len(dst), len(src)))
	}
	copy(dst, src)
	return dst
}

// DefaultEffectiveThreshold is EffectiveComponents' default: a component
// counts when its weight is at least 1%.
const DefaultEffectiveThreshold = 0.01

// EffectiveComponents returns the number of components whose weight
// (Weights) is at least threshold; threshold 0 means
// DefaultEffectiveThreshold. With the Dirichlet-process prior the
// components a fit does not need keep weights of about α₀/N or less, far
// below 1%.
func (b *BayesModel) EffectiveComponents(threshold float64) int {
	if err := b.fittedB(); err != nil {
		return 0
	}
	return effective(b.vb.weights, threshold)
}

func effective(w []float64, threshold float64) int {
	if threshold == 0 {
		threshold = DefaultEffectiveThreshold
	}
	n := 0
	for _, v := range w {
		if v >= threshold {
			n++
		}
	}
	return n
}

// PointEstimate returns the Gaussian mixture of the point estimates:
// weights E_q[π], means m_k and covariances (ν_k W_k)⁻¹, scikit-learn's
// weights_, means_ and covariances_ (what Sample draws from). Its density
// is the plug-in one, not the variational ScoreSamples nor the posterior
// predictive of PredictiveLogDensity; it serves the charts of a Model
// (ellipses, contours).
func (b *BayesModel) PointEstimate() *Model {
	if err := b.fittedB(); err != nil {
		return &Model{}
	}
	m := b.vb.clone()
	m.setLogWeights()
	m.nIter, m.converged = b.nIter, b.converged
	m.logLik, m.lowerBound = math.NaN(), math.NaN()
	return m
}

// EffectiveModel returns the Gaussian mixture of the point estimates of
// the components whose weight is at least threshold (0 means
// DefaultEffectiveThreshold; the heaviest component when none is), their
// weights renormalised to sum to 1: the components the fit kept, as a
// plain mixture for charts (plots.GMMFit draws their ellipses) and for
// Model's methods. Its components keep their order, not their indices.
func (b *BayesModel) EffectiveModel(threshold float64) *Model {
	if err := b.fittedB(); err != nil {
		return &Model{}
	}
	if threshold == 0 {
		threshold = DefaultEffectiveThreshold
	}
	m := b.vb
	var keep []int
	for k, w := range m.weights {
		if w >= threshold {
			keep = append(keep, k)
		}
	}
	if len(keep) == 0 {
		best := 0
		for k, w := range m.weights {
			if w > m.weights[best] {
				best = k
			}
		}
		keep = []int{best}
	}
	d := m.d
	p := Params{Weights: make([]float64, len(keep)), Means: mat.NewDense(len(keep), d, nil)}
	tot := 0.0
	for _, k := range keep {
		tot += m.weights[k]
	}
	for i, k := range keep {
		p.Weights[i] = m.weights[k] / tot
		p.Means.(*mat.Dense).SetRow(i, m.means[k*d:(k+1)*d])
		if m.fam.Type() != Tied || i == 0 {
			p.Covariances = append(p.Covariances, m.Covariance(nil, k))
		}
	}
	e, err := New(m.fam.Type(), p, m.names)
	if err != nil {
		panic(fmt.Sprintf("mixture: EffectiveModel: %v", err)) // the components were valid
	}
	e.regCovar, e.seed, e.nIter, e.converged = b.regCovar, b.seed, b.nIter, b.converged
	return e
}
