// Package fastblas makes gonum's float64 matrix products fast: a blocked,
// packed matrix multiply (GEMM) with register-tiled micro-kernels in Go
// assembly (AVX-512 and AVX2+FMA) and a portable Go kernel, using every
// core, with results that do not depend on the number of cores.
//
// # Use
//
// Import it for its effect, once, anywhere in a program:
//
//	import _ "github.com/latentgo/latent/fastblas"
//
// Its initialisation installs [Implementation] as gonum's float64 BLAS with
// blas64.Use, so every gonum/mat product (mat.Dense.Mul and friends) and
// gonum's LAPACK (Cholesky, LU, QR, whose blocked forms call Dgemm) use it.
// Implementation embeds gonum's own BLAS: every routine fastblas does not
// override is gonum's. It overrides Dgemm and Dsyrk (C = alpha·A·Aᵀ + beta·C
// on one triangle, as gonum/mat's SymOuterK and LAPACK's Cholesky use it),
// which runs on the same Dgemm: diagonal blocks of 128 computed whole into
// a buffer, the rectangles beside them in place. [Dgemm] can also be called directly. [Enable] and
// [Disable] switch it at run time; [Kernel] and [Backend] say what runs.
//
// # Environment
//
//	LATENT_FASTBLAS=off              do not install at start-up (also 0, false, no):
//	                                 gonum's own BLAS serves everything, for
//	                                 comparison and debugging; Enable still works
//	LATENT_FASTBLAS_KERNEL=avx512    force a kernel: avx512, avx2, go (and openblas
//	                                 with -tags openblas); a kernel the CPU cannot
//	                                 run is ignored, and Kernel tells which one runs
//
// Both are read once, when the package is initialised.
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
//	  for pc = 0, kc, 2kc, … < k                   depth; beta applies at pc = 0 only
//	    for jc = 0, nc, 2nc, … < n                 pack B[pc:pc+kc, jc:jc+nc]  (L2)
//	      for ir = 0, mr, … < mc                   A micro-panel mr×kc         (L1)
//	        for jr = 0, nr, … < nc                 micro-kernel on C[ir:ir+mr, jr:jr+nr]:
//	          acc = Σ_{p<kc} A[i, p]·B[p, j]       (one FMA per p, p increasing)
//	          C[i, j] = alpha·acc + beta·C[i, j]   (C not read when beta = 0)
//
// Register tiles and blocks (kc × nc of B fills about half of a 1 MiB L2;
// mr × kc of A stays in L1):
//
//	kernel   tile mr×nr   registers                      kc    mc     nc
//	avx512   14×16        28 zmm accumulators, 2 B, 2 A  256   1008   256
//	avx2      6×8         12 ymm accumulators, 2 B, 2 A  256   1008   256
//	go        4×4         16 scalar accumulators         256    512   512
//
// Packing pays when a packed panel is reused by many micro-kernel calls.
// When it is not, an operand is read in place: an untransposed A always
// (the "direct" kernels broadcast straight from its rows; gathering its
// rows into panels cost more than it saved on every shape measured), a
// transposed A when C has at most two tiles across, and an untransposed B
// when C has at most two tiles down. Partial panels at the edges are
// packed with zero padding, and partial tiles of C are computed by the same
// kernel into a small buffer and copied out, so no kernel reads or writes
// outside the operands.
//
// Work is split among up to GOMAXPROCS goroutines by cutting C into strips
// of whole tiles, along rows or columns, whichever a cost model (kernel
// flops plus packing) prefers; small products run on the calling goroutine.
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
// # Semantics
//
// Arguments, panics and special cases are those of reference BLAS and
// gonum: when alpha = 0 or k = 0, A and B are not read and C = beta·C; when
// beta = 0, C is not read, so NaN or Inf in C is overwritten. C must not
// share an element with A or B (the result is then unspecified, as in
// reference BLAS); disjoint blocks of one matrix, as LAPACK passes them,
// are fine, and A and B may be the same matrix. gonum/mat checks aliasing
// itself before it calls BLAS.
//
// # OpenBLAS
//
// Built with -tags openblas (cgo, and libopenblas: Debian's libopenblas-dev),
// Dgemm goes to the system's OpenBLAS instead, unless LATENT_FASTBLAS_KERNEL
// forces one of this package's kernels. The default build has no cgo.
// Trap: OpenBLAS 0.3.21 does not recognise recent CPUs such as AMD Zen 5
// and falls back to an older kernel family (Haswell on the machines this
// was measured on); give it its best kernels with OPENBLAS_CORETYPE=SkylakeX
// on AVX-512 machines, set before the program starts. [Backend] prints the
// core OpenBLAS chose. OpenBLAS's results do not carry the determinism
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
