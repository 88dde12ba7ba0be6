package fastblas

import (
	"os"
	"strings"
)

// microKernel computes one full mr×nr tile of C:
//
//	acc = Σ_{p<k} a[p·mr+r] · b[p·nr+j]     (a running sum, p in increasing order)
//	t   = alpha·acc
//	C[r][j] = t                    when beta == 0 (C is not read)
//	C[r][j] = fma(beta, C[r][j], t) otherwise
//
// a is a packed micro-panel of A (k steps of mr values), b one of B (k steps
// of nr values), c starts at C[0][0] of the tile and holds at least
// (mr−1)·ldc+nr values, ldc is C's row stride in elements, and k ≥ 1. Every kernel keeps exactly this arithmetic per element, so
// which tile an element falls in, and so how C is split among workers, cannot
// change its bits.
type microKernel func(k int, a, b, c []float64, ldc int, alpha, beta float64)

// directKernel is a microKernel that reads its A micro-panel in place from
// row-major op(A): row r, step p at a[r·lda+p]. Its arithmetic is exactly
// that of the kernel's packed microKernel.
type directKernel func(k int, a []float64, lda int, b, c []float64, ldc int, alpha, beta float64)

// kernel describes one micro-kernel and the cache blocking tuned for it.
type kernel struct {
	name   string
	mr, nr int // register tile: mr rows of C by nr columns
	kc     int // depth of one packed block (k dimension)
	mc     int // rows of A packed at once (a multiple of mr)
	nc     int // columns of B packed at once (a multiple of nr)
	fn     microKernel
	direct directKernel // nil when the kernel has no direct-A variant
}

// Kernel names accepted by LATENT_FASTBLAS_KERNEL.
const (
	kernelAVX512 = "avx512"
	kernelAVX2   = "avx2"
	kernelGo     = "go"
)

// goKernel is the portable reference: a 4×4 register tile in plain Go.
var goKernel = &kernel{name: kernelGo, mr: 4, nr: 4, kc: 256, mc: 512, nc: 512, fn: gemmKernel4x4Go}

// available lists the kernels this CPU can run, best first; the pure-Go
// kernel is always last.
var available = platformKernels()

// kernelByName returns the available kernel with that name, or nil.
func kernelByName(name string) *kernel {
	for _, k := range available {
		if k.name == name {
			return k
		}
	}
	return nil
}

// chooseKernel returns the kernel named by the environment variable
// LATENT_FASTBLAS_KERNEL when it is available, else the best one.
func chooseKernel() *kernel {
	if name := strings.TrimSpace(strings.ToLower(os.Getenv(EnvKernel))); name != "" {
		if k := kernelByName(name); k != nil {
			return k
		}
	}
	return available[0]
}
