package mixture

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// BayesOptions control FitBayes. The zero value fits one full-covariance
// component with scikit-learn's BayesianGaussianMixture defaults: a
// Dirichlet-process prior on the weights, every prior from the data (see
// the fields), initialisation by k-means, tol 1e-3 on the change of the
// lower bound, at most 100 iterations, reg_covar 1e-6, one start.
type BayesOptions struct {
	// K is the number of components (for the Dirichlet process, the
	// truncation level: the most components the fit may use); 0 means 1.
	K int
	// Covariance is the covariance type; "" means Full.
	Covariance CovarianceType
	// WeightPrior is the prior of the weights (scikit-learn's
	// weight_concentration_prior_type); "" means DirichletProcess.
	WeightPrior WeightPrior
	// WeightConcentration is α₀ (weight_concentration_prior): the
	// Dirichlet's concentration, or the process's; small values favour
	// few components. 0 means 1/K. It must be > 0.
	WeightConcentration float64
	// MeanPrecision is β₀ (mean_precision_prior): how tightly the means
	// are held to MeanPrior, in units of the components' own precision.
	// 0 means 1. It must be > 0.
	MeanPrecision float64
	// MeanPrior is m₀ (mean_prior), D values; nil means the data's
	// (weighted) mean.
	MeanPrior []float64
	// DegreesOfFreedom is ν₀ (degrees_of_freedom_prior) of the precisions'
	// Wishart prior; 0 means D. It must be > D − 1.
	DegreesOfFreedom float64
	// CovariancePrior is Ψ₀ (covariance_prior), the inverse of the
	// Wishart's scale, in the covariance type's shape, flattened: full and
	// tied D×D row-major (symmetric positive definite), diag D positive
	// values, spherical one. nil means scikit-learn's default from the
	// data: their covariance (ddof 1) for full and tied, its diagonal for
	// diag, the diagonal's mean for spherical.
	CovariancePrior []float64

	// CoordinateAscent, for diag and spherical covariances, makes the
	// E-step take E ln|Λ_k| of their own Normal–Gamma model, Σ_j
	// (ψ(ν_k/2) − ln(ν_k σ²_kj/2)) for diag and D(ψ(Dν_k/2) −
	// ln(Dν_k σ²_k/2)) for spherical, where scikit-learn takes a
	// Wishart's Σ_{i<D} ψ((ν_k − i)/2) + D ln 2 + ln|W_k| for every type.
	// Every iteration is then coordinate ascent on the ELBO (with
	// RegCovar NoRegCovar, exactly), which never falls; scikit-learn's
	// diag and spherical iterations are not, and their ELBO falls now and
	// then (Report.Decreases counts it). It changes nothing for full and
	// tied covariances, whose E-step is already the model's. false gives
	// scikit-learn's results.
	CoordinateAscent bool

	// Init is the initialisation method, as GaussianMixture's; "" means
	// InitKMeans. The start is q(z) from the method (hard labels, or
	// random responsibilities), from which a first update of q(θ) runs,
	// as scikit-learn's _initialize.
	Init InitMethod
	// StartResp, when not nil, gives the starting responsibilities q(z):
	// N×K, rows ≥ 0 summing to 1 (one-hot labels, say). It replaces Init;
	// each start begins from it.
	StartResp mat.Matrix
	// WarmStart, when not nil, continues that model's fit (scikit-learn's
	// warm_start): one start from its q(θ), the first change measured from
	// its lower bound. K, Covariance and WeightPrior must match it; the
	// priors are resolved from these options and the data, as
	// scikit-learn does. It is not modified.
	WarmStart *BayesModel

	// NInit is the number of starts; the highest final lower bound wins.
	// 0 means 1.
	NInit int
	// MaxIter is the most iterations per start; 0 means 100;
	// em.NoIterations returns the initialisation.
	MaxIter int
	// Tol is the convergence threshold on the change of scikit-learn's
	// lower bound (a total over the rows, not a mean: scikit-learn's);
	// 0 means 1e-3; em.NoTol runs exactly MaxIter iterations.
	Tol float64
	// RegCovar is added to the diagonal of each component's weighted
	// covariance S_k before it enters q(Λ_k), as scikit-learn does; 0
	// means 1e-6; NoRegCovar means none (then the updates are exact
	// coordinate ascent on the ELBO).
	RegCovar float64
	// Seed seeds the initialisation; the same seed gives the same bits
	// whatever the number of workers.
	Seed uint64
	// Weights are the rows' frequency weights; nil means all ones. They
	// must be finite, ≥ 0 and not all 0.
	Weights []float64
	// FeatureNames, when not nil, names the D columns in the model.
	FeatureNames []string
	// Workers is the number of goroutines of the E-step; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// BlockRows is the number of rows per block of the E-step; 0 means
	// 4096.
	BlockRows int
	// Progress, when not nil, is called after every iteration. Its
	// EM.LogLik is scikit-learn's lower bound (a total) and EM.Change its
	// change.
	Progress func(Progress)
	// Kernel is how the E-step of full and tied covariances computes its
	// products (see Options.Kernel); "" means KernelGemm.
	Kernel Kernel

	regCovar float64
	maxIter  int
	tol      float64
}

// bayesOptionErrorf is optionErrorf for a field of BayesOptions.
func bayesOptionErrorf(option, format string, a ...any) *OptionError {
	return &OptionError{Option: option, msg: "mixture: BayesOptions." + option + fmt.Sprintf(format, a...)}
}

// resolve fills in the defaults that do not need the data and checks
// every option, naming a bad one.
func (o BayesOptions) resolve() (BayesOptions, error) {
	if ws := o.WarmStart; ws != nil {
		if err := ws.fittedB(); err != nil {
			e := bayesOptionErrorf("WarmStart", " is a zero BayesModel; give one from FitBayes or LoadBayes")
			e.err = err
			return o, e
		}
		if o.K != 0 && o.K != ws.K() || o.Covariance != "" && o.Covariance.orDefault() != ws.CovarianceType() ||
			o.WeightPrior != "" && o.WeightPrior != ws.WeightPrior() {
			return o, bayesOptionErrorf("WarmStart", " has K = %d, %s covariances and a %s prior; the options ask for K = %d, %s and %s",
				ws.K(), ws.CovarianceType(), ws.WeightPrior(), o.K, o.Covariance.orDefault(), o.WeightPrior.orDefault())
		}
		o.K, o.Covariance, o.WeightPrior, o.NInit = ws.K(), ws.CovarianceType(), ws.WeightPrior(), 1
	}
	switch {
	case o.K == 0:
		o.K = 1
	case o.K < 0:
		return o, bayesOptionErrorf("K", " (n_components) = %d; give at least 1 component", o.K)
	}
	if o.Covariance == "" {
		o.Covariance = Full
	}
	if f, ok := lookupFamily(o.Covariance); !ok {
		return o, bayesOptionErrorf("Covariance", ": %s", unknownCovariance(string(o.Covariance)))
	} else if _, ok := f.(bayesFamily); !ok {
		return o, bayesOptionErrorf("Covariance", " %q has no Bayesian mixture; use full, tied, diag or spherical", string(o.Covariance))
	}
	o.WeightPrior = o.WeightPrior.orDefault()
	if o.WeightPrior != DirichletProcess && o.WeightPrior != DirichletDistribution {
		return o, bayesOptionErrorf("WeightPrior", ": %s", unknownWeightPrior(string(o.WeightPrior)))
	}
	for _, c := range []struct {
		name, sk string
		v        float64
	}{
		{"WeightConcentration", "weight_concentration_prior", o.WeightConcentration},
		{"MeanPrecision", "mean_precision_prior", o.MeanPrecision},
		{"DegreesOfFreedom", "degrees_of_freedom_prior", o.DegreesOfFreedom},
	} {
		if math.IsNaN(c.v) || math.IsInf(c.v, 0) || c.v < 0 {
			return o, bayesOptionErrorf(c.name, " (%s) = %v; give a positive finite number, or 0 for the default", c.sk, c.v)
		}
	}
	if o.WeightConcentration == 0 {
		o.WeightConcentration = 1 / float64(o.K)
	}
	if o.MeanPrecision == 0 {
		o.MeanPrecision = 1
	}
	if o.Init == "" {
		o.Init = InitKMeans
	}
	if _, err := ParseInitMethod(string(o.Init)); err != nil {
		return o, bayesOptionErrorf("Init", ": %s", unknownInit(string(o.Init)))
	}
	if err := o.Kernel.check(); err != nil {
		e := err.(*OptionError)
		return o, bayesOptionErrorf(e.Option, "%s", e.msg[len("mixture: Options."+e.Option):])
	}
	switch {
	case math.IsNaN(o.RegCovar) || math.IsInf(o.RegCovar, 0):
		return o, bayesOptionErrorf("RegCovar", " (reg_covar) %v is not a finite number", o.RegCovar)
	case o.RegCovar == 0:
		o.regCovar = DefaultRegCovar
	case o.RegCovar == NoRegCovar:
		o.regCovar = 0
	case o.RegCovar < 0:
		return o, bayesOptionErrorf("RegCovar", " (reg_covar) %g is negative; use 0 for the default %g or NoRegCovar for none", o.RegCovar, DefaultRegCovar)
	default:
		o.regCovar = o.RegCovar
	}
	for _, c := range []struct {
		name string
		o    em.Options
	}{
		{"MaxIter", em.Options{MaxIter: o.MaxIter}},
		{"Tol", em.Options{Tol: o.Tol}},
		{"NInit", em.Options{NInit: o.NInit}},
		{"Workers", em.Options{Workers: o.Workers}},
		{"BlockRows", em.Options{BlockRows: o.BlockRows}},
	} {
		r, err := c.o.Resolved()
		if err != nil {
			e := bayesOptionErrorf(c.name, ": %v", err)
			e.err = err
			return o, e
		}
		switch c.name {
		case "MaxIter":
			o.maxIter = r.MaxIter
		case "Tol":
			o.tol = r.Tol
		case "NInit":
			o.NInit = r.NInit
		}
	}
	return o, nil
}

// FitBayes fits a Bayesian Gaussian mixture to the rows of x by
// variational inference, as scikit-learn's BayesianGaussianMixture does,
// stopping early when ctx is cancelled. Each iteration is one pass over
// the rows (the variational E-step, on every core) and the update of q(θ)
// from the merged statistics; the report holds scikit-learn's lower bound
// and the full ELBO with its terms at every iteration. Not converging is
// a status in the report, not an error. Errors: a bad option (an
// *OptionError naming it), bad data, and a component whose covariance
// cannot be factorised (a *ComponentError). x and opts are not modified.
func FitBayes(ctx context.Context, x mat.Matrix, opts BayesOptions) (*BayesModel, *BayesReport, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, nil, err
	}
	r, err := checkData(x, o.Weights, "X")
	if err != nil {
		return nil, nil, err
	}
	if r.n < o.K && o.WarmStart == nil && o.StartResp == nil {
		return nil, nil, dataErrorf("expected n_samples >= n_components: X has %d rows but K = %d; lower K or give more data", r.n, o.K)
	}
	r.eo = em.Options{Workers: o.Workers, BlockRows: o.BlockRows}
	r.src = em.Matrix(x, o.Weights)
	return fitBayes(ctx, r.src, r, o)
}

// FitBayesSource fits a Bayesian Gaussian mixture to the rows of src,
// read block by block in every iteration (and twice before the first, for
// the data's mean and covariance when the priors need them), so that the
// data need not fit in memory. The initialisation method runs on sample,
// rows held in memory (for example a uniform sample of the data): its
// first q(θ) is that of the sample's responsibilities. sample may be nil
// when opts.StartResp (N×K over src's rows) or opts.WarmStart is given.
// opts.Weights must be nil (weights come with the source's blocks). With
// the same start and BlockRows, FitBayesSource over a stream and FitBayes
// over the same rows in memory give the same bits.
func FitBayesSource(ctx context.Context, src em.Source, sample mat.Matrix, opts BayesOptions) (*BayesModel, *BayesReport, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, nil, err
	}
	if o.Weights != nil {
		return nil, nil, bayesOptionErrorf("Weights", " must be nil for FitBayesSource; weights come with the source's blocks")
	}
	var r *rowData
	switch {
	case sample != nil && o.StartResp == nil:
		if r, err = checkData(sample, nil, "the sample"); err != nil {
			return nil, nil, err
		}
		if r.d != src.Dim() {
			return nil, nil, dataErrorf("the sample has %d columns, the source %d", r.d, src.Dim())
		}
		if r.n < o.K && o.WarmStart == nil {
			return nil, nil, dataErrorf("the sample has %d rows but K = %d; the initialisation needs at least K rows", r.n, o.K)
		}
		r.eo = em.Options{Workers: o.Workers, BlockRows: o.BlockRows}
		r.src = em.Matrix(sample, nil)
	case o.StartResp == nil && o.WarmStart == nil:
		return nil, nil, fmt.Errorf("mixture: FitBayesSource: give a sample for the %s initialisation, or BayesOptions.StartResp", o.Init)
	default:
		r = &rowData{d: src.Dim(), src: src, eo: em.Options{Workers: o.Workers, BlockRows: o.BlockRows}}
	}
	return fitBayes(ctx, src, r, o)
}

// emStartStream is the PCG stream of the starts' random numbers: em.Run's,
// so that a seed initialises a Bayesian mixture as it does a Fit.
const emStartStream = 0x656d5f7374617274 // "em_start"

// fitBayes runs the starts over src; r holds the rows the initialisation
// methods use.
func fitBayes(ctx context.Context, src em.Source, r *rowData, o BayesOptions) (*BayesModel, *BayesReport, error) {
	if o.FeatureNames != nil && len(o.FeatureNames) != r.d {
		return nil, nil, bayesOptionErrorf("FeatureNames", " has %d names for %d columns", len(o.FeatureNames), r.d)
	}
	ws := o.WarmStart
	if ws != nil {
		if ws.Dim() != r.d {
			return nil, nil, dataErrorf("X has %d features, but the warm-start model has %d", r.d, ws.Dim())
		}
	}
	if o.StartResp != nil {
		if rr, c := o.StartResp.Dims(); c != o.K {
			return nil, nil, bayesOptionErrorf("StartResp", " is %d×%d; want one column per component (K = %d)", rr, c, o.K)
		}
	}
	t0 := time.Now()
	eo := em.Options{Workers: o.Workers, BlockRows: o.BlockRows}
	pr, err := resolvePriors(ctx, src, &o, eo)
	if err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, emStartStream))
	rep := &BayesReport{Best: -1, K: o.K, Dim: r.d, Covariance: o.Covariance, WeightPrior: o.WeightPrior, Init: o.initName(),
		RegCovar: o.regCovar, Seed: o.Seed, Priors: pr.clone(), MaxIter: o.maxIter, Tol: o.tol, BlockRows: o.BlockRows, Workers: o.Workers}
	if r2, err := eo.Resolved(); err == nil {
		rep.BlockRows, rep.Workers = r2.BlockRows, r2.Workers
	}
	var best *BayesModel
	done := 0
	for i := 0; i < o.NInit; i++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("mixture: %w", err)
		}
		ti := time.Now()
		b, lb, ini, err := startBayes(ctx, r, src, &o, pr, rng)
		if err != nil {
			return nil, nil, bayesStartErr(i, o.NInit, err)
		}
		rep.InitSeconds += time.Since(ti).Seconds()
		sr, err := iterateBayes(ctx, src, b, &o, i, lb, ini, t0, &done)
		if err != nil {
			return nil, nil, bayesStartErr(i, o.NInit, err)
		}
		sr.Seconds = time.Since(ti).Seconds()
		rep.Starts = append(rep.Starts, *sr)
		if best == nil || sr.LowerBound > rep.Starts[rep.Best].LowerBound {
			best, rep.Best = b, i
		}
	}
	s := rep.Starts[rep.Best]
	rep.Status, rep.Converged, rep.Iterations = s.Status, s.Converged, s.Iterations
	rep.LowerBound, rep.ELBO, rep.Weight = s.LowerBound, s.ELBO, s.Weight
	for _, st := range rep.Starts {
		rep.Decreases += st.Decreases
	}
	best.regCovar, best.seed = o.regCovar, o.Seed
	best.nIter, best.converged = s.Iterations, s.Converged
	best.lowerBound, best.elbo = s.LowerBound, s.ELBO.ELBO
	best.vb.kernel = o.Kernel
	best.vb.names = slices.Clone(o.FeatureNames)
	if best.vb.names == nil && ws != nil {
		best.vb.names = ws.FeatureNames()
	}
	rep.Rows = r.n
	if src != r.src || r.n == 0 {
		rep.Rows = int(math.Round(rep.Weight))
	}
	rep.Effective = best.EffectiveComponents(0)
	rep.EffectiveThreshold = DefaultEffectiveThreshold
	rep.Seconds = time.Since(t0).Seconds()
	rep.model = best
	return best, rep, nil
}

func bayesStartErr(i, n int, err error) error {
	own := strings.HasPrefix(err.Error(), "mixture: ") // mixture's errors name the package already
	if n > 1 {
		if own {
			return &prefixed{fmt.Sprintf("mixture: start %d of %d: %s", i+1, n, strings.TrimPrefix(err.Error(), "mixture: ")), err}
		}
		err = fmt.Errorf("start %d of %d: %w", i+1, n, err)
	}
	if !own {
		err = fmt.Errorf("mixture: %w", err)
	}
	return err
}

func (o *BayesOptions) initName() string {
	switch {
	case o.WarmStart != nil:
		return "warm_start"
	case o.StartResp != nil:
		return "given"
	}
	return string(o.Init)
}

// resolvePriors returns the priors of o, computing the data's mean and
// covariance (ddof 1, weighted by frequency) over src when a default needs
// them: two passes, the second about the mean of the first, so that the
// covariance is centred (catalog N-04).
func resolvePriors(ctx context.Context, src em.Source, o *BayesOptions, eo em.Options) (BayesPriors, error) {
	d := src.Dim()
	f := familyOf(o.Covariance).(bayesFamily)
	pr := BayesPriors{WeightPrior: o.WeightPrior, WeightConcentration: o.WeightConcentration, MeanPrecision: o.MeanPrecision,
		Mean: slices.Clone(o.MeanPrior), DegreesOfFreedom: o.DegreesOfFreedom, Covariance: slices.Clone(o.CovariancePrior)}
	if pr.DegreesOfFreedom == 0 {
		pr.DegreesOfFreedom = float64(d)
	} else if !(pr.DegreesOfFreedom > float64(d)-1) {
		return pr, bayesOptionErrorf("DegreesOfFreedom", " (degrees_of_freedom_prior) = %v; it must be greater than D − 1 = %d", pr.DegreesOfFreedom, d-1)
	}
	if pr.Mean != nil {
		if len(pr.Mean) != d {
			return pr, bayesOptionErrorf("MeanPrior", " has %d values; want D = %d", len(pr.Mean), d)
		}
		for j, v := range pr.Mean {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return pr, bayesOptionErrorf("MeanPrior", "[%d] = %v is not finite", j, v)
			}
		}
	}
	if pr.Covariance != nil {
		if n := f.vbPriorSize(d); len(pr.Covariance) != n {
			return pr, bayesOptionErrorf("CovariancePrior", " has %d values; want %d for %s covariances with D = %d", len(pr.Covariance), n, o.Covariance, d)
		}
		if why := f.vbCheckPrior(pr.Covariance, d); why != "" {
			return pr, bayesOptionErrorf("CovariancePrior", " (covariance_prior) %s", why)
		}
		if f.vbPriorSize(d) == d*d {
			symmetrise(pr.Covariance, slices.Clone(pr.Covariance), d)
		}
	}
	if pr.Mean != nil && pr.Covariance != nil {
		return pr, nil
	}
	mean, cov, n, err := sourceMoments(ctx, src, d, eo)
	if err != nil {
		return pr, err
	}
	if pr.Mean == nil {
		pr.Mean = mean
	}
	if pr.Covariance == nil {
		if !(n > 1) {
			return pr, dataErrorf("the default covariance prior is the data's covariance, which needs more than one row (the total weight is %g); give BayesOptions.CovariancePrior", n)
		}
		pr.Covariance = make([]float64, f.vbPriorSize(d))
		f.vbDefaultPrior(pr.Covariance, cov, d)
		if why := f.vbCheckPrior(pr.Covariance, d); why != "" {
			return pr, dataErrorf("the data's covariance, the default covariance prior, %s (a constant column, or columns that are combinations of others); give BayesOptions.CovariancePrior", why)
		}
	}
	return pr, nil
}

// sourceMean returns the weighted mean of the rows of src (one pass).
func sourceMean(ctx context.Context, src em.Source, d int, eo em.Options) ([]float64, error) {
	m := newModel(Full, 1, d)
	p := &respPass{m: m, resp: func(_ int, dst []float64) { dst[0] = 1 }}
	st, _, err := em.Pass(ctx, src, p, true, eo)
	if err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	return st.(*stats).m[:d:d], nil
}

// sourceMoments returns the weighted mean and covariance (D×D, both
// triangles, divided by Σw − 1) of the rows of src, and Σw.
func sourceMoments(ctx context.Context, src em.Source, d int, eo em.Options) (mean, cov []float64, n float64, err error) {
	m := newModel(Full, 1, d)
	p := &respPass{m: m, resp: func(_ int, dst []float64) { dst[0] = 1 }}
	var s *stats
	for pass := 0; pass < 2; pass++ {
		st, _, err := em.Pass(ctx, src, p, true, eo)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("mixture: %w", err)
		}
		s = st.(*stats)
		for j := range m.means {
			m.means[j] += s.m[j]
		}
	}
	// After the second pass m.means is the mean and s.m2 the scatter
	// about it (less a correction of the order of the first pass's
	// rounding).
	n = s.n[0]
	cov = make([]float64, d*d)
	for a := 0; a < d; a++ {
		for b := a; b < d; b++ {
			v := s.m2[a*d+b] / (n - 1)
			cov[a*d+b], cov[b*d+a] = v, v
		}
	}
	return m.means, cov, n, nil
}

// bayesInit is what the initialisation knows of its start: the ELBO of
// the initial responsibilities and q(θ), and the data's total weight.
type bayesInit struct {
	elbo   ELBO
	weight float64
}

// startBayes returns the starting model of one start: the warm start's
// q(θ), or the update of q(θ) from the initial responsibilities. It also
// returns the lower bound from which the first change is measured, and
// for a start of its own its ELBO and the data's weight.
func startBayes(ctx context.Context, r *rowData, src em.Source, o *BayesOptions, pr BayesPriors, rng *rand.Rand) (*BayesModel, float64, *bayesInit, error) {
	f := familyOf(o.Covariance).(bayesFamily)
	if ws := o.WarmStart; ws != nil {
		b := ws.clone()
		b.prior = pr.clone()
		b.vb.kernel = o.Kernel
		b.ascent = o.CoordinateAscent
		b.setDerived()
		// The priors may have changed with the data: the derived terms
		// depend only on q, which is kept.
		return b, ws.lowerBound, nil, nil
	}
	b := newBayes(f, o.K, r.d, pr.clone())
	b.vb.kernel = o.Kernel
	b.ascent = o.CoordinateAscent
	var resp func(int, []float64)
	var over atomic.Bool // StartResp had fewer rows than the source
	rsrc := r.src
	if o.StartResp != nil {
		var err error
		if resp, err = respFromMatrix(o.StartResp, o.K, &over); err != nil {
			return nil, 0, nil, err
		}
		rsrc = src
	} else {
		var err error
		if resp, err = initResp(ctx, r, o.Init, o.K, rng); err != nil {
			return nil, 0, nil, err
		}
	}
	var g []float64 // the means' first shift: the rows' mean
	if o.StartResp != nil {
		var err error
		if g, err = sourceMean(ctx, src, r.d, r.eo); err != nil {
			return nil, 0, nil, err
		}
	} else {
		g = dataMean(r)
	}
	s, ent, seen, weight, err := respStats(ctx, b.vb, g, rsrc, r.eo, resp)
	if err != nil {
		return nil, 0, nil, err
	}
	if n, _ := dims(o.StartResp); o.StartResp != nil && (over.Load() || seen != n) {
		return nil, 0, nil, bayesOptionErrorf("StartResp", " has %d rows; the data have %d", n, seen)
	}
	shift := slices.Clone(b.vb.means)
	if err := b.update(s, o.regCovar, "initialisation"); err != nil {
		return nil, 0, nil, err
	}
	b.lowerBound = b.sklearnBound(ent)
	e := b.fullELBO(s, shift, ent)
	b.elbo = e.ELBO
	return b, math.Inf(-1), &bayesInit{elbo: e, weight: weight}, nil
}

// initResp returns the responsibilities of the initialisation method, a
// function of the row index (GaussianMixture's methods, init.go).
func initResp(ctx context.Context, r *rowData, method InitMethod, k int, rng *rand.Rand) (func(int, []float64), error) {
	switch method {
	case InitKMeans:
		labels, err := kmeansLabels(ctx, r, k, rng)
		if err != nil {
			return nil, err
		}
		return func(row int, dst []float64) {
			clear(dst)
			dst[labels[row]] = 1
		}, nil
	case InitKMeansPP:
		idx, err := kmeansPlusPlus(ctx, r, k, rng)
		if err != nil {
			return nil, err
		}
		return oneHot(r.n, idx), nil
	case InitRandomFromData:
		idx, err := chooseRows(r, k, rng)
		if err != nil {
			return nil, err
		}
		return oneHot(r.n, idx), nil
	default: // InitRandom, as initModel draws it
		s := rng.Uint64()
		return func(row int, dst []float64) {
			rr := rand.New(rand.NewPCG(s, uint64(row)))
			tot := 0.0
			for k := range dst {
				dst[k] = rr.Float64()
				tot += dst[k]
			}
			for k := range dst {
				dst[k] /= tot
			}
		}, nil
	}
}

// respFromMatrix checks the N×K responsibilities q (finite, ≥ 0, rows
// summing to 1 within 1e-9) and returns them as a function of the row,
// which gives rows beyond N no weight and sets over.
func respFromMatrix(q mat.Matrix, k int, over *atomic.Bool) (func(int, []float64), error) {
	n, _ := q.Dims()
	for i := 0; i < n; i++ {
		s := 0.0
		for c := 0; c < k; c++ {
			v := q.At(i, c)
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, bayesOptionErrorf("StartResp", "[%d][%d] = %v; responsibilities are finite and ≥ 0", i, c, v)
			}
			s += v
		}
		if math.Abs(s-1) > weightSumTol {
			return nil, bayesOptionErrorf("StartResp", " row %d sums to %.17g; each row's responsibilities sum to 1", i, s)
		}
	}
	return func(row int, dst []float64) {
		if row >= n {
			over.Store(true)
			clear(dst)
			return
		}
		for c := range dst {
			dst[c] = q.At(row, c)
		}
	}, nil
}

// respStats returns the statistics of the responsibilities resp over the
// rows of src about the components' means (set in m, which must be a model
// of the right family, K and D), Σ_i w_i H(q_i), and the number of rows
// and their weight: two passes as initFromResp, the first for the means
// about g (the rows' mean), and one for the entropy.
func respStats(ctx context.Context, m *Model, g []float64, src em.Source, eo em.Options, resp func(int, []float64)) (*stats, float64, int, float64, error) {
	for c := 0; c < m.k; c++ {
		copy(m.means[c*m.d:(c+1)*m.d], g)
	}
	p := &respPass{m: m, resp: resp}
	var s *stats
	for pass := 0; pass < 2; pass++ {
		st, _, err := em.Pass(ctx, src, p, true, eo)
		if err != nil {
			return nil, 0, 0, 0, fmt.Errorf("mixture: %w", err)
		}
		s = st.(*stats)
		if pass == 0 {
			for c := 0; c < m.k; c++ {
				if s.n[c] > 0 {
					for j := 0; j < m.d; j++ {
						m.means[c*m.d+j] += s.m[c*m.d+j]
					}
				}
			}
		}
	}
	ent, rows, weight, err := respEntropy(ctx, src, m.k, resp, eo)
	return s, ent, rows, weight, err
}

// respEntropy returns Σ_i w_i H(q_i) of the responsibilities resp over
// src (0 for hard labels), the number of rows and their weight.
func respEntropy(ctx context.Context, src em.Source, k int, resp func(int, []float64), eo em.Options) (float64, int, float64, error) {
	p := &entropyPass{k: k, resp: resp}
	_, part, err := em.Pass(ctx, src, p, false, eo)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("mixture: %w", err)
	}
	return part.Entropy, int(part.LogLik), part.Weight, nil
}

type entropyPass struct {
	k    int
	resp func(int, []float64)
}

func (p *entropyPass) NewStats() em.Stats              { return nil }
func (p *entropyPass) NewWorker() em.Worker            { return &entropyWorker{p, make([]float64, p.k)} }
func (p *entropyPass) MStep(em.Stats) (float64, error) { return 0, nil }

type entropyWorker struct {
	p *entropyPass
	q []float64
}

func (w *entropyWorker) EStep(_ em.Stats, first int, x *mat.Dense, wt []float64) (em.Partial, error) {
	n, _ := x.Dims()
	var part em.Partial
	for i := 0; i < n; i++ {
		wi := 1.0
		if wt != nil {
			wi = wt[i]
		}
		w.p.resp(first+i, w.q)
		h := 0.0
		for _, q := range w.q {
			if q > 0 {
				h -= q * math.Log(q)
			}
		}
		part.Entropy += wi * h
		part.Weight += wi
		part.LogLik++ // this pass counts its rows there
	}
	return part, nil
}

// iterateBayes runs one start's iterations. lb is the lower bound from
// which the first change is measured (−Inf, or a warm start's).
func iterateBayes(ctx context.Context, src em.Source, b *BayesModel, o *BayesOptions, init int, lb float64, ini *bayesInit, t0 time.Time, done *int) (*BayesStart, error) {
	sr := &BayesStart{Init: init, Status: em.StatusMaxIter, InitialWeights: b.vb.Weights(nil),
		LowerBound: b.lowerBound, ELBO: ELBO{ELBO: b.elbo}}
	if ini != nil {
		sr.ELBO, sr.Weight = ini.elbo, ini.weight
	}
	if o.maxIter == 0 {
		sr.Status = em.StatusNoIterations
		return sr, nil
	}
	p, err := em.NewPasser(src, bayesPass{b, b.prior.Mean}, em.Options{Workers: o.Workers, BlockRows: o.BlockRows})
	if err != nil {
		return nil, err
	}
	prev := lb
	prevELBO := math.Inf(-1)
	shift := make([]float64, len(b.vb.means))
	total := o.maxIter * o.NInit
	for n := 1; n <= o.maxIter; n++ {
		ti := time.Now()
		st, part, err := p.Pass(ctx, true)
		if err != nil {
			return sr, wrapBayesCtx(err)
		}
		s := st.(*stats)
		copy(shift, b.vb.means)
		if err := b.update(s, o.regCovar, "iteration "+itoa(n)); err != nil {
			return sr, err
		}
		it := BayesIteration{Iter: n, LowerBound: b.sklearnBound(part.Entropy), Change: math.Inf(1), ELBO: b.fullELBO(s, shift, part.Entropy),
			Weights: b.vb.Weights(nil)}
		it.Change = it.LowerBound - prev
		if n > 1 && it.ELBO.ELBO-prevELBO < -em.RoundOff(it.ELBO.ELBO) {
			it.Decrease = true
			sr.Decreases++
		}
		it.Seconds = time.Since(ti).Seconds()
		sr.Trace = append(sr.Trace, it)
		sr.Iterations, sr.Weight = n, part.Weight
		sr.LowerBound, sr.ELBO = it.LowerBound, it.ELBO
		b.lowerBound, b.elbo = it.LowerBound, it.ELBO.ELBO
		*done++
		if o.Progress != nil {
			o.Progress(Progress{Done: *done, Total: total, EM: em.Progress{Init: init, Inits: o.NInit, Iter: n, MaxIter: o.maxIter,
				LogLik: it.LowerBound, Change: it.Change, Elapsed: time.Since(t0)}})
		}
		prev, prevELBO = it.LowerBound, it.ELBO.ELBO
		if math.Abs(it.Change) < o.tol {
			sr.Status, sr.Converged = em.StatusConverged, true
			break
		}
	}
	return sr, nil
}

func wrapBayesCtx(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("mixture: %w", err)
	}
	return err
}

// dims returns the dimensions of m, 0×0 when m is nil.
func dims(m mat.Matrix) (int, int) {
	if m == nil {
		return 0, 0
	}
	return m.Dims()
}
