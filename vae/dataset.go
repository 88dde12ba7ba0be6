package vae

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
)

// Data are rows prepared for a model, as latent's CLI, demo and notebooks
// use them: the training rows, the held-out rows when there are any, their
// labels (for colours and the classifier features of package vaemix; nil
// when unlabelled), the column names and, when each row is an image, its
// shape.
type Data struct {
	// Name names the data in messages: a file name, "digits", "mnist".
	Name        string
	Train, Test *mat.Dense // Test is nil when nothing is held out
	TrainLabels []string
	TestLabels  []string
	Columns     []string
	LabelName   string
	// Height and Width are the image shape of a row; 0 when the rows are
	// not images.
	Height, Width int
	// Split says in words where the held-out rows come from.
	Split string
}

// NewData returns rows read from a table (a CSV file) with nothing held
// out. A row of at least 16 values whose count is a square is taken as a
// square image.
func NewData(name string, x *mat.Dense, labels, columns []string, labelName string) *Data {
	d := &Data{Name: name, Train: x, TrainLabels: labels, Columns: columns, LabelName: labelName, Split: "no held-out rows"}
	if c := len(columns); c >= 16 {
		if r := int(math.Round(math.Sqrt(float64(c)))); r*r == c {
			d.Height, d.Width = r, r
		}
	}
	return d
}

// Digits returns the 8×8 digits of package datasets with their grey levels
// 0…16 divided by 16, into [0, 1] as a Bernoulli decoder needs them, with
// nothing held out yet (HoldOut).
func Digits() *Data {
	ds := datasets.Digits()
	ds.X.Scale(1.0/16, ds.X)
	return &Data{Name: "digits", Train: ds.X, TrainLabels: ds.Labels, Columns: ds.Columns, LabelName: ds.LabelName,
		Height: 8, Width: 8, Split: "no held-out rows"}
}

// MNIST returns MNIST from dir (datasets.LoadMNIST; "" means the GoMNIST
// module's folder in the Go module cache): its 60000 training and 10000
// test images, grey levels in [0, 1], columns px0…px783.
func MNIST(dir string) (*Data, error) {
	m, err := datasets.LoadMNIST(dir)
	if err != nil {
		return nil, err
	}
	cols := make([]string, m.Train.Rows*m.Train.Cols)
	for i := range cols {
		cols[i] = "px" + strconv.Itoa(i)
	}
	return &Data{Name: "mnist", Train: m.Train.Dense(), TrainLabels: m.Train.LabelStrings(),
		Test: m.Test.Dense(), TestLabels: m.Test.LabelStrings(), Columns: cols, LabelName: "digit",
		Height: m.Train.Rows, Width: m.Train.Cols, Split: "MNIST's 60000 training and 10000 test images"}, nil
}

// SetTest takes held-out rows read apart (from the file name), which must
// have the training rows' columns.
func (d *Data) SetTest(name string, x *mat.Dense, labels []string) error {
	if _, c := x.Dims(); c != len(d.Columns) {
		return fmt.Errorf("%s has %d columns, %s has %d; the test rows need the same columns", name, c, d.Name, len(d.Columns))
	}
	d.Test, d.TestLabels, d.Split = x, labels, "test rows from "+name
	return nil
}

// HoldOut holds out a share frac of the training rows by a shuffle of seed
// (datasets.Split: the same rows for the same seed everywhere), when there
// are no held-out rows yet and frac > 0. Both parts keep the rows' order.
// It panics when frac is not in [0, 1).
func (d *Data) HoldOut(frac float64, seed uint64) *Data {
	if d.Test != nil {
		return d
	}
	n, _ := d.Train.Dims()
	train, test := datasets.Split(n, frac, seed)
	if test == nil {
		return d
	}
	d.Test, d.TestLabels = datasets.Rows(d.Train, test), datasets.Pick(d.TrainLabels, test)
	d.Train, d.TrainLabels = datasets.Rows(d.Train, train), datasets.Pick(d.TrainLabels, train)
	d.Split = fmt.Sprintf("%g%% held out by a shuffle of seed %d", 100*frac, seed)
	return d
}

// All returns the training rows followed by the held-out rows, with their
// labels when both parts have them.
func (d *Data) All() (*mat.Dense, []string) {
	if d.Test == nil {
		return d.Train, d.TrainLabels
	}
	n, c := d.Train.Dims()
	k, _ := d.Test.Dims()
	all := mat.NewDense(n+k, c, nil)
	all.Stack(d.Train, d.Test)
	var labels []string
	if d.TrainLabels != nil && d.TestLabels != nil {
		labels = append(append(labels, d.TrainLabels...), d.TestLabels...)
	}
	return all, labels
}
