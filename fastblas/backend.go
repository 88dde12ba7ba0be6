package fastblas

import "gonum.org/v1/gonum/blas"

// externalDgemm is another Dgemm that a kernel can route whole products
// to instead of this package's micro-kernels: gonum's own (the "gonum"
// kernel, gonum.go) or OpenBLAS through cgo with -tags openblas
// (backend_openblas.go). Arguments reach it checked, with m, n, k ≥ 1 and
// alpha ≠ 0.
type externalDgemm func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)

// external is the kernel that stands for the BLAS built in with a tag, or
// nil without one.
var external = externalKernel()
