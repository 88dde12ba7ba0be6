package fastblas

import "gonum.org/v1/gonum/blas"

// externalGemm is another Dgemm or Sgemm that a kernel can route whole products
// to instead of this package's micro-kernels: gonum's own (the "gonum"
// kernel, gonum.go) or OpenBLAS through cgo with -tags openblas
// (backend_openblas.go). Arguments reach it checked, with m, n, k ≥ 1 and
// alpha ≠ 0.
type externalGemm[T elem] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// external is the kernel that stands for the BLAS built in with a tag, or
// nil without one; external32 is its float32 twin.
var external, external32 = externalKernel()
