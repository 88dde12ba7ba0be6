package famix

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/fastblas"
)

// Family names a component family.
type Family string

// The families. Each is one file of this package implementing family.
const (
	Bernoulli   Family = "bernoulli"   // bernoulli.go
	Poisson     Family = "poisson"     // poisson.go
	Categorical Family = "categorical" // categorical.go
	StudentT    Family = "student-t"   // studentt.go
	Gaussian    Family = "gaussian"    // gaussian.go
)

// Families lists the families, in the order the help text gives them.
var Families = []Family{Bernoulli, Categorical, Poisson, StudentT, Gaussian}

// family is one component family over a block of d columns, holding the
// parameters of all K components. The E-step calls check and logDensity on a
// block of rows, then accumulate with the rows' responsibilities; the M-step
// calls mstep with the merged statistics. A family's methods other than
// mstep and decode never change it, so one family serves every worker.
type family interface {
	// Family names it.
	Family() Family
	// dim is the number of columns of the block.
	dim() int
	// numParams is the number of free parameters of the K components
	// (the mixing weights are counted by the model).
	numParams() int
	// check returns the 0-based column (within the block) of the first
	// value of row x outside the family's support, and what is wrong
	// with it, or −1 and "".
	check(x []float64) (int, string)
	// logDensity adds log f_k(x_i) to lp[i, k] for every row i of x
	// (n×dim) and component k (lp is n×K).
	logDensity(lp, x *mat.Dense)
	// statLen is the length of the sufficient statistics.
	statLen() int
	// accumulate adds to st the statistics of the rows of x weighted by
	// r[i, k] = w_i q_ik (n×K).
	accumulate(st []float64, x, r *mat.Dense)
	// mstep sets the parameters that maximise the expected complete-data
	// log-likelihood given merged statistics st and the components'
	// weights nk[k] = Σ_i w_i q_ik, and returns that maximum (the
	// family's part of Σ_i w_i E_q log p(x_i, z_i | θ), with every
	// constant, plus the entropy of any latent variable of its own).
	mstep(st, nk []float64) (float64, error)
	// sample fills dst (dim values) with a draw from component k.
	sample(dst []float64, k int, rng *rand.Rand)
	// clone returns a deep copy.
	clone() family
	// encode returns the model file's form of the parameters.
	encode() any
}

// decoders read a family's parameters from the model file: raw is the
// "params" field, k the number of components, d the block's columns, at the
// path (for errors naming the field).
var decoders = map[Family]func(raw json.RawMessage, k, d int, path string) (family, error){}

// fieldErr is an error about one field of a model file.
func fieldErr(path, format string, a ...any) error {
	return fmt.Errorf("famix: %s: %s", path, fmt.Sprintf(format, a...))
}

// gemm computes c = alpha·op(a)·op(b) + beta·c with fastblas's kernel.
func gemm(tA, tB bool, alpha float64, a, b mat.RawMatrixer, beta float64, c *mat.Dense) {
	ra, rb, rc := a.RawMatrix(), b.RawMatrix(), c.RawMatrix()
	ta, tb := blas.NoTrans, blas.NoTrans
	m, k := ra.Rows, ra.Cols
	if tA {
		ta, m, k = blas.Trans, ra.Cols, ra.Rows
	}
	n := rb.Cols
	if tB {
		tb, n = blas.Trans, rb.Rows
	}
	if m == 0 || n == 0 {
		return
	}
	fastblas.Dgemm(ta, tb, m, n, k, alpha, ra.Data, ra.Stride, rb.Data, rb.Stride, beta, rc.Data, rc.Stride)
}

// addRowsT adds rᵀ·x (K×d) to st, row-major K×d.
func addRowsT(st []float64, x, r *mat.Dense) {
	_, k := r.Dims()
	_, d := x.Dims()
	if d == 0 || k == 0 {
		return
	}
	gemm(true, false, 1, r, x, 1, mat.NewDense(k, d, st))
}
