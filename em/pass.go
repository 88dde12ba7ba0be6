package em

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Pass runs one E-step of m over src on opts.Workers goroutines and returns
// the merged statistics (nil when withStats is false: a log-likelihood-only
// pass) and the summed partial scalars. The blocks are merged in the fixed
// pairwise order of the package documentation, so the result has the same
// bits whatever the number of workers.
func Pass(ctx context.Context, src Source, m Model, withStats bool, opts Options) (Stats, Partial, error) {
	p, err := NewPasser(src, m, opts)
	if err != nil {
		return nil, Partial{}, err
	}
	return p.Pass(ctx, withStats)
}

// Passer runs repeated E-step passes of one model over one source, keeping
// its workers, buffers and statistics between passes (Run iterates with
// one). It is not safe for concurrent use.
type Passer struct{ p *passer }

// NewPasser returns a Passer of m over src with opts.Workers workers and
// blocks of opts.BlockRows rows.
func NewPasser(src Source, m Model, opts Options) (*Passer, error) {
	o, err := opts.resolved()
	if err != nil {
		return nil, err
	}
	return &Passer{newPasser(src, m, o)}, nil
}

// Pass is the package function Pass with the Passer's settings. The
// statistics returned stay valid until the next Pass.
func (p *Passer) Pass(ctx context.Context, withStats bool) (Stats, Partial, error) {
	if p.p.last != nil {
		p.p.putStats(p.p.last)
		p.p.last = nil
	}
	st, part, err := p.p.run(ctx, withStats)
	p.p.last = st
	return st, part, err
}

func newPasser(src Source, m Model, o Options) *passer {
	workers := make([]Worker, o.Workers)
	for i := range workers {
		workers[i] = m.NewWorker()
	}
	return &passer{src: src, m: m, workers: workers, blockRows: o.BlockRows}
}

// passer runs E-step passes of one model with a fixed set of workers.
type passer struct {
	last      Stats // returned by the previous Passer.Pass
	src       Source
	m         Model
	workers   []Worker
	blockRows int
	pool      []Stats // spare statistics, reused across passes
	slots     []*slot
}

// slot holds one block in flight: its data, its statistics, its result.
type slot struct {
	idx   int
	first int // the block's first row in the pass
	buf   *mat.Dense
	wbuf  []float64
	x     *mat.Dense
	w     []float64
	stats Stats
	part  Partial
	err   error
	done  bool
}

func (p *passer) getStats() Stats {
	if n := len(p.pool); n > 0 {
		s := p.pool[n-1]
		p.pool = p.pool[:n-1]
		return s
	}
	return p.m.NewStats()
}

func (p *passer) putStats(s Stats) {
	if s != nil {
		p.pool = append(p.pool, s)
	}
}

// run is one pass. The main goroutine reads blocks in order (a stream
// source is read sequentially), hands them to the workers through a window
// of slots, and merges finished blocks strictly in block order.
func (p *passer) run(ctx context.Context, withStats bool) (Stats, Partial, error) {
	it, err := p.src.Blocks(p.blockRows)
	if err != nil {
		return nil, Partial{}, err
	}
	defer it.Close()

	window := 4 * len(p.workers)
	if len(p.slots) < window {
		_, views := p.src.(*matrixSource)
		d := p.src.Dim()
		for len(p.slots) < window {
			s := &slot{}
			if !views { // an in-memory matrix hands out views; a stream fills buffers
				s.buf, s.wbuf = mat.NewDense(p.blockRows, d, nil), make([]float64, p.blockRows)
			}
			p.slots = append(p.slots, s)
		}
	}
	jobs := make(chan *slot, window)
	results := make(chan *slot, window)
	var wg sync.WaitGroup
	for _, w := range p.workers {
		wg.Add(1)
		go func(w Worker) {
			defer wg.Done()
			for s := range jobs {
				s.part, s.err = safeEStep(w, s.stats, s.first, s.x, s.w)
				results <- s
			}
		}(w)
	}

	var st mergeStack
	var firstErr error
	errIdx := -1
	next, merged, rows := 0, 0, 0
	eof := false
	for {
		for !eof && firstErr == nil && next-merged < window {
			if err := ctx.Err(); err != nil {
				firstErr, errIdx = err, next
				break
			}
			s := p.slots[next%window]
			x, w, err := it.Next(s.buf, s.wbuf)
			if err == io.EOF {
				eof = true
				break
			}
			if err != nil {
				firstErr, errIdx = err, next
				break
			}
			s.idx, s.first, s.x, s.w, s.done, s.err = next, rows, x, w, false, nil
			r, _ := x.Dims()
			rows += r
			s.stats = nil
			if withStats {
				s.stats = p.getStats()
			}
			next++
			jobs <- s
		}
		if next == merged {
			break
		}
		s := <-results
		s.done = true
		if s.err != nil && (errIdx < 0 || s.idx < errIdx) {
			firstErr, errIdx = s.err, s.idx
		}
		for merged < next {
			h := p.slots[merged%window]
			if !h.done || h.idx != merged {
				break
			}
			if firstErr == nil {
				st.push(h.stats, h.part, p.putStats)
			} else {
				p.putStats(h.stats)
			}
			h.stats, h.x, h.w = nil, nil, nil
			merged++
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		for _, it := range st.items {
			p.putStats(it.stats)
		}
		return nil, Partial{}, firstErr
	}
	if next == 0 {
		return nil, Partial{}, errors.New("em: the data have no rows")
	}
	stats, part := st.finish(p.putStats)
	return stats, part, nil
}

// safeEStep turns a panic in a model's E-step into an error, so that one bad
// block cannot leave the other workers blocked.
func safeEStep(w Worker, dst Stats, first int, x *mat.Dense, wt []float64) (part Partial, err error) {
	defer func() {
		if r := recover(); r != nil {
			buf := make([]byte, 4096)
			buf = buf[:runtime.Stack(buf, false)]
			err = fmt.Errorf("em: panic in the E-step: %v\n%s", r, buf)
		}
	}()
	return w.EStep(dst, first, x, wt)
}

// mergeStack merges partial results in a fixed pairwise order: block
// results are pushed in block order, and whenever the two results on top
// cover the same number of blocks they are merged (a binary counter). At
// the end the stack is folded from the top. The tree depends only on the
// number of blocks, so in-memory and streamed passes over the same rows,
// with any number of workers, merge identically; and the pairwise tree keeps
// the rounding error of the sums at O(log blocks) instead of O(blocks).
type mergeStack struct {
	items []stackItem
}

type stackItem struct {
	stats  Stats
	part   Partial
	blocks int
}

func (s *mergeStack) push(st Stats, part Partial, release func(Stats)) {
	s.items = append(s.items, stackItem{st, part, 1})
	for n := len(s.items); n >= 2 && s.items[n-1].blocks == s.items[n-2].blocks; n = len(s.items) {
		s.mergeTop(release)
	}
}

// mergeTop merges the top item into the one below it (which holds the
// earlier rows) and pops it.
func (s *mergeStack) mergeTop(release func(Stats)) {
	n := len(s.items)
	a, b := &s.items[n-2], s.items[n-1]
	if a.stats != nil {
		a.stats.Merge(b.stats)
		release(b.stats)
	}
	a.part = a.part.add(b.part)
	a.blocks += b.blocks
	s.items = s.items[:n-1]
}

func (s *mergeStack) finish(release func(Stats)) (Stats, Partial) {
	for len(s.items) >= 2 {
		s.mergeTop(release)
	}
	it := s.items[0]
	s.items = s.items[:0]
	return it.stats, it.part
}
