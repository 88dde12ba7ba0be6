package fastblas

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

// microKernel computes one full mr×nr tile of C:
//
//	acc = Σ_{p<k} A(r, p) · B(p, j)        (a running sum, p in increasing order)
//	t   = alpha·acc
//	C[r][j] = t                     when beta == 0 (C is not read)
//	C[r][j] = fma(beta, C[r][j], t)  otherwise
//
// A(r, p) is a[p·aStep + r] and B(p, j) is b[p·bStep + j]: a packed
// micro-panel has aStep = mr and bStep = nr; a transposed A or an
// untransposed B can also be read in place, with aStep = lda or bStep = ldb.
// c starts at C[0][0] of the tile and holds at least (mr−1)·ldc+nr values,
// ldc is C's row stride in elements, and k ≥ 1. Every kernel variant keeps
// exactly this arithmetic per element, so which tile an element falls in,
// whether its operands were packed, and how C is split among workers cannot
// change its bits.
type microKernel[T elem] func(k int, a []T, aStep int, b []T, bStep int, c []T, ldc int, alpha, beta T)

// elem is the element type of a product: float64 (Dgemm) or float32
// (Sgemm). One blocked algorithm serves both; only the micro-kernels and
// packing routines are per type.
type elem interface{ float32 | float64 }

// directKernel is a microKernel that reads A in place from a row-major,
// untransposed op(A): A(r, p) is a[r·lda + p].
type directKernel[T elem] func(k int, a []T, lda int, b []T, bStep int, c []T, ldc int, alpha, beta T)

// kernel describes one micro-kernel and the cache blocking tuned for it.
// Every float64 kernel has a float32 twin of the same name (single), which
// Sgemm runs when the float64 one is in use.
type kernel[T elem] struct {
	name   string
	mr, nr int  // register tile: mr rows of C by nr columns
	fma    bool // the kernel sums with fused multiply-adds (then tiny products skip it)
	kc     int  // depth of one packed block (k dimension)
	mc     int  // rows of A packed at once (a multiple of mr)
	nc     int  // columns of B packed at once (a multiple of nr)
	fn     microKernel[T]
	direct directKernel[T]
	// edges[r], for 0 < r < mr, is a packed-style kernel of at least r
	// rows (and at most mr) for the last, short tiles; nil: use fn.
	edges    []microKernel[T]
	edgeRows []int           // edgeRows[r] is the height of edges[r]
	pack     packRowsFunc[T] // packs Aᵀ and B
	packT    packRowsFunc[T] // packs A and Bᵀ: a transposing packRowsFunc

	// A kernel that stands for another BLAS (-tags openblas) has only a
	// name, ext, which computes whole products, and describe.
	ext      externalGemm[T]
	describe func() string
}

// Kernel names, as UseKernel takes them and Kernel returns them.
const (
	kernelAVX512 = "avx512"
	kernelAVX2   = "avx2"
	kernelGo     = "go"
	kernelGonum  = "gonum"
)

// goKernel is the portable reference: a 2×4 register tile in plain Go.
var goKernel = &kernel[float64]{name: kernelGo, mr: 2, nr: 4, kc: 256, mc: 512, nc: 512, fn: gemmKernel2x4Go[float64], direct: gemmKernel2x4GoDirect[float64], pack: packRowsGo[float64], packT: packTransGo[float64]}

// goKernel32 is its float32 twin, the same code instantiated for float32.
var goKernel32 = &kernel[float32]{name: kernelGo, mr: 2, nr: 4, kc: 256, mc: 512, nc: 512, fn: gemmKernel2x4Go[float32], direct: gemmKernel2x4GoDirect[float32], pack: packRowsGo[float32], packT: packTransGo[float32]}

// available lists the kernels this CPU can run, best first; the pure-Go
// kernel is always last.
var available = platformKernels()

// single returns the float32 twin of a float64 kernel: the kernel Sgemm
// runs while k is in use.
func single(k *kernel[float64]) *kernel[float32] {
	switch k {
	case goKernel:
		return goKernel32
	case gonumKernel:
		return gonumKernel32
	case external:
		return external32
	}
	return platformSingle(k)
}

// selected is the kernel UseKernel picked; nil means the default
// (defaultKernel). It is read once per product, so a product already
// running finishes on the kernel it started with.
var selected atomic.Pointer[kernel[float64]]

// current returns the kernel in use.
func current() *kernel[float64] {
	if k := selected.Load(); k != nil {
		return k
	}
	return defaultKernel()
}

// defaultKernel is the external BLAS when one is built in (-tags
// openblas), else the best micro-kernel this CPU runs.
func defaultKernel() *kernel[float64] {
	if external != nil {
		return external
	}
	return available[0]
}

// ErrUnknownKernel is returned by UseKernel for a name that is not one of
// Kernels.
var ErrUnknownKernel = errors.New("fastblas: unknown kernel")

// UseKernel makes every later product of the package (Dgemm, Sgemm, and
// Implementation's Dgemm, Sgemm and Dsyrk) run on the kernel of that name, one of
// Kernels (case does not matter): "avx512", "avx2" or "go" for this
// package's micro-kernels, "openblas" when built with -tags openblas, and
// "gonum" for gonum's own pure-Go routines. "" restores the default: the
// external BLAS when one is built in, else the best micro-kernel of the
// CPU. A name this build and CPU cannot run is an error wrapping
// ErrUnknownKernel, and the kernel in use does not change.
//
// It is a setting of the whole program, like Enable: call it at start-up,
// before the products it should govern. It is safe to call while products
// run (those already started finish on the kernel they began with).
func UseKernel(name string) error {
	if name == "" {
		selected.Store(nil)
		return nil
	}
	k := kernelByName(strings.ToLower(name))
	if k == nil {
		return fmt.Errorf("%w %q: this build and CPU run %s", ErrUnknownKernel, name, strings.Join(Kernels(), ", "))
	}
	selected.Store(k)
	return nil
}

// kernelByName returns the kernel with that name that this build and CPU
// can run, or nil.
func kernelByName(name string) *kernel[float64] {
	if external != nil && name == external.name {
		return external
	}
	for _, k := range available {
		if k.name == name {
			return k
		}
	}
	if name == kernelGonum {
		return gonumKernel
	}
	return nil
}
