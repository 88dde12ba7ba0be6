package em

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Shared lets several fits read one Source in the same scans: each fit
// (for example each candidate of a model selection, running Run on its own
// goroutine) reads a handle from Join, and a scan of the underlying source
// starts when every fit still joined has asked for a pass. Each block read
// is copied to every fit of the scan, so each fit sees exactly the blocks,
// in the order, it would see reading the source alone: it gets the same
// bits. A fit that ends calls Leave and the scans go on without it, so the
// number of scans is the largest number of passes of one fit, not their sum.
//
// Every fit joined must ask for blocks of the same number of rows. A fit
// that stops reading in the middle of a pass (an error, a cancelled
// context) only closes its iterator; the scan goes on for the others.
type Shared struct {
	src Source

	mu      sync.Mutex
	live    int // handles joined and not left
	rows    int // block rows of the scans (0 until the first)
	waiting []*sharedIter
	scans   int
}

// NewShared returns a Shared reading src.
func NewShared(src Source) *Shared { return &Shared{src: src} }

// Scans returns the number of scans of the underlying source so far.
func (s *Shared) Scans() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scans
}

// Join returns a Source handle for one fit. Call it for every fit before
// any of them starts reading, and Leave when the fit ends.
func (s *Shared) Join() *SharedSource {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live++
	return &SharedSource{s: s}
}

// SharedSource is one fit's handle on a Shared.
type SharedSource struct {
	s    *Shared
	left bool
}

// Dim returns the number of columns of the shared source.
func (h *SharedSource) Dim() int { return h.s.src.Dim() }

// Leave says that the fit reads no more: scans no longer wait for it.
// Calling it again does nothing.
func (h *SharedSource) Leave() {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.left {
		return
	}
	h.left = true
	s.live--
	s.maybeStart()
}

// Blocks joins the next scan of the shared source.
func (h *SharedSource) Blocks(rows int) (BlockIter, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.left {
		return nil, errors.New("em: Blocks on a SharedSource after Leave")
	}
	if s.rows != 0 && rows != s.rows {
		return nil, fmt.Errorf("em: a shared scan in blocks of %d rows, and a fit asking for %d: give every fit the same BlockRows", s.rows, rows)
	}
	s.rows = rows
	it := &sharedIter{ch: make(chan sharedMsg, 1)}
	s.waiting = append(s.waiting, it)
	s.maybeStart()
	return it, nil
}

// maybeStart starts a scan when every live handle waits (s.mu held).
func (s *Shared) maybeStart() {
	if len(s.waiting) == 0 || len(s.waiting) < s.live {
		return
	}
	its := s.waiting
	s.waiting = nil
	s.scans++
	go s.scan(its, s.rows)
}

type sharedMsg struct {
	x   *mat.Dense
	w   []float64
	err error
	ack *sync.WaitGroup
}

// scan reads the source once, handing every block to every iterator of
// the scan and waiting until each has copied it before reading the next.
func (s *Shared) scan(its []*sharedIter, rows int) {
	defer func() {
		for _, it := range its {
			close(it.ch)
		}
	}()
	send := func(m sharedMsg) {
		var wg sync.WaitGroup
		wg.Add(len(its))
		m.ack = &wg
		for _, it := range its {
			it.ch <- m
		}
		wg.Wait()
	}
	src, err := s.src.Blocks(rows)
	if err != nil {
		send(sharedMsg{err: err})
		return
	}
	defer src.Close()
	buf := mat.NewDense(rows, s.src.Dim(), nil)
	wbuf := make([]float64, rows)
	for {
		x, w, err := src.Next(buf, wbuf)
		if err == io.EOF {
			return
		}
		if err != nil {
			send(sharedMsg{err: err})
			return
		}
		send(sharedMsg{x: x, w: w})
	}
}

// sharedIter is one fit's iterator over one scan.
type sharedIter struct {
	ch     chan sharedMsg
	closed bool
	err    error
}

func (it *sharedIter) Next(buf *mat.Dense, wbuf []float64) (*mat.Dense, []float64, error) {
	if it.closed || it.err != nil {
		return nil, nil, io.EOF
	}
	m, ok := <-it.ch
	if !ok {
		return nil, nil, io.EOF
	}
	defer m.ack.Done()
	if m.err != nil {
		it.err = m.err
		return nil, nil, m.err
	}
	r, c := m.x.Dims()
	if buf == nil || buf.RawMatrix().Rows < r {
		buf = mat.NewDense(r, c, nil)
	}
	x := buf.Slice(0, r, 0, c).(*mat.Dense)
	x.Copy(m.x)
	var w []float64
	if m.w != nil {
		if cap(wbuf) < r {
			wbuf = make([]float64, r)
		}
		w = wbuf[:r]
		copy(w, m.w)
	}
	return x, w, nil
}

// Close ends the fit's part in the scan; blocks still to come are
// acknowledged without being read.
func (it *sharedIter) Close() error {
	if it.closed {
		return nil
	}
	it.closed = true
	go func() {
		for m := range it.ch {
			m.ack.Done()
		}
	}()
	return nil
}
