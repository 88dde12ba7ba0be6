package table

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// rowIDs returns an n×2 matrix whose row i is (i, −i).
func rowIDs(n int) *mat.Dense {
	x := mat.NewDense(n, 2, nil)
	for i := range n {
		x.Set(i, 0, float64(i))
		x.Set(i, 1, -float64(i))
	}
	return x
}

// smallBlocks is an em.Source that hands out blocks of at most 3 rows,
// whatever is asked: the sample must not depend on the block size.
type smallBlocks struct{ em.Source }

func (s smallBlocks) Blocks(int) (em.BlockIter, error) { return s.Source.Blocks(3) }

func TestReservoirSmallSourceIsAllRows(t *testing.T) {
	x := rowIDs(10)
	s, rows, err := Reservoir(em.Matrix(x, nil), 20, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 10 || !sameBits(s, x) {
		t.Errorf("got %d rows and sample %v, want 10 and the data in order", rows, mat.Formatted(s))
	}
}

// The sample depends on the seed only: not on the block size, nor on
// whether the rows come from a file or from memory.
func TestReservoirSameSampleAnyBlocks(t *testing.T) {
	tab := randomTable(9000, 3, 3)
	src, err := OpenCSV(writeFile(t, tab), Options{Label: "class"})
	if err != nil {
		t.Fatal(err)
	}
	a, ra, err := Reservoir(src, 500, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, rb, err := Reservoir(smallBlocks{em.Matrix(tab.X, nil)}, 500, 7)
	if err != nil {
		t.Fatal(err)
	}
	if ra != 9000 || rb != 9000 || !sameBits(a, b) {
		t.Errorf("rows %d and %d, same sample %v; want 9000, 9000, true", ra, rb, sameBits(a, b))
	}
	c, _, _ := Reservoir(src, 500, 8)
	if sameBits(a, c) {
		t.Error("seeds 7 and 8 gave the same sample")
	}
}

// Every row is in the sample with probability n/N: over many seeds, each
// row's count is within 5 standard errors of its expectation, and each
// sample holds distinct rows of the data.
func TestReservoirUniform(t *testing.T) {
	const N, n, reps = 50, 10, 4000
	x := rowIDs(N)
	count := make([]int, N)
	for seed := range uint64(reps) {
		s, _, err := Reservoir(em.Matrix(x, nil), n, seed)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for i := range n {
			id := int(s.At(i, 0))
			if seen[id] || s.At(i, 1) != -float64(id) {
				t.Fatalf("seed %d: row %v repeated or not a row of the data", seed, s.RawRowView(i))
			}
			seen[id] = true
			count[id]++
		}
	}
	p := float64(n) / N
	mean, se := reps*p, math.Sqrt(reps*p*(1-p)) // binomial(reps, p) per row
	for i, c := range count {
		if math.Abs(float64(c)-mean) > 5*se {
			t.Errorf("row %d: in %d samples, want %.0f ± %.0f", i, c, mean, 5*se)
		}
	}
}

func TestReservoirErrors(t *testing.T) {
	x := rowIDs(5)
	_, _, err := Reservoir(em.Matrix(x, []float64{1, 1, 2, 1, 1}), 2, 1)
	if err == nil || !strings.Contains(err.Error(), "row weights") {
		t.Errorf("weights: got %v, want an error about row weights", err)
	}
	_, _, err = Reservoir(em.Matrix(mat.NewDense(1, 2, nil).Slice(0, 0, 0, 2), nil), 2, 1)
	if err == nil || !strings.Contains(err.Error(), "no data rows") {
		t.Errorf("no rows: got %v, want an error saying so", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("n = 0 did not panic")
		}
	}()
	Reservoir(em.Matrix(x, nil), 0, 1)
}
