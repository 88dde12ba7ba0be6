package table

import (
	"fmt"
	"slices"
	"strings"
)

// ColumnsError says how a table's columns differ from those a model was
// fitted on.
type ColumnsError struct {
	Name string   // the table, as in messages
	Got  []string // the table's columns
	Want []string // the model's
	// Column is the 0-based index of the first column whose name differs,
	// or -1 when the numbers of columns differ.
	Column int
}

func (e *ColumnsError) Error() string {
	if e.Column < 0 {
		return fmt.Sprintf("%s has %d columns (%s), but the model expects %d features (%s); give the columns the model was fitted on",
			e.Name, len(e.Got), strings.Join(e.Got, ", "), len(e.Want), strings.Join(e.Want, ", "))
	}
	j := e.Column
	return fmt.Sprintf("%s: column %d is %q, but the model's feature %d is %q (the model's features: %s); give the columns in the model's order and names",
		e.Name, j+1, e.Got[j], j+1, e.Want[j], strings.Join(e.Want, ", "))
}

// CheckColumns checks that got, the columns of the table called name, are
// want, those a model was fitted on (catalog C-17, M-07): as many, with the
// same names in the same order. A model fitted on columns without names (x1,
// x2, … as DefaultColumns gives, or empty names) checks only their number.
// The error is a *ColumnsError.
func CheckColumns(name string, got, want []string) error {
	if len(got) != len(want) {
		return &ColumnsError{Name: name, Got: got, Want: want, Column: -1}
	}
	if slices.Equal(want, DefaultColumns(len(want))) {
		return nil
	}
	for j := range got {
		if want[j] != "" && got[j] != want[j] {
			return &ColumnsError{Name: name, Got: got, Want: want, Column: j}
		}
	}
	return nil
}
