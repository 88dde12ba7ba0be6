package table

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// A table read with Missing, Weights and Known: NaN cells, the weights
// and known classes apart; a Source's blocks carry the weights, and
// weights that are all 0 end the pass with an error.
func TestMissingWeightsKnown(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(path, []byte("a,w,b,k\n1,2,NA,x\n,1,3,\n4,0.5,5,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := Options{Missing: []string{"NA"}, Weights: "w", Known: "k"}
	tab, err := Read(path, o)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(tab.X.At(0, 1)) || !math.IsNaN(tab.X.At(1, 0)) || tab.X.At(2, 1) != 5 {
		t.Errorf("X = %v", mat.Formatted(tab.X))
	}
	if len(tab.Weights) != 3 || tab.Weights[2] != 0.5 || len(tab.Known) != 3 || tab.Known[1] != "" || tab.Known[2] != "y" {
		t.Errorf("weights %v, known %q", tab.Weights, tab.Known)
	}
	src, err := OpenCSV(path, o)
	if err != nil {
		t.Fatal(err)
	}
	if src.Dim() != 2 {
		t.Fatalf("source columns %v", src.Columns())
	}
	it, err := src.Blocks(2)
	if err != nil {
		t.Fatal(err)
	}
	var ws []float64
	for {
		x, w, err := it.Next(mat.NewDense(2, 2, nil), make([]float64, 2))
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := x.Dims(); r != len(w) {
			t.Fatalf("%d rows, %d weights", r, len(w))
		}
		ws = append(ws, w...)
	}
	if len(ws) != 3 || ws[0] != 2 || ws[1] != 1 || ws[2] != 0.5 {
		t.Errorf("source weights %v", ws)
	}
	zero := filepath.Join(dir, "z.csv")
	os.WriteFile(zero, []byte("a,w\n1,0\n2,0\n"), 0o644)
	src, err = OpenCSV(zero, Options{Weights: "w"})
	if err != nil {
		t.Fatal(err)
	}
	it, _ = src.Blocks(8)
	_, _, err = it.Next(mat.NewDense(8, 1, nil), make([]float64, 8))
	if !errors.Is(err, ErrWeight) {
		t.Errorf("all-zero weights in a stream: %v", err)
	}
}
