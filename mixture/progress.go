package mixture

import "github.com/latentgo/latent/em"

// Progress is what Options.Progress and SelectOptions.Progress receive: how
// far a fit or a selection has come.
type Progress struct {
	// Done counts the steps done and Total the steps in all. For a fit a
	// step is an EM iteration, counted over all starts, and Total is
	// MaxIter × NInit, an upper bound: a start that converges ends early.
	// For a selection a step is one fit of the grid.
	Done, Total int
	// EM is the EM iteration just run (in a fit's progress; the zero value
	// in a selection's).
	EM em.Progress
	// Candidate is the row of the fit just done, failed or not (in a
	// selection's progress; nil in a fit's).
	Candidate *Candidate
}

// fitProgress turns a fit's hook into em's, counting the iterations of
// every start; nil stays nil.
func fitProgress(hook func(Progress), eo em.Options) func(em.Progress) {
	if hook == nil {
		return nil
	}
	r, err := eo.Resolved()
	if err != nil {
		return nil // em.Run reports the bad option
	}
	done, total := 0, r.MaxIter*r.NInit
	return func(p em.Progress) {
		done++
		hook(Progress{Done: done, Total: total, EM: p})
	}
}
