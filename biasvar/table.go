package biasvar

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/table"
)

// DataOptions say how DataFromTable makes a data set of tables.
type DataOptions struct {
	// Name and TestName name the training and the test table in messages
	// (file names, say, as table.Options.Name does); "" means "the training
	// table" and "the test table". Name is also the data set's Data.Name.
	Name, TestName string
	// Target is the column to predict, by name in table.Table.Columns or,
	// failing that, by 1-based column number; the other columns are the
	// inputs. Required for tables without Labels; tables with Labels have
	// their target already (the labels), and Target is not used.
	Target string
	// TestFraction is the share of the training table's rows held out as
	// the test set when there is no test table: ⌈TestFraction·n⌉ rows,
	// chosen by datasets.Split with Seed. It must be strictly between 0
	// and 1 then; there is no default (the zero value is an error without
	// a test table; the CLI's --test-fraction defaults to 0.25). Not used
	// with a test table.
	TestFraction float64
	// Seed seeds the hold-out (datasets.Split's own stream, apart from
	// the streams Options.Seed gives the rounds).
	Seed uint64
}

// DataFromTable makes a data set for Bootstrap of a training table and a
// test table (nil to hold out a share of the training rows instead), as
// package table reads them from CSV files.
//
// For regression (tables without Labels) the target is the column
// opts.Target, and the inputs are the other columns, in order. For
// classification the targets are the labels, numbered 0, 1, … in the
// order they first appear in the training table and then in the test
// table. Without a test table, the rows at datasets.Split(n,
// opts.TestFraction, opts.Seed) are held out: both parts keep the table's
// row order, and a command line, a notebook or a Go program given the same
// table, share and seed hold out the same rows.
//
// A target column the table does not have, a table with no input column,
// too few rows to hold out a test set, and a test table whose input
// columns differ in number from the training table's are a *DataError; a
// TestFraction outside (0, 1) without a test table is an *OptionError. A
// table whose Columns or Labels do not match the size of its X, or a
// training table with Labels and a test table without (or the reverse),
// panics: those are the programmer's to get right.
func DataFromTable(train, test *table.Table, opts DataOptions) (Data, error) {
	if train == nil {
		panic("biasvar: DataFromTable with a nil training table")
	}
	if test != nil && (test.Labels != nil) != (train.Labels != nil) {
		panic("biasvar: DataFromTable: one table has Labels and the other has none")
	}
	name, testName := opts.Name, opts.TestName
	if name == "" {
		name = "the training table"
	}
	if testName == "" {
		testName = "the test table"
	}
	classes := map[string]int{}
	x, y, err := inputsAndTargets(train, name, opts.Target, classes)
	if err != nil {
		return Data{}, err
	}
	d := Data{Name: opts.Name}
	if test != nil {
		xt, yt, err := inputsAndTargets(test, testName, opts.Target, classes)
		if err != nil {
			return Data{}, err
		}
		_, c1 := x.Dims()
		if _, c2 := xt.Dims(); c1 != c2 {
			return Data{}, &DataError{Reason: fmt.Sprintf("%s has %d input columns but %s has %d", name, c1, testName, c2)}
		}
		d.XTrain, d.YTrain, d.XTest, d.YTest = x, y, xt, yt
		return d, nil
	}
	f := opts.TestFraction
	if !(f > 0 && f < 1) {
		return Data{}, optionErrorf("DataOptions.TestFraction", fmt.Sprint(f), "give a share strictly between 0 and 1")
	}
	n, _ := x.Dims()
	if int(math.Ceil(f*float64(n))) >= n {
		return Data{}, &DataError{Table: name, Reason: fmt.Sprintf("%d rows are too few to hold out %.0f%% as a test set", n, 100*f)}
	}
	tr, te := datasets.Split(n, f, opts.Seed)
	d.XTrain, d.YTrain = datasets.Rows(x, tr), datasets.Pick(y, tr)
	d.XTest, d.YTest = datasets.Rows(x, te), datasets.Pick(y, te)
	return d, nil
}

// inputsAndTargets splits table t, called name, into its inputs and its
// targets: the column target (regression), or the labels numbered by
// classes, which it extends (classification).
func inputsAndTargets(t *table.Table, name, target string, classes map[string]int) (*mat.Dense, []float64, error) {
	r, c := t.X.Dims()
	if len(t.Columns) != c {
		panic(fmt.Sprintf("biasvar: %s: %d column names for %d columns", name, len(t.Columns), c))
	}
	if t.Labels != nil {
		if len(t.Labels) != r {
			panic(fmt.Sprintf("biasvar: %s: %d labels for %d rows", name, len(t.Labels), r))
		}
		y := make([]float64, r)
		for i, l := range t.Labels {
			k, ok := classes[l]
			if !ok {
				k = len(classes)
				classes[l] = k
			}
			y[i] = float64(k)
		}
		return mat.DenseCopyOf(t.X), y, nil
	}
	j := slices.Index(t.Columns, target)
	if j < 0 {
		if k, err := strconv.Atoi(target); err == nil && k >= 1 && k <= c {
			j = k - 1
		}
	}
	if j < 0 {
		return nil, nil, &DataError{Table: name, Option: "DataOptions.Target", Value: fmt.Sprintf("%q", target),
			Reason: fmt.Sprintf("no such column; the columns are %q", t.Columns)}
	}
	if c < 2 {
		return nil, nil, &DataError{Table: name, Reason: "only the target column; the learner needs at least one input column"}
	}
	x, y := mat.NewDense(r, c-1, nil), make([]float64, r)
	for i := 0; i < r; i++ {
		row := x.RawRowView(i)
		for k, m := 0, 0; k < c; k++ {
			if k == j {
				y[i] = t.X.At(i, k)
				continue
			}
			row[m] = t.X.At(i, k)
			m++
		}
	}
	return x, y, nil
}
