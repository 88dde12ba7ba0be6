package fastblas_test

import (
	"errors"
	"fmt"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/fastblas"
)

// Importing fastblas changes nothing in a program; Enable makes every
// gonum/mat product of the program run on it, and Disable puts gonum's own
// BLAS back.
func ExampleEnable() {
	fastblas.Enable()
	a := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	b := mat.NewDense(3, 2, []float64{7, 8, 9, 10, 11, 12})
	var c mat.Dense
	c.Mul(a, b) // runs fastblas.Implementation.Dgemm
	fmt.Println(mat.Formatted(&c))
	fmt.Println("enabled:", fastblas.Enabled())
	// Output:
	// ⎡ 58   64⎤
	// ⎣139  154⎦
	// enabled: true
}

// Dgemm can be called directly, without gonum/mat, with reference BLAS's
// arguments: here C = 2·A·Bᵀ + C for row-major A (2×3), B (2×3), C (2×2).
func ExampleDgemm() {
	a := []float64{1, 2, 3, 4, 5, 6}
	b := []float64{1, 0, 1, 0, 1, 0}
	c := []float64{1, 1, 1, 1}
	fastblas.Dgemm(blas.NoTrans, blas.Trans, 2, 2, 3, 2, a, 3, b, 3, 1, c, 2)
	fmt.Println(c)
	// Output:
	// [9 5 21 11]
}

// UseKernel chooses the kernel of every product, here the portable Go
// kernel, then the default again; Kernels lists what this build and CPU
// run, the "go" kernel and gonum's own routines ("gonum") always among them.
func ExampleUseKernel() {
	if err := fastblas.UseKernel("go"); err != nil {
		fmt.Println(err)
	}
	fmt.Println("in use:", fastblas.Kernel())
	err := fastblas.UseKernel("avx9000")
	fmt.Println(errors.Is(err, fastblas.ErrUnknownKernel), fastblas.Kernel())
	fastblas.UseKernel("") // the default: the best kernel of this CPU
	fmt.Println(slices.Contains(fastblas.Kernels(), "gonum"))
	// Output:
	// in use: go
	// true go
	// true
}
