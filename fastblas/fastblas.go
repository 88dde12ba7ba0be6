package fastblas

import (
	"fmt"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's pure-Go BLAS with faster level-3 routines: it
// embeds gonum.Implementation, so every routine it does not override is
// gonum's, and overrides Dgemm with a packed, blocked, multi-core product and
// Dsyrk with one built on it.
// Its zero value is ready to use, with or without Enable: call its methods
// directly for products of your own (latent's packages do), or install it
// as gonum's BLAS with Enable. Its products run on the kernel in use
// (UseKernel). It is safe for concurrent use.
type Implementation struct {
	gonum.Implementation
}

var (
	_ blas.Float64 = Implementation{}
	_ blas.Float32 = Implementation{}
)

// enabled records whether Enable installed Implementation.
var enabled atomic.Bool

// Enable installs Implementation as gonum's float64 BLAS (blas64.Use), so
// that every gonum/mat product, and lapack64's blocked factorisations, in
// the whole program use it. Importing the package does not: latent's own
// packages call Dgemm and Implementation's methods explicitly and leave
// gonum's BLAS alone; Enable is the opt-in for the program's own gonum
// code (latent's command calls it at start-up). Like blas64.Use, it is a
// setting of the whole program: call it before the products it should
// serve, not while other goroutines run gonum products.
func Enable() {
	blas64.Use(Implementation{})
	enabled.Store(true)
}

// Disable restores gonum's default float64 BLAS, gonum.Implementation.
func Disable() {
	blas64.Use(gonum.Implementation{})
	enabled.Store(false)
}

// Enabled reports whether the last call of Enable or Disable installed
// Implementation (false before either is called). It does not notice a
// later blas64.Use by someone else.
func Enabled() bool { return enabled.Load() }

// Kernel returns the name of the kernel in use (see UseKernel): by
// default "avx512" (AVX-512F), "avx2" (AVX2 and FMA3) or "go" (portable
// Go, the reference elsewhere), whichever is the best this CPU runs, or
// "openblas" when built with -tags openblas; "gonum" when UseKernel chose
// gonum's own routines.
func Kernel() string { return current().name }

// Kernels returns the names of the kernels this build and CPU can run,
// best first: "openblas" with -tags openblas, then this package's
// micro-kernels ("go" always among them), and last "gonum", gonum's own
// pure-Go Dgemm and Dsyrk, for comparison and debugging.
func Kernels() []string {
	var names []string
	if external != nil {
		names = append(names, external.name)
	}
	for _, k := range available {
		names = append(names, k.name)
	}
	return append(names, gonumKernel.name)
}

// Backend describes in one line what serves the products: the kernel, its
// register tile and the number of workers; OpenBLAS's configuration and
// core family with -tags openblas; or gonum's routines.
func Backend() string {
	k := current()
	if k.ext != nil {
		return k.describe()
	}
	return fmt.Sprintf("fastblas %s: %d×%d register tile, blocks kc=%d mc=%d nc=%d, up to GOMAXPROCS=%d workers",
		k.name, k.mr, k.nr, k.kc, k.mc, k.nc, gomaxprocs())
}

// Dgemm computes
//
//	C = alpha·op(A)·op(B) + beta·C
//
// where op(X) is X or Xᵀ as tX says, op(A) is m×k, op(B) is k×n and C is
// m×n, all row-major with row strides lda, ldb, ldc, exactly as gonum's and
// reference BLAS's Dgemm (same arguments, same panics for bad ones).
// When alpha is 0 or k is 0, A and B are not read; when beta is 0, C is not
// read, so NaN or Inf in C is overwritten. C must not share any element with
// A or B (reference BLAS's rule; disjoint blocks of one matrix are fine); A
// and B may be the same matrix. It uses up to GOMAXPROCS goroutines and
// gives the same bits whatever GOMAXPROCS is. It runs on the kernel in use
// (UseKernel), whether or not Enable was called.
func Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	dgemm(current(), 0, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemm is Dgemm in float32: C = alpha·op(A)·op(B) + beta·C with the
// arguments, panics and special cases of gonum's and reference BLAS's
// Sgemm. It runs on the float32 twin of the kernel in use (UseKernel):
// the same blocked algorithm with twice the columns per register tile
// (14×32 for avx512, 6×16 for avx2, 2×4 for go), or gonum's Sgemm for
// "gonum" and OpenBLAS's for "openblas". Each element is summed in float32
// with one fused multiply-add per step, in the order Dgemm's are, so the
// same bits come out whatever GOMAXPROCS is; the error is within
// γ_{k+2}·(|alpha|·|A|·|B| + |beta|·|C|) with u = 2⁻²⁴.
func Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(single(current()), 0, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemm is the package-level Sgemm, as a method of the BLAS
// implementation (install it with blas32.Use for gonum's float32 code;
// Enable installs only the float64 BLAS).
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm is the package-level Dgemm, as a method of the BLAS implementation.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Panic messages, the same as gonum's and netlib's for the same faults.
const (
	badTranspose = "blas: illegal transpose"
	mLT0         = "blas: m < 0"
	nLT0         = "blas: n < 0"
	kLT0         = "blas: k < 0"
	badLdA       = "blas: bad leading dimension of A"
	badLdB       = "blas: bad leading dimension of B"
	badLdC       = "blas: bad leading dimension of C"
	shortA       = "blas: insufficient length of a"
	shortB       = "blas: insufficient length of b"
	shortC       = "blas: insufficient length of c"
)

func isTrans(t blas.Transpose) bool {
	switch t {
	case blas.NoTrans:
		return false
	case blas.Trans, blas.ConjTrans:
		return true
	}
	panic(badTranspose)
}

// dgemm is gemm in float64.
func dgemm(kern *kernel[float64], procs int, tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(kern, procs, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemm checks the arguments in gonum's order and runs the product with
// the given kernel and number of workers (0: up to GOMAXPROCS).
func gemm[T elem](kern *kernel[T], procs int, tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	aT, bT := isTrans(tA), isTrans(tB)
	switch {
	case m < 0:
		panic(mLT0)
	case n < 0:
		panic(nLT0)
	case k < 0:
		panic(kLT0)
	}
	if aT && lda < max(1, m) || !aT && lda < max(1, k) {
		panic(badLdA)
	}
	if bT && ldb < max(1, k) || !bT && ldb < max(1, n) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return
	}
	if aT && len(a) < (k-1)*lda+m || !aT && len(a) < (m-1)*lda+k {
		panic(shortA)
	}
	if bT && len(b) < (n-1)*ldb+k || !bT && len(b) < (k-1)*ldb+n {
		panic(shortB)
	}
	if len(c) < (m-1)*ldc+n {
		panic(shortC)
	}
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if kern.ext != nil {
		kern.ext(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	g := gemmArgs[T]{tA: aT, tB: bT, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc}
	if kern.fma && m*n*k <= tinyProduct {
		g.tiny()
		return
	}
	g.run(kern, procs)
}

// scaleC sets C = beta·C, writing zeros without reading C when beta is 0.
func scaleC[T elem](m, n int, beta T, c []T, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
