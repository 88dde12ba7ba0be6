package vae

import (
	"fmt"
	"strconv"
	"strings"
)

// OptionError reports an option that cannot be used, before any work: its
// name as a Go user writes it ("Options.LR", "Config.Latent",
// "EvalOptions.Samples"), the value given and why it cannot be used.
// Callers branch on it with errors.As; latent's CLI maps Option to the
// flag that set it.
type OptionError struct {
	Option string
	Value  any
	Reason string
}

// Error names the option, its value and the reason.
func (e *OptionError) Error() string {
	return fmt.Sprintf("vae: %s %v: %s", e.Option, e.Value, e.Reason)
}

func optionError(option string, value any, reason string, a ...any) *OptionError {
	return &OptionError{Option: option, Value: value, Reason: fmt.Sprintf(reason, a...)}
}

// ColumnError reports data whose columns do not fit a model's (catalog
// C-17): a different number of columns, or, where both name a column,
// another name at the same place. Data names the data in the message ("a
// file name"); Index is the first column that differs, counted from 0, or
// −1 when the counts differ.
type ColumnError struct {
	Data       string
	Have, Want []string
	Index      int
}

// Error says which column differs and lists the model's first columns;
// it starts with the data's name (or "vae:" without one).
func (e *ColumnError) Error() string {
	who := e.Data
	if who == "" {
		who = "vae"
	}
	if e.Index < 0 {
		return fmt.Sprintf("%s: %d numeric columns, but the model takes %d (%s)", who, len(e.Have), len(e.Want), abbreviate(e.Want))
	}
	j := e.Index
	return fmt.Sprintf("%s: column %d is %q, but the model's column %d is %q; give the columns in the model's order (%s)",
		who, j+1, e.Have[j], j+1, e.Want[j], abbreviate(e.Want))
}

// MatchColumns checks data columns against a model's: as many, and, where
// both have a name (not ""), the same name at the same place. It returns a
// *ColumnError naming the data as data when they do not match. It is the
// check of Model.CheckColumns, written for any model that keeps its
// column names (latent's CLI uses it for nn's classifiers too).
func MatchColumns(data string, have, want []string) error {
	if len(have) != len(want) {
		return &ColumnError{Data: data, Have: have, Want: want, Index: -1}
	}
	for j, c := range want {
		if c != "" && have[j] != "" && have[j] != c {
			return &ColumnError{Data: data, Have: have, Want: want, Index: j}
		}
	}
	return nil
}

// CheckColumns checks that data with the given column names fit the
// model (MatchColumns against Columns; a model with unknown names checks
// only the count). data names the data in the error.
func (m *Model) CheckColumns(data string, columns []string) error {
	want := m.columns
	if want == nil {
		want = make([]string, m.cfg.Inputs)
	}
	return MatchColumns(data, columns, want)
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
