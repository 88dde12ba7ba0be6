package em

import "context"

// Engine runs the E-steps of RunEngine somewhere other than this process's
// goroutines: on a cluster, through a data-processing pipeline (the module
// github.com/latentgo/latent/beam runs them as Apache Beam pipelines).
type Engine interface {
	// Pass runs one E-step of m over every row of the data and returns the
	// merged statistics (nil when withStats is false) and partial sums,
	// as Pass does: for the same bits as Pass over the same rows, the rows
	// are cut into blocks of Options.BlockRows rows in row order, each
	// block's statistics are computed alone by a Worker of a copy of m, and
	// the blocks are merged in Pass's order (MergeOrder). An Engine that
	// cannot keep that order says so in its documentation.
	Pass(ctx context.Context, m Model, withStats bool) (Stats, Partial, error)
}

// RunEngine is Run with every E-step run by eng: the starts, the M-steps,
// the stopping rule and the report are Run's, in the calling process. With
// an Engine that keeps Pass's blocks and merge order, RunEngine and Run
// over the same rows return the same bits.
func RunEngine(ctx context.Context, eng Engine, start StartFunc, opts Options) (Model, *Report, error) {
	return run(ctx, func(m Model, _ Options) passes { return enginePasses{eng, m} }, start, opts)
}

type enginePasses struct {
	eng Engine
	m   Model
}

func (p enginePasses) run(ctx context.Context, withStats bool) (Stats, Partial, error) {
	return p.eng.Pass(ctx, p.m, withStats)
}

func (enginePasses) putStats(Stats) {}

// MergeOrder merges the statistics and partial sums of blocks 0, 1, …,
// len(stats)−1 (consecutive runs of rows, in row order) in the order Pass
// merges them: a binary counter that merges the two newest results while
// they cover equally many blocks, then a fold from the newest. Every merge
// joins two aligned runs of 2^j blocks, or, at the end, the runs of the
// binary digits of len(stats); so an engine may merge any two sibling runs
// as soon as both are known, in any order, and get these bits. stats[i] is
// nil for a log-likelihood-only pass. MergeOrder panics when stats is empty
// or its length differs from parts'.
func MergeOrder(stats []Stats, parts []Partial) (Stats, Partial) {
	if len(stats) == 0 || len(stats) != len(parts) {
		panic("em: MergeOrder: need as many statistics as partial sums, at least one")
	}
	var st mergeStack
	for i := range stats {
		st.push(stats[i], parts[i], func(Stats) {})
	}
	return st.finish(func(Stats) {})
}
