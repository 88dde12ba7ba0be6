package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// splitStream is the PCG stream of Split's shuffle, kept apart from any
// stream a model draws from with the same seed.
const splitStream = 0x5eed

// Split holds out a seeded random share of n rows: the rows at the last
// ⌈frac·n⌉ positions of a shuffle of 0…n−1 drawn with seed (at least one
// row, and at least one row left to train on) are the test rows; the others
// are the training rows. Both index lists are in increasing order, so the
// parts keep the data's row order. frac = 0, or n < 2, holds out nothing
// (test is nil). It panics when frac is not in [0, 1) or n < 0: the share
// is the caller's choice, checked where it is read.
//
// The same (n, frac, seed) gives the same split on every platform and in
// every release: the shuffle is math/rand/v2's PCG with its own stream.
func Split(n int, frac float64, seed uint64) (train, test []int) {
	if n < 0 || !(frac >= 0 && frac < 1) {
		panic(fmt.Sprintf("datasets: Split(%d, %v): need n ≥ 0 and frac in [0, 1)", n, frac))
	}
	if frac == 0 || n < 2 {
		train = make([]int, n)
		for i := range train {
			train[i] = i
		}
		return train, nil
	}
	k := min(max(int(math.Ceil(frac*float64(n))), 1), n-1)
	perm := rand.New(rand.NewPCG(seed, splitStream)).Perm(n)
	held := make([]bool, n)
	for _, i := range perm[n-k:] {
		held[i] = true
	}
	train, test = make([]int, 0, n-k), make([]int, 0, k)
	for i, h := range held {
		if h {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test
}

// Rows returns a new matrix of the rows of x at idx, in that order. It
// panics when an index is out of range.
func Rows(x mat.Matrix, idx []int) *mat.Dense {
	_, c := x.Dims()
	if len(idx) == 0 || c == 0 {
		return &mat.Dense{} // gonum has no 0×c matrix
	}
	out := mat.NewDense(len(idx), c, nil)
	if d, ok := x.(mat.RawMatrixer); ok {
		raw := d.RawMatrix()
		for r, i := range idx {
			if i < 0 || i >= raw.Rows {
				panic(fmt.Sprintf("datasets: Rows: index %d out of range [0, %d)", i, raw.Rows))
			}
			copy(out.RawRowView(r), raw.Data[i*raw.Stride:i*raw.Stride+c])
		}
		return out
	}
	for r, i := range idx {
		for j := 0; j < c; j++ {
			out.Set(r, j, x.At(i, j))
		}
	}
	return out
}

// Pick returns the elements of v at idx, in that order (nil for a nil v).
func Pick[T any](v []T, idx []int) []T {
	if v == nil {
		return nil
	}
	out := make([]T, len(idx))
	for r, i := range idx {
		out[r] = v[i]
	}
	return out
}

// Split holds out a seeded share of the data set's rows, as the function
// Split does, and returns the two parts as data sets of their own (the test
// part is nil when nothing is held out).
func (d *Dataset) Split(frac float64, seed uint64) (train, test *Dataset) {
	n, _ := d.X.Dims()
	tr, te := Split(n, frac, seed)
	part := func(idx []int) *Dataset {
		p := *d
		p.X = Rows(d.X, idx)
		p.Labels = Pick(d.Labels, idx)
		p.Columns = append([]string(nil), d.Columns...)
		return &p
	}
	train = part(tr)
	if te != nil {
		test = part(te)
	}
	return train, test
}
