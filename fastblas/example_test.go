package fastblas_test

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/fastblas"
)

// Importing fastblas (for its effect, as `import _
// "github.com/latentgo/latent/fastblas"`) makes every gonum/mat product
// use it; Enable and Disable switch it at run time.
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
