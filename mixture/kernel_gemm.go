package mixture

import (
	"os"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// The E-step of full and tied covariances as matrix products over a chunk
// of rows, per component k:
//
//	Y  = (X − 1μ_kᵀ)·A_kᵀ        chunk×D times D×D: ‖y_i‖² is the Mahalanobis distance
//	S2 += (w∘q_k∘(X − 1μ_kᵀ))ᵀ·(X − 1μ_kᵀ)   D×chunk times chunk×D: the scatter
//
// through gonum's blas64.Gemm, so that a fast BLAS installed with blas64.Use
// (latent's fastblas, or OpenBLAS through gonum's netlib) serves them. With
// gonum's own BLAS the hand-tiled Go kernels of kernel.go are faster on
// these thin shapes, so they are used instead. LATENT_GMM_KERNEL=gemm or go
// forces one path (read when a worker is made). The two paths agree to
// rounding; each is deterministic, and each row's result does not depend on
// the rows around it, so both keep catalog M-38.

// useGemm reports whether workers use the matrix-product path.
func useGemm() bool {
	switch os.Getenv("LATENT_GMM_KERNEL") {
	case "gemm":
		return true
	case "go":
		return false
	}
	_, native := blas64.Implementation().(gonum.Implementation)
	return !native
}

// mahaGemm sets maha[i] = ‖A·diff_i‖² with Y = diff·Aᵀ computed by Gemm into
// y (n×d scratch).
func mahaGemm(maha, diff, a, y []float64, n, d int) {
	blas64.Gemm(blas.NoTrans, blas.Trans, 1,
		blas64.General{Rows: n, Cols: d, Stride: d, Data: diff[:n*d]},
		blas64.General{Rows: d, Cols: d, Stride: d, Data: a[:d*d]},
		0, blas64.General{Rows: n, Cols: d, Stride: d, Data: y[:n*d]})
	for i := 0; i < n; i++ {
		r := y[i*d : i*d+d]
		var m float64
		for _, v := range r {
			m += v * v
		}
		maha[i] = m
	}
}

// scatterGemm adds Σ_i wd_i·diff_iᵀ to the d×d s2 (both triangles), with
// wd_i = wr_i·diff_i already in wd.
func scatterGemm(s2, wd, diff []float64, n, d int) {
	blas64.Gemm(blas.Trans, blas.NoTrans, 1,
		blas64.General{Rows: n, Cols: d, Stride: d, Data: wd[:n*d]},
		blas64.General{Rows: n, Cols: d, Stride: d, Data: diff[:n*d]},
		1, blas64.General{Rows: d, Cols: d, Stride: d, Data: s2[:d*d]})
}
