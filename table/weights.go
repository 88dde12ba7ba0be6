package table

import (
	"fmt"
	"io"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/csvio"
)

// weightedReader is a chunkReader that reads the rows' weights too
// (Options.Weights); only CSV files have a weight column.
type weightedReader interface {
	ReadChunkWeights(dst *mat.Dense, w []float64) (int, error)
}

// nextWeighted is Next for a Source with a weight column: the block and
// its rows' weights, in wbuf; at the end of a pass, weights that are all 0
// are an error.
func (it *blockIter) nextWeighted(buf *mat.Dense, wbuf []float64) (*mat.Dense, []float64, error) {
	wr, ok := it.r.(weightedReader)
	if !ok {
		return nil, nil, fmt.Errorf("table: %s: this format has no weight column (Options.Weights)", it.name)
	}
	rows, _ := buf.Dims()
	if wbuf == nil || len(wbuf) < rows {
		wbuf = make([]float64, rows)
	}
	n, err := wr.ReadChunkWeights(buf, wbuf)
	if err == io.EOF {
		it.done = true
	} else if err != nil {
		return nil, nil, err
	}
	for _, v := range wbuf[:n] {
		it.total += v
	}
	if it.done && it.total == 0 {
		return nil, nil, &Error{File: it.name, Err: csvio.ErrWeight, Detail: "every weight is 0", Hint: "give some row a positive weight"}
	}
	if n == 0 {
		return nil, nil, io.EOF
	}
	return buf.Slice(0, n, 0, it.d).(*mat.Dense), wbuf[:n], nil
}
