package table

import (
	"fmt"
	"io"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// reservoirStream is the PCG stream of Reservoir's random numbers.
const reservoirStream = 0x7265736572766f69 // "reservoi"

// Reservoir reads src once and returns a uniform random sample of min(n,
// rows) of its rows, with rows, the number of rows src holds. Every subset
// of that size is equally likely (Vitter 1985, algorithm R): the first n rows
// fill the reservoir, and row i > n replaces a uniformly chosen one of them
// with probability n/i. The draws come from the PCG stream (seed,
// "reservoi"), so a seed gives the same sample on every run, whatever the
// block size of src. The sample's rows are in reservoir order, not file
// order. Memory is n rows and one block.
//
// A source with row weights is an error (a uniform sample of rows would
// ignore them), as is a source with no rows. Reservoir panics when n < 1.
//
// J. S. Vitter (1985), "Random sampling with a reservoir", ACM TOMS 11(1).
func Reservoir(src em.Source, n int, seed uint64) (sample *mat.Dense, rows int, err error) {
	if n < 1 {
		panic(fmt.Sprintf("table: Reservoir: a sample of %d rows; give at least 1", n))
	}
	d := src.Dim()
	it, err := src.Blocks(em.DefaultBlockRows)
	if err != nil {
		return nil, 0, err
	}
	defer it.Close()
	rng := rand.New(rand.NewPCG(seed, reservoirStream))
	keep := make([]float64, 0, min(n, 1<<20)*d)
	buf := mat.NewDense(em.DefaultBlockRows, d, nil)
	for {
		x, w, err := it.Next(buf, nil)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		if w != nil {
			return nil, 0, fmt.Errorf("table: Reservoir: %s has row weights; a uniform sample of its rows would ignore them", sourceName(src))
		}
		r, _ := x.Dims()
		for i := range r {
			row := x.RawRowView(i)
			if rows < n {
				keep = append(keep, row...)
			} else if j := rng.IntN(rows + 1); j < n {
				copy(keep[j*d:(j+1)*d], row)
			}
			rows++
		}
	}
	if err := it.Close(); err != nil {
		return nil, 0, err
	}
	if rows == 0 {
		return nil, 0, fmt.Errorf("table: %s: no data rows", sourceName(src))
	}
	return mat.NewDense(len(keep)/d, d, keep), rows, nil
}

func sourceName(src em.Source) string {
	if s, ok := src.(interface{ Name() string }); ok {
		return s.Name()
	}
	return "the source"
}
