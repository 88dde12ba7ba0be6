package nn

import (
	"math"
)

// DivergenceGrowth is how many times farther from its floor than at the
// first step a loss may get before the divergence rule stops training.
const DivergenceGrowth = 1e3

// The rules a DivergedError reports.
const (
	RuleNotFinite = "not-finite" // the value is NaN or infinite
	RuleRange     = "range"      // the value left the range the term is documented to take
	RuleGrowth    = "growth"     // the value grew DivergenceGrowth times over its first
)

// Divergence is latent's one divergence rule, shared by every trainer:
// TrainClassifier, package vae's Train and Resume, and biasvar's network
// learners call Check with their loss after every optimizer step, and stop
// with the *DivergedError it returns. A value has diverged when
//
//   - it is not finite (RuleNotFinite);
//   - it is below Min, the least value the term can take, by more than
//     rounding: a log-loss, a squared error, a KL divergence or a Bernoulli
//     reconstruction term is never negative (RuleRange);
//   - its distance from Min (from 0 when Min is −Inf) is more than
//     DivergenceGrowth times that of the first value Check saw, or than
//     Scale when that is larger (RuleGrowth). A loss that has grown a
//     thousandfold over its start is not a run that is learning slowly:
//     finite, it would otherwise be reported as a trained model (a
//     log-loss of 6.6e19 "converged", an ELBO of −3.9e31 "completed").
//
// Scale keeps a first value near Min (a loss that starts almost at 0) from
// making the growth rule hair-triggered: it is the size of a loss that is
// surely not diverged, in the loss's units (1 nat per row for a log-loss);
// +Inf turns the growth rule off (a term such as the KL divergence, which
// rightly grows from about 0 as a VAE learns). The zero value checks
// finiteness only; set Min to −Inf for a term without a lower bound. A
// Divergence is for one run: the first value it sees is the start.
type Divergence struct {
	// Model and Term name the trainer ("nn") and the value ("training
	// loss") in the error.
	Model, Term string
	// Min is the least value the term can take; −Inf for none.
	Min float64
	// Scale is the least reference distance of the growth rule; +Inf
	// turns that rule off, 0 uses the first value's alone.
	Scale float64
	// LR, LROption and Advice are copied into the error (see
	// DivergedError).
	LR       float64
	LROption string
	Advice   string

	first float64
	seen  bool
}

// Check applies the rule to v, the value after a step (Epoch 1-based;
// Batch and Step 1-based, or 0 when the check is made per epoch), and
// returns nil or a *DivergedError naming the step, the term, the value
// and the rule.
func (d *Divergence) Check(epoch, batch, step int, v float64) error {
	rule := ""
	floor := d.Min
	if math.IsInf(floor, -1) {
		floor = 0
	}
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		rule = RuleNotFinite
	case v < d.Min-1e-9*math.Max(1, math.Abs(d.Min)):
		rule = RuleRange
	case d.seen && !math.IsInf(d.Scale, 1):
		ref := math.Max(math.Abs(d.first-floor), d.Scale)
		if ref > 0 && math.Abs(v-floor) > DivergenceGrowth*ref {
			rule = RuleGrowth
		}
	}
	if !d.seen && rule == "" {
		d.first, d.seen = v, true
	}
	if rule == "" {
		return nil
	}
	e := &DivergedError{Model: d.Model, Epoch: epoch, Batch: batch, Step: step, Term: d.Term, Value: v,
		LR: d.LR, LROption: d.LROption, Advice: d.Advice, Rule: rule, Min: d.Min}
	if rule == RuleGrowth {
		e.First = d.first
	}
	return e
}
