package fastblas

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// A parallel product is a job of independent parts (strips of C, or depth
// blocks for splitK). The calling goroutine and any idle helpers claim
// parts with an atomic counter until none is left; each part is computed
// by exactly one of them with the same arithmetic, so who computes it does
// not change the bits. Helpers are started once, on first use, and wait on
// a channel; a job is handed only to helpers idle at that moment (counted
// in idle, so the hand-over never misses a helper that is just returning
// to the channel), and the caller never waits for a busy one: with no
// helper free it computes every part itself. Jobs come from a pool, so a parallel product allocates
// nothing in the steady state (a training loop's products stay
// allocation-free).

type job[T elem] struct {
	g     gemmArgs[T]
	kern  *kernel[T]
	parts int
	next  atomic.Int64   // the next unclaimed part
	done  sync.WaitGroup // parts not finished
	held  sync.WaitGroup // helpers still inside run

	// Strips of C (parallel): part w covers tiles [w·tiles/parts,
	// (w+1)·tiles/parts) of size rows (splitRows) or columns.
	splitRows          bool
	tiles, size, limit int

	// Depth blocks (splitK): part w is block first+w, into buf.
	depth         bool
	kc, first, mn int
	buf           []T

	// Tiles of C for gonum's serial Dgemm (the "gonum" kernel): part w
	// is tile w, tiles of them across C.
	gonum bool
}

func getJob[T elem](g *gemmArgs[T], kern *kernel[T]) *job[T] {
	j, _ := poolsOf[T]().jobs.Get().(*job[T])
	if j == nil {
		j = new(job[T])
	}
	j.g, j.kern = *g, kern
	j.depth, j.buf, j.gonum = false, nil, false
	return j
}

func putJob[T elem](j *job[T]) { poolsOf[T]().jobs.Put(j) }

// task is a job of either element type, as helpers receive it: work
// claims and computes parts until none is left, then lets the job go.
type task interface{ work() }

func (j *job[T]) work() {
	j.run()
	j.held.Done()
}

var (
	helpers      chan task
	startHelpers sync.Once
	// idle counts helpers that are, or are about to be, waiting on
	// helpers: a caller that takes one from it may send and be sure a
	// helper receives at once.
	idle atomic.Int64
)

func helper(jobs <-chan task) {
	for {
		idle.Add(1)
		(<-jobs).work()
	}
}

// fork runs the job's parts on the calling goroutine and on up to procs−1
// idle helpers, and returns when all are done and no helper holds the job.
func (j *job[T]) fork(procs int) {
	startHelpers.Do(func() {
		helpers = make(chan task)
		for range runtime.NumCPU() - 1 {
			go helper(helpers)
		}
	})
	j.next.Store(0)
	j.done.Add(j.parts)
	for range min(procs, j.parts) - 1 {
		if idle.Add(-1) < 0 { // no idle helper
			idle.Add(1)
			break
		}
		j.held.Add(1)
		helpers <- j
	}
	j.run()
	j.done.Wait()
	j.held.Wait()
}

// run claims and computes parts until none is left.
func (j *job[T]) run() {
	for {
		w := int(j.next.Add(1) - 1)
		if w >= j.parts {
			return
		}
		if j.gonum {
			j.g.gonumTile(w, j.tiles)
		} else if j.depth {
			j.depthBlock(j.first + w)
		} else {
			lo := min(j.limit, w*j.tiles/j.parts*j.size)
			hi := min(j.limit, (w+1)*j.tiles/j.parts*j.size)
			if j.splitRows {
				j.g.block(j.kern, lo, hi, 0, j.g.n)
			} else {
				j.g.block(j.kern, 0, j.g.m, lo, hi)
			}
		}
		j.done.Done()
	}
}
