package table

import (
	"fmt"
	"io"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/csvio"
)

// Source is a table read from its file block by block, again on every pass:
// an em.Source for fits of data larger than memory (mixture.FitSource).
// Only the blocks in flight are in memory. The label column, if
// Options.Label names one, is skipped. A Source is safe for sequential
// passes; each pass opens the file anew.
type Source struct {
	name     string
	columns  []string
	open     func() (chunkReader, error)
	weighted bool // Options.Weights: blocks come with their rows' weights
}

// chunkReader is one pass over a file in some format.
type chunkReader interface {
	Columns() []string
	// ReadChunk fills the rows of dst and returns how many; fewer than
	// dst's rows only at the end, with io.EOF.
	ReadChunk(dst *mat.Dense) (int, error)
	Close() error
}

// OpenCSV opens the CSV file at path as a Source: it reads the header (and
// the first row, to detect one) now, to know the columns, and the rows on
// each pass. Errors about the data come from the pass that meets them, as
// *Error values; a file whose columns change between passes is an error.
func OpenCSV(path string, opts Options) (*Source, error) {
	co := opts.csv(path)
	open := func() (chunkReader, error) {
		f, err := openFile(path)
		if err != nil {
			return nil, err
		}
		r, err := csvio.NewFast(f, co)
		if err != nil {
			f.Close()
			return nil, err
		}
		return csvChunks{r, f}, nil
	}
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return &Source{name: co.Name, columns: r.Columns(), open: open, weighted: co.Weights != ""}, nil
}

// csvChunks reads a pass by csvio's fast path (parsed on every core; the
// exact reader's rows and errors), closing the file at the end.
type csvChunks struct {
	r *csvio.Fast
	f io.Closer
}

func (c csvChunks) Columns() []string                     { return c.r.Columns() }
func (c csvChunks) ReadChunk(dst *mat.Dense) (int, error) { return c.r.ReadChunk(dst, nil) }

// ReadChunkWeights fills the rows of dst and their weights (weights.go).
func (c csvChunks) ReadChunkWeights(dst *mat.Dense, w []float64) (int, error) {
	return c.r.ReadChunkWeights(dst, nil, w)
}

func (c csvChunks) Close() error {
	c.r.Close()
	return c.f.Close()
}

// Name returns the name of the source in error messages (the path, or
// Options.Name).
func (s *Source) Name() string { return s.name }

// Columns returns the names of the numeric columns.
func (s *Source) Columns() []string { return slices.Clone(s.columns) }

// Dim returns the number of numeric columns.
func (s *Source) Dim() int { return len(s.columns) }

// Blocks starts a pass over the rows in blocks of at most rows rows (em's
// Source interface): it opens the file and reads it as the blocks are asked
// for, into the caller's buffer. It panics when rows < 1.
func (s *Source) Blocks(rows int) (em.BlockIter, error) {
	if rows < 1 {
		panic("table: Blocks: blocks of fewer than one row")
	}
	r, err := s.open()
	if err != nil {
		return nil, err
	}
	if !slices.Equal(r.Columns(), s.columns) {
		r.Close()
		return nil, fmt.Errorf("%s changed while it was read: its columns are now %v", s.name, r.Columns())
	}
	return &blockIter{r: r, d: len(s.columns), weighted: s.weighted, name: s.name}, nil
}

type blockIter struct {
	r    chunkReader
	d    int
	done bool
	// weighted blocks come with weights (Options.Weights); total sums
	// them, to refuse weights that are all 0.
	weighted bool
	total    float64
	name     string
}

func (it *blockIter) Next(buf *mat.Dense, wbuf []float64) (*mat.Dense, []float64, error) {
	if it.done {
		return nil, nil, io.EOF
	}
	if it.weighted {
		return it.nextWeighted(buf, wbuf)
	}
	n, err := it.r.ReadChunk(buf)
	if err == io.EOF {
		it.done = true
		if n == 0 {
			return nil, nil, io.EOF
		}
	} else if err != nil {
		return nil, nil, err
	}
	return buf.Slice(0, n, 0, it.d).(*mat.Dense), nil, nil
}

func (it *blockIter) Close() error { return it.r.Close() }
