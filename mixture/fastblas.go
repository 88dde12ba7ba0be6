package mixture

// Importing fastblas installs latent's packed GEMM kernels (AVX-512,
// AVX2+FMA or pure Go, chosen at run time) as gonum's BLAS, unless the
// environment sets LATENT_FASTBLAS=off; every product that goes through
// gonum's blas64 then runs on them. See the fastblas package documentation.
import _ "github.com/latentgo/latent/fastblas"
