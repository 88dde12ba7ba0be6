package mixture

import "gonum.org/v1/gonum/blas"

// Kernel is how the E-step of the families with D×D matrices (full, tied)
// computes its two products per chunk of rows and component k:
//
//	Y  = (X − 1μ_kᵀ)·A_kᵀ        chunk×D times D×D: ‖y_i‖² is the Mahalanobis distance
//	S2 += (w∘q_k∘(X − 1μ_kᵀ))ᵀ·(X − 1μ_kᵀ)   D×chunk times chunk×D: the scatter
//
// The two kernels agree to rounding, not to the bit; each is deterministic,
// gives the same bits on any number of cores, and scores a row the same
// alone or in a batch (catalog M-38). Diag and spherical covariances have
// one kernel.
type Kernel string

// The kernels. The zero value "" means KernelGemm.
const (
	// KernelGemm computes the products as matrix products on fastblas's
	// kernels (AVX-512, AVX2+FMA or Go, chosen by fastblas), called
	// explicitly: whether the program installed fastblas as gonum's BLAS
	// does not change the bits. The default.
	KernelGemm Kernel = "gemm"
	// KernelGo computes them with mixture's register-tiled Go loops
	// (kernel.go), about D² multiply-adds per row and component.
	KernelGo Kernel = "go"
)

func (k Kernel) check() error {
	switch k {
	case "", KernelGemm, KernelGo:
		return nil
	}
	return optionErrorf("Kernel", " %q is not a kernel; use %q (the default) or %q", string(k), KernelGemm, KernelGo)
}

// gemm reports whether the kernel is the matrix-product one.
func (k Kernel) gemm() bool { return k != KernelGo }

// mahaGemm sets maha[i] = ‖A·diff_i‖² with Y = diff·Aᵀ computed by Dgemm into
// y (n×d scratch).
func mahaGemm(maha, diff, a, y []float64, n, d int) {
	fast.Dgemm(blas.NoTrans, blas.Trans, n, d, d, 1, diff[:n*d], d, a[:d*d], d, 0, y[:n*d], d)
	sumSquares(maha, y, n, d)
}

// sumSquares sets maha[i] = Σ_j y_ij² (y n×d row-major), each row summed
// in the order of j; four rows at a time, so that their sums run side by
// side rather than one chain of additions after another (the same bits).
func sumSquares(maha, y []float64, n, d int) {
	i := 0
	for ; i+3 < n; i += 4 {
		r0 := y[i*d : i*d+d]
		r1 := y[(i+1)*d : (i+1)*d+d]
		r2 := y[(i+2)*d : (i+2)*d+d]
		r3 := y[(i+3)*d : (i+3)*d+d]
		r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
		var m0, m1, m2, m3 float64
		for j, v := range r0 {
			m0 += v * v
			m1 += r1[j] * r1[j]
			m2 += r2[j] * r2[j]
			m3 += r3[j] * r3[j]
		}
		maha[i], maha[i+1], maha[i+2], maha[i+3] = m0, m1, m2, m3
	}
	for ; i < n; i++ {
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
	fast.Dgemm(blas.Trans, blas.NoTrans, d, d, n, 1, wd[:n*d], d, diff[:n*d], d, 1, s2[:d*d], d)
}
