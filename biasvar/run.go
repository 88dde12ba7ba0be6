package biasvar

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// DefaultRounds is the number of rounds when Options.Rounds is 0
// (mlxtend's num_rounds default).
const DefaultRounds = 200

// DefaultFits is the number of single fits a report keeps when
// Options.Fits is 0.
const DefaultFits = 5

// Options control a decomposition. The zero value is usable: 200 rounds,
// seed 0, the problem's natural loss, all cores.
type Options struct {
	// Rounds is the number of training sets R (0 means DefaultRounds;
	// negative is an error). With one round the variance is 0 by
	// construction and the report says so. The predictions of every round
	// are kept: memory is about 16·R·m bytes for m test points (2 · 8
	// bytes: prediction and error), R·m·8·K for the log-loss with K classes.
	Rounds int
	// Seed seeds every random draw. Round r draws its training data from
	// the PCG stream (Seed, 4r), its fresh test targets from (Seed, 4r+1)
	// and gives the learner (Seed, 4r+2), so the result does not depend on
	// which worker ran which round: the same Seed gives the same bits for
	// any Workers or GOMAXPROCS. There is no unseeded mode (catalog B-10).
	Seed uint64
	// Loss is the loss to decompose; "" means Squared for regression
	// problems and ZeroOne for classification problems.
	Loss Loss
	// Workers is the number of goroutines fitting rounds; 0 means
	// GOMAXPROCS, negative is an error.
	Workers int
	// Fits is how many single fits the report keeps for charts: 0 means
	// DefaultFits, negative none.
	Fits int
	// Progress, when set, is called from the calling goroutine as rounds
	// finish, with the count so far (see Progress); nil means no calls.
	Progress func(Progress)
	// Resamples, in bootstrap mode only, gives the training-row indices of
	// every round instead of drawing them (to reproduce another tool's
	// resamples). Rounds 0 then means len(Resamples).
	Resamples [][]int
	// KeepPredictions, in Monte Carlo mode, keeps every round's
	// predictions (and, squared loss, its fresh test targets) in
	// Report.Predictions and Report.Targets, for FromPredictions or a
	// user's own analysis; false (the zero value) keeps only Fits.
	KeepPredictions bool
	// Stream, in Monte Carlo mode with the squared or zero-one loss, keeps
	// per-point running moments (squared) or counts of predicted classes
	// (zero-one) of 20 contiguous groups of rounds instead of every
	// prediction, so memory does not grow with Rounds (about 24·20·m bytes
	// for m test points, against 16·R·m). Squared loss: the standard
	// errors are then the delete-a-group jackknife over the groups, not
	// delete-one; each group is accumulated in round order and the groups
	// merged in order, so the bits still do not depend on Workers.
	// Zero-one: counts are exact, and the report is the stored run's bit
	// for bit. false (the zero value) keeps the predictions.
	Stream bool
}

// Progress is what Options.Progress is told: Done of Total rounds have
// finished. In a sweep the counts run over the whole sweep (Total is the
// rounds of one setting times the number of settings) and Point is the
// index in Knob.Values of the setting running; outside a sweep Point is 0.
type Progress struct {
	Done, Total int
	Point       int
}

// rounds checks the options and returns the number of rounds.
func (o *Options) rounds() (int, error) {
	switch {
	case o.Workers < 0:
		return 0, optionErrorf("Options.Workers", fmt.Sprint(o.Workers), "must be 0 (all cores) or positive")
	case o.Rounds < 0:
		return 0, optionErrorf("Options.Rounds", fmt.Sprint(o.Rounds), "need at least 1 (0 means %d)", DefaultRounds)
	case o.Rounds == 0:
		return DefaultRounds, nil
	}
	return o.Rounds, nil
}

func (o *Options) fits() int {
	switch {
	case o.Fits < 0:
		return 0
	case o.Fits == 0:
		return DefaultFits
	}
	return o.Fits
}

func (o *Options) workers(rounds int) int {
	w := o.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(1, min(w, rounds))
}

// Stream kinds within a round, and the streams drawn once per run.
const (
	streamData    = 0
	streamTarget  = 1
	streamLearner = 2
	streamDesign  = 1 << 63
	streamTest    = 1<<63 + 1
)

func roundStream(r, kind int) uint64 { return uint64(r)*4 + uint64(kind) }

// stream is a reseedable PCG generator.
type stream struct {
	pcg rand.PCG
	rng *rand.Rand
}

func newStream() *stream {
	s := &stream{}
	s.rng = rand.New(&s.pcg)
	return s
}

func (s *stream) at(seed, id uint64) *rand.Rand {
	s.pcg.Seed(seed, id)
	return s.rng
}

// runRounds calls do(r) for r = 0…n−1 on the given number of workers. Each
// worker gets its own do from newWorker (for scratch memory). The error of
// round r is errs[r]. A panic in a round is re-raised in the caller.
func runRounds(ctx context.Context, n, workers int, progress func(Progress), newWorker func() func(r int) error) (errs []error, err error) {
	errs = make([]error, n)
	var next atomic.Int64
	chunk := max(1, min(16, n/(workers*8)))
	done := make(chan int, workers*4)
	var wg sync.WaitGroup
	var panicked atomic.Value
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := -1
			defer func() {
				if p := recover(); p != nil {
					panicked.CompareAndSwap(nil, fmt.Sprintf("biasvar: round %d panicked: %v", r, p))
					next.Store(int64(n)) // stop the others
				}
			}()
			do := newWorker()
			for ctx.Err() == nil {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				hi := min(lo+chunk, n)
				for r = lo; r < hi; r++ {
					errs[r] = do(r)
				}
				done <- hi - lo
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	finished := 0
	for k := range done {
		finished += k
		if progress != nil {
			progress(Progress{Done: finished, Total: n})
		}
	}
	if p := panicked.Load(); p != nil {
		panic(p)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("biasvar: %w", err)
	}
	return errs, nil
}

// parallelFor calls do(k) for k = 0…n−1 on up to workers goroutines. The
// calls must write to disjoint memory; the caller reduces in index order.
func parallelFor(n, workers int, do func(k int)) {
	workers = max(1, min(workers, n))
	if workers == 1 {
		for k := 0; k < n; k++ {
			do(k)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				do(k)
			}
		}()
	}
	wg.Wait()
}

// collect turns per-round errors into the rounds summary and the indices
// of the rounds that succeeded.
func collect(errs []error) (Rounds, []int) {
	rs := Rounds{Attempted: len(errs)}
	ok := make([]int, 0, len(errs))
	for r, e := range errs {
		if e == nil {
			ok = append(ok, r)
			continue
		}
		rs.Failed++
		if len(rs.Failures) < MaxFailuresListed {
			rs.Failures = append(rs.Failures, RoundFailure{r, e.Error()})
		}
	}
	rs.Succeeded = len(ok)
	return rs, ok
}

func allFailed(rs Rounds) error {
	f := rs.Failures[0]
	return fmt.Errorf("biasvar: %w: %d of %d; round %d: %s", ErrAllRoundsFailed, rs.Failed, rs.Attempted, f.Round, f.Error)
}

func failureWarnings(rs Rounds) []string {
	var w []string
	if rs.Failed > 0 {
		f := rs.Failures[0]
		w = append(w, fmt.Sprintf("%d of %d rounds failed (first: round %d: %s); the decomposition uses the %d that succeeded, which biases it if failures depend on the data",
			rs.Failed, rs.Attempted, f.Round, f.Error, rs.Succeeded))
	}
	if rs.Succeeded == 1 {
		w = append(w, "only one round: the variance is 0 by construction and there are no standard errors; use more rounds")
	} else if rs.Succeeded == 2 {
		w = append(w, "only two rounds: the standard errors of bias² and variance need at least 3")
	}
	return w
}
