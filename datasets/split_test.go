package datasets

import (
	"fmt"
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		n     int
		frac  float64
		wantK int
	}{
		{10, 0.2, 2}, {10, 0.25, 3}, // ⌈2.5⌉ = 3
		{2, 0.01, 1}, {2, 0.99, 1}, // at least one each side
		{1, 0.5, 0}, {0, 0.5, 0}, {10, 0, 0},
	} {
		tr, te := Split(c.n, c.frac, 7)
		if len(te) != c.wantK || len(tr)+len(te) != c.n {
			t.Errorf("Split(%d, %v): %d train, %d test; want %d test of %d", c.n, c.frac, len(tr), len(te), c.wantK, c.n)
		}
		all := append(slices.Clone(tr), te...)
		slices.Sort(all)
		for i, v := range all {
			if v != i {
				t.Fatalf("Split(%d, %v): the parts are not a partition of 0…n−1: %v %v", c.n, c.frac, tr, te)
			}
		}
		if !slices.IsSorted(tr) || !slices.IsSorted(te) {
			t.Errorf("Split(%d, %v): parts not in row order", c.n, c.frac)
		}
	}
	a1, b1 := Split(100, 0.3, 1)
	a2, b2 := Split(100, 0.3, 1)
	_, b3 := Split(100, 0.3, 2)
	if !slices.Equal(a1, a2) || !slices.Equal(b1, b2) || slices.Equal(b1, b3) {
		t.Error("Split: the same seed must give the same split, another seed another one")
	}
}

func TestSplitPanics(t *testing.T) {
	for _, frac := range []float64{-0.1, 1, 2} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Split(10, %v) did not panic", frac)
				}
			}()
			Split(10, frac, 1)
		}()
	}
}

func TestDatasetSplit(t *testing.T) {
	iris := Iris()
	train, test := iris.Split(0.2, 1)
	nTr, _ := train.X.Dims()
	nTe, _ := test.X.Dims()
	if nTr != 120 || nTe != 30 || len(train.Labels) != 120 || len(test.Labels) != 30 {
		t.Fatalf("iris split 0.2: got %d/%d rows, %d/%d labels; want 120/30", nTr, nTe, len(train.Labels), len(test.Labels))
	}
	_, te := Split(150, 0.2, 1)
	for r, i := range te {
		if test.X.At(r, 2) != iris.X.At(i, 2) || test.Labels[r] != iris.Labels[i] {
			t.Fatalf("test row %d is not iris row %d", r, i)
		}
	}
}

// ExampleSplit holds out a fifth of Old Faithful's rows by a seeded shuffle.
func ExampleSplit() {
	f := Faithful()
	n, _ := f.X.Dims()
	train, test := Split(n, 0.2, 1)
	xTest := Rows(f.X, test)
	r, _ := xTest.Dims()
	fmt.Println(len(train), len(test), r)
	// Output: 217 55 55
}
