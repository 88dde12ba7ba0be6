package mixture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// BootstrapType is a resampling scheme of Bootstrap, as the type of
// mclust's MclustBootstrap.
type BootstrapType string

// The resampling schemes. The zero value "" means Nonparametric.
const (
	// Nonparametric draws n rows with replacement (Efron 1979).
	Nonparametric BootstrapType = "bs"
	// WeightedLikelihood weights every row by an Exp(1) draw, rescaled to
	// a largest weight of 1, and maximises the weighted likelihood
	// (Newton & Raftery 1994).
	WeightedLikelihood BootstrapType = "wlbs"
	// Parametric draws n rows from the fitted mixture.
	Parametric BootstrapType = "pb"
	// Jackknife leaves out each row in turn: n replicates, no random
	// numbers (Quenouille 1956; Tukey 1958).
	Jackknife BootstrapType = "jk"
)

// BootstrapTypes lists the resampling schemes.
var BootstrapTypes = []BootstrapType{Nonparametric, WeightedLikelihood, Parametric, Jackknife}

// ParseBootstrapType returns the scheme named s ("bs", "wlbs", "pb",
// "jk", any case).
func ParseBootstrapType(s string) (BootstrapType, error) {
	t := BootstrapType(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(BootstrapTypes, t) {
		return t, nil
	}
	return "", fmt.Errorf("mixture: unknown bootstrap type %q; use bs, wlbs, pb or jk", s)
}

func (t BootstrapType) describe() string {
	switch t {
	case WeightedLikelihood:
		return "weighted likelihood bootstrap"
	case Parametric:
		return "parametric bootstrap"
	case Jackknife:
		return "jackknife"
	}
	return "nonparametric bootstrap"
}

// LabelMatching is how Bootstrap labels each replicate's components.
type LabelMatching string

// The labellings. The zero value "" means MatchNone.
const (
	// MatchNone keeps each replicate's labels, as mclust does: every
	// replicate's EM starts from the fitted model's posterior, so its
	// components inherit the fitted labels by construction. The report
	// still counts the replicates that matching would relabel.
	MatchNone LabelMatching = "none"
	// MatchFitted permutes each replicate's components to the fitted
	// ones: the permutation π maximising Σ_k Σ_i ẑ_ik z^b_{i,π(k)}, the
	// agreement of the fitted posterior ẑ with the replicate's posterior
	// z^b on the data (solved exactly by the Hungarian algorithm).
	MatchFitted LabelMatching = "fitted"
)

// BootstrapOptions control Bootstrap. The zero value runs mclust's
// default: 999 nonparametric resamples, each refitted by mclust's EM from
// the fitted posterior, labels kept, 95% intervals.
type BootstrapOptions struct {
	// Type is the resampling scheme; "" means Nonparametric.
	Type BootstrapType
	// NBoot is the number of replicates; 0 means 999. The jackknife has
	// one per row and ignores it.
	NBoot int
	// Seed seeds the draws: replicate b draws from its own stream of
	// (Seed, b), so the same seed gives the same bits on any number of
	// workers.
	Seed uint64
	// Workers is the number of replicates fitted at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// MaxNonFit is the most failed fits (redrawn) before Bootstrap stops
	// with fewer replicates; 0 means 10·NBoot, as mclust's max.nonfit.
	MaxNonFit int
	// Level is the coverage of the intervals, in (0, 1); 0 means 0.95.
	Level float64
	// Match is how the replicates' components are labelled; "" means
	// MatchNone (mclust's).
	Match LabelMatching
	// Prior, when not nil, refits every replicate under this conjugate
	// prior (resolved from each replicate's rows, as mclust does): give
	// the one the model was fitted with.
	Prior *Prior
	// Tol is the EM's tolerance (mclust's emControl()$tol[1]); 0 means
	// 1e-5.
	Tol float64
	// MaxIter is the most EM iterations per replicate; 0 means no limit,
	// as mclust's. A replicate that hits it is kept.
	MaxIter int
	// Posterior, when not nil, are the responsibilities (n×K, rows
	// summing to 1) the replicates' EM starts from, for the resampled rows
	// (bs, jk) or all (wlbs); nil means m's posterior on x. mclust starts
	// from its Mclust object's z, the posterior of the parameters before
	// Mclust's final M-step: give that z to reproduce mclust's replicates.
	// The parametric bootstrap starts from m's posterior on its draws.
	Posterior mat.Matrix
	// Kernel is the E-step's kernel (see Options.Kernel); "" means
	// KernelGemm.
	Kernel Kernel
	// Weights are the rows' weights, as Options.Weights (frequency
	// weights: finite, ≥ 0, not all 0); nil means ones. The model is
	// refitted and every replicate fitted by the weighted EM (the M-step
	// reads z·w, the log-likelihood is Σ w_i log f(x_i)). The resampling
	// units are the rows of positive weight, each carrying its weight: a
	// nonparametric draw takes a row with its weight, the weighted
	// likelihood bootstrap multiplies each weight by its Exp(1) draw, the
	// jackknife leaves out a row and its weight, and the parametric
	// bootstrap draws round(Σ w) unweighted rows from the model. So an
	// integer weight is not the same as that many copies of the row for
	// bs, wlbs and jk (copies would be resampled one by one); it is for
	// pb. Rows of weight 0 are not units.
	Weights []float64
	// Progress, when not nil, is called from Bootstrap's goroutine after
	// each replicate, with Done replicates finished (in any order) of
	// Total.
	Progress func(Progress)
}

// BootstrapStatus says how a bootstrap ended.
type BootstrapStatus string

// The statuses.
const (
	// BootstrapComplete: every replicate fitted at its first draw.
	BootstrapComplete BootstrapStatus = "complete"
	// BootstrapRefitted: some draws failed to fit (a collapsed component)
	// and were redrawn; every replicate asked for is there.
	BootstrapRefitted BootstrapStatus = "refitted"
	// BootstrapIncomplete: fewer replicates than asked: MaxNonFit failed
	// fits were reached, or jackknife replicates failed (they are not
	// redrawn).
	BootstrapIncomplete BootstrapStatus = "incomplete"
)

func (s BootstrapStatus) String() string { return string(s) }

// ParameterSet is a mixture's parameters, or a statistic of each of
// them: weights [K], means [K][D], covariances [K][D][D] in full form.
type ParameterSet struct {
	Weights     []float64     `json:"weights"`
	Means       [][]float64   `json:"means"`
	Covariances [][][]float64 `json:"covariances"`
}

// Replicate is one bootstrap replicate's fit.
type Replicate struct {
	// Index is the replicate b (0-based); for the jackknife, the row left
	// out.
	Index int `json:"index"`
	// Draws is the number of draws it took (1 + the failed fits redrawn).
	Draws int `json:"draws"`
	// LogLikelihood is the total log-likelihood of the replicate's rows
	// (weighted, for the weighted likelihood bootstrap).
	LogLikelihood float64 `json:"log_likelihood"`
	// Iterations is the number of EM iterations.
	Iterations int `json:"iterations"`
	// Permutation, when matching would relabel the components, maps each
	// fitted component k to the replicate's π(k) (whether or not Match
	// applied it); nil for the identity.
	Permutation []int `json:"permutation,omitempty"`
	// Parameters are the replicate's estimates, permuted when
	// MatchFitted.
	Parameters ParameterSet `json:"parameters"`
}

// BootstrapReport is the result of Bootstrap: the fitted parameters, every
// replicate, and the summaries of mclust's summary.MclustBootstrap —
// averages, standard errors and intervals of every weight, mean and
// covariance entry.
type BootstrapReport struct {
	Type       BootstrapType  `json:"type"`
	Covariance CovarianceType `json:"covariance_type"`
	K          int            `json:"k"`
	Dim        int            `json:"dim"`
	Rows       int            `json:"rows"`
	Columns    []string       `json:"columns"`
	Seed       uint64         `json:"seed"`
	// Weight is the sum of BootstrapOptions.Weights, and Units the rows
	// of positive weight, the resampling units; both 0 when unweighted.
	// Drawn is the rows of each parametric draw, round(Weight).
	Weight float64 `json:"weight,omitempty"`
	Units  int     `json:"units,omitempty"`
	Drawn  int     `json:"drawn,omitempty"`
	// MissingCells counts the NaN cells of X (a model that marginalises
	// missing values, Model.Missing) and IncompleteRows the rows with
	// one; every replicate's EM marginalises them.
	MissingCells   int `json:"missing_cells,omitempty"`
	IncompleteRows int `json:"incomplete_rows,omitempty"`
	// NBoot is the number of replicates asked for (the rows, for the
	// jackknife); len(Replicates) the number fitted.
	NBoot int `json:"nboot"`
	// NonFit counts the failed fits: redrawn, or for the jackknife left
	// out.
	NonFit int             `json:"nonfit"`
	Status BootstrapStatus `json:"status"`
	Match  LabelMatching   `json:"match"`
	// Relabelled counts the replicates whose components matching to the
	// fitted ones permutes (and, with MatchFitted, did permute).
	Relabelled int     `json:"relabelled"`
	Level      float64 `json:"level"`
	// Fitted are the parameters the replicates are compared with: the
	// model's refitted to X by the replicates' EM (see Bootstrap), or the
	// model's own when BootstrapOptions.Posterior is given.
	Fitted ParameterSet `json:"fitted"`
	// Refit is the number of EM iterations of that refit (0: none).
	Refit int `json:"refit"`
	// Mean is the average over the replicates.
	Mean ParameterSet `json:"mean"`
	// SE are the standard errors: the replicates' standard deviation
	// (divisor B − 1); for the jackknife sd·(B − 1)/√B.
	SE ParameterSet `json:"se"`
	// Lower and Upper bound the intervals of coverage Level: the
	// percentiles (1 ∓ Level)/2 of the replicates (R's quantile type 7);
	// for the jackknife Mean ∓ z·SE, z the normal quantile.
	Lower ParameterSet `json:"lower"`
	Upper ParameterSet `json:"upper"`
	// Replicates are the fitted replicates, in order of Index.
	Replicates []Replicate `json:"replicates"`
	Workers    int         `json:"workers"`
	Seconds    float64     `json:"seconds"`
}

// Bootstrap estimates the sampling distribution of the parameters of the
// mixture m fitted to the rows of x, as mclust's MclustBootstrap does
// (Basford, Greenway, McLachlan & Peel 1997; O'Hagan, Murphy, Scrucca &
// Gormley 2019): it resamples the data opts.NBoot times (or leaves out
// each row, for the jackknife), refits each replicate with m's covariance
// type and K by mclust's EM started from m's posterior on the replicate's
// rows, and summarises the replicates' weights, means and covariances.
// Unless opts.Posterior is given, m is first refitted to x by that EM
// from its posterior: a fit by Fit with its default tolerance is not yet
// at that EM's fixed point, and replicates started there would also
// measure the way to it (the jackknife's standard errors, scaled by
// n − 1, most); Fitted reports the refit. A replicate whose fit fails is
// redrawn (counted in NonFit); that is a status, not an error.
//
// Weights (BootstrapOptions.Weights) and missing values are those of Fit:
// when m marginalises missing values (Model.Missing: a fit with
// Options.Missing, or Model.AllowMissing), x may have NaN cells, and the
// refit and every replicate run the exact EM under missing at random
// (missing.go's algebra, in mclust's EM) from m's completions of the
// rows; a parametric draw keeps the data's patterns (each draw stands
// for a row of the data, paired at random, and its cells missing in that
// row are NaN). A row with every value missing, or a column never
// observed, is an error, as in Fit.
//
// Errors: a bad option (an *OptionError naming it), x not matching m, bad
// data or weights, a cancelled ctx. x and m are not modified.
func Bootstrap(ctx context.Context, x mat.Matrix, m *Model, opts BootstrapOptions) (*BootstrapReport, error) {
	if err := m.fitted(); err != nil {
		return nil, err
	}
	o, err := opts.resolve(m)
	if err != nil {
		return nil, err
	}
	d, k := m.d, m.k
	data, err := bootData(x, m, o.Weights)
	if err != nil {
		return nil, err
	}
	n, rows, w, fill := data.n, data.rows, data.w, data.fill
	drawn := drawCount(n, w)
	if need := k + 1 + btoi(o.Type == Jackknife); n < need || o.Type == Parametric && drawn < need {
		what := fmt.Sprintf("X has %d rows", n)
		if w != nil {
			what = fmt.Sprintf("X has %d rows of positive weight", n)
			if o.Type == Parametric {
				what = fmt.Sprintf("its weights sum to %.6g, the rows of a parametric draw (frequency weights)", data.weight)
			}
		}
		return nil, dataErrorf("%s; a %s of %d components needs at least %d", what, o.Type.describe(), k, need)
	}
	t0 := time.Now()
	z0 := make([]float64, n*k)
	if _, err := meEStep(m.newWorker(), rows, n, d, z0, nil, fill); err != nil {
		return nil, fmt.Errorf("mixture: Bootstrap: the model cannot score X: %w", err)
	}
	refit := 0
	if o.Posterior == nil {
		// Polish m to the fixed point of the replicates' own EM, so that
		// the replicates measure the sampling variation and not also EM's
		// way from an unconverged start to it.
		pm, res, err := meFit(ctx, rows, n, d, z0, &meConfig{fam: m.fam, k: k, tol: o.Tol, maxIter: o.MaxIter, prior: o.Prior, kernel: o.Kernel, w: w, fill: fill})
		if err != nil {
			return nil, fmt.Errorf("mixture: Bootstrap: refitting the model to X by mclust's EM: %w", err)
		}
		pm.names, pm.data = m.names, m.data
		m, refit = pm, res.iter
	}
	zFit := z0
	if o.Posterior != nil {
		all := make([]float64, data.rowsX*k)
		if err := posteriorInto(all, o.Posterior, data.rowsX, k); err != nil {
			return nil, err
		}
		z0 = gatherRows(all, data.unit, k)
	}
	nboot := o.NBoot
	if o.Type == Jackknife {
		nboot = n
	}
	rep := &BootstrapReport{Type: o.Type, Covariance: m.CovarianceType(), K: k, Dim: d, Rows: data.rowsX, Seed: o.Seed,
		NBoot: nboot, Match: o.Match, Level: o.Level, Fitted: m.parameterSet(), Refit: refit, Workers: o.Workers, Columns: m.FeatureNames(),
		MissingCells: data.cells, IncompleteRows: data.incomplete}
	if w != nil {
		rep.Weight, rep.Units, rep.Drawn = data.weight, n, drawn
	}
	if rep.Columns == nil {
		rep.Columns = defaultNames(d)
	}
	b := &booter{m: m, o: &o, rows: rows, z0: z0, zFit: zFit, n: n, d: d, k: k, workers: new(sync.Pool), w: w, unit: data.unit, fill: fill, drawn: drawn}
	results, err := runReplicates(ctx, nboot, o.Workers, o.MaxNonFit, o.Type != Jackknife, o.Progress, b.replicate)
	if err != nil {
		return nil, fmt.Errorf("mixture: Bootstrap: %w", err)
	}
	for _, res := range results {
		rep.NonFit += res.failures
		if res.ok {
			rep.Replicates = append(rep.Replicates, res.rep)
			if res.rep.Permutation != nil {
				rep.Relabelled++
			}
		}
	}
	switch {
	case len(rep.Replicates) < nboot:
		rep.Status = BootstrapIncomplete
	case rep.NonFit > 0:
		rep.Status = BootstrapRefitted
	default:
		rep.Status = BootstrapComplete
	}
	if len(rep.Replicates) < 2 {
		return nil, fmt.Errorf("mixture: Bootstrap: only %d of %d replicates could be fitted (%d failed fits): %w", len(rep.Replicates), nboot, rep.NonFit, ErrIllDefinedCovariance)
	}
	rep.summarise()
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

// resolve fills in the defaults and checks the options, naming a bad one.
func (o BootstrapOptions) resolve(m *Model) (BootstrapOptions, error) {
	if o.Type == "" {
		o.Type = Nonparametric
	}
	if _, err := ParseBootstrapType(string(o.Type)); err != nil {
		return o, bootOptionErrorf("Type", ": unknown bootstrap type %q; use Nonparametric (bs), WeightedLikelihood (wlbs), Parametric (pb) or Jackknife (jk)", string(o.Type))
	}
	switch {
	case o.NBoot == 0:
		o.NBoot = 999
	case o.NBoot < 2:
		return o, bootOptionErrorf("NBoot", " = %d; give at least 2 replicates (0 means 999)", o.NBoot)
	}
	switch {
	case o.Workers == 0:
		o.Workers = runtime.GOMAXPROCS(0)
	case o.Workers < 0:
		return o, bootOptionErrorf("Workers", " = %d is negative; 0 means every core", o.Workers)
	}
	switch {
	case o.MaxNonFit == 0:
		o.MaxNonFit = 10 * o.NBoot
	case o.MaxNonFit < 0:
		return o, bootOptionErrorf("MaxNonFit", " = %d is negative; 0 means 10·NBoot", o.MaxNonFit)
	}
	switch {
	case o.Level == 0:
		o.Level = 0.95
	case !(o.Level > 0 && o.Level < 1):
		return o, bootOptionErrorf("Level", " = %v; give a coverage in (0, 1), 0 meaning 0.95", o.Level)
	}
	switch o.Match {
	case "":
		o.Match = MatchNone
	case MatchNone, MatchFitted:
	default:
		return o, bootOptionErrorf("Match", ": unknown labelling %q; use MatchNone or MatchFitted", string(o.Match))
	}
	if err := checkMeOptions(o.Tol, o.MaxIter, bootOptionErrorf); err != nil {
		return o, err
	}
	if err := o.Kernel.check(); err != nil {
		return o, err
	}
	if o.Prior != nil {
		if _, err := lookupPriorFamily(m.fam); err != nil {
			return o, bootOptionErrorf("Prior", ": %s", strings.TrimPrefix(err.Error(), "mixture: Options.Prior: "))
		}
		if err := o.Prior.check(m.d); err != nil {
			return o, bootOptionErrorf("Prior", "%s", strings.TrimPrefix(err.Error(), "mixture: Options.Prior"))
		}
	}
	return o, nil
}

// checkMeOptions checks the EM settings of the bootstrap and the LRT.
func checkMeOptions(tol float64, maxIter int, errf func(string, string, ...any) *OptionError) error {
	if math.IsNaN(tol) || math.IsInf(tol, 0) || tol < 0 || tol >= 1 {
		return errf("Tol", " = %v; give a tolerance in [0, 1), 0 meaning mclust's 1e-5", tol)
	}
	if maxIter < 0 {
		return errf("MaxIter", " = %d is negative; 0 means no limit", maxIter)
	}
	return nil
}

// bootOptionErrorf is optionErrorf for a field of BootstrapOptions.
func bootOptionErrorf(option, format string, a ...any) *OptionError {
	return &OptionError{Option: option, msg: "mixture: BootstrapOptions." + option + fmt.Sprintf(format, a...)}
}

// posteriorInto copies the responsibilities p (n×K, checked) into z.
func posteriorInto(z []float64, p mat.Matrix, n, k int) error {
	if r, c := p.Dims(); r != n || c != k {
		return bootOptionErrorf("Posterior", " is %d×%d; give the n×K = %d×%d responsibilities of the rows of X", r, c, n, k)
	}
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < k; j++ {
			v := p.At(i, j)
			if !(v >= 0 && v <= 1) {
				return bootOptionErrorf("Posterior", "[%d][%d] = %v; responsibilities are in [0, 1]", i, j, v)
			}
			z[i*k+j] = v
			s += v
		}
		if math.Abs(s-1) > 1e-6 {
			return bootOptionErrorf("Posterior", ": row %d sums to %v; responsibilities sum to 1", i, s)
		}
	}
	return nil
}

// parameterSet returns m's parameters in full form.
func (m *Model) parameterSet() ParameterSet {
	p := ParameterSet{Weights: m.Weights(nil)}
	for k := 0; k < m.k; k++ {
		p.Means = append(p.Means, slices.Clone(m.means[k*m.d:(k+1)*m.d]))
		cv := m.Covariance(nil, k)
		rows := make([][]float64, m.d)
		for i := range rows {
			rows[i] = make([]float64, m.d)
			for j := range rows[i] {
				rows[i][j] = cv.At(i, j)
			}
		}
		p.Covariances = append(p.Covariances, rows)
	}
	return p
}

// bootRows are the data of a Bootstrap: the resampling units (the rows of
// X, or those of positive weight) copied row-major, with their weights
// and holes.
type bootRows struct {
	rowsX             int       // the rows of X
	n                 int       // the units
	rows              []float64 // n×D
	w                 []float64 // n: their weights; nil when unweighted
	weight            float64   // Σ w
	unit              []int     // n: each unit's row of X; nil when every row is one
	fill              *meFill   // their holes; nil without NaN
	cells, incomplete int       // NaN cells of X, rows with one
}

// keepUnits returns the rows of X (row(i) is the i-th, n of them, D
// wide) that are resampling units: every row when w is nil, else those of
// positive weight, with their weights and their index in X.
func keepUnits(n, d int, row func(int) []float64, w []float64) *bootRows {
	b := &bootRows{rowsX: n}
	for i := 0; i < n; i++ {
		if w != nil && w[i] == 0 {
			if b.unit == nil {
				for j := 0; j < i; j++ {
					b.unit = append(b.unit, j)
				}
			}
			continue
		}
		if b.unit != nil {
			b.unit = append(b.unit, i)
		}
		b.rows = append(b.rows, row(i)...)
		if w != nil {
			b.w = append(b.w, w[i])
			b.weight += w[i]
		}
	}
	b.n = len(b.rows) / d
	return b
}

// bootData checks x for m (its columns; NaN cells only when m
// marginalises missing values, then no row all missing and no column
// never observed, as Fit) and the weights w (Fit's checker), and returns
// the units.
func bootData(x mat.Matrix, m *Model, w []float64) (*bootRows, error) {
	r, err := m.input(x)
	if err != nil {
		return nil, err
	}
	if m.Missing() {
		if _, err := missingData(x, w, "X"); err != nil {
			return nil, err
		}
	} else if err := checkWeightsOf(w, r.n); err != nil {
		return nil, err
	}
	d := r.d
	b := keepUnits(r.n, d, r.row, w)
	if m.Missing() {
		c := countMissing(x)
		b.cells, b.incomplete = c.MissingCells, c.IncompleteRows
		b.fill = newHoles(b.rows, b.n, d).newFill(m.k, d)
	}
	return b, nil
}

// gatherRows returns the rows idx (nil: all) of the row-major v of width k.
func gatherRows(v []float64, idx []int, k int) []float64 {
	if idx == nil {
		return v
	}
	out := make([]float64, 0, len(idx)*k)
	for _, i := range idx {
		out = append(out, v[i*k:(i+1)*k]...)
	}
	return out
}

// booter fits the replicates of one Bootstrap.
type booter struct {
	m       *Model
	o       *BootstrapOptions
	rows    []float64 // n×d, the units' rows
	z0      []float64 // n×K, where the replicates start (Posterior)
	zFit    []float64 // n×K, m's posterior, the labels matching aims at
	n, d, k int
	workers *sync.Pool // of E-step workers, shared by every fit (meConfig.workers)
	w       []float64  // n: the units' weights; nil when unweighted
	unit    []int      // n: each unit's row of X; nil when every row is one
	fill    *meFill    // the units' holes and m's completions; nil without NaN
	drawn   int        // the rows of a parametric draw
}

// bootStream is the PCG stream of replicate b's draws: one stream per b.
func bootStream(b int) uint64 { return 0x626f6f7473747270 ^ uint64(b) } // "bootstrp"

// replicate draws and fits replicate b, redrawing a failed fit while
// again(failures so far) allows. It is called from several goroutines; the
// fitted model is only read.
func (bt *booter) replicate(ctx context.Context, b int, again func(failures int) bool) (res replicateResult, err error) {
	rng := rand.New(rand.NewPCG(bt.o.Seed, bootStream(b)))
	n, d, k := bt.n, bt.d, bt.k
	cfg := &meConfig{fam: bt.m.fam, k: k, tol: bt.o.Tol, maxIter: bt.o.MaxIter, prior: bt.o.Prior, kernel: bt.o.Kernel, workers: bt.workers}
	var x, z, wr []float64
	var idx []int
	var rowsN int
	for draw := 1; ; draw++ {
		switch bt.o.Type {
		case Nonparametric:
			rowsN = n
			x, z = resize(x, n*d), resize(z, n*k)
			if bt.w != nil {
				wr = resize(wr, n)
			}
			idx = idx[:0]
			for i := 0; i < n; i++ {
				j := rng.IntN(n)
				copy(x[i*d:(i+1)*d], bt.rows[j*d:(j+1)*d])
				copy(z[i*k:(i+1)*k], bt.z0[j*k:(j+1)*k])
				if bt.w != nil {
					wr[i] = bt.w[j] // a drawn unit carries its weight
				}
				idx = append(idx, j)
			}
			cfg.w, cfg.fill = wr, bt.fill.gather(idx, d)
		case WeightedLikelihood:
			rowsN = n
			x, z = bt.rows, resize(z, n*k)
			copy(z, bt.z0)
			w := make([]float64, n)
			top := 0.0
			for i := range w {
				w[i] = rng.ExpFloat64()
				if bt.w != nil {
					w[i] *= bt.w[i]
				}
				top = math.Max(top, w[i])
			}
			for i := range w {
				w[i] /= top
			}
			cfg.rule, cfg.w, cfg.fill = meWeighted, w, bt.fill.clone()
		case Parametric:
			rowsN = bt.drawn
			x, z = resize(x, rowsN*d), resize(z, rowsN*k)
			bt.m.Sample(mat.NewDense(rowsN, d, x), nil, rng)
			var f *meFill
			if bt.fill != nil {
				bt.fill.mask(x, d, rowsN, bt.w, rng)
				f = newHoles(x, rowsN, d).newFill(k, d)
			}
			fw, release := workerFor(bt.m, bt.workers)
			_, err := meEStep(fw, x, rowsN, d, z, nil, f)
			release()
			if err != nil {
				res.failures++ // a draw the model cannot score: not fitted
				if again(res.failures) {
					continue
				}
				return res, nil
			}
			cfg.fill = f
		case Jackknife:
			rowsN = n - 1
			x, z = resize(x, (n-1)*d), resize(z, (n-1)*k)
			copy(x, bt.rows[:b*d])
			copy(x[b*d:], bt.rows[(b+1)*d:])
			copy(z, bt.z0[:b*k])
			copy(z[b*k:], bt.z0[(b+1)*k:])
			if bt.w != nil {
				wr = append(append(resize(wr, 0), bt.w[:b]...), bt.w[b+1:]...)
				cfg.w = wr
			}
			if bt.fill != nil {
				idx = idx[:0]
				for i := 0; i < n; i++ {
					if i != b {
						idx = append(idx, i)
					}
				}
				cfg.fill = bt.fill.gather(idx, d)
			}
		}
		fit, mr, err := meFit(ctx, x, rowsN, d, z, cfg)
		if err == nil {
			res.ok = true
			res.rep = Replicate{Index: b, Draws: draw, LogLikelihood: mr.logLik, Iterations: mr.iter}
			if bt.unit != nil && bt.o.Type == Jackknife {
				res.rep.Index = bt.unit[b] // the row of X left out
			}
			res.rep.Parameters = fit.parameterSet()
			if perm := bt.match(fit); perm != nil {
				res.rep.Permutation = perm
				if bt.o.Match == MatchFitted {
					res.rep.Parameters.permute(perm)
				}
			}
			return res, nil
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		var me *meError
		var re *rowError
		if !errors.As(err, &me) && !errors.As(err, &re) {
			return res, err
		}
		res.failures++
		if !again(res.failures) {
			return res, nil
		}
	}
}

// match returns the permutation π of fit's components that best agrees
// with the fitted ones on the data (see MatchFitted), or nil when it is
// the identity.
func (bt *booter) match(fit *Model) []int {
	n, d, k := bt.n, bt.d, bt.k
	if k == 1 {
		return nil
	}
	z := make([]float64, n*k)
	w, release := workerFor(fit, bt.workers)
	_, err := meEStep(w, bt.rows, n, d, z, nil, bt.fill.scoring())
	release()
	if err != nil {
		return nil // the replicate cannot score some rows: keep its labels
	}
	cost := make([]float64, k*k) // cost[a][j] = −Σ_i ẑ_ia z_ij
	for i := 0; i < n; i++ {
		for a := 0; a < k; a++ {
			za := bt.zFit[i*k+a]
			if za == 0 {
				continue
			}
			for j := 0; j < k; j++ {
				cost[a*k+j] -= za * z[i*k+j]
			}
		}
	}
	perm := hungarian(cost, k)
	for a, j := range perm {
		if a != j {
			return perm
		}
	}
	return nil
}

// permute reorders p's components: component k becomes p's perm[k].
func (p *ParameterSet) permute(perm []int) {
	w, mu, cv := slices.Clone(p.Weights), slices.Clone(p.Means), slices.Clone(p.Covariances)
	for k, j := range perm {
		p.Weights[k], p.Means[k], p.Covariances[k] = w[j], mu[j], cv[j]
	}
}

// resize returns s with length n, reusing its memory.
func resize(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n)
}

// replicateResult is a replicate's outcome: fitted (ok, rep) after
// failures failed draws, or not.
type replicateResult struct {
	ok       bool
	failures int
	rep      Replicate // Bootstrap's
	stat     float64   // BootstrapLRT's statistic
}

// runReplicates fits replicates 0 … nrep−1 on workers goroutines and
// returns their outcomes in order. With redraw, a failed draw is drawn
// again, as mclust's MclustBootstrap does, until maxFail failures in all:
// they are counted in replicate order, so that the outcome does not
// depend on the scheduling, and the run ends (results cut there) at the
// replicate during which the count reaches maxFail, which is not counted.
// Without redraw a failed replicate stays failed. Progress is called from
// this goroutine.
func runReplicates(ctx context.Context, nrep, workers, maxFail int, redraw bool, progress func(Progress),
	fit func(ctx context.Context, b int, again func(int) bool) (replicateResult, error)) ([]replicateResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]replicateResult, nrep)
	var next atomic.Int64
	var stop atomic.Int64 // replicates from here on are not needed
	stop.Store(int64(nrep))
	done := make(chan int, nrep)
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for w := 0; w < max(1, min(workers, nrep)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				b := int(next.Add(1) - 1)
				if b >= nrep || int64(b) >= stop.Load() {
					return
				}
				// No replicate may fail maxFail times and be counted; the
				// budget in replicate order is applied below.
				again := func(f int) bool { return redraw && f < maxFail && int64(b) < stop.Load() }
				res, err := fit(ctx, b, again)
				if err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					return
				}
				results[b] = res
				done <- b
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	finished := make([]bool, nrep)
	committed, failed, count := 0, 0, 0
	for b := range done {
		finished[b] = true
		count++
		for committed < nrep && finished[committed] && int64(committed) < stop.Load() {
			r := &results[committed]
			if redraw && failed+r.failures >= maxFail {
				// mclust's loop ends at the failure that reaches
				// max.nonfit: the failures after it were never drawn.
				r.failures = maxFail - failed
				stop.Store(int64(committed))
				break
			}
			failed += r.failures
			committed++
		}
		if progress != nil {
			progress(Progress{Done: count, Total: nrep})
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := int(stop.Load())
	if s < nrep {
		// The failures of the replicate that ended the run count.
		results[s].ok = false
		return results[:s+1], nil
	}
	return results, nil
}

// summarise fills Mean, SE, Lower and Upper from the replicates.
func (r *BootstrapReport) summarise() {
	k, d := r.K, r.Dim
	b := len(r.Replicates)
	vals := make([]float64, b)
	z := distuv.UnitNormal.Quantile((1 + r.Level) / 2)
	lo, hi := (1-r.Level)/2, (1+r.Level)/2
	stat := func(get func(p *ParameterSet) float64) (mean, se, lower, upper float64) {
		for i := range r.Replicates {
			vals[i] = get(&r.Replicates[i].Parameters)
		}
		mean, se = meanSD(vals)
		if r.Type == Jackknife {
			se *= float64(b-1) / math.Sqrt(float64(b))
			return mean, se, mean - z*se, mean + z*se
		}
		s := slices.Clone(vals)
		slices.Sort(s)
		return mean, se, quantile7(s, lo), quantile7(s, hi)
	}
	sets := []*ParameterSet{&r.Mean, &r.SE, &r.Lower, &r.Upper}
	for _, p := range sets {
		*p = ParameterSet{Weights: make([]float64, k)}
		for c := 0; c < k; c++ {
			p.Means = append(p.Means, make([]float64, d))
			cv := make([][]float64, d)
			for i := range cv {
				cv[i] = make([]float64, d)
			}
			p.Covariances = append(p.Covariances, cv)
		}
	}
	put := func(dst func(p *ParameterSet) *float64, get func(p *ParameterSet) float64) {
		a, s, l, u := stat(get)
		*dst(&r.Mean), *dst(&r.SE), *dst(&r.Lower), *dst(&r.Upper) = a, s, l, u
	}
	for c := 0; c < k; c++ {
		put(func(p *ParameterSet) *float64 { return &p.Weights[c] }, func(p *ParameterSet) float64 { return p.Weights[c] })
		for j := 0; j < d; j++ {
			put(func(p *ParameterSet) *float64 { return &p.Means[c][j] }, func(p *ParameterSet) float64 { return p.Means[c][j] })
		}
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				put(func(p *ParameterSet) *float64 { return &p.Covariances[c][i][j] }, func(p *ParameterSet) float64 { return p.Covariances[c][i][j] })
			}
		}
	}
}

// meanSD returns the mean of vals and their standard deviation (divisor
// len − 1). Finite values give finite results: where the plain sums
// overflow (values of 1e297, a variance of data near 1e150, square to
// infinity), they are recomputed in scaled form — the mean as Σ v/B, the
// deviations divided by the largest before squaring (as LAPACK's dnrm2
// scales) — so that the common case keeps its bits (issue 22, item 19).
func meanSD(vals []float64) (mean, sd float64) {
	b := float64(len(vals))
	for _, v := range vals {
		mean += v
	}
	mean /= b
	if math.IsInf(mean, 0) {
		mean = 0
		for _, v := range vals {
			mean += v / b
		}
	}
	ss := 0.0
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	sd = math.Sqrt(ss / (b - 1))
	if math.IsInf(sd, 0) && !math.IsInf(mean, 0) {
		top := 0.0
		for _, v := range vals {
			top = math.Max(top, math.Abs(v-mean))
		}
		ss = 0
		for _, v := range vals {
			t := (v - mean) / top
			ss += t * t
		}
		sd = top * math.Sqrt(ss/(b-1))
	}
	return mean, sd
}

// quantile7 is R's quantile(x, p, type = 7) of the sorted s: the linear
// interpolation at (len − 1)·p (as a weighted mean of the two values when
// their difference overflows).
func quantile7(s []float64, p float64) float64 {
	h := float64(len(s)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	f := h - lo
	if q := s[i] + f*(s[i+1]-s[i]); !math.IsInf(q, 0) {
		return q
	}
	return (1-f)*s[i] + f*s[i+1]
}

// hungarian returns the assignment perm (row a → column perm[a]) of the
// k×k row-major cost matrix with the least total cost: the Hungarian
// algorithm with potentials (Kuhn 1955; Munkres 1957), O(k³).
func hungarian(cost []float64, k int) []int {
	inf := math.Inf(1)
	u, v := make([]float64, k+1), make([]float64, k+1)
	p, way := make([]int, k+1), make([]int, k+1) // p[j]: the row of column j (1-based; 0 none)
	for i := 1; i <= k; i++ {
		p[0] = i
		j0 := 0
		minv := make([]float64, k+1)
		used := make([]bool, k+1)
		for j := range minv {
			minv[j] = inf
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			for j := 1; j <= k; j++ {
				if used[j] {
					continue
				}
				cur := cost[(i0-1)*k+j-1] - u[i0] - v[j]
				if cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= k; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	perm := make([]int, k)
	for j := 1; j <= k; j++ {
		perm[p[j]-1] = j - 1
	}
	return perm
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// WriteText writes the report as `latent gmm bootstrap` prints it: what
// was resampled and how it ended, then per component the fitted weight,
// means and covariance entries with their standard errors and intervals
// (a shared covariance once; the zero entries of diagonal forms left out).
func (r *BootstrapReport) WriteText(w io.Writer) error {
	var b bytes.Buffer
	seed := fmt.Sprintf(", seed %d", r.Seed)
	if r.Type == Jackknife {
		seed = ""
	}
	fmt.Fprintf(&b, "%s of a %s mixture, K = %d, on %d rows × %d columns: %d of %d replicates%s, %s",
		strings.ToUpper(r.Type.describe()[:1])+r.Type.describe()[1:], r.Covariance, r.K, r.Rows, r.Dim, len(r.Replicates), r.NBoot, seed, r.Status)
	if r.NonFit > 0 {
		fmt.Fprintf(&b, " (%d failed fits)", r.NonFit)
	}
	b.WriteString("\n")
	writeMessy(&b, r.Weight, r.Units, r.Drawn, r.Rows, r.MissingCells, r.IncompleteRows, r.Type == Parametric, "replicate", "parametric draw")
	if r.Refit > 0 {
		fmt.Fprintf(&b, "the model was first refitted to the data by mclust's EM, as the replicates are (%d iterations)\n", r.Refit)
	}
	switch r.Match {
	case MatchFitted:
		fmt.Fprintf(&b, "labels matched to the fitted components: %d replicates relabelled\n", r.Relabelled)
	default:
		fmt.Fprintf(&b, "labels as fitted (each EM starts from the fitted posterior, as mclust's); matching would relabel %d replicates\n", r.Relabelled)
	}
	lo, hi := 100*(1-r.Level)/2, 100*(1+r.Level)/2
	kind := "percentile"
	if r.Type == Jackknife {
		kind = "normal, mean ∓ z·SE"
	}
	fmt.Fprintf(&b, "standard errors (SE) and %g%% intervals (%s):\n\n", 100*r.Level, kind)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "component\tparameter\tfitted\treplicates' mean\tSE\t%s%%\t%s%%\t\n", trimFloat(lo), trimFloat(hi))
	row := func(comp, name string, get func(p *ParameterSet) float64) {
		fmt.Fprintf(tw, "%s\t%s\t%.5g\t%.5g\t%.3g\t%.5g\t%.5g\t\n", comp, name, get(&r.Fitted), get(&r.Mean), get(&r.SE), get(&r.Lower), get(&r.Upper))
	}
	f, _ := lookupFamily(r.Covariance)
	shared := f != nil && func() bool { a, _ := f.sizes(1, r.Dim); c, _ := f.sizes(2, r.Dim); return a == c }()
	covRows := func(comp string, k int) {
		for i := 0; i < r.Dim; i++ {
			for j := i; j < r.Dim; j++ {
				if j > i && r.Fitted.Covariances[k][i][j] == 0 && r.SE.Covariances[k][i][j] == 0 {
					continue
				}
				name := "var " + r.Columns[i]
				if j > i {
					name = "cov " + r.Columns[i] + "," + r.Columns[j]
				}
				row(comp, name, func(p *ParameterSet) float64 { return p.Covariances[k][i][j] })
			}
		}
	}
	for k := 0; k < r.K; k++ {
		comp := fmt.Sprint(k)
		row(comp, "weight", func(p *ParameterSet) float64 { return p.Weights[k] })
		for j := 0; j < r.Dim; j++ {
			row(comp, "mean "+r.Columns[j], func(p *ParameterSet) float64 { return p.Means[k][j] })
		}
		if !shared {
			covRows(comp, k)
		}
	}
	if shared {
		covRows("all", 0)
	}
	tw.Flush()
	_, err := w.Write(b.Bytes())
	return err
}

// writeMessy writes the lines of a Bootstrap or LRT report that say how
// weights and missing values were treated; nothing for plain data.
func writeMessy(b *bytes.Buffer, weight float64, units, drawn, rows, cells, incomplete int, parametric bool, fit, draw string) {
	if units > 0 {
		if parametric {
			fmt.Fprintf(b, "weighted rows: total weight %.6g over %d rows of positive weight; each %s has round(Σ w) = %d unweighted rows (frequency weights)\n", weight, units, draw, drawn)
		} else {
			fmt.Fprintf(b, "weighted rows: total weight %.6g over %d rows of positive weight, the resampling units (each carries its weight; not the same as copies of the rows)\n", weight, units)
		}
	}
	if cells > 0 {
		keep := ""
		if parametric {
			keep = "; each " + draw + " keeps the missing cells of the data's rows"
		}
		fmt.Fprintf(b, "missing values: %d cells in %d of %d rows, marginalised by every %s's EM (missing at random)%s\n", cells, incomplete, rows, fit, keep)
	}
}

// trimFloat formats a percentage without trailing zeros: 2.5, 97.5.
func trimFloat(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}
