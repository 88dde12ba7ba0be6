package em

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Stats are a model's sufficient statistics over some rows. They are
// mergeable: the statistics of two consecutive runs of rows combine into
// those of their union, which is what lets the E-step run over blocks on
// every core, or over a file larger than memory.
type Stats interface {
	// Merge folds next, the statistics of rows that come after the
	// receiver's, into the receiver. next is not used afterwards (its
	// memory may be reused).
	Merge(next Stats)
}

// Partial holds the scalar sums of an E-step over some rows.
type Partial struct {
	LogLik  float64 // Σ w_i log p(x_i | θ)
	Entropy float64 // Σ w_i H(q_i), with H(q_i) = −Σ_k q_ik log q_ik, in nats
	Weight  float64 // Σ w_i (the number of rows when unweighted)
}

func (a Partial) add(b Partial) Partial {
	return Partial{a.LogLik + b.LogLik, a.Entropy + b.Entropy, a.Weight + b.Weight}
}

// Worker computes E-steps for one goroutine; it owns its scratch memory.
// Workers of one model run concurrently and read its parameters only.
type Worker interface {
	// EStep computes the posterior q_i(z) = p(z | x_i, θ) of each row of x
	// (weights w; nil means ones) under the model's current parameters,
	// overwrites dst with the statistics of the rows weighted by w·q, and
	// returns the partial sums. first is the index of x's first row in the
	// pass, for models that keep per-row state and for errors (RowError).
	// dst is nil in a log-likelihood-only pass; then Entropy may be left
	// zero.
	EStep(dst Stats, first int, x *mat.Dense, w []float64) (Partial, error)
}

// Model is a latent-variable model fitted by Run.
type Model interface {
	// NewStats returns statistics to be filled by Worker.EStep.
	NewStats() Stats
	// NewWorker returns a worker for one goroutine.
	NewWorker() Worker
	// MStep replaces the parameters by the maximiser of E_q log p(x, z | θ)
	// given the merged statistics s of all rows, and returns that maximum:
	// Σ_i w_i E_{q_i} log p(x_i, z | θ_new), not divided by the weight.
	MStep(s Stats) (float64, error)
}

// StartFunc returns the starting model of start number init (0-based). All
// starts of one Run share rng, which advances from one start to the next, so
// that the starts differ (catalog M-24).
type StartFunc func(init int, rng *rand.Rand) (Model, error)

// Sentinel option values.
const (
	// NoIterations as Options.MaxIter runs no EM iteration: Run returns the
	// best starting model (scikit-learn's max_iter=0).
	NoIterations = -1
	// NoTol as Options.Tol disables the convergence test, so that exactly
	// MaxIter iterations run (scikit-learn's tol=0).
	NoTol = -1.0
)

// Defaults, as scikit-learn's GaussianMixture.
const (
	DefaultMaxIter   = 100
	DefaultTol       = 1e-3
	DefaultBlockRows = 4096
)

// Options control Run. The zero value runs up to 100 iterations from one
// start, stops when the mean log-likelihood per row gains less than 1e-3,
// and uses every core.
type Options struct {
	// MaxIter is the largest number of iterations (M-steps) per start; 0
	// means 100. NoIterations runs none.
	MaxIter int
	// Tol stops a start when the mean log-likelihood per row (per unit of
	// weight) changes by less than Tol between iterations; 0 means 1e-3,
	// NoTol never stops early. Other negative values are an error.
	Tol float64
	// NInit is the number of starts; the one with the highest final
	// log-likelihood is kept. 0 means 1.
	NInit int
	// Seed seeds the one random stream the starts share.
	Seed uint64
	// BlockRows is the number of rows per block of the E-step; 0 means 4096.
	// The result depends on it (through rounding) but not on Workers.
	BlockRows int
	// Workers is the number of goroutines of the E-step; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Progress, when not nil, is called after every iteration, from the
	// goroutine that called Run.
	Progress func(Progress)
	// Previous, when not nil, continues an earlier fit (a warm start): it is
	// the mean log-likelihood of the parameters before that fit's last
	// M-step (Report.LowerBound), from which the first iteration's change is
	// measured, as scikit-learn's warm_start does. When nil the first
	// iteration never stops on Tol.
	Previous *float64
}

// resolved returns o with the defaults filled in, or an error naming a bad
// option.
func (o Options) resolved() (Options, error) {
	switch {
	case o.MaxIter == 0:
		o.MaxIter = DefaultMaxIter
	case o.MaxIter == NoIterations:
		o.MaxIter = 0
	case o.MaxIter < 0:
		return o, fmt.Errorf("em: MaxIter %d is negative; use 0 for the default %d or NoIterations to run none", o.MaxIter, DefaultMaxIter)
	}
	switch {
	case math.IsNaN(o.Tol) || math.IsInf(o.Tol, 0):
		return o, fmt.Errorf("em: Tol %v is not a finite number", o.Tol)
	case o.Tol == 0:
		o.Tol = DefaultTol
	case o.Tol == NoTol:
		o.Tol = 0
	case o.Tol < 0:
		return o, fmt.Errorf("em: Tol %g is negative; use 0 for the default %g or NoTol to run exactly MaxIter iterations", o.Tol, DefaultTol)
	}
	switch {
	case o.NInit == 0:
		o.NInit = 1
	case o.NInit < 0:
		return o, fmt.Errorf("em: NInit %d is negative; give the number of starts (0 means 1)", o.NInit)
	}
	switch {
	case o.BlockRows == 0:
		o.BlockRows = DefaultBlockRows
	case o.BlockRows < 0:
		return o, fmt.Errorf("em: BlockRows %d is negative", o.BlockRows)
	}
	switch {
	case o.Workers == 0:
		o.Workers = runtime.GOMAXPROCS(0)
	case o.Workers < 0:
		return o, fmt.Errorf("em: Workers %d is negative", o.Workers)
	}
	if o.Previous != nil && math.IsNaN(*o.Previous) {
		return o, errors.New("em: Previous is NaN")
	}
	return o, nil
}

// Progress is passed to Options.Progress after every iteration.
type Progress struct {
	Init    int           // 0-based start
	Inits   int           // number of starts
	Iter    int           // 1-based iteration within the start
	MaxIter int           // the iteration limit
	LogLik  float64       // mean log-likelihood per row before this iteration's M-step
	Change  float64       // LogLik minus the previous one (+Inf at the first iteration)
	Elapsed time.Duration // since Run began
}

// Run fits a model by EM: for each of opts.NInit starts it alternates
// E-steps (Pass, in parallel over blocks of rows) and M-steps until the
// mean log-likelihood per row changes by less than opts.Tol or opts.MaxIter
// iterations have run, then computes the log-likelihood of the final
// parameters with one more E-step. It returns the start with the highest
// final log-likelihood and a report of every start.
//
// Not converging is a status in the report, not an error. An error from a
// start (for instance a degenerate M-step) ends Run with that error. When
// ctx is cancelled Run returns ctx.Err() wrapped.
func Run(ctx context.Context, src Source, start StartFunc, opts Options) (Model, *Report, error) {
	return run(ctx, func(m Model, o Options) passes { return newPasser(src, m, o) }, start, opts)
}

// passes runs the E-steps of one start: a passer over a Source, or an
// Engine (engine.go).
type passes interface {
	run(ctx context.Context, withStats bool) (Stats, Partial, error)
	putStats(Stats)
}

// run is Run with the E-steps of each start's model m run by newPasses(m).
func run(ctx context.Context, newPasses func(Model, Options) passes, start StartFunc, opts Options) (Model, *Report, error) {
	o, err := opts.resolved()
	if err != nil {
		return nil, nil, err
	}
	t0 := time.Now()
	rng := rand.New(rand.NewPCG(o.Seed, rngStream))
	rep := &Report{Best: -1, Workers: o.Workers, BlockRows: o.BlockRows, MaxIter: o.MaxIter, Tol: o.Tol}
	var best Model
	bestLL := math.Inf(-1)
	for i := 0; i < o.NInit; i++ {
		if err := ctx.Err(); err != nil {
			return nil, rep, fmt.Errorf("em: %w", err)
		}
		m, err := start(i, rng)
		if err != nil {
			return nil, rep, startErr(i, o.NInit, err)
		}
		sr, err := runStart(ctx, newPasses(m, o), m, o, i, t0)
		if sr != nil {
			rep.Starts = append(rep.Starts, *sr)
		}
		if err != nil {
			return nil, rep, startErr(i, o.NInit, err)
		}
		// A NaN log-likelihood counts as −Inf; the first start is kept when
		// none is finite (catalog M-17, scikit-learn #18216).
		ll := sr.LogLikelihood
		if best == nil || ll > bestLL {
			best, bestLL, rep.Best = m, ll, i
		}
	}
	b := rep.Starts[rep.Best]
	rep.Status, rep.Converged, rep.Iterations = b.Status, b.Converged, b.Iterations
	rep.LogLikelihood, rep.LowerBound, rep.Weight = b.LogLikelihood, b.LowerBound, b.Weight
	for _, s := range rep.Starts {
		rep.Decreases += s.Decreases
	}
	rep.Seconds = time.Since(t0).Seconds()
	return best, rep, nil
}

// rngStream is the PCG stream of the random numbers of Run's starts.
const rngStream = 0x656d5f7374617274 // "em_start"

func startErr(i, n int, err error) error {
	if n == 1 {
		return err
	}
	return fmt.Errorf("start %d of %d: %w", i+1, n, err)
}

// runStart iterates one start to convergence.
func runStart(ctx context.Context, p passes, m Model, o Options, init int, t0 time.Time) (*StartReport, error) {
	ts := time.Now()
	sr := &StartReport{Init: init, Status: StatusMaxIter}
	prev := math.Inf(-1)
	if o.Previous != nil {
		prev = *o.Previous
	}
	var ll float64
	for n := 1; n <= o.MaxIter; n++ {
		ti := time.Now()
		stats, part, err := p.run(ctx, true)
		if err != nil {
			return sr, wrapCtx(err)
		}
		ll = part.LogLik / part.Weight
		if n > 1 {
			sr.Trace[n-2].finish(ll)
		}
		q, err := m.MStep(stats)
		p.putStats(stats)
		if err != nil {
			return sr, err
		}
		it := Iteration{
			Iter:    n,
			LogLik:  ll,
			ELBO:    (q + part.Entropy) / part.Weight,
			Change:  ll - prev,
			Seconds: time.Since(ti).Seconds(),
		}
		if n > 1 && it.Change < -roundoff(ll) {
			it.Decrease = true
			sr.Decreases++
		}
		sr.Trace = append(sr.Trace, it)
		sr.Iterations = n
		sr.Weight = part.Weight
		if o.Progress != nil {
			o.Progress(Progress{Init: init, Inits: o.NInit, Iter: n, MaxIter: o.MaxIter, LogLik: ll, Change: it.Change, Elapsed: time.Since(t0)})
		}
		if math.Abs(ll-prev) < o.Tol {
			sr.Status, sr.Converged = StatusConverged, true
			prev = ll
			break
		}
		prev = ll
	}
	// The final E-step: the log-likelihood of the parameters returned, and
	// the KL gap of the last iteration.
	_, part, err := p.run(ctx, false)
	if err != nil {
		return sr, wrapCtx(err)
	}
	sr.Weight = part.Weight
	sr.LogLikelihood = part.LogLik / part.Weight
	if n := len(sr.Trace); n > 0 {
		sr.Trace[n-1].finish(sr.LogLikelihood)
		sr.LowerBound = prev
	} else {
		sr.Status = StatusNoIterations
		sr.LowerBound = sr.LogLikelihood
	}
	sr.Seconds = time.Since(ts).Seconds()
	return sr, nil
}

func wrapCtx(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("em: %w", err)
	}
	return err
}

// roundoff is the size of a change of a mean log-likelihood ll that is
// rounding, not a real decrease. EM never decreases the likelihood
// (Dempster, Laird & Rubin 1977, Theorem 1), but the sums behind it are
// rounded: at convergence the changes seen in the tests are a few ulps,
// under 1e-15 relative; 1e-12 leaves a wide margin and still catches any
// real decrease (catalog M-19; SauersML/gam #2264 aborted on a 1.4e-13
// "violation").
func roundoff(ll float64) float64 { return 1e-12 * math.Max(1, math.Abs(ll)) }

// RoundOff returns the tolerance below which Run does not flag a decrease of
// the mean log-likelihood ll: 1e-12·max(1, |ll|).
func RoundOff(ll float64) float64 { return roundoff(ll) }

// Resolved returns o with the defaults filled in, or an error naming the
// first bad option.
func (o Options) Resolved() (Options, error) { return o.resolved() }
