package mixture

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// Defaults, as scikit-learn's GaussianMixture.
const (
	DefaultRegCovar = 1e-6
	// NoRegCovar as Options.RegCovar fits without regularisation
	// (scikit-learn's reg_covar=0).
	NoRegCovar = -1.0
)

// Options control Fit. The zero value fits one full-covariance component,
// initialised by k-means, with scikit-learn's defaults: tol 1e-3 on the mean
// log-likelihood per row, at most 100 iterations, reg_covar 1e-6, one start.
type Options struct {
	// K is the number of components; 0 means 1.
	K int
	// Covariance is the covariance type; "" means Full.
	Covariance CovarianceType
	// Init is the initialisation method; "" means InitKMeans.
	Init InitMethod
	// Start, when not nil, gives starting parameters. The parts given
	// replace those of the initialisation method; when all are given, the
	// method is not run and the first step is an E-step from exactly these
	// parameters. See Params for how covariances are projected.
	Start *Params
	// WarmStart, when not nil, continues that model's fit (scikit-learn's
	// warm_start): one start from its parameters, whose first change is
	// measured from where its fit stopped. K, Covariance and the data's
	// columns must match it. It is not modified.
	WarmStart *Model
	// NInit is the number of starts; the best final log-likelihood wins.
	// 0 means 1.
	NInit int
	// MaxIter is the most EM iterations per start; 0 means 100;
	// em.NoIterations returns the initialisation.
	MaxIter int
	// Tol is the convergence threshold on the change of the mean
	// log-likelihood per row; 0 means 1e-3; em.NoTol runs exactly MaxIter
	// iterations.
	Tol float64
	// RegCovar is added to the diagonal of every covariance, so that they
	// stay positive definite; 0 means 1e-6; NoRegCovar means none.
	RegCovar float64
	// Seed seeds the initialisation; the same seed gives the same bits,
	// whatever the number of workers.
	Seed uint64
	// Weights are the rows' weights (frequency weights: a weight of 2 counts
	// a row twice); nil means all ones. They must be finite, ≥ 0, and not
	// all 0.
	Weights []float64
	// FeatureNames, when not nil, names the D columns in the model.
	FeatureNames []string
	// Workers is the number of goroutines of the E-step; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// BlockRows is the number of rows per block of the E-step; 0 means 4096.
	BlockRows int
	// Progress, when not nil, is called after every EM iteration.
	Progress func(Progress)
	// Kernel is how the E-step of full and tied covariances computes its
	// products, here and in the fitted model's methods; "" means
	// KernelGemm (fastblas's kernels, called explicitly). A model from New
	// or Load uses KernelGemm.
	Kernel Kernel
	// Prior, when not nil, fits the posterior mode under the conjugate
	// prior of Fraley & Raftery (2007) instead of the maximum likelihood
	// (mclust's prior = priorControl()); &Prior{} is mclust's default,
	// computed from the data (for FitSource, from the sample). RegCovar is
	// still added (NoRegCovar for mclust's MAP). The covariance types
	// without a MAP M-step refuse it. See Prior.
	Prior *Prior
	// HC sets the hierarchical clustering of InitHC and of Select's Mclust
	// grid; nil means HCOptions{Seed: Seed}, mclust's default.
	HC *HCOptions

	// Missing makes the NaN cells of the data missing values, missing at
	// random: EM scores each row by the density of its observed
	// coordinates and completes it in expectation (missing.go). Without
	// it a NaN is an error. The fitted model marginalises NaN cells in
	// its predictions (Model.Missing). A row with no observed value is an
	// error. The initialisation methods run on the data with each missing
	// cell replaced by its column's mean.
	Missing bool
	// MissingMarkers, when not nil, are the texts a reader took for
	// missing values ("" for an empty cell), recorded in the model and the
	// report; they change nothing in the fit.
	MissingMarkers []string
	// Known, when not nil, gives each row's component if it is known
	// (0…K−1) or NoLabel: a semi-supervised fit, whose labelled rows keep
	// their component (known.go). It starts from InitKnown or a complete
	// Start. FitSource does not take it.
	Known []int
	// ClassNames, when not nil, names the classes of Known (class i is
	// component i), at most K; recorded in the model (Model.Classes).
	ClassNames []string
	// Fix holds the parts it names at their values in Start (or
	// WarmStart): EM moves only the others (fix.go), and the report's
	// NumParams and BIC count only the free ones.
	Fix Fixed

	hcLabels []int        // InitHC's partition, computed by the first start
	regCovar float64      // resolved
	prior    *priorParams // resolved by fit for K, the family and the data
	facts    DataReport   // counted on the data by Fit
}

// Report describes a fit: the EM run (iterations, per-iteration
// log-likelihood, ELBO and KL gap, every start) and the fitted model's
// criteria.
type Report struct {
	em.Report
	K          int            `json:"k"`
	Dim        int            `json:"dim"`
	Rows       int            `json:"rows"`
	Covariance CovarianceType `json:"covariance_type"`
	Init       string         `json:"init"`
	RegCovar   float64        `json:"reg_covar"`
	Seed       uint64         `json:"seed"`
	NumParams  int            `json:"n_parameters"`
	// BIC = −2·log L + p·ln n and AIC = −2·log L + 2p, with log L the total
	// log-likelihood, p = NumParams and n the total weight: scikit-learn's
	// sign, lower is better.
	BIC float64 `json:"bic"`
	AIC float64 `json:"aic"`
	// DataReport says how missing values, weights, known labels and fixed
	// parts were treated (zero for plain data).
	DataReport
	// MclustBIC = 2·log L − p·ln n = −BIC, the sign of R's mclust (Fraley &
	// Raftery; Scrucca et al. 2016): higher is better.
	MclustBIC   float64 `json:"mclust_bic"`
	InitSeconds float64 `json:"init_seconds"`
	// Prior holds the conjugate prior's hyperparameters when the fit was
	// MAP (Options.Prior); the log-likelihood and criteria are then those
	// of the MAP parameters.
	Prior *PriorValues `json:"prior,omitempty"`

	model *Model // the fitted model, for WriteText; nil in a report decoded from JSON
}

// Fit fits a Gaussian mixture to the rows of x (one observation per
// row) by EM, stopping early when ctx is cancelled. Not converging is a
// status in the report (Report.Converged), not an error. Errors: a bad
// option (naming it), bad data (NaN, infinity, too few rows, naming the
// row and column), bad start parameters, and a component whose covariance
// collapses (a *ComponentError wrapping ErrIllDefinedCovariance). x and
// opts are not modified.
func Fit(ctx context.Context, x mat.Matrix, opts Options) (*Model, *Report, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, nil, err
	}
	var r *rowData
	if o.Missing {
		// The initialisation runs on the rows completed by column means.
		r, err = missingData(x, o.Weights, "X")
		o.facts = countMissing(x)
	} else {
		r, err = checkData(x, o.Weights, "X")
	}
	if err != nil {
		return nil, nil, err
	}
	if o.Start == nil && o.WarmStart == nil {
		// A given start meets such data in its first E-step (a row of
		// density 0), which says so.
		if err := checkOverflow(r.x, r.stride, r.n, r.d, "X"); err != nil {
			return nil, nil, err
		}
	}
	if r.n < o.K && o.WarmStart == nil {
		return nil, nil, dataErrorf("expected n_samples >= n_components: X has %d rows but K = %d; lower K or give more data", r.n, o.K)
	}
	if err := o.checkKnown(r.n); err != nil {
		return nil, nil, err
	}
	r.eo = em.Options{Workers: o.Workers, BlockRows: o.BlockRows}
	src := em.Matrix(x, o.Weights)
	r.src = src
	if o.Missing {
		r.src = em.Matrix(mat.NewDense(r.n, r.d, r.x), o.Weights)
	}
	return fit(ctx, src, r, o, opts)
}

// FitSource fits a Gaussian mixture to the rows of src, read block by block
// once per EM iteration, so that the data need not fit in memory (a Source
// over a file, for instance the CLI's --stream). The initialisation method
// runs on sample, rows held in memory (for example a uniform sample of the
// data); sample may be nil when opts.Start gives every parameter or
// opts.WarmStart is set. The values of src are not checked (the reader
// should refuse NaN and infinities), and opts.Weights must be nil. With the
// same start and BlockRows, FitSource over a stream and Fit over the same
// rows in memory give the same bits.
func FitSource(ctx context.Context, src em.Source, sample mat.Matrix, opts Options) (*Model, *Report, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, nil, err
	}
	if o.Weights != nil {
		return nil, nil, optionErrorf("Weights", " must be nil for FitSource; weights come with the source's blocks")
	}
	if o.Known != nil {
		return nil, nil, optionErrorf("Known", " must be nil for FitSource: known labels are fitted in memory (Fit)")
	}
	csrc := &countingSource{Source: src}
	src = csrc
	st := o.Start
	complete := st != nil && st.Weights != nil && st.Means != nil && (st.Covariances != nil || st.Precisions != nil)
	var r *rowData
	if sample != nil {
		if o.Missing {
			r, err = missingData(sample, nil, "the sample")
		} else {
			r, err = checkData(sample, nil, "the sample")
		}
		if err != nil {
			return nil, nil, err
		}
		if r.d != src.Dim() {
			return nil, nil, dataErrorf("the sample has %d columns, the source %d", r.d, src.Dim())
		}
		if r.n < o.K && !complete && o.WarmStart == nil {
			return nil, nil, dataErrorf("the sample has %d rows but K = %d; the initialisation needs at least K rows", r.n, o.K)
		}
		r.eo = em.Options{Workers: o.Workers, BlockRows: o.BlockRows}
		r.src = em.Matrix(sample, nil)
		if o.Missing {
			r.src = em.Matrix(mat.NewDense(r.n, r.d, r.x), nil) // completed by column means
		}
	} else if !complete && o.WarmStart == nil {
		return nil, nil, fmt.Errorf("mixture: FitSource: give a sample for the %s initialisation, or a complete Options.Start", o.Init)
	} else {
		r = &rowData{d: src.Dim()}
	}
	return fit(ctx, src, r, o, opts)
}

// fit runs EM over src; r holds the rows the initialisation methods use.
func fit(ctx context.Context, src em.Source, r *rowData, o, opts Options) (*Model, *Report, error) {
	if o.FeatureNames != nil && len(o.FeatureNames) != r.d {
		return nil, nil, optionErrorf("FeatureNames", " has %d names for %d columns", len(o.FeatureNames), r.d)
	}
	if err := checkCovarianceDim(o.Covariance, r.d); err != nil {
		return nil, nil, err
	}
	if err := checkMemory(r.n, r.d, o.K, familyOf(o.Covariance), o.Workers); err != nil {
		return nil, nil, err
	}
	ws := o.WarmStart
	if ws != nil {
		if err := ws.fitted(); err != nil {
			e := optionErrorf("WarmStart", " is a zero Model; give one from Fit, New or Load")
			e.err = err
			return nil, nil, e
		}
		o.K, o.Covariance, o.NInit = ws.k, ws.CovarianceType(), 1
		if ws.d != r.d {
			return nil, nil, dataErrorf("X has %d features, but the warm-start model has %d", r.d, ws.d)
		}
		if opts.K != 0 && opts.K != ws.k || opts.Covariance != "" && opts.Covariance.orDefault() != ws.CovarianceType() {
			return nil, nil, optionErrorf("WarmStart", " has K = %d and %s covariances; Options ask for K = %d and %s", ws.k, ws.CovarianceType(), opts.K, opts.Covariance.orDefault())
		}
	}
	if o.Prior != nil {
		pp, err := resolveFitPrior(o.Prior, familyOf(o.Covariance), o.K, r)
		if err != nil {
			return nil, nil, err
		}
		o.prior = pp
	}
	var initSecs float64
	start := func(i int, rng *rand.Rand) (em.Model, error) {
		t0 := time.Now()
		defer func() { initSecs += time.Since(t0).Seconds() }()
		var m *Model
		if ws != nil {
			m = ws.clone()
			m.kernel = o.Kernel
			m.prior = o.prior
		} else {
			var err error
			m, err = initModel(ctx, r, &o, rng)
			if err != nil {
				return nil, err
			}
		}
		return o.newEMModel(m), nil
	}
	eo := em.Options{MaxIter: o.MaxIter, Tol: o.Tol, NInit: o.NInit, Seed: o.Seed,
		BlockRows: o.BlockRows, Workers: o.Workers}
	eo.Progress = fitProgress(o.Progress, eo)
	if ws != nil && !math.IsNaN(ws.lowerBound) {
		lb := ws.lowerBound
		eo.Previous = &lb
	}
	best, erep, err := runEM(ctx, src, start, eo) // engine.go: em.Run, or em.RunEngine for FitEngine
	if err != nil {
		// mixture's own errors (bad data or start parameters from the
		// initialisation, as *prefixed) say "mixture: " already; em's, a
		// *ComponentError and em's wrapping of several starts do not.
		if _, own := err.(*prefixed); !own {
			err = fmt.Errorf("mixture: %w", err)
		}
		return nil, nil, err
	}
	e := best.(*emModel)
	m := e.m
	m.prior = nil
	m.regCovar = o.regCovar
	m.seed = o.Seed
	m.names = slices.Clone(o.FeatureNames)
	if m.names == nil && ws != nil {
		m.names = slices.Clone(ws.names)
	}
	m.nIter = erep.Iterations
	m.converged = erep.Converged
	m.logLik = erep.LogLikelihood
	m.lowerBound = erep.LowerBound
	rows, facts := r.n, o.facts
	if cs, ok := src.(*countingSource); ok {
		rows, facts = cs.rows, cs.last // a stream: its rows, counted by the passes
	}
	rep := &Report{Report: *erep, K: m.k, Dim: m.d, Rows: rows, Covariance: m.CovarianceType(), Init: o.initName(),
		RegCovar: o.regCovar, Seed: o.Seed, NumParams: m.NumParams(), InitSeconds: initSecs, model: m,
		DataReport: o.dataReport(facts, e)}
	rep.BIC, rep.AIC = criteria(erep.LogLikelihood*erep.Weight, m.NumParams(), erep.Weight)
	rep.MclustBIC = -rep.BIC
	if o.prior != nil {
		rep.Prior = o.prior.values(m.fam, m.d)
	}
	return m, rep, nil
}

// criteria returns BIC and AIC (scikit-learn's sign) for the total
// log-likelihood ll, p free parameters and n observations.
func criteria(ll float64, p int, n float64) (bic, aic float64) {
	return -2*ll + float64(p)*math.Log(n), -2*ll + 2*float64(p)
}

func (o *Options) initName() string {
	switch {
	case o.WarmStart != nil:
		return "warm_start"
	case o.Start != nil && o.Start.Weights != nil && o.Start.Means != nil && (o.Start.Covariances != nil || o.Start.Precisions != nil):
		return "given"
	case o.Start != nil:
		return string(o.Init) + "+given"
	}
	return string(o.Init)
}

// resolve fills in defaults and checks every option, naming a bad one
// (catalog M-08).
func (o Options) resolve() (Options, error) {
	switch {
	case o.K == 0:
		o.K = 1
	case o.K < 0:
		return o, optionErrorf("K", " (n_components) = %d; give at least 1 component", o.K)
	}
	if o.Covariance == "" {
		o.Covariance = Full
	}
	if _, ok := lookupFamily(o.Covariance); !ok {
		return o, optionErrorf("Covariance", ": %s", unknownCovariance(string(o.Covariance)))
	}
	if o.Init == "" {
		o.Init = InitKMeans
		if o.Known != nil {
			o.Init = InitKnown
		}
	}
	if _, err := ParseInitMethod(string(o.Init)); err != nil && o.Init != InitKnown {
		return o, optionErrorf("Init", ": %s", unknownInit(string(o.Init)))
	}
	if err := o.resolveData(); err != nil {
		return o, err
	}
	if err := o.Kernel.check(); err != nil {
		return o, err
	}
	switch {
	case math.IsNaN(o.RegCovar) || math.IsInf(o.RegCovar, 0):
		return o, optionErrorf("RegCovar", " (reg_covar) %v is not a finite number", o.RegCovar)
	case o.RegCovar == 0:
		o.regCovar = DefaultRegCovar
	case o.RegCovar == NoRegCovar:
		o.regCovar = 0
	case o.RegCovar < 0:
		return o, optionErrorf("RegCovar", " (reg_covar) %g is negative; use 0 for the default %g or NoRegCovar for none", o.RegCovar, DefaultRegCovar)
	default:
		o.regCovar = o.RegCovar
	}
	// The EM options are checked by em; check them here too, one at a
	// time so that the error names its option, before any work.
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
		if _, err := c.o.Resolved(); err != nil {
			e := optionErrorf(c.name, ": %v", err)
			e.err = err
			return o, e
		}
	}
	if o.NInit == 0 {
		o.NInit = 1
	}
	return o, nil
}

// checkData validates the rows of x and the weights w (catalog M-01, M-02,
// M-03): at least one row and one column, every value finite, weights
// finite, non-negative, not all zero.
func checkData(x mat.Matrix, w []float64, name string) (*rowData, error) {
	if x == nil {
		panic("mixture: nil data matrix")
	}
	n, d := x.Dims()
	if n == 0 {
		return nil, dataErrorf("%s has 0 samples (shape %d×%d); a minimum of 1 is required", name, n, d)
	}
	if d == 0 {
		return nil, dataErrorf("%s has 0 feature(s) (shape=(%d, 0)) while a minimum of 1 is required", name, n)
	}
	data, stride, _, _ := denseRows(x)
	for i := 0; i < n; i++ {
		for j, v := range data[i*stride : i*stride+d] {
			if math.IsNaN(v) {
				return nil, dataErrorf("%s contains NaN at row %d, column %d; remove or impute missing values first, or treat NaN cells as missing values (Options.Missing of a fit; a model fitted so, or Model.AllowMissing, marginalises them)", name, i+1, j+1)
			}
			if math.IsInf(v, 0) {
				return nil, dataErrorf("%s contains infinity or a value too large at row %d, column %d (%v)", name, i+1, j+1, v)
			}
		}
	}
	if err := checkWeightsOf(w, n); err != nil {
		return nil, err
	}
	return &rowData{x: data, stride: stride, n: n, d: d, w: w}, nil
}
