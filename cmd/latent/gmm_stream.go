package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/csvio"
)

// csvSource is an em.Source over a CSV file read block by block, once per
// E-step (gmm fit --stream): memory stays bounded whatever the file's size.
type csvSource struct {
	path string
	opts csvio.Options
	cols []string
}

func openCSVSource(path string, opts csvio.Options) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := csvio.NewReader(f, opts)
	if err != nil {
		return nil, err
	}
	return &csvSource{path: path, opts: opts, cols: r.Columns()}, nil
}

func (s *csvSource) Dim() int { return len(s.cols) }

func (s *csvSource) Blocks(rows int) (em.BlockIter, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, err
	}
	r, err := csvio.NewReader(f, s.opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	if !slices.Equal(r.Columns(), s.cols) {
		f.Close()
		return nil, fmt.Errorf("%s changed while it was read: its columns are now %v", s.path, r.Columns())
	}
	return &csvIter{f: f, r: r, d: len(s.cols)}, nil
}

type csvIter struct {
	f    *os.File
	r    *csvio.Reader
	d    int
	done bool
}

func (it *csvIter) Next(buf *mat.Dense, _ []float64) (*mat.Dense, []float64, error) {
	if it.done {
		return nil, nil, io.EOF
	}
	n, err := it.r.ReadChunk(buf, nil)
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

func (it *csvIter) Close() error { return it.f.Close() }

// reservoirSample reads the file once and keeps a uniform sample of at most
// n rows (Vitter's algorithm R, with the seed's stream); it returns the
// sample and the number of rows in the file.
func reservoirSample(s *csvSource, n int, seed uint64) (*mat.Dense, int, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r, err := csvio.NewReader(f, s.opts)
	if err != nil {
		return nil, 0, err
	}
	d := len(s.cols)
	rng := rand.New(rand.NewPCG(seed, 0x7265736572766f69))
	keep := make([]float64, 0, n*d)
	row := make([]float64, d)
	seen := 0
	for {
		if _, err := r.Next(row); err == io.EOF {
			break
		} else if err != nil {
			return nil, 0, err
		}
		if seen < n {
			keep = append(keep, row...)
		} else if j := rng.IntN(seen + 1); j < n {
			copy(keep[j*d:(j+1)*d], row)
		}
		seen++
	}
	if seen == 0 {
		return nil, 0, fmt.Errorf("%s: no data rows", s.path)
	}
	return mat.NewDense(len(keep)/d, d, keep), seen, nil
}
