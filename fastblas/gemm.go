package fastblas

import (
	"runtime"
	"sync"
	"unsafe"
)

// gemmArgs holds one checked product C = alpha·op(A)·op(B) + beta·C with
// m, n, k ≥ 1 and alpha ≠ 0.
type gemmArgs[T elem] struct {
	tA, tB      bool
	m, n, k     int
	alpha, beta T
	a           []T
	lda         int
	b           []T
	ldb         int
	c           []T
	ldc         int
	aMode       int  // how full micro-panels of A are read: aPacked, aDirect, aInPlaceT
	bDirect     bool // full micro-panels of untransposed B are read in place
}

// Ways to read A's full micro-panels.
const (
	aPacked   = iota // packed into the workspace
	aDirect          // in place from untransposed A, by the direct kernel
	aInPlaceT        // in place from transposed A, by the packed-style kernel with aStep = lda
)

// Operands are read in place rather than packed when a packed panel would
// serve only a few micro-kernel calls. Untransposed A is always read in
// place: packing it is a strided gather that cost more than it saved in
// every shape measured (bench_test.go), from 1e5×16×16 to 2000³.
const (
	inPlaceTCols = 2 // read Aᵀ in place when C has at most this many column tiles
	inPlaceBRows = 2 // read B in place when C has at most this many row tiles
)

// kBlocks returns the depth of the packed blocks for a product of depth k:
// ⌈k/kc⌉ blocks of near-equal depth, so no block is a sliver. It depends on
// k and the kernel only, never on the number of workers: the order in which
// each element of C is summed is fixed by it.
func kBlocks(k, kc int) int {
	nb := (k + kc - 1) / kc
	return (k + nb - 1) / nb
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// workspace is one worker's packing memory.
type workspace[T elem] struct {
	buf []T
}

// pools holds the workspaces and jobs of one element type.
type pools struct {
	work, jobs sync.Pool
}

var pools64, pools32 pools

func poolsOf[T elem]() *pools {
	var z T
	if _, ok := any(z).(float32); ok {
		return &pools32
	}
	return &pools64
}

// getWorkspace returns a workspace holding at least n elements, the first
// one aligned to 64 bytes (a cache line and an AVX-512 vector); give it
// back with putWorkspace.
func getWorkspace[T elem](n int) (*workspace[T], []T) {
	w, _ := poolsOf[T]().work.Get().(*workspace[T])
	if w == nil {
		w = new(workspace[T])
	}
	const pad = 16 // elements: 64 bytes of float32
	if cap(w.buf) < n+pad {
		w.buf = make([]T, n+pad)
	}
	buf := w.buf[:cap(w.buf)]
	size := uintptr(unsafe.Sizeof(buf[0]))
	off := int((64 - uintptr(unsafe.Pointer(&buf[0]))%64) % 64 / size)
	return w, buf[off : off+n]
}

func putWorkspace[T elem](w *workspace[T]) { poolsOf[T]().work.Put(w) }

// block runs the blocked algorithm serially on rows [i0, i1) and columns
// [j0, j1) of C. Loop order (Goto & van de Geijn 2008, with the roles of
// A and B swapped because C is row-major and the kernels vectorise along
// rows of C):
//
//	for ic over rows, mc at a time
//	  for pc over depth, kc at a time:   pack A[ic, pc] (mc×kc)
//	    for jc over columns, nc at a time: pack B[pc, jc] (kc×nc, L2)
//	      for ir over the mc rows, mr at a time  (A micro-panel in L1)
//	        for jr over the nc columns, nr at a time: micro-kernel
//
// An operand read in place (g.aMode, g.bDirect) is packed only for its last,
// partial micro-panel, which needs zero padding.
func (g *gemmArgs[T]) block(kern *kernel[T], i0, i1, j0, j1 int) {
	mr, nr := kern.mr, kern.nr
	kc := kBlocks(g.k, kern.kc)
	mc := min(kern.mc, roundUp(i1-i0, mr))
	nc := min(kern.nc, roundUp(j1-j0, nr))
	w, buf := getWorkspace[T](mc*kc + kc*nc + mr*nr)
	defer putWorkspace(w)
	apack := buf[:mc*kc]
	bpack := buf[mc*kc : mc*kc+kc*nc]
	tile := buf[mc*kc+kc*nc:]
	ldc := g.ldc
	for ic := i0; ic < i1; ic += mc {
		mb := min(mc, i1-ic)
		for pc := 0; pc < g.k; pc += kc {
			kb := min(kc, g.k-pc)
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			if g.aMode == aPacked {
				packA(kern, apack, g.tA, g.a, g.lda, ic, pc, mb, kb, mr)
			} else if rest := mb % mr; rest != 0 {
				edge := mb - rest
				packA(kern, apack[edge*kb:], g.tA, g.a, g.lda, ic+edge, pc, rest, kb, mr)
			}
			for jc := j0; jc < j1; jc += nc {
				nb := min(nc, j1-jc)
				if !g.bDirect {
					packB(kern, bpack, g.tB, g.b, g.ldb, pc, jc, kb, nb, nr)
				} else if rest := nb % nr; rest != 0 {
					edge := nb - rest
					packB(kern, bpack[edge*kb:], g.tB, g.b, g.ldb, pc, jc+edge, kb, rest, nr)
				}
				for ir := 0; ir < mb; ir += mr {
					rows := min(mr, mb-ir)
					// This A micro-panel: packed, or in place; a short
					// last panel goes to a shorter kernel if there is one.
					ap, aStep, direct := apack[ir*kb:(ir+mr)*kb], mr, false
					fn := kern.fn
					if rows < mr && kern.edges != nil {
						fn = kern.edges[rows]
					}
					if rows == mr {
						switch g.aMode {
						case aDirect:
							off := (ic+ir)*g.lda + pc
							ap, aStep, direct = g.a[off:off+(mr-1)*g.lda+kb], g.lda, true
						case aInPlaceT:
							off := pc*g.lda + ic + ir
							ap, aStep = g.a[off:off+(kb-1)*g.lda+mr], g.lda
						}
					}
					for jr := 0; jr < nb; jr += nr {
						cols := min(nr, nb-jr)
						bp, bStep := bpack[jr*kb:(jr+nr)*kb], nr
						if g.bDirect && cols == nr {
							off := pc*g.ldb + jc + jr
							bp, bStep = g.b[off:off+(kb-1)*g.ldb+nr], g.ldb
						}
						ci := (ic+ir)*ldc + jc + jr
						ct, ldt := g.c[ci:], ldc
						edge := rows < mr || cols < nr
						if edge {
							// An edge tile goes through the same kernel on a
							// copy, so its elements get the same arithmetic
							// as those of full tiles.
							ct, ldt = tile, nr
							if beta != 0 {
								for r := 0; r < rows; r++ {
									copy(tile[r*nr:r*nr+cols], g.c[ci+r*ldc:ci+r*ldc+cols])
								}
							}
						} else {
							ct = ct[:(mr-1)*ldc+nr]
						}
						if direct {
							kern.direct(kb, ap, aStep, bp, bStep, ct, ldt, g.alpha, beta)
						} else {
							fn(kb, ap, aStep, bp, bStep, ct, ldt, g.alpha, beta)
						}
						if edge {
							for r := 0; r < rows; r++ {
								copy(g.c[ci+r*ldc:ci+r*ldc+cols], tile[r*nr:r*nr+cols])
							}
						}
					}
				}
			}
		}
	}
}

// tinyProduct is the largest m·n·k computed by tiny: below it, packing,
// buffers and a register tile cost more than the arithmetic (measured:
// 1×1×1 in 29 ns here against 85 ns through the kernels, 4×4×4 in 72 ns,
// about gonum's time; at 8×8×8 the kernels win, 220 ns against 440).
const tinyProduct = 128

// tiny computes the product with plain loops and exactly the arithmetic of
// the FMA micro-kernels (one fused multiply-add per step, then alpha·acc
// and fma(beta, C, ·)), so its results have the kernels' bits; k ≤ 128 is
// one depth block. Four columns at a time keep four independent chains of
// FMAs in flight. Only for kernels with fma set.
func (g *gemmArgs[T]) tiny() {
	at := func(i, p int) T {
		if g.tA {
			return g.a[p*g.lda+i]
		}
		return g.a[i*g.lda+p]
	}
	bt := func(p, j int) T {
		if g.tB {
			return g.b[j*g.ldb+p]
		}
		return g.b[p*g.ldb+j]
	}
	for i := 0; i < g.m; i++ {
		row := g.c[i*g.ldc : i*g.ldc+g.n]
		j := 0
		for ; j+4 <= g.n; j += 4 {
			var acc0, acc1, acc2, acc3 T
			for p := 0; p < g.k; p++ {
				x := at(i, p)
				acc0 = fma(x, bt(p, j), acc0)
				acc1 = fma(x, bt(p, j+1), acc1)
				acc2 = fma(x, bt(p, j+2), acc2)
				acc3 = fma(x, bt(p, j+3), acc3)
			}
			g.store(row, j, acc0)
			g.store(row, j+1, acc1)
			g.store(row, j+2, acc2)
			g.store(row, j+3, acc3)
		}
		for ; j < g.n; j++ {
			var acc T
			for p := 0; p < g.k; p++ {
				acc = fma(at(i, p), bt(p, j), acc)
			}
			g.store(row, j, acc)
		}
	}
}

// store is the micro-kernels' update of one element of C.
func (g *gemmArgs[T]) store(row []T, j int, acc T) {
	t := T(g.alpha * acc) // rounded, never fused
	if g.beta == 0 {
		row[j] = t
	} else {
		row[j] = fma(g.beta, row[j], t)
	}
}

// Cost model for splitting C among workers, in flop-equivalents: packing
// one element costs about as much as packWeight flops of the micro-kernel
// (an estimate: a load and a store against 16 lanes of FMA per cycle).
const (
	packWeight = 32
	// minWorkerFlops is the least work worth a worker of its own: about
	// 10 µs at the kernel's speed, against about 1 µs to hand work to a
	// helper goroutine and join it.
	minWorkerFlops = 1 << 19
)

// run computes the product with up to procs workers (procs ≤ 0: up to
// GOMAXPROCS, asked only when the product is big enough to split; the call
// takes a lock). C is split into procs strips of whole register tiles,
// along rows or along columns, whichever the cost model prefers, and each
// worker runs block on a strip; or, when C's tiles cannot be shared
// evenly, the depth is split (splitK). Each element of C gets the
// arithmetic fixed by the kernel and k alone, so the result has the same
// bits for every procs.
func (g *gemmArgs[T]) run(kern *kernel[T], procs int) {
	mt := (g.m + kern.mr - 1) / kern.mr // register tiles along m
	nt := (g.n + kern.nr - 1) / kern.nr // and along n
	// A kernel without a direct variant (only the tests build one) packs
	// everything: the reference for the in-place paths.
	switch {
	case kern.direct == nil:
		g.aMode = aPacked
	case !g.tA:
		g.aMode = aDirect
	case nt <= inPlaceTCols:
		g.aMode = aInPlaceT
	default:
		g.aMode = aPacked
	}
	g.bDirect = kern.direct != nil && !g.tB && mt <= inPlaceBRows
	flops := 2 * float64(mt*kern.mr) * float64(nt*kern.nr) * float64(g.k)
	if flops < 2*minWorkerFlops {
		procs = 1
	} else if procs <= 0 {
		procs = gomaxprocs()
	}
	procs = min(procs, max(1, int(flops/minWorkerFlops)))
	if procs > 1 && g.k > kern.kc && g.unbalanced(kern, procs, mt, nt) {
		// C has too few tiles to share evenly, and k is deep.
		g.splitK(kern, procs)
		return
	}
	procs = min(procs, max(mt, nt))
	if procs <= 1 {
		g.block(kern, 0, g.m, 0, g.n)
		return
	}
	g.parallel(kern, procs, mt, nt)
}

// parallel runs block on procs strips of C, on the calling goroutine and
// idle helpers (fork).
func (g *gemmArgs[T]) parallel(kern *kernel[T], procs, mt, nt int) {
	splitRows := g.splitCost(kern, procs, mt, nt, true) <= g.splitCost(kern, procs, mt, nt, false)
	j := getJob(g, kern)
	defer putJob(j)
	j.tiles, j.size, j.limit = nt, kern.nr, g.n
	if splitRows {
		j.tiles, j.size, j.limit = mt, kern.mr, g.m
	}
	j.splitRows = splitRows
	j.parts = min(procs, j.tiles)
	j.fork(procs)
}

// unbalanced reports whether cutting C into procs strips leaves the
// busiest worker with over 1.2 times its share of the micro-kernel work:
// when C has fewer tiles than workers, or when a short edge tile (computed
// by a shorter kernel) is a large part of it, as in Xᵀ·X with 16 columns
// (a 14-row and a 2-row tile). The depth is then better split (splitK).
func (g *gemmArgs[T]) unbalanced(kern *kernel[T], procs, mt, nt int) bool {
	// Heights of the row tiles as computed: mr, and the edge kernel's.
	last := kern.mr
	if r := g.m % kern.mr; r != 0 {
		last = edgeHeight(kern, r)
	}
	height := func(i int) int { // the i-th row tile
		if i == mt-1 {
			return last
		}
		return kern.mr
	}
	total := float64((mt-1)*kern.mr+last) * float64(nt)
	share := total / float64(procs)
	// Cut along rows: worker w gets row tiles [w·mt/procs, (w+1)·mt/procs).
	byRows := 0.0
	for w := 0; w < procs; w++ {
		h := 0
		for i := w * mt / procs; i < (w+1)*mt/procs; i++ {
			h += height(i)
		}
		byRows = max(byRows, float64(h)*float64(nt))
	}
	// Cut along columns: every worker has all rows, ⌈nt/procs⌉ column tiles.
	byCols := float64((nt+procs-1)/procs) * float64((mt-1)*kern.mr+last)
	return min(byRows, byCols) > 1.2*share
}

// edgeHeight returns the number of rows the kernel computes for a last row
// tile of r < mr rows.
func edgeHeight[T elem](kern *kernel[T], r int) int {
	if kern.edges == nil {
		return kern.mr
	}
	return kern.edgeRows[r]
}

// maxPartials bounds the memory of splitK's partial products, in elements
// (a variable so that a test can force several rounds).
var maxPartials = 1 << 20

// splitK computes a product whose C is too small to share among procs
// workers by splitting the depth instead. The depth blocks are those of
// the serial algorithm (kBlocks); worker w computes the raw sums of a run
// of blocks, acc_b = Σ_{p in block b} A[i,p]·B[p,j], into buffers, and
// the blocks are then added into C in order with the serial algorithm's
// arithmetic:
//
//	C = fma(beta, C, alpha·acc_0)   (alpha·acc_0 when beta = 0)
//	C = fma(1, C, alpha·acc_b)      for b = 1, 2, …
//
// so the bits are those of the serial product. Rounds of at most
// maxPartials values bound the memory.
func (g *gemmArgs[T]) splitK(kern *kernel[T], procs int) {
	kc := kBlocks(g.k, kern.kc)
	blocks := (g.k + kc - 1) / kc
	mn := g.m * g.n
	round := min(blocks, max(procs, maxPartials/mn))
	w, buf := getWorkspace[T](round * mn)
	defer putWorkspace(w)
	j := getJob(g, kern)
	defer putJob(j)
	j.depth, j.kc, j.mn, j.buf = true, kc, mn, buf
	for first := 0; first < blocks; first += round {
		nb := min(round, blocks-first)
		j.first, j.parts = first, nb
		j.fork(procs)
		for b := first; b < first+nb; b++ {
			part := buf[(b-first)*mn : (b-first+1)*mn]
			for i := 0; i < g.m; i++ {
				row := g.c[i*g.ldc : i*g.ldc+g.n]
				acc := part[i*g.n : i*g.n+g.n]
				for j, v := range acc {
					t := T(g.alpha * v) // rounded, never fused
					switch {
					case b > 0:
						row[j] += t // fma(1, C, t): one rounding
					case g.beta == 0:
						row[j] = t
					default:
						row[j] = fma(g.beta, row[j], t)
					}
				}
			}
		}
	}
}

// depthBlock computes the raw sums of depth block b into its buffer (a
// part of splitK).
func (j *job[T]) depthBlock(b int) {
	g := &j.g
	p0 := b * j.kc
	sub := gemmArgs[T]{tA: g.tA, tB: g.tB, m: g.m, n: g.n, k: min(j.kc, g.k-p0), alpha: 1, beta: 0,
		c: j.buf[(b-j.first)*j.mn : (b-j.first+1)*j.mn], ldc: g.n, aMode: g.aMode, bDirect: g.bDirect}
	// Shift A and B to the block's first step.
	sub.lda, sub.ldb = g.lda, g.ldb
	if g.tA {
		sub.a = g.a[p0*g.lda:]
	} else {
		sub.a = g.a[p0:]
	}
	if g.tB {
		sub.b = g.b[p0:]
	} else {
		sub.b = g.b[p0*g.ldb:]
	}
	sub.block(j.kern, 0, g.m, 0, g.n)
}

// splitCost estimates the time of the slowest worker when C is cut into
// procs strips along rows (byRows) or columns: its micro-kernel flops,
// padding included, plus its packing.
func (g *gemmArgs[T]) splitCost(kern *kernel[T], procs, mt, nt int, byRows bool) float64 {
	k := float64(g.k)
	if byRows {
		if mt < procs {
			return inf
		}
		rows := float64((mt + procs - 1) / procs * kern.mr)
		passes := float64((int(rows) + kern.mc - 1) / kern.mc) // B is packed once per mc rows
		return 2*rows*float64(nt*kern.nr)*k + packWeight*(g.packedA(rows*k)+passes*k*float64(g.n))
	}
	if nt < procs {
		return inf
	}
	cols := float64((nt + procs - 1) / procs * kern.nr)
	passes := float64((g.m + kern.mc - 1) / kern.mc)
	return 2*float64(mt*kern.mr)*cols*k + packWeight*(g.packedA(float64(g.m)*k)+passes*k*cols)
}

const inf = 1e300

// packedA returns the elements of A packed for a strip that reads elems of
// A: none when A is read in place.
func (g *gemmArgs[T]) packedA(elems float64) float64 {
	if g.aMode != aPacked {
		return 0
	}
	return elems
}

// gomaxprocs is the number of workers a product may use.
func gomaxprocs() int { return runtime.GOMAXPROCS(0) }
