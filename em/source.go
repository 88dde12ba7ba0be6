package em

import (
	"fmt"
	"io"

	"gonum.org/v1/gonum/mat"
)

// Source is data an E-step reads block by block, once per pass: the public
// streaming interface of latent's EM fits (mixture.FitSource takes one).
// Blocks come in a fixed order and each holds at most the number of rows
// asked for, so the partial statistics, and the order they are merged in, do
// not depend on how many goroutines compute them.
//
// Matrix makes a Source of a matrix in memory; package table makes one of a
// file (table.OpenCSV), read again from disk on every pass so that a fit
// holds only a few blocks of a file larger than memory. A Source of one's own
// (a database cursor, a generator) needs only Dim and Blocks; each call of
// Blocks must yield the same rows in the same order.
type Source interface {
	// Dim returns the number of columns.
	Dim() int
	// Blocks starts a pass over the rows in blocks of at most rows rows.
	Blocks(rows int) (BlockIter, error)
}

// BlockIter walks the blocks of one pass.
type BlockIter interface {
	// Next returns the next block: x, its rows, and w, their weights (nil
	// means all ones). A Source may return views of its own memory or fill
	// buf and wbuf, which the caller provides with the block's capacity in
	// rows (wbuf may be nil when the source has no weights); x and w stay
	// valid until buf and wbuf are passed to Next again. After the last
	// block Next returns io.EOF.
	Next(buf *mat.Dense, wbuf []float64) (x *mat.Dense, w []float64, err error)
	// Close ends the pass.
	Close() error
}

// Matrix returns a Source over the rows of x with weights w (nil means all
// ones). The blocks are views of x when x is a *mat.Dense; other matrices are
// copied once. Matrix panics when len(w) is neither 0 nor the number of rows.
// It does not check the values; the model's package does, with messages that
// name the row and column.
func Matrix(x mat.Matrix, w []float64) Source {
	r, c := x.Dims()
	if w != nil && len(w) != r {
		panic(fmt.Sprintf("em: %d weights for %d rows", len(w), r))
	}
	d, ok := x.(*mat.Dense)
	if !ok {
		d = mat.DenseCopyOf(x)
	}
	return &matrixSource{x: d, w: w, rows: r, cols: c}
}

type matrixSource struct {
	x          *mat.Dense
	w          []float64
	rows, cols int
}

func (s *matrixSource) Dim() int { return s.cols }

func (s *matrixSource) Blocks(rows int) (BlockIter, error) {
	if rows < 1 {
		panic("em: block of fewer than one row")
	}
	return &matrixIter{s: s, step: rows}, nil
}

type matrixIter struct {
	s    *matrixSource
	next int
	step int
}

func (it *matrixIter) Next(_ *mat.Dense, _ []float64) (*mat.Dense, []float64, error) {
	if it.next >= it.s.rows {
		return nil, nil, io.EOF
	}
	lo := it.next
	hi := min(lo+it.step, it.s.rows)
	it.next = hi
	x := it.s.x.Slice(lo, hi, 0, it.s.cols).(*mat.Dense)
	var w []float64
	if it.s.w != nil {
		w = it.s.w[lo:hi]
	}
	return x, w, nil
}

func (it *matrixIter) Close() error { return nil }

// RowError is an E-step's error about one row of the data.
type RowError struct {
	Row int // 0-based index in the pass; the message counts from 1
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("data row %d: %v", e.Row+1, e.Err) }

func (e *RowError) Unwrap() error { return e.Err }
