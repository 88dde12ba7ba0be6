package autodiff

import (
	"math"

	"github.com/latentgo/latent/internal/logmath"
)

// LogSumExpRows returns the m×1 column log Σ_j exp(a_ij) of the m×n matrix
// a, computed by logmath.LogSumExp (catalog N-01): a row of −Inf, or an
// empty row, gives −Inf (not NaN); a row holding +Inf gives +Inf; NaN gives
// NaN. Entries set to −Inf are masked out: they add nothing and get a
// gradient of exactly 0.
func (t *Tape) LogSumExpRows(a *Node) *Node {
	t.use("LogSumExpRows", a)
	n := t.node(a.rows, 1, logSumExpRowsBack, a, nil, nil)
	c := a.cols
	for i := 0; i < a.rows; i++ {
		n.Value[i] = logmath.LogSumExp(a.Value[i*c : (i+1)*c])
	}
	return n
}

// ∂ lse(a_i)/∂a_ij = exp(a_ij − lse(a_i)) = softmax(a_i)_j: the shift by
// the row maximum inside LogSumExp is a constant for the derivative (as JAX
// stops its gradient), so it does not appear (catalog A-12). A row whose
// lse is −Inf (all −Inf, or empty) has no mass to differentiate and passes
// a gradient of 0 to each entry, where exp(−Inf − (−Inf)) would give NaN
// (PyTorch returns NaN there); the softmax of such a row is likewise 0.
func logSumExpRowsBack(n *Node) {
	a := n.a
	if !a.needsGrad {
		return
	}
	c := a.cols
	for i, g := range n.Grad {
		l := n.Value[i]
		if math.IsInf(l, -1) {
			continue
		}
		for j, v := range a.Value[i*c : (i+1)*c] {
			a.Grad[i*c+j] += g * math.Exp(v-l)
		}
	}
}

// SoftmaxRows returns the row-wise softmax of the m×n matrix a:
// y_ij = exp(a_ij − lse(a_i)), each row summing to 1. A row whose lse is
// −Inf (all −Inf: nothing to normalise) gives a row of zeros, the gradient
// LogSumExpRows passes there.
func (t *Tape) SoftmaxRows(a *Node) *Node {
	t.use("SoftmaxRows", a)
	n := t.node(a.rows, a.cols, softmaxRowsBack, a, nil, nil)
	softmaxRows(n.Value, a.Value, a.rows, a.cols)
	return n
}

// softmaxRows writes the row softmax of the r×c matrix x into y.
func softmaxRows(y, x []float64, r, c int) {
	for i := 0; i < r; i++ {
		xr, yr := x[i*c:(i+1)*c], y[i*c:(i+1)*c]
		l := logmath.LogSumExp(xr)
		if math.IsInf(l, -1) {
			clear(yr)
			continue
		}
		for j, v := range xr {
			yr[j] = math.Exp(v - l)
		}
	}
}

// With y = softmax(a_i) and G_i the upstream row, ∂f/∂a_ij =
// y_j (G_ij − Σ_k G_ik y_k) (the Jacobian diag(y) − y yᵀ applied to G_i).
func softmaxRowsBack(n *Node) {
	a := n.a
	if !a.needsGrad {
		return
	}
	c := a.cols
	for i := 0; i < n.rows; i++ {
		y, g := n.Value[i*c:(i+1)*c], n.Grad[i*c:(i+1)*c]
		dot := 0.0
		for j, yv := range y {
			dot += g[j] * yv
		}
		for j, yv := range y {
			a.Grad[i*c+j] += yv * (g[j] - dot)
		}
	}
}
