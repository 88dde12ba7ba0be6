package biasvar_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/table"
)

// table3 is a 3-column table: row i is (i, 10+i, 100+i).
func table3(n int) *table.Table {
	x := mat.NewDense(n, 3, nil)
	for i := 0; i < n; i++ {
		x.SetRow(i, []float64{float64(i), float64(10 + i), float64(100 + i)})
	}
	return &table.Table{Columns: []string{"a", "y", "c"}, X: x}
}

// The target column, by name or 1-based number, becomes the targets; the
// other columns, in order, the inputs.
func TestDataFromTableTarget(t *testing.T) {
	for _, target := range []string{"y", "2"} {
		d, err := biasvar.DataFromTable(table3(4), table3(2), biasvar.DataOptions{Name: "train.csv", Target: target})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.YTrain, []float64{10, 11, 12, 13}; !slices.Equal(got, want) {
			t.Errorf("target %s: got training targets %v, want %v", target, got, want)
		}
		if got, want := mat.Row(nil, 3, d.XTrain), []float64{3, 103}; !slices.Equal(got, want) {
			t.Errorf("target %s: got training row 3 %v, want %v", target, got, want)
		}
		if got, want := d.YTest, []float64{10, 11}; !slices.Equal(got, want) || d.Name != "train.csv" {
			t.Errorf("target %s: got test targets %v and name %q, want %v and train.csv", target, got, d.Name, want)
		}
	}
}

// Class labels become 0, 1, … in the order they first appear, in the
// training table and then in the test table.
func TestDataFromTableLabels(t *testing.T) {
	train := &table.Table{Columns: []string{"x"}, X: mat.NewDense(3, 1, []float64{1, 2, 3}), Labels: []string{"red", "blue", "red"}}
	test := &table.Table{Columns: []string{"x"}, X: mat.NewDense(3, 1, []float64{4, 5, 6}), Labels: []string{"green", "blue", "red"}}
	d, err := biasvar.DataFromTable(train, test, biasvar.DataOptions{Target: "kind"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.YTrain, []float64{0, 1, 0}) || !slices.Equal(d.YTest, []float64{2, 1, 0}) {
		t.Errorf("got classes %v and %v, want [0 1 0] and [2 1 0]", d.YTrain, d.YTest)
	}
}

// Without a test table the rows of datasets.Split are held out, both parts
// in the table's row order: the same rows a Go program, a notebook or the
// CLI hold out with that share and seed.
func TestDataFromTableHoldOut(t *testing.T) {
	const n, frac, seed = 20, 0.25, 7
	d, err := biasvar.DataFromTable(table3(n), nil, biasvar.DataOptions{Target: "y", TestFraction: frac, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	train, test := datasets.Split(n, frac, seed)
	for _, c := range []struct {
		name string
		y    []float64
		rows []int
	}{{"training", d.YTrain, train}, {"test", d.YTest, test}} {
		want := make([]float64, len(c.rows))
		for i, r := range c.rows {
			want[i] = float64(10 + r)
		}
		if !slices.Equal(c.y, want) {
			t.Errorf("%s targets: got %v, want %v", c.name, c.y, want)
		}
	}
	if r, _ := d.XTest.Dims(); r != 5 {
		t.Errorf("got %d test rows, want ⌈0.25·20⌉ = 5", r)
	}
}

func TestDataFromTableErrors(t *testing.T) {
	wide := &table.Table{Columns: []string{"a", "b", "c", "y"}, X: mat.NewDense(2, 4, nil)}
	only := &table.Table{Columns: []string{"y"}, X: mat.NewDense(3, 1, nil)}
	named := func(o biasvar.DataOptions) biasvar.DataOptions {
		o.Name, o.TestName = "train.csv", "test.csv"
		return o
	}
	for _, c := range []struct {
		name        string
		train, test *table.Table
		opts        biasvar.DataOptions
		option      bool   // an *OptionError, not a *DataError
		want        string // the message with the options called by their flags
	}{
		{"no such column", table3(4), nil, named(biasvar.DataOptions{Target: "z", TestFraction: 0.5}),
			false, `train.csv: --target "z": no such column; the columns are ["a" "y" "c"]`},
		{"column 0", table3(4), nil, named(biasvar.DataOptions{Target: "0", TestFraction: 0.5}),
			false, `train.csv: --target "0": no such column; the columns are ["a" "y" "c"]`},
		{"unnamed", table3(4), nil, biasvar.DataOptions{Target: "z", TestFraction: 0.5},
			false, `the training table: --target "z": no such column; the columns are ["a" "y" "c"]`},
		{"only the target", only, only, named(biasvar.DataOptions{Target: "y"}),
			false, "train.csv: only the target column; the learner needs at least one input column"},
		{"columns differ", table3(4), wide, named(biasvar.DataOptions{Target: "y"}),
			false, "train.csv has 2 input columns but test.csv has 3"},
		{"too few rows", table3(3), nil, named(biasvar.DataOptions{Target: "y", TestFraction: 0.7}),
			false, "train.csv: 3 rows are too few to hold out 70% as a test set"},
		{"no share", table3(4), nil, biasvar.DataOptions{Target: "y"},
			true, "--test-fraction 0: give a share strictly between 0 and 1"},
		{"share 1", table3(4), nil, biasvar.DataOptions{Target: "y", TestFraction: 1},
			true, "--test-fraction 1: give a share strictly between 0 and 1"},
	} {
		_, err := biasvar.DataFromTable(c.train, c.test, c.opts)
		flag := map[string]string{"DataOptions.Target": "--target", "DataOptions.TestFraction": "--test-fraction"}
		var oe *biasvar.OptionError
		var de *biasvar.DataError
		switch {
		case c.option && errors.As(err, &oe):
			if got := oe.Named(flag[oe.Option]); got != c.want {
				t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			}
		case !c.option && errors.As(err, &de):
			if got := de.Named(flag[de.Option]); got != c.want {
				t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			}
			if !strings.HasPrefix(err.Error(), "biasvar: ") {
				t.Errorf("%s: error %q lacks the package prefix", c.name, err)
			}
		default:
			t.Errorf("%s: got %v (%T), want %q", c.name, err, err, c.want)
		}
	}
}

// Sizes that disagree are the programmer's mistake: a panic.
func TestDataFromTablePanics(t *testing.T) {
	labelled := &table.Table{Columns: []string{"x"}, X: mat.NewDense(2, 1, nil), Labels: []string{"a", "b"}}
	for _, c := range []struct {
		name        string
		train, test *table.Table
		want        string
	}{
		{"column names", &table.Table{Columns: []string{"x"}, X: mat.NewDense(2, 2, nil)}, nil, "the training table: 1 column names for 2 columns"},
		{"labels", &table.Table{Columns: []string{"x"}, X: mat.NewDense(2, 1, nil), Labels: []string{"a"}}, nil, "the training table: 1 labels for 2 rows"},
		{"labels in one table", table3(3), labelled, "one table has Labels"},
		{"no training table", nil, nil, "nil training table"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("%s: got panic %v, want %q", c.name, r, c.want)
				}
			}()
			biasvar.DataFromTable(c.train, c.test, biasvar.DataOptions{Target: "y", TestFraction: 0.5})
		}()
	}
}
