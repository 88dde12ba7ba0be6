package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/latentgo/latent/fastblas"
)

// The program's matrix products are set up from the environment here, the
// only place that reads LATENT_FASTBLAS*: the library packages read no
// environment and change no global state on import (docs/DESIGN.md, "The
// API contract"). It runs before main, so every command and every test of
// this package (which call run in-process) see the same set-up.
func init() { configureBLAS(os.Getenv, os.Stderr) }

// configureBLAS applies LATENT_FASTBLAS and LATENT_FASTBLAS_KERNEL:
//
//	LATENT_FASTBLAS=off (0, false, no)  gonum's own BLAS for every product, latent's
//	                                    included: fastblas.UseKernel("gonum"), no Enable
//	LATENT_FASTBLAS_KERNEL=NAME         fastblas.UseKernel(NAME) (avx512, avx2, go,
//	                                    gonum; openblas with -tags openblas)
//	otherwise                           fastblas.Enable(): gonum/mat's products too run
//	                                    on fastblas, on the best kernel of the CPU
//
// A kernel this build and CPU cannot run is reported on stderr and the
// default kernel is used.
func configureBLAS(getenv func(string) string, stderr io.Writer) {
	switch strings.ToLower(strings.TrimSpace(getenv("LATENT_FASTBLAS"))) {
	case "off", "0", "false", "no":
		fastblas.UseKernel("gonum") // always available
		return
	}
	if k := strings.TrimSpace(getenv("LATENT_FASTBLAS_KERNEL")); k != "" {
		if err := fastblas.UseKernel(k); err != nil {
			fmt.Fprintf(stderr, "latent: LATENT_FASTBLAS_KERNEL: %v; using %s\n", err, fastblas.Kernel())
		}
	}
	fastblas.Enable()
}
