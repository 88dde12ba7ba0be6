package autodiff

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Every matrix product of the tape goes through blas64.Gemm, so it runs on
// whatever BLAS is registered with blas64.Use. One case is handled here:
// gonum's own pure-Go Dgemm goes parallel by starting a goroutine per
// 64×64 block of C on every call, which allocates, so a training step could
// never be allocation-free on it. When gonum's implementation is the one
// registered, the tape cuts C into tiles small enough for gonum to compute
// serially (fewer than 4 of its blocks) and hands them to its own workers,
// started once per tape. Each element of C is still computed by a single
// goroutine in a fixed order, so the bits do not depend on GOMAXPROCS or
// scheduling. Any other BLAS (fastblas, OpenBLAS) gets the whole product
// in one call and parallelises it itself.

// gonumBlock and gonumMinPar are gonum's blockSize and minParBlock (blas/
// gonum/gonum.go): a product with fewer than gonumMinPar blocks of
// gonumBlock×gonumBlock in C runs serially.
const (
	gonumBlock  = 64
	gonumMinPar = 4
	tileRows    = gonumBlock     // a tile is one block tall …
	tileCols    = 3 * gonumBlock // … and three wide: 3 < gonumMinPar
)

// gemmTile is one tile of a product, ready for blas64.Gemm, or, when rows
// is not nil, a block of rows [lo, hi) of an elementwise op's node n,
// computed by rows(n, lo, hi) (see parallelRows).
type gemmTile struct {
	ta, tb  blas.Transpose
	alpha   float64
	a, b, c blas64.General
	beta    float64
	wg      *sync.WaitGroup

	rows   func(n *Node, lo, hi int)
	n      *Node
	lo, hi int
}

// gemmPool is a tape's workers and its reusable list of tiles.
type gemmPool struct {
	tasks chan *gemmTile
	tiles []gemmTile
	wg    sync.WaitGroup
}

func gemmWorker(tasks chan *gemmTile) {
	for t := range tasks {
		t.run()
		t.wg.Done()
	}
}

func (t *gemmTile) run() {
	if t.rows != nil {
		t.rows(t.n, t.lo, t.hi)
		return
	}
	blas64.Gemm(t.ta, t.tb, t.alpha, t.a, t.b, t.beta, t.c)
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
	p.tiles = p.tiles[:0]
	for b := 0; b < blocks; b++ {
		p.tiles = append(p.tiles, gemmTile{rows: fn, n: n, lo: b * rows / blocks, hi: (b + 1) * rows / blocks, wg: &p.wg})
	}
	p.dispatch()
}

// dispatch runs the pool's tiles: each is handed to an idle worker (the
// channel is unbuffered, so a send succeeds only when one is waiting) or
// computed here.
func (p *gemmPool) dispatch() {
	p.wg.Add(len(p.tiles))
	for next := range p.tiles {
		select {
		case p.tasks <- &p.tiles[next]:
		default:
			p.tiles[next].run()
			p.wg.Done()
		}
	}
	p.wg.Wait()
}

// pool returns the tape's workers, starting GOMAXPROCS−1 of them the first
// time; they stop when the tape is garbage collected.
func (t *Tape) pool() *gemmPool {
	if t.gemm == nil {
		p := &gemmPool{tasks: make(chan *gemmTile)}
		for range runtime.GOMAXPROCS(0) - 1 {
			go gemmWorker(p.tasks)
		}
		runtime.AddCleanup(t, func(ch chan *gemmTile) { close(ch) }, p.tasks)
		t.gemm = p
	}
	return t.gemm
}

// gemmFull computes c = alpha·op(a)·op(b) + beta·c, where a is ar×ac and b
// is br×bc as stored (row-major, no stride), and c is m×n with inner
// dimension k.
func (t *Tape) gemmFull(ta, tb bool, alpha float64, ar, ac int, a []float64, br, bc int, b []float64, beta float64, c []float64, m, n, k int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 { // an empty sum: C = β·C
		if beta == 0 {
			clear(c[:m*n])
		} else if beta != 1 {
			for i := range c[:m*n] {
				c[i] *= beta
			}
		}
		return
	}
	A := blas64.General{Rows: ar, Cols: ac, Stride: max(ac, 1), Data: a}
	B := blas64.General{Rows: br, Cols: bc, Stride: max(bc, 1), Data: b}
	C := blas64.General{Rows: m, Cols: n, Stride: max(n, 1), Data: c}
	_, native := blas64.Implementation().(gonum.Implementation)
	if !native || blocks(m)*blocks(n) < gonumMinPar {
		blas64.Gemm(trans(ta), trans(tb), alpha, A, B, beta, C)
		return
	}
	p := t.pool()
	p.tiles = p.tiles[:0]
	for i0 := 0; i0 < m; i0 += tileRows {
		tm := min(tileRows, m-i0)
		// Rows i0… of op(A): rows of A, or columns of A when transposed.
		var sa blas64.General
		if ta {
			sa = blas64.General{Rows: k, Cols: tm, Stride: A.Stride, Data: a[i0:]}
		} else {
			sa = blas64.General{Rows: tm, Cols: k, Stride: A.Stride, Data: a[i0*A.Stride:]}
		}
		for j0 := 0; j0 < n; j0 += tileCols {
			tn := min(tileCols, n-j0)
			// Columns j0… of op(B): columns of B, or rows of B when transposed.
			var sb blas64.General
			if tb {
				sb = blas64.General{Rows: tn, Cols: k, Stride: B.Stride, Data: b[j0*B.Stride:]}
			} else {
				sb = blas64.General{Rows: k, Cols: tn, Stride: B.Stride, Data: b[j0:]}
			}
			sc := blas64.General{Rows: tm, Cols: tn, Stride: C.Stride, Data: c[i0*C.Stride+j0:]}
			p.tiles = append(p.tiles, gemmTile{ta: trans(ta), tb: trans(tb), alpha: alpha, a: sa, b: sb, c: sc, beta: beta, wg: &p.wg})
		}
	}
	p.dispatch()
}

func blocks(d int) int { return (d + gonumBlock - 1) / gonumBlock }

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}
