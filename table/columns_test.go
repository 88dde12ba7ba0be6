package table

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckColumns(t *testing.T) {
	model := []string{"eruptions", "waiting"}
	cases := []struct {
		name      string
		got, want []string
		column    int // -2: no error
		msg       string
	}{
		{"same", []string{"eruptions", "waiting"}, model, -2, ""},
		{"count", []string{"a", "b", "c"}, model, -1, "t.csv has 3 columns (a, b, c), but the model expects 2 features (eruptions, waiting); give the columns the model was fitted on"},
		{"name", []string{"eruptions", "wait"}, model, 1, `t.csv: column 2 is "wait", but the model's feature 2 is "waiting" (the model's features: eruptions, waiting); give the columns in the model's order and names`},
		{"order", []string{"waiting", "eruptions"}, model, 0, `t.csv: column 1 is "waiting"`},
		{"unnamed model", []string{"a", "b"}, DefaultColumns(2), -2, ""},
		{"unnamed model, count", []string{"a"}, DefaultColumns(2), -1, "t.csv has 1 columns (a), but the model expects 2 features (x1, x2)"},
		{"empty names", []string{"a", "b"}, []string{"", "b"}, -2, ""},
		{"headerless data, named model", DefaultColumns(2), model, 0, `column 1 is "x1"`},
	}
	for _, c := range cases {
		err := CheckColumns("t.csv", c.got, c.want)
		if c.column == -2 {
			if err != nil {
				t.Errorf("%s: got %v, want no error", c.name, err)
			}
			continue
		}
		var ce *ColumnsError
		if !errors.As(err, &ce) || ce.Column != c.column || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want a *ColumnsError at column %d saying %q", c.name, err, c.column, c.msg)
		}
	}
}
