// Package fastblas makes gonum's float64 matrix products fast: a blocked,
// packed matrix multiply (GEMM) with register-tiled micro-kernels in Go
// assembly (AVX-512 and AVX2+FMA) and a portable Go kernel, using every
// core, with results that do not depend on the number of cores. [Sgemm]
// is the same product in float32.
//
// # Use
//
// Importing the package changes nothing: it installs no BLAS and reads no
// environment. latent's packages call [Dgemm] (autodiff's tape) or the
// methods of [Implementation] (mixture) explicitly for their own products,
// so they are fast in any program, and leave gonum's BLAS alone.
//
// [Enable] is the opt-in for a program's own gonum code: it installs
// [Implementation] as gonum's float64 BLAS with blas64.Use, so every
// gonum/mat product (mat.Dense.Mul and friends) and gonum's LAPACK
// (Cholesky, LU, QR, whose blocked forms call Dgemm) use it; [Disable]
// puts gonum's own back. Implementation embeds gonum's own BLAS: every
// routine fastblas does not override is gonum's. It overrides Dgemm and
// Dsyrk (C = alpha·A·Aᵀ + beta·C on one triangle, as gonum/mat's SymOuterK
// and LAPACK's Cholesky use it), which runs on the same Dgemm: diagonal
// blocks of 128 computed whole into a buffer, the rectangles beside them
// in place.
//
// [UseKernel] chooses the kernel of every product, whether or not Enable
// was called: "avx512", "avx2", "go" (and "openblas" with -tags openblas),
// or "gonum" for gonum's own routines, for comparison and debugging;
// [Kernels] lists what this build and CPU run, [Kernel] and [Backend] say
// what runs. Enable and UseKernel are settings of the whole program, made
// at start-up. latent's command makes them from its environment:
//
//	LATENT_FASTBLAS=off              gonum's own BLAS for everything (also 0, false, no):
//	                                 UseKernel("gonum") and no Enable
//	LATENT_FASTBLAS_KERNEL=avx512    UseKernel("avx512"), then Enable
//	(neither)                        Enable, on the best kernel of the CPU
//
// # Algorithm
//
// The product C = alpha·op(A)·op(B) + beta·C, with op(A) m×k and op(B) k×n,
// is computed as in Goto and van de Geijn (2008) and BLIS (Van Zee and van
// de Geijn 2015): blocks of B are copied ("packed") into contiguous
// micro-panels sized for the caches, and a micro-kernel keeps an mr×nr
// tile of C in registers while it runs over k. gonum is row-major, so the
// roles of A and B are those of the papers swapped (C row-major is Cᵀ
// column-major); the kernels load nr consecutive values of a row of B as
// vectors and broadcast mr values of A:
//
//	for ic = 0, mc, 2mc, … < m                     rows of C and A
//	  for pc = 0, kc, 2kc, … < k                   depth; beta applies at pc = 0 only;
//	                                               pack A[ic:ic+mc, pc:pc+kc] if packed
//	    for jc = 0, nc, 2nc, … < n                 pack B[pc:pc+kc, jc:jc+nc]  (L2)
//	      for ir = 0, mr, … < mc                   A micro-panel mr×kc         (L1)
//	        for jr = 0, nr, … < nc                 micro-kernel on C[ir:ir+mr, jr:jr+nr]:
//	          acc = Σ_{p<kc} A[i, p]·B[p, j]       (one FMA per p, p increasing)
//	          C[i, j] = alpha·acc + beta·C[i, j]   (C not read when beta = 0)
//
// Register tiles and blocks (kc × nc of B fills about half of a 1 MiB L2;
// mr × kc of A stays in L1). The Go kernel's tile is small so that it does
// not spill the 15 float registers the Go compiler has on amd64; it runs
// at the scalar speed of gonum's pure-Go Dgemm (0.7–1× of it with -tags
// noasm on amd64), and is the reference for the determinism guarantee on
// platforms without the assembly kernels:
//
//	kernel   tile mr×nr   registers                      kc    mc     nc
//	avx512   14×16        28 zmm accumulators, 2 B, 2 A  256   1008   256
//	avx2      6×8         12 ymm accumulators, 2 B, 2 A  256   1008   256
//	go        2×4          8 scalar accumulators         256    512   512
//
// Float32 ([Sgemm]) runs the same blocked algorithm (one generic
// implementation over the element type) on float32 twins of these
// kernels: the same registers hold twice the values, so the tiles are
// 14×32 (avx512) and 6×16 (avx2), with kc = 256, mc as above and nc = 512
// (B's packed block the same bytes as in float64); the Go kernel is the
// same code instantiated for float32. Everything said below of Dgemm's
// arithmetic and determinism holds for Sgemm with float32 operations; its
// tiny products emulate the float32 fused multiply-add in float64 with
// round-to-odd (exact product, TwoSum, odd last bit when inexact: S. Boldo
// and G. Melquiond, Emulation of FMA and correctly rounded sums: proved
// algorithms using rounding to odd, IEEE Trans. Computers 57(4), 2008),
// which rounds correctly since 53 ≥ 24 + 2 bits, so they have the
// kernels' bits. The "gonum" kernel's twin is gonum's Sgemm, tiled as its
// Dgemm is; "openblas"'s is cblas_sgemm.
//
// Short last row tiles are computed by shorter kernels (2, 4, …, 12 rows
// for avx512; 2 and 4 for avx2), all generated by gen_amd64.go with the
// same arithmetic per element.
//
// Packing pays when a packed panel is reused by many micro-kernel calls.
// When it is not, an operand is read in place: an untransposed A always
// (the "direct" kernels broadcast straight from its rows; gathering its
// rows into panels cost more than it saved on every shape measured), a
// transposed A when C has at most two tiles across, and an untransposed B
// when C has at most two tiles down. Partial panels at the edges are
// packed with zero padding, and partial tiles of C are computed with the
// same arithmetic into a small buffer and copied out, so no kernel reads
// or writes outside the operands.
//
// With the assembly kernels, products of at most 128 multiply-adds skip all
// this: plain loops with the same fused multiply-adds, as fast as gonum on
// 1×1 to 4×4.
//
// Work is split among up to GOMAXPROCS workers by cutting C into strips
// of whole tiles, along rows or columns, whichever a cost model (kernel
// flops plus packing) prefers; small products run on the calling goroutine.
// When C has too few tiles to share evenly and k is deep (Xᵀ·X of a tall
// X), the depth is split instead: workers compute each depth block's sums
// into a buffer, and the blocks are then added into C in order with the
// arithmetic of the serial product. The workers are the calling goroutine
// and helper goroutines started once and handed work only when idle; a
// product allocates nothing in the steady state.
//
// # Determinism
//
// The value of each element of C depends only on the operands, the kernel,
// and k: the depth is cut into ⌈k/256⌉ blocks of near-equal size, each
// block's sum is a chain of fused multiply-adds in increasing p, and the
// blocks are added into C in order,
//
//	C₀ = fma(beta, C, alpha·acc₀)   (alpha·acc₀ when beta = 0)
//	C_b = C_{b−1} + alpha·acc_b
//
// whichever worker computes it, whether the tile is full or partial and
// whether its operands were packed or read in place. So the same inputs
// give the same bits whatever GOMAXPROCS is and however goroutines are
// scheduled (tested with 1, 2, 3 and 4 workers), and a row of C has the
// same bits whether it is computed alone or with a million others (so is a
// column). Different kernels give
// results that differ in the last bits (the Go kernel fuses multiply-adds
// only where the Go compiler does); all stay within the usual bound
// |Ĉ − C| ≤ γ_{k+2}·(|alpha|·|A|·|B| + |beta|·|C|) of the exact product
// (Higham 2002, §3.5), against which the tests compare them with gonum.
//
// The "gonum" kernel keeps the guarantee on gonum's arithmetic: gonum's
// Dgemm starts a goroutine per 64×64 block of C on large products (which
// allocates on every call), so such a product is cut into tiles of C that
// gonum computes serially, each element summed over the whole depth, and
// the tiles are shared among the same workers; a training loop on it stays
// allocation-free.
//
// # Semantics
//
// Arguments, panics and special cases are those of reference BLAS and
// gonum: when alpha = 0 or k = 0, A and B are not read and C = beta·C; when
// beta = 0, C is not read, so NaN or Inf in C is overwritten. C must not
// share an element with A or B (the result is then unspecified, as in
// reference BLAS); disjoint blocks of one matrix, as LAPACK passes them,
// are fine, and A and B may be the same matrix. gonum/mat checks aliasing
// itself before it calls BLAS. NaN and Inf in A and B propagate as IEEE
// arithmetic has it, as with OpenBLAS: 0·Inf is NaN. Two corner cases
// differ from gonum's Dgemm, which skips the zero elements of A (so a 0 in
// A against an Inf in B leaves C finite there) and does not return early
// for alpha = 0 (so a NaN in A reaches C although alpha is 0).
//
// # OpenBLAS
//
// Built with -tags openblas (cgo, and libopenblas: Debian's libopenblas-dev),
// Dgemm goes to the system's OpenBLAS by default instead, unless UseKernel
// picks one of this package's kernels. The default build has no cgo.
// Trap: OpenBLAS 0.3.21 does not recognise recent CPUs such as AMD Zen 5
// and falls back to an older kernel family (Haswell on the machines this
// was measured on, which ran the 2000² product at 0.6× and the VAE layer
// 128×784 · 784×400 at 0.45× the speed of its SkylakeX kernels); give it
// its best kernels with OPENBLAS_CORETYPE=SkylakeX on AVX-512 machines, set
// before the program starts. [Backend] prints the core OpenBLAS chose, with
// a warning when the CPU has AVX-512 and the core does not use it. OpenBLAS's results do not carry the determinism
// guarantee above. To send every BLAS routine (not only Dgemm) to OpenBLAS,
// install gonum.org/v1/netlib/blas/netlib's Implementation with blas64.Use.
//
// # Sources
//
//   - K. Goto and R. A. van de Geijn, Anatomy of high-performance matrix
//     multiplication, ACM Transactions on Mathematical Software 34(3),
//     article 12, 2008: the layered blocking, packing and the micro-kernel.
//   - F. G. Van Zee and R. A. van de Geijn, BLIS: A framework for rapidly
//     instantiating BLAS functionality, ACM Transactions on Mathematical
//     Software 41(3), article 14, 2015: the five loops around the
//     micro-kernel and the choice of loops to parallelise.
//   - N. J. Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.,
//     SIAM, 2002, §3.1 and §3.5: the error bound the tests use.
//
// Performance on the shapes latent uses, against gonum's default and
// OpenBLAS, is in the README's Performance section; bench_test.go has the
// benchmarks.
package fastblas
