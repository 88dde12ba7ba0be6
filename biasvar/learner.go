package biasvar

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Learner fits a model to a training set. The decomposer calls Fit once per
// round, from several goroutines at once, so Fit must be safe for
// concurrent use (the built-ins are plain values).
//
// x has one observation per row; y holds the responses (regression) or the
// class labels 0, 1, … as float64 (classification). Fit must not modify x
// or y; the Model may keep references to them until the round ends (the
// decomposer reuses the memory afterwards). rng is the round's own random
// stream for learners that draw random numbers (random features, weight
// initialisation); using it, rather than a source of one's own, keeps the
// run reproducible. An error fails the round, which is counted and
// reported, never dropped.
type Learner interface {
	Fit(x *mat.Dense, y []float64, rng *rand.Rand) (Model, error)
}

// Model is a fitted predictor. A regression model returns ŷ(x); a
// classifier returns its predicted class as a float64 (0, 1, …). A Model is
// used by one goroutine only.
type Model interface {
	Predict(x []float64) float64
}

// ProbModel is a classifier that also gives class probabilities, as needed
// by the log-loss decomposition. PredictProba writes P(y = k | x) for
// k < len(dst) into dst; classes the model never saw get 0.
type ProbModel interface {
	Model
	PredictProba(dst, x []float64)
}

// LogProbModel is a ProbModel that can give log-probabilities directly
// (from logits, say), which the log-loss decomposition prefers: no
// clipping is needed.
type LogProbModel interface {
	ProbModel
	PredictLogProba(dst, x []float64)
}

// LearnerFunc adapts a function to the Learner interface.
type LearnerFunc func(x *mat.Dense, y []float64, rng *rand.Rand) (Model, error)

// Fit calls f.
func (f LearnerFunc) Fit(x *mat.Dense, y []float64, rng *rand.Rand) (Model, error) {
	return f(x, y, rng)
}

// ModelFunc adapts a function to the Model interface.
type ModelFunc func(x []float64) float64

// Predict calls f.
func (f ModelFunc) Predict(x []float64) float64 { return f(x) }

// learnerName names a learner in reports: its String method if it has
// one, else its Go type.
func learnerName(l Learner) string {
	if s, ok := l.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", l)
}
