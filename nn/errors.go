package nn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/latentgo/latent/internal/memlimit"
)

// ErrNoData is returned when there is nothing to train on.
var ErrNoData = errors.New("nn: no training rows")

// ErrDiverged is wrapped by every DivergedError.
var ErrDiverged = errors.New("training diverged")

// DivergedError reports that training stopped because a quantity it
// needs finite (a loss, a gradient) stopped being finite, or a loss broke
// the divergence rule (Divergence: it left its range, or grew a
// thousandfold over its start). It is the one divergence error of
// latent's trainers on the autodiff tape (TrainClassifier returns it;
// a trainer with more to say, such as a checkpoint left in place, wraps
// it), so that callers test for divergence one way: errors.As with a
// *DivergedError, or errors.Is with ErrDiverged.
type DivergedError struct {
	Model string // the trainer's package, the message's prefix: "nn"
	// Epoch is the 1-based epoch; Batch (1-based within the epoch) and
	// Step (1-based over the run) are 0 when the check is made once per
	// epoch, as TrainClassifier makes it.
	Epoch, Batch, Step int
	Term               string  // what stopped being finite: "training loss", "gradient of …"
	Value              float64 // its value; NaN for a gradient, whose value is not kept
	// LR is the run's learning rate, the first thing to lower, and
	// LROption the option that sets it ("ClassifierOptions.LR"); a command
	// replaces LROption with its flag. With LROption "" the message gives
	// no learning-rate advice.
	LR       float64
	LROption string
	// Advice is more to try, after lowering the learning rate ("add KL
	// warm-up"); "" for nothing more.
	Advice string
	// Rule is the part of the divergence rule that stopped training
	// (RuleNotFinite, RuleRange, RuleGrowth); "" reads as RuleNotFinite.
	// Min is the least value of the term (RuleRange), First the term's
	// value at the first step (RuleGrowth).
	Rule       string
	Min, First float64
}

// Error says where training stopped, on which term, and what to do.
func (e *DivergedError) Error() string {
	where := fmt.Sprintf("in epoch %d", e.Epoch)
	if e.Step > 0 {
		where = fmt.Sprintf("at step %d (epoch %d, batch %d)", e.Step, e.Epoch, e.Batch)
	}
	what := strconv.FormatFloat(e.Value, 'g', -1, 64)
	if strings.HasPrefix(e.Term, "gradient") {
		what = "not finite" // a gradient's value is not kept
	}
	switch e.Rule {
	case RuleRange:
		what += fmt.Sprintf(", below %v, the least it can be", e.Min)
	case RuleGrowth:
		what += fmt.Sprintf(", more than %v times its first value %s", DivergenceGrowth, strconv.FormatFloat(e.First, 'g', 5, 64))
	}
	s := fmt.Sprintf("%s: %v %s: the %s is %s", e.Model, ErrDiverged, where, e.Term, what)
	switch {
	case e.LROption != "" && e.Advice != "":
		s += fmt.Sprintf("; lower the learning rate %s (%v), or %s", e.LROption, e.LR, e.Advice)
	case e.LROption != "":
		s += fmt.Sprintf("; lower the learning rate %s (%v)", e.LROption, e.LR)
	case e.Advice != "":
		s += "; " + e.Advice
	}
	return s
}

// Unwrap returns ErrDiverged.
func (e *DivergedError) Unwrap() error { return ErrDiverged }

// MemoryError reports sizes whose arrays cannot fit in memory (latent's
// memory guard, shared by every trainer): TrainClassifier and NewMLP
// return it before allocating, with the estimate, the memory the process
// can use, and the options to lower. errors.Is(err, ErrMemory) tests for
// it.
type MemoryError = memlimit.Error

// ErrMemory is wrapped by every *MemoryError.
var ErrMemory = memlimit.ErrTooLarge

// OptionError reports an invalid field of ClassifierOptions. It is
// returned before any work.
type OptionError struct {
	Option string // the field: "LR", "Hidden[1]"
	Value  any    // the value given
	Reason string // what is wrong, and what to give instead
}

// Error names the option, its value and what is wrong.
func (e *OptionError) Error() string {
	return fmt.Sprintf("nn: ClassifierOptions.%s = %s: %s", e.Option, e.ValueString(), e.Reason)
}

// ValueString returns the value as the message shows it: quoted when it
// is text.
func (e *OptionError) ValueString() string {
	if s, ok := e.Value.(string); ok {
		return strconv.Quote(s)
	}
	if a, ok := e.Value.(Activation); ok {
		return strconv.Quote(string(a))
	}
	return fmt.Sprint(e.Value)
}

func optionErr(option string, value any, reason string, args ...any) *OptionError {
	return &OptionError{Option: option, Value: value, Reason: fmt.Sprintf(reason, args...)}
}

// ColumnsError reports data whose columns are not a classifier's inputs
// (see Classifier.CheckColumns).
type ColumnsError struct {
	Got, Want []string // the data's column names and the model's
	// Column is the 1-based position of the first named column that
	// differs from the model's; 0 when the numbers of columns differ.
	Column int
}

// Error says which column differs, or how many the model takes.
func (e *ColumnsError) Error() string { return "nn: " + e.Reason() }

// Reason is Error without the package prefix, for a caller that puts the
// name of the data in front (latent's command: "iris.csv: column 2 is …").
func (e *ColumnsError) Reason() string {
	if e.Column == 0 {
		return fmt.Sprintf("%d numeric columns, but the model takes %d (%s)", len(e.Got), len(e.Want), abbreviate(e.Want))
	}
	j := e.Column - 1
	return fmt.Sprintf("column %d is %q, but the model's column %d is %q; give the columns in the model's order (%s)", e.Column, e.Got[j], e.Column, e.Want[j], abbreviate(e.Want))
}

// abbreviate quotes the first five names, then "…".
func abbreviate(cols []string) string {
	q := make([]string, 0, 6)
	for i, c := range cols {
		if i == 5 {
			q = append(q, "…")
			break
		}
		q = append(q, strconv.Quote(c))
	}
	return strings.Join(q, ", ")
}
