package autodiff

import (
	"runtime"
	"sync"
)

// rowTask is a block of rows [lo, hi) of an elementwise op's node n,
// computed by rows(n, lo, hi) (see parallelRows).
type rowTask struct {
	rows   func(n *Node, lo, hi int)
	n      *Node
	lo, hi int
	wg     *sync.WaitGroup
}

// rowPool is a tape's workers and its reusable list of tasks.
type rowPool struct {
	tasks chan *rowTask
	list  []rowTask
	wg    sync.WaitGroup
}

func rowWorker(tasks chan *rowTask) {
	for t := range tasks {
		t.rows(t.n, t.lo, t.hi)
		t.wg.Done()
	}
}

// parallelMin is the fewest entries for which an elementwise op is cut
// into blocks of rows for the tape's workers.
const parallelMin = 1 << 15

// parallelRows computes rows [0, rows) of node n by fn(n, lo, hi), in
// blocks of rows on the tape's workers and the calling goroutine when the
// node has at least parallelMin entries and there is more than one core,
// in one call otherwise. fn must compute each row from its inputs alone,
// so that every row gets the same bits however the rows are split. fn is
// a plain function (not a closure), so that handing it over allocates
// nothing.
func (t *Tape) parallelRows(n *Node, rows, entries int, fn func(n *Node, lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if entries < parallelMin || workers < 2 || rows < 2 {
		fn(n, 0, rows)
		return
	}
	p := t.pool()
	blocks := min(rows, 2*workers)
	p.list = p.list[:0]
	for b := 0; b < blocks; b++ {
		p.list = append(p.list, rowTask{rows: fn, n: n, lo: b * rows / blocks, hi: (b + 1) * rows / blocks, wg: &p.wg})
	}
	p.dispatch()
}

// dispatch runs the pool's tasks: each is handed to an idle worker (the
// channel is unbuffered, so a send succeeds only when one is waiting) or
// computed here.
func (p *rowPool) dispatch() {
	p.wg.Add(len(p.list))
	for next := range p.list {
		select {
		case p.tasks <- &p.list[next]:
		default:
			t := &p.list[next]
			t.rows(t.n, t.lo, t.hi)
			p.wg.Done()
		}
	}
	p.wg.Wait()
}

// pool returns the tape's workers, starting GOMAXPROCS−1 of them the first
// time; they stop when the tape is garbage collected.
func (t *Tape) pool() *rowPool {
	if t.workers == nil {
		p := &rowPool{tasks: make(chan *rowTask)}
		for range runtime.GOMAXPROCS(0) - 1 {
			go rowWorker(p.tasks)
		}
		runtime.AddCleanup(t, func(ch chan *rowTask) { close(ch) }, p.tasks)
		t.workers = p
	}
	return t.workers
}
