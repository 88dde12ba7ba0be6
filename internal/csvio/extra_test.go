package csvio

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Missing values are read as NaN only when asked: empty cells and the
// markers listed; without Missing the refusal points at it; a row with
// every value missing is refused with its line; a header is still told
// from a first row with a custom marker.
func TestMissingValues(t *testing.T) {
	nan := math.NaN()
	in := "a,b,c\n1,,3\nNA,2,?\n4,5,6\n"
	tab, err := read(t, in, Options{Missing: []string{"NA", "?"}})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "missing", tab, [][]float64{{1, nan, 3}, {nan, 2, nan}, {4, 5, 6}})
	_, err = read(t, in, Options{})
	wantErr(t, "refused", err, ErrMissing, "data.csv:2:3", "empty cell", "--missing")
	_, err = read(t, "a,b\n1,2\nNA,\n", Options{Missing: []string{"NA"}})
	wantErr(t, "all missing", err, ErrMissing, "data.csv:3", "every value of the row is missing")
	// Only the markers named: "?" is not one here, and stays an error.
	_, err = read(t, in, Options{Missing: []string{"NA"}})
	wantErr(t, "other marker", err, ErrMissing, "data.csv:3:6", `"?"`)
	// A marker that is a number is a missing value.
	tab, err = read(t, "a,b\n-999,1\n2,3\n", Options{Missing: []string{"-999"}})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "numeric marker", tab, [][]float64{{nan, 1}, {2, 3}})
	// A first row of data with a custom marker is data, not a header.
	tab, err = read(t, "1,missing\n2,3\n", Options{Missing: []string{"missing"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Columns, ",") != "x1,x2" {
		t.Errorf("columns %v; the first row was taken for a header", tab.Columns)
	}
	// Empty cells only.
	tab, err = read(t, "a,b\n1, \n2,3\n", Options{Missing: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "empty only", tab, [][]float64{{1, nan}, {2, 3}})
}

// A weight column is read apart: finite and ≥ 0, each bad one refused
// with its line, not all 0; a known-class column likewise as text.
func TestWeightsAndKnown(t *testing.T) {
	in := "x,w,k,y\n1,2,a,3\n4,0.5,,6\n7,0,b,9\n"
	tab, err := read(t, in, Options{Weights: "w", Known: "k"})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "x", tab, [][]float64{{1, 3}, {4, 6}, {7, 9}})
	if strings.Join(tab.Columns, ",") != "x,y" {
		t.Errorf("columns %v", tab.Columns)
	}
	if w := tab.Weights; len(w) != 3 || w[0] != 2 || w[1] != 0.5 || w[2] != 0 {
		t.Errorf("weights %v", w)
	}
	if k := tab.Known; len(k) != 3 || k[0] != "a" || k[1] != "" || k[2] != "b" {
		t.Errorf("known %q", k)
	}
	for _, c := range []struct {
		in, frag string
	}{
		{"x,w\n1,2\n3,-1\n", `data.csv:3:3: column 2 ("w"): "-1": the weight is negative`},
		{"x,w\n1,2\n3,\n", "data.csv:3:3: column 2 (\"w\"): the weight is missing"},
		{"x,w\n1,inf\n", "data.csv:2:3: column 2 (\"w\"): \"inf\": the weight is not finite"},
		{"x,w\n1,abc\n", "data.csv:2:3: column 2 (\"w\"): \"abc\": the weight is not a number"},
		{"x,w\n1,0\n2,0\n", `data.csv: column 2 ("w"): every weight is 0`},
	} {
		_, err := read(t, c.in, Options{Weights: "w"})
		wantErr(t, c.frag, err, ErrWeight, c.frag)
	}
	_, err = read(t, "x,w\n1,NA\n", Options{Weights: "w", Missing: []string{"NA"}})
	wantErr(t, "missing weight", err, ErrWeight, "the weight is missing")
	_, err = read(t, "x,w\n1,2\n", Options{Weights: "v"})
	wantErr(t, "no such column", err, ErrLabel, `weight column "v" not found`, `"x", "w"`)
	_, err = read(t, "x,w\n1,2\n", Options{Weights: "w", Label: "w"})
	wantErr(t, "one column twice", err, ErrLabel, "both the label and the weights")
	// By number, in a file without a header.
	tab, err = read(t, "1,2,3\n4,5,6\n", Options{Weights: "3"})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Weights[1] != 6 {
		t.Errorf("weights by number: %v", tab.Weights)
	}
	// Streaming: ReadChunkWeights.
	r, err := NewReader(strings.NewReader(in), Options{Weights: "w", Known: "k"})
	if err != nil {
		t.Fatal(err)
	}
	dst := mat.NewDense(4, 2, nil)
	w := make([]float64, 4)
	n, _ := r.ReadChunkWeights(dst, nil, w)
	if n != 3 || w[0] != 2 || w[1] != 0.5 || r.WeightName() != "w" || r.KnownName() != "k" {
		t.Errorf("ReadChunkWeights: %d rows, weights %v, names %q %q", n, w[:n], r.WeightName(), r.KnownName())
	}
}
