package mixture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// LRTOptions control BootstrapLRT. The zero value runs mclust's default
// for full covariances: sequential tests of K vs K + 1 components from
// K = 1, each with 999 parametric bootstrap replicates, stopping at the
// first p-value above 0.05 (at most 8 vs 9).
type LRTOptions struct {
	// Covariance is the covariance model of every fit; "" means Full.
	Covariance CovarianceType
	// MaxK, when not 0, is the largest number of components fitted: every
	// test K vs K + 1 for K = 1 … MaxK − 1 runs (mclust's maxG = MaxK −
	// 1). 0 means sequential up to 9 components: stop after the first
	// test that is not significant.
	MaxK int
	// NBoot is the number of bootstrap replicates per test; 0 means 999.
	NBoot int
	// Level is the significance level of the sequential stop; 0 means
	// 0.05.
	Level float64
	// Seed seeds the draws: replicate b of the test of K draws from its
	// own stream of (Seed, K, b), so the same seed gives the same bits on
	// any number of workers. It also seeds the default start.
	Seed uint64
	// Workers is the number of replicates fitted at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Start, when not nil, returns the partition (each row's component,
	// 0 … k − 1) the observed fit of k components starts from, as
	// mclustBIC starts from its hierarchical clustering cut at k; nil
	// means k-means (k-means++ seeding and Lloyd's iterations, seeded by
	// Seed), NInit times, keeping the fit of the highest log-likelihood.
	// K = 1 needs no start.
	Start func(k int) ([]int, error)
	// NInit is the number of k-means starts of each observed fit when
	// Start is nil; 0 means 10. A fit stuck at a poor local maximum makes
	// the observed statistic too small (even negative).
	NInit int
	// Prior, when not nil, fits every model (observed and bootstrap)
	// under this conjugate prior.
	Prior *Prior
	// Tol and MaxIter are mclust's EM settings (see BootstrapOptions);
	// 0 means 1e-5 and no limit.
	Tol     float64
	MaxIter int
	// Kernel is the E-step's kernel (see Options.Kernel).
	Kernel Kernel
	// Weights are the rows' weights, as Options.Weights (frequency
	// weights: finite, ≥ 0, not all 0); nil means ones. The fits to the
	// data are weighted (ℓ = Σ w_i log f(x_i)), rows of weight 0 are left
	// out, and each bootstrap sample has round(Σ w) unweighted rows, the
	// sample size the weights stand for.
	Weights []float64
	// Missing makes the NaN cells of the data missing values, as
	// Options.Missing: every fit runs the exact EM under missing at
	// random (the observed fits from the data completed by column means
	// for their first M-step), and each bootstrap sample keeps the data's
	// patterns (a draw stands for a row of the data, paired at random,
	// and its cells missing there are NaN). A row with every value
	// missing, or a column never observed, is an error.
	Missing bool
	// Progress, when not nil, is called from BootstrapLRT's goroutine
	// after each bootstrap replicate, with Done replicates of Total =
	// NBoot × the tests that can run.
	Progress func(Progress)
}

// LRTTest is one bootstrap likelihood ratio test: K components (H0)
// against K + 1 (H1).
type LRTTest struct {
	K int `json:"k"`
	// LogLik0 and LogLik1 are the observed fits' total log-likelihoods.
	LogLik0 float64 `json:"log_likelihood_h0"`
	LogLik1 float64 `json:"log_likelihood_h1"`
	// Statistic is the observed LRTS = 2 (LogLik1 − LogLik0); it may be
	// negative when the fit of K + 1 components finds a lower maximum.
	Statistic float64 `json:"statistic"`
	// PValue is (1 + #{Boot ≥ Statistic}) / (len(Boot) + 1).
	PValue float64 `json:"p_value"`
	// Significant reports PValue ≤ Level: H1 is preferred.
	Significant bool `json:"significant"`
	// Boot are the bootstrap statistics under H0, in replicate order.
	Boot []float64 `json:"boot"`
	// NonFit counts the bootstrap samples redrawn because a fit failed.
	NonFit int `json:"nonfit"`
}

// LRTStatus says how a sequential LRT ended.
type LRTStatus string

// The statuses.
const (
	// LRTStopped: a test was not significant; Selected is its K.
	LRTStopped LRTStatus = "stopped"
	// LRTAllSignificant: every test ran was significant; Selected is the
	// largest K fitted.
	LRTAllSignificant LRTStatus = "all_significant"
	// LRTNotFitted: a model could not be fitted (a singular covariance),
	// so the tests end there; Selected is the last K kept.
	LRTNotFitted LRTStatus = "not_fitted"
)

func (s LRTStatus) String() string { return string(s) }

// LRTReport is the result of BootstrapLRT.
type LRTReport struct {
	Covariance CovarianceType `json:"covariance_type"`
	Rows       int            `json:"rows"`
	Dim        int            `json:"dim"`
	NBoot      int            `json:"nboot"`
	Level      float64        `json:"level"`
	Seed       uint64         `json:"seed"`
	// Weight is the sum of LRTOptions.Weights, Units the rows of positive
	// weight and Drawn the rows of each bootstrap sample, round(Weight);
	// all 0 when unweighted.
	Weight float64 `json:"weight,omitempty"`
	Units  int     `json:"units,omitempty"`
	Drawn  int     `json:"drawn,omitempty"`
	// MissingCells and IncompleteRows count the NaN cells of the data
	// (LRTOptions.Missing) and the rows with one.
	MissingCells   int       `json:"missing_cells,omitempty"`
	IncompleteRows int       `json:"incomplete_rows,omitempty"`
	MaxK           int       `json:"max_k"` // 0: sequential
	Tests          []LRTTest `json:"tests"`
	// Selected is the number of components the tests choose: the K of
	// the first test not significant, or the largest K fitted.
	Selected int       `json:"selected"`
	Status   LRTStatus `json:"status"`
	// Failed says why the fit that ended the tests failed (LRTNotFitted).
	Failed  string  `json:"failed,omitempty"`
	Workers int     `json:"workers"`
	Seconds float64 `json:"seconds"`
}

// BootstrapLRT tests K against K + 1 components for K = 1, 2, … by the
// parametric bootstrap of the likelihood ratio statistic (McLachlan 1987,
// "On bootstrapping the likelihood ratio test statistic for the number of
// components in a normal mixture", Applied Statistics 36:318–324), as
// mclust's mclustBootstrapLRT does: the observed fits of K and K + 1
// components give LRTS = 2(ℓ_{K+1} − ℓ_K); NBoot samples of n rows are
// drawn from the K-component fit, each fitted by mclust's EM from the
// observed fits' parameters (an E-step, then EM), and the p-value is the
// share of bootstrap statistics at least as large as the observed one,
// (1 + #{LRTS_b ≥ LRTS}) / (B + 1). A sample whose fit fails is redrawn.
// Weights and missing values are as in Fit (LRTOptions.Weights, Missing).
// Errors: a bad option (*OptionError naming it), bad data or weights, a
// cancelled ctx, or no model of 2 components can be fitted.
func BootstrapLRT(ctx context.Context, x mat.Matrix, opts LRTOptions) (*LRTReport, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	data, r, err := lrtData(x, o.Weights, o.Missing)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	n, d := data.n, r.d
	rows := data.rows
	fam := familyOf(o.Covariance)
	if o.Prior != nil {
		if _, err := lookupPriorFamily(fam); err != nil {
			return nil, lrtOptionErrorf("Prior", ": %s", strings.TrimPrefix(err.Error(), "mixture: Options.Prior: "))
		}
		if err := o.Prior.check(d); err != nil {
			return nil, lrtOptionErrorf("Prior", "%s", strings.TrimPrefix(err.Error(), "mixture: Options.Prior"))
		}
	}
	maxK := o.MaxK
	if maxK == 0 {
		maxK = 9
	}
	drawn := drawCount(n, data.w)
	if maxK > n-1 || maxK > drawn-1 {
		what := fmt.Sprintf("X has %d rows", n)
		if data.w != nil {
			what = fmt.Sprintf("X has %d rows of positive weight and its weights sum to %.6g (the rows of a bootstrap sample)", n, data.weight)
		}
		return nil, dataErrorf("%s: too few for MaxK = %d components; lower MaxK", what, maxK)
	}
	rep := &LRTReport{Covariance: fam.Type(), Rows: data.rowsX, Dim: d, NBoot: o.NBoot, Level: o.Level, Seed: o.Seed, MaxK: o.MaxK, Workers: o.Workers,
		MissingCells: data.cells, IncompleteRows: data.incomplete}
	if data.w != nil {
		rep.Weight, rep.Units, rep.Drawn = data.weight, n, drawn
	}
	l := &lrt{o: &o, fam: fam, rows: rows, n: n, d: d, r: r, w: data.w, drawn: drawn, rowsX: data.rowsX, unit: data.unit}
	if data.fill != nil {
		l.holes = data.fill.meHoles
	}
	fits := map[int]*lrtFit{}
	fitK := func(k int) (*lrtFit, error) {
		if f, ok := fits[k]; ok {
			return f, nil
		}
		f, err := l.observed(ctx, k)
		if err != nil {
			return nil, err
		}
		fits[k] = f
		return f, nil
	}
	f0, err := fitK(1)
	if err != nil {
		return nil, fmt.Errorf("mixture: BootstrapLRT: the fit of 1 component: %w", err)
	}
	done := 0
	total := o.NBoot * (maxK - 1)
	for k := 1; k < maxK; k++ {
		f1, err := fitK(k + 1)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("mixture: BootstrapLRT: %w", ctx.Err())
			}
			if k == 1 {
				return nil, fmt.Errorf("mixture: BootstrapLRT: the fit of 2 components failed, so no test can run: %w", err)
			}
			rep.Status, rep.Failed = LRTNotFitted, fmt.Sprintf("%d components: %v", k+1, err)
			break
		}
		test := LRTTest{K: k, LogLik0: f0.logLik, LogLik1: f1.logLik, Statistic: 2 * (f1.logLik - f0.logLik)}
		progress := o.Progress
		if progress != nil {
			base := done
			progress = func(p Progress) { o.Progress(Progress{Done: base + p.Done, Total: total}) }
		}
		l.pools = [2]*sync.Pool{new(sync.Pool), new(sync.Pool)}
		results, err := runReplicates(ctx, o.NBoot, o.Workers, 10*o.NBoot, true, progress,
			func(ctx context.Context, b int, again func(int) bool) (replicateResult, error) {
				return l.replicate(ctx, k, b, f0.m, f1.m, again)
			})
		if err != nil {
			return nil, fmt.Errorf("mixture: BootstrapLRT: %d vs %d components: %w", k, k+1, err)
		}
		done += o.NBoot
		ge := 0
		for _, res := range results {
			test.NonFit += res.failures
			if res.ok {
				test.Boot = append(test.Boot, res.stat)
				if res.stat >= test.Statistic {
					ge++
				}
			}
		}
		if len(test.Boot) == 0 {
			return nil, fmt.Errorf("mixture: BootstrapLRT: %d vs %d components: no bootstrap sample could be fitted (%d failed fits): %w", k, k+1, test.NonFit, ErrIllDefinedCovariance)
		}
		test.PValue = float64(1+ge) / float64(len(test.Boot)+1)
		test.Significant = test.PValue <= o.Level
		rep.Tests = append(rep.Tests, test)
		f0 = f1
		if !test.Significant && o.MaxK == 0 {
			break
		}
	}
	// The choice: the first K whose test keeps H0, else the largest K
	// kept.
	for _, t := range rep.Tests {
		if !t.Significant {
			rep.Selected, rep.Status = t.K, LRTStopped
			break
		}
	}
	if rep.Selected == 0 {
		rep.Selected = rep.Tests[len(rep.Tests)-1].K + 1
		if rep.Status != LRTNotFitted {
			rep.Status = LRTAllSignificant
		}
	}
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

// resolve fills in the defaults and checks the options, naming a bad one.
func (o LRTOptions) resolve() (LRTOptions, error) {
	if o.Covariance == "" {
		o.Covariance = Full
	}
	if _, ok := lookupFamily(o.Covariance); !ok {
		return o, lrtOptionErrorf("Covariance", ": %s", unknownCovariance(string(o.Covariance)))
	}
	switch {
	case o.NInit == 0:
		o.NInit = 10
	case o.NInit < 0:
		return o, lrtOptionErrorf("NInit", " = %d is negative; 0 means 10", o.NInit)
	}
	if o.MaxK != 0 && o.MaxK < 2 {
		return o, lrtOptionErrorf("MaxK", " = %d; give at least 2 components to test 1 vs 2, or 0 for the sequential test", o.MaxK)
	}
	switch {
	case o.NBoot == 0:
		o.NBoot = 999
	case o.NBoot < 1:
		return o, lrtOptionErrorf("NBoot", " = %d; give at least 1 replicate (0 means 999)", o.NBoot)
	}
	switch {
	case o.Level == 0:
		o.Level = 0.05
	case !(o.Level > 0 && o.Level < 1):
		return o, lrtOptionErrorf("Level", " = %v; give a significance level in (0, 1), 0 meaning 0.05", o.Level)
	}
	switch {
	case o.Workers == 0:
		o.Workers = runtime.GOMAXPROCS(0)
	case o.Workers < 0:
		return o, lrtOptionErrorf("Workers", " = %d is negative; 0 means every core", o.Workers)
	}
	if err := checkMeOptions(o.Tol, o.MaxIter, lrtOptionErrorf); err != nil {
		return o, err
	}
	if err := o.Kernel.check(); err != nil {
		return o, err
	}
	return o, nil
}

// lrtOptionErrorf is optionErrorf for a field of LRTOptions.
func lrtOptionErrorf(option, format string, a ...any) *OptionError {
	return &OptionError{Option: option, msg: "mixture: LRTOptions." + option + fmt.Sprintf(format, a...)}
}

// lrt runs the fits of one BootstrapLRT.
type lrt struct {
	o     *LRTOptions
	fam   family
	rows  []float64
	n, d  int
	r     *rowData
	pools [2]*sync.Pool // E-step workers of the current test's K and K + 1
	w     []float64     // the rows' weights; nil when unweighted
	rowsX int           // the rows of X
	unit  []int         // each row's row of X when some have weight 0; nil otherwise
	holes *meHoles      // the rows with missing values; nil without NaN
	drawn int           // the rows of a bootstrap sample
}

// lrtData checks the data of BootstrapLRT as Fit checks them (NaN cells
// only with missing; weights by Fit's checker) and returns the rows of
// positive weight, with the rows k-means starts from: completed by column
// means when some are missing, as Fit's initialisation.
func lrtData(x mat.Matrix, w []float64, missing bool) (*bootRows, *rowData, error) {
	var r *rowData
	var err error
	if missing {
		_, err = missingData(x, w, "X")
	} else {
		_, err = checkData(x, w, "X")
	}
	if err != nil {
		return nil, nil, err
	}
	n, d := x.Dims()
	all := mat.NewDense(n, d, nil)
	all.Copy(x)
	b := keepUnits(n, d, all.RawRowView, w)
	xs := mat.NewDense(b.n, d, b.rows)
	if missing {
		c := countMissing(x)
		b.cells, b.incomplete = c.MissingCells, c.IncompleteRows
		b.fill = newHoles(b.rows, b.n, d).newFill(1, d)
		if r, err = missingData(xs, b.w, "X"); err != nil {
			return nil, nil, err
		}
	} else {
		r = &rowData{x: b.rows, stride: d, n: b.n, d: d, w: b.w}
	}
	r.src, r.eo = em.Matrix(mat.NewDense(b.n, d, r.x), b.w), em.Options{Workers: 1}
	return b, r, nil
}

// lrtFit is an observed fit.
type lrtFit struct {
	m      *Model
	logLik float64 // total
}

// observed fits k components to the data from the start partition, or
// from the best of NInit k-means partitions.
func (l *lrt) observed(ctx context.Context, k int) (*lrtFit, error) {
	n := l.n
	if k == 1 {
		return l.fromLabels(ctx, k, make([]int, n))
	}
	if l.o.Start != nil {
		got, err := l.o.Start(k)
		if err != nil {
			return nil, err
		}
		if len(got) != l.rowsX {
			return nil, lrtOptionErrorf("Start", "(%d) returned %d labels for %d rows", k, len(got), l.rowsX)
		}
		for i, c := range got {
			if c < 0 || c >= k {
				return nil, lrtOptionErrorf("Start", "(%d): row %d has component %d; give 0 … %d", k, i, c, k-1)
			}
		}
		if l.unit != nil { // the rows of positive weight
			units := make([]int, n)
			for t, i := range l.unit {
				units[t] = got[i]
			}
			got = units
		}
		return l.fromLabels(ctx, k, got)
	}
	rng := rand.New(rand.NewPCG(l.o.Seed, lrtStartStream(k)))
	var best *lrtFit
	var firstErr error
	for s := 0; s < l.o.NInit; s++ {
		got, err := kmeansLabels(ctx, l.r, k, rng)
		if err != nil {
			return nil, err
		}
		labels := make([]int, n)
		for i, c := range got {
			labels[i] = int(c)
		}
		f, err := l.fromLabels(ctx, k, labels)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			firstErr = cmpErr(firstErr, err)
			continue
		}
		if best == nil || f.logLik > best.logLik {
			best = f
		}
	}
	if best == nil {
		return nil, firstErr
	}
	return best, nil
}

// cmpErr keeps the first error.
func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// fromLabels fits k components by mclust's EM from the partition labels.
func (l *lrt) fromLabels(ctx context.Context, k int, labels []int) (*lrtFit, error) {
	z := make([]float64, l.n*k)
	for i, c := range labels {
		z[i*k+c] = 1
	}
	cfg := l.config(k)
	cfg.w, cfg.fill = l.w, l.holes.meanFill(l.rows, l.n, l.d, k, l.w)
	m, res, err := meFit(ctx, l.rows, l.n, l.d, z, cfg)
	if err != nil {
		return nil, err
	}
	return &lrtFit{m: m, logLik: res.logLik}, nil
}

func (l *lrt) config(k int) *meConfig {
	return &meConfig{fam: l.fam, k: k, tol: l.o.Tol, maxIter: l.o.MaxIter, prior: l.o.Prior, kernel: l.o.Kernel}
}

// lrtStartStream and lrtStream are the PCG streams of the default start
// of k components and of replicate b of the test of k.
func lrtStartStream(k int) uint64 { return 0x6c72745f73746172 ^ uint64(k) } // "lrt_star"
func lrtStream(k, b int) uint64   { return 0x6c72745f626f6f74 ^ uint64(k)<<40 ^ uint64(b) }

// replicate draws n rows from the K-component fit m0 and fits them with
// K and K + 1 components from m0's and m1's parameters (mclust's em: an
// E-step, then me), redrawing while again allows.
func (l *lrt) replicate(ctx context.Context, k, b int, m0, m1 *Model, again func(int) bool) (replicateResult, error) {
	rng := rand.New(rand.NewPCG(l.o.Seed, lrtStream(k, b)))
	n, d := l.drawn, l.d
	x := make([]float64, n*d)
	z0, z1 := make([]float64, n*k), make([]float64, n*(k+1))
	w0, done0 := workerFor(m0, l.pools[0])
	defer done0()
	w1, done1 := workerFor(m1, l.pools[1])
	defer done1()
	pools := map[int]*sync.Pool{k: l.pools[0], k + 1: l.pools[1]}
	var res replicateResult
	for {
		m0.Sample(mat.NewDense(n, d, x), nil, rng)
		var h *meHoles
		if l.holes != nil {
			l.holes.mask(x, d, n, l.w, rng)
			h = newHoles(x, n, d)
		}
		fit := func(w *worker, z []float64, kk int) (float64, error) {
			f := h.newFill(kk, d)
			if _, err := meEStep(w, x, n, d, z, nil, f); err != nil {
				return 0, err
			}
			cfg := l.config(kk)
			cfg.workers, cfg.fill = pools[kk], f
			_, mr, err := meFit(ctx, x, n, d, z, cfg)
			return mr.logLik, err
		}
		ll0, err0 := fit(w0, z0, k)
		var ll1 float64
		var err1 error
		if err0 == nil {
			ll1, err1 = fit(w1, z1, k+1)
		}
		if err := errors.Join(err0, err1); err == nil {
			res.ok, res.stat = true, 2*(ll1-ll0)
			return res, nil
		} else if ctx.Err() != nil {
			return res, ctx.Err()
		} else if !isFitFailure(err) {
			return res, err
		}
		res.failures++
		if !again(res.failures) {
			return res, nil
		}
	}
}

// isFitFailure reports whether err is a fit that failed (mclust's NA),
// not a programming or context error.
func isFitFailure(err error) bool {
	var me *meError
	var re *rowError
	return errors.As(err, &me) || errors.As(err, &re)
}

// WriteText writes the report as `latent gmm lrt` prints it, in the shape
// of mclust's print.mclustBootstrapLRT: one row per test with the
// observed statistic and the bootstrap p-value, then the choice.
func (r *LRTReport) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Bootstrap sequential LRT for the number of mixture components (McLachlan 1987)\n")
	fmt.Fprintf(&b, "model %s, %d rows × %d columns, %d replicates per test, seed %d\n", r.Covariance, r.Rows, r.Dim, r.NBoot, r.Seed)
	writeMessy(&b, r.Weight, r.Units, r.Drawn, r.Rows, r.MissingCells, r.IncompleteRows, true, "fit", "bootstrap sample")
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "test\tlog L (H0)\tlog L (H1)\tLRTS\tbootstrap p-value\t\t")
	for _, t := range r.Tests {
		mark := ""
		if t.Significant {
			mark = fmt.Sprintf("< %g", r.Level)
		}
		refit := ""
		if t.NonFit > 0 {
			refit = fmt.Sprintf(" (%d redrawn)", t.NonFit) // the column before is right-aligned
		}
		fmt.Fprintf(tw, "%d vs %d\t%.4f\t%.4f\t%.4f\t%.4g\t%s\t%s\n", t.K, t.K+1, t.LogLik0, t.LogLik1, t.Statistic, t.PValue, mark, refit)
	}
	tw.Flush()
	switch r.Status {
	case LRTStopped:
		fmt.Fprintf(&b, "\n%d components: the test of %d vs %d is not significant at %g\n", r.Selected, r.Selected, r.Selected+1, r.Level)
	case LRTAllSignificant:
		fmt.Fprintf(&b, "\n%d components: every test is significant at %g (none beyond %d was run)\n", r.Selected, r.Level, r.Selected)
	case LRTNotFitted:
		fmt.Fprintf(&b, "\n%d components: the next model could not be fitted (%s)\n", r.Selected, r.Failed)
	}
	_, err := w.Write(b.Bytes())
	return err
}
