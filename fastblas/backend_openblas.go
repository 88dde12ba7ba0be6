//go:build openblas && cgo

package fastblas

// With -tags openblas, Dgemm (and so gonum/mat's products once Enable is
// called) goes to the system's OpenBLAS through cgo by default, unless
// UseKernel picks one of this package's kernels; gonum serves the other
// routines. Linking
// needs libopenblas (Debian: libopenblas-dev). OpenBLAS 0.3.21 does not
// recognise recent CPUs (AMD Zen 5 among them) and picks an older kernel
// family: set OPENBLAS_CORETYPE=SkylakeX (AVX-512) or Haswell (AVX2) in the
// environment before the program starts; Backend shows the one in use.

import (
	"strings"

	"golang.org/x/sys/cpu"
	"gonum.org/v1/gonum/blas"

	"github.com/latentgo/latent/fastblas/internal/openblas"
)

func externalKernel() (*kernel[float64], *kernel[float32]) {
	single := &kernel[float32]{
		name: "openblas",
		ext: func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			openblas.Sgemm(isTrans(tA), isTrans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
	}
	return &kernel[float64]{
		name: "openblas",
		ext: func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
			openblas.Dgemm(isTrans(tA), isTrans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		describe: func() string {
			config, core := openblas.Config()
			d := "OpenBLAS through cgo (" + config + "), core " + core
			if cpu.X86.HasAVX512F && !avx512Cores[strings.ToLower(core)] {
				d += "; WARNING: this CPU has AVX-512 but OpenBLAS chose older kernels: set OPENBLAS_CORETYPE=SkylakeX before starting the program"
			}
			return d
		},
	}, single
}

// avx512Cores are OpenBLAS's kernel families that use AVX-512.
var avx512Cores = map[string]bool{"skylakex": true, "cooperlake": true, "sapphirerapids": true}
