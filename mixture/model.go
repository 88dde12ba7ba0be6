package mixture

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
)

// log2Pi is log(2π).
var log2Pi = math.Log(2 * math.Pi)

// Model is a Gaussian mixture
//
//	p(x) = Σ_k π_k N(x | μ_k, Σ_k)
//
// with K components in D dimensions. Fit, New and Load return one; its
// methods never modify it (catalog M-39), so one Model may serve many
// goroutines. The zero Model is not fitted: its methods return ErrNotFitted.
type Model struct {
	// comps holds the family, K, D, the means and the covariances in the
	// family's stored form with their precision factors (covariance.go).
	comps
	weights []float64 // K
	logW    []float64 // K: log π_k

	kernel    Kernel // of the E-step (Options.Kernel)
	regCovar  float64
	seed      uint64
	names     []string
	nIter     int
	converged bool
	logLik    float64
	// lowerBound is the mean log-likelihood before the last M-step (NaN
	// when unknown), from which a warm start measures its first change.
	lowerBound float64
	// prior, during a fit with Options.Prior, makes mstep the MAP M-step
	// (prior.go); nil otherwise, and in every fitted model.
	prior *priorParams
	// data says how the fit treated its data: missing values, the parts
	// held fixed, the names of known classes (missing.go, fix.go,
	// known.go). Never modified once set.
	data dataInfo
}

// Params are a mixture's parameters, given to New, or as a start to Fit
// (Options.Start).
//
// Covariances and Precisions (give one) are in full form, D×D matrices,
// whatever the covariance type, as scikit-learn's precisions_init is in
// the type's form: full uses K matrices as they are; tied uses one matrix,
// or the weight-average of K covariance matrices; diag takes each matrix's
// diagonal and spherical each diagonal's mean (for precisions, the
// diagonal precisions 1/σ² and their mean). Precisions are turned into
// covariances through their Cholesky factor, as gonum's NewNormalPrecision
// does.
type Params struct {
	Weights     []float64       // K mixing weights in [0, 1] summing to 1 (within 1e-9; renormalised exactly)
	Means       mat.Matrix      // K×D, one component per row
	Covariances []*mat.SymDense // K (tied: 1 or K) symmetric positive definite D×D matrices
	Precisions  []*mat.SymDense // or their inverses
}

// New returns the mixture with the given parameters, after checking them
// (catalog M-09): every one of Weights, Means, and Covariances or
// Precisions must be given. names, when not nil, are the D feature names.
func New(cov CovarianceType, p Params, names []string) (*Model, error) {
	cov = cov.orDefault()
	if _, err := ParseCovarianceType(string(cov)); err != nil {
		return nil, err
	}
	if p.Weights == nil || p.Means == nil || (p.Covariances == nil && p.Precisions == nil) {
		return nil, paramErrorf("New needs Weights, Means and Covariances (or Precisions)")
	}
	k, d := p.Means.Dims()
	if k == 0 || d == 0 {
		return nil, paramErrorf("means is %d×%d; need at least one component and one feature", k, d)
	}
	if names != nil && len(names) != d {
		return nil, paramErrorf("%d feature names for %d features", len(names), d)
	}
	m := newModel(cov, k, d)
	if err := m.setStart(p, nil, false); err != nil {
		return nil, err
	}
	if c, ok := m.refresh(); !ok {
		return nil, paramErrorf("covariance of component %d is not positive definite", c)
	}
	m.names = slices.Clone(names)
	m.logLik = math.NaN()
	return m, nil
}

// newModel returns a model of K components in D dimensions with
// covariance type cov (checked by the caller), its parameters zero.
func newModel(cov CovarianceType, k, d int) *Model {
	return &Model{
		comps:      newComps(familyOf(cov), k, d),
		weights:    make([]float64, k),
		logW:       make([]float64, k),
		lowerBound: math.NaN(),
		logLik:     math.NaN(),
	}
}

// clone returns a deep copy of m.
func (m *Model) clone() *Model {
	c := *m
	c.weights = slices.Clone(m.weights)
	c.means = slices.Clone(m.means)
	c.covs = slices.Clone(m.covs)
	c.chol = slices.Clone(m.chol)
	c.logDet = slices.Clone(m.logDet)
	c.logW = slices.Clone(m.logW)
	c.names = slices.Clone(m.names)
	return &c
}

// refresh recomputes the precision factors, log-determinants and log
// weights from covs and weights. It returns the first component whose
// covariance is not positive definite, and false, when there is one.
func (m *Model) refresh() (int, bool) {
	m.setLogWeights()
	return m.fam.factor(&m.comps)
}

func (m *Model) setLogWeights() {
	for k, w := range m.weights {
		m.logW[k] = math.Log(w)
	}
}

func (m *Model) fitted() error {
	if m == nil {
		panic("mixture: nil *Model")
	}
	if m.k == 0 {
		return ErrNotFitted
	}
	return nil
}

// K returns the number of components (0 for a zero Model).
func (m *Model) K() int { return m.k }

// Dim returns the number of features D.
func (m *Model) Dim() int { return m.d }

// CovarianceType returns the form of the covariances ("" for a zero Model).
func (m *Model) CovarianceType() CovarianceType {
	if m.fam == nil {
		return ""
	}
	return m.fam.Type()
}

// RegCovar returns the regularisation added to the covariances' diagonals
// during the fit (0 for a model from New).
func (m *Model) RegCovar() float64 { return m.regCovar }

// Seed returns the seed of the fit.
func (m *Model) Seed() uint64 { return m.seed }

// FeatureNames returns a copy of the feature names, or nil when the model
// has none.
func (m *Model) FeatureNames() []string { return slices.Clone(m.names) }

// Iterations returns the number of EM iterations of the fit.
func (m *Model) Iterations() int { return m.nIter }

// Converged reports whether the fit converged.
func (m *Model) Converged() bool { return m.converged }

// LogLikelihood returns the mean log-likelihood per row (per unit of weight)
// of the training data under these parameters, in nats; NaN for a model from
// New.
func (m *Model) LogLikelihood() float64 { return m.logLik }

// Weights returns the mixing weights π_k in dst, which is allocated when
// nil and must have length K otherwise.
func (m *Model) Weights(dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, m.k)
	}
	if len(dst) != m.k {
		panic(fmt.Sprintf("mixture: Weights: dst has length %d, want %d", len(dst), m.k))
	}
	copy(dst, m.weights)
	return dst
}

// Means returns the K×D means, one component per row, in dst (allocated when
// nil; otherwise it must be K×D).
func (m *Model) Means(dst *mat.Dense) *mat.Dense {
	if dst == nil {
		dst = mat.NewDense(m.k, m.d, nil)
	}
	if r, c := dst.Dims(); r != m.k || c != m.d {
		panic(fmt.Sprintf("mixture: Means: dst is %d×%d, want %d×%d", r, c, m.k, m.d))
	}
	for k := 0; k < m.k; k++ {
		dst.SetRow(k, m.means[k*m.d:(k+1)*m.d])
	}
	return dst
}

// Covariance returns component k's covariance as a full D×D matrix, whatever
// the covariance type, in dst (allocated when nil; otherwise D×D). It panics
// when k is out of range.
func (m *Model) Covariance(dst *mat.SymDense, k int) *mat.SymDense {
	dst = m.checkSym(dst, k, "Covariance")
	d := m.d
	full := make([]float64, d*d)
	m.fam.covariance(&m.comps, k, full)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			dst.SetSym(i, j, full[i*d+j])
		}
	}
	return dst
}

// Precision returns component k's precision matrix Σ_k⁻¹ as a full D×D
// matrix, computed from its Cholesky factor, in dst (allocated when nil).
func (m *Model) Precision(dst *mat.SymDense, k int) *mat.SymDense {
	dst = m.checkSym(dst, k, "Precision")
	a := m.PrecisionCholesky(nil, k)
	var p mat.Dense
	p.Mul(a, a.T())
	for i := 0; i < m.d; i++ {
		for j := i; j < m.d; j++ {
			dst.SetSym(i, j, p.At(i, j))
		}
	}
	return dst
}

// PrecisionCholesky returns scikit-learn's precisions_cholesky_[k]: the
// upper triangular U with Σ_k⁻¹ = U·Uᵀ (U = L⁻ᵀ for the Cholesky factor L of
// Σ_k; diagonal for diag and spherical), in dst (allocated when nil).
func (m *Model) PrecisionCholesky(dst *mat.TriDense, k int) *mat.TriDense {
	if err := m.fitted(); err != nil {
		panic("mixture: PrecisionCholesky of a zero Model")
	}
	if k < 0 || k >= m.k {
		panic(fmt.Sprintf("mixture: PrecisionCholesky: component %d out of range [0, %d)", k, m.k))
	}
	d := m.d
	if dst == nil {
		dst = mat.NewTriDense(d, mat.Upper, nil)
	}
	u := make([]float64, d*d)
	m.fam.precisionCholesky(&m.comps, k, u)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			dst.SetTri(i, j, u[i*d+j])
		}
	}
	return dst
}

func (m *Model) checkSym(dst *mat.SymDense, k int, what string) *mat.SymDense {
	if err := m.fitted(); err != nil {
		panic("mixture: " + what + " of a zero Model")
	}
	if k < 0 || k >= m.k {
		panic(fmt.Sprintf("mixture: %s: component %d out of range [0, %d)", what, k, m.k))
	}
	if dst == nil {
		return mat.NewSymDense(m.d, nil)
	}
	if dst.SymmetricDim() != m.d {
		panic(fmt.Sprintf("mixture: %s: dst is %d×%d, want %d×%d", what, dst.SymmetricDim(), dst.SymmetricDim(), m.d, m.d))
	}
	return dst
}

// Component returns component k as a gonum multivariate normal
// N(μ_k, Σ_k), drawing from src in its Rand method (nil: the global source).
func (m *Model) Component(k int, src rand.Source) *distmv.Normal {
	cov := m.Covariance(nil, k)
	n, ok := distmv.NewNormal(m.means[k*m.d:(k+1)*m.d], cov, src)
	if !ok {
		// The covariance was factorised when the model was made.
		panic(fmt.Sprintf("mixture: component %d: covariance not positive definite", k))
	}
	return n
}

// NumParams returns the number of free parameters, as scikit-learn's
// _n_parameters: K·D means, K−1 weights and the covariances' free values
// (full K·D(D+1)/2, tied D(D+1)/2, diag K·D, spherical K), less the parts
// the fit held fixed (Options.Fix). Catalog M-36.
func (m *Model) NumParams() int {
	f := m.fam
	if f == nil { // a zero Model
		f = familyOf(Full)
	}
	return freeParams(f, m.k, m.d, m.data.fixed)
}

func numParams(f family, k, d int) int { return f.numParams(k, d) + k*d + k - 1 }
