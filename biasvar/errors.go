package biasvar

import (
	"errors"
	"fmt"
)

// ErrAllRoundsFailed is returned (wrapped) when no round succeeded.
var ErrAllRoundsFailed = errors.New("all rounds failed")

// ErrProblem wraps every problem-definition error.
var ErrProblem = errors.New("invalid problem")

// OptionError is a request that cannot be run, found before any work: an
// option, a name or a learner parameter with a value that is invalid or
// that does not fit the rest (a zero-one loss on a regression problem, a
// parameter the learner does not have).
//
// Option names what is at fault as a Go caller spells it: a field
// ("Options.Loss", "Options.Rounds", "Options.Resamples", "Problem.Design",
// "DataOptions.TestFraction", "Knob.Values"), or an argument: "learner" or
// "problem" (a built-in's name), "params" (learner parameters, as a map or
// as NAME=VALUE text). Value is the value given, as the message shows it
// ("" when the message quotes it itself). Reason says what is wrong and
// what to do. A command line that reads the options from flags renders
// the error with the flag's name in place of Option.
type OptionError struct {
	Option string
	Value  string
	Reason string
}

// Error returns "biasvar: Option Value: Reason" (without Value when it is
// "").
func (e *OptionError) Error() string { return "biasvar: " + e.Named(e.Option) }

// Named returns the message with the option called name and without the
// package's prefix, "name Value: Reason": what a command line prints with
// the flag that set the option.
func (e *OptionError) Named(name string) string { return named(name, e.Value, e.Reason) }

func named(name, value, reason string) string {
	switch {
	case name == "":
		return reason
	case value == "":
		return name + ": " + reason
	}
	return name + " " + value + ": " + reason
}

func optionErrorf(option, value, format string, a ...any) *OptionError {
	return &OptionError{Option: option, Value: value, Reason: fmt.Sprintf(format, a...)}
}

// DataError is a table that DataFromTable cannot turn into a data set as
// asked: a target column it does not have, too few rows to hold out a test
// set, a test table whose columns differ from the training table's.
//
// Table names the table as DataOptions.Name or TestName do ("" when the
// fault lies between two tables and Reason names both); Option is the option the table does not fit
// ("DataOptions.Target", "DataOptions.TestFraction"), "" when none; Value
// is that option's value as the message shows it.
type DataError struct {
	Table  string
	Option string
	Value  string
	Reason string
}

// Error returns "biasvar: Table: Option Value: Reason", leaving out the
// parts that are "".
func (e *DataError) Error() string { return "biasvar: " + e.Named(e.Option) }

// Named returns the message with the option called name and without the
// package's prefix, "Table: name Value: Reason", leaving out the parts
// that are "".
func (e *DataError) Named(name string) string {
	if e.Table == "" {
		return named(name, e.Value, e.Reason)
	}
	return e.Table + ": " + named(name, e.Value, e.Reason)
}
