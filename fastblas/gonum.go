package fastblas

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The "gonum" kernel routes products to gonum's own pure-Go Dgemm (and
// Dsyrk), for comparison and debugging: a program that calls
// UseKernel("gonum") and not Enable runs every product on gonum's
// arithmetic, latent's included.
//
// One thing is done around gonum's Dgemm. On a product whose C has at
// least gonumMinPar blocks of gonumBlock×gonumBlock it goes parallel by
// starting a goroutine per block on every call, which allocates, so a
// training loop could never be allocation-free on it. Such a product is
// cut here into tiles of C small enough for gonum to compute serially
// (one block tall, three wide: fewer than gonumMinPar blocks), handed to
// this package's helpers as the micro-kernels' strips are. gonum's serial
// product sums each element of C over the whole depth in increasing order
// whatever the tile, so the bits do not depend on the tiling, GOMAXPROCS
// or scheduling. The two constants are gonum's blockSize and minParBlock
// (blas/gonum/gonum.go, v0.17): they are not exported, and
// TestGonumKernelDoesNotAllocate fails if a gonum release changes them.
const (
	gonumBlock  = 64
	gonumMinPar = 4
	gonumTileM  = gonumBlock     // a tile is one block tall …
	gonumTileN  = 3 * gonumBlock // … and three wide: 3 < gonumMinPar
)

var gonumKernel = &kernel[float64]{
	name: kernelGonum,
	ext:  gonumGemm[float64],
	describe: func() string {
		return fmt.Sprintf("gonum's pure-Go Dgemm, Sgemm and Dsyrk (gonum.org/v1/gonum/blas/gonum), large products on tiles of C it computes serially, up to GOMAXPROCS=%d workers", gomaxprocs())
	},
}

// gonumKernel32 is its float32 twin: gonum's Sgemm, tiled the same way.
var gonumKernel32 = &kernel[float32]{name: kernelGonum, ext: gonumGemm[float32]}

// gonumGemm is the "gonum" kernel's externalGemm: gonum's Dgemm or Sgemm.
func gonumGemm[T elem](tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	across := (n + gonumTileN - 1) / gonumTileN
	down := (m + gonumTileM - 1) / gonumTileM
	if blocks(m)*blocks(n) < gonumMinPar {
		gonumSerial(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	g := gemmArgs[T]{tA: isTrans(tA), tB: isTrans(tB), m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc}
	j := getJob(&g, nil) // tiles need no micro-kernel
	j.gonum, j.parts, j.tiles = true, down*across, across
	j.fork(gomaxprocs())
	putJob(j)
}

// gonumSerial calls gonum's Dgemm or Sgemm, whichever T is.
func gonumSerial[T elem](tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	switch a := any(a).(type) {
	case []float64:
		gonum.Implementation{}.Dgemm(tA, tB, m, n, k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	case []float32:
		gonum.Implementation{}.Sgemm(tA, tB, m, n, k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	}
}

func blocks(d int) int { return (d + gonumBlock - 1) / gonumBlock }

// gonumTile computes tile w of C (row-major over tiles, across per row of
// tiles) with gonum's serial Dgemm.
func (g *gemmArgs[T]) gonumTile(w, across int) {
	i0, j0 := w/across*gonumTileM, w%across*gonumTileN
	tm, tn := min(gonumTileM, g.m-i0), min(gonumTileN, g.n-j0)
	// Rows i0… of op(A): rows of A, or its columns when transposed;
	// columns j0… of op(B): columns of B, or its rows when transposed.
	ai, bj := i0*g.lda, j0
	if g.tA {
		ai = i0
	}
	if g.tB {
		bj = j0 * g.ldb
	}
	gonumSerial(trans(g.tA), trans(g.tB), tm, tn, g.k, g.alpha, g.a[ai:], g.lda, g.b[bj:], g.ldb, g.beta, g.c[i0*g.ldc+j0:], g.ldc)
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}
