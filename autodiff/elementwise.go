package autodiff

import (
	"fmt"
	"math"

	"github.com/latentgo/latent/internal/logmath"
)

// unary records a node shaped like a with derivative rule back.
func (t *Tape) unary(op string, a *Node, back func(*Node)) *Node {
	t.use(op, a)
	return t.node(a.rows, a.cols, back, a, nil, nil)
}

// Exp returns eᵃ, elementwise.
func (t *Tape) Exp(a *Node) *Node {
	n := t.unary("Exp", a, expBack)
	for i, v := range a.Value {
		n.Value[i] = math.Exp(v)
	}
	return n
}

// ∂eᵃ/∂a = eᵃ, the output itself.
func expBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			a.Grad[i] += g * n.Value[i]
		}
	}
}

// Log returns the natural logarithm of a, elementwise (−Inf at 0, NaN below).
func (t *Tape) Log(a *Node) *Node {
	n := t.unary("Log", a, logBack)
	for i, v := range a.Value {
		n.Value[i] = math.Log(v)
	}
	return n
}

// ∂log a/∂a = 1/a.
func logBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			a.Grad[i] += g / a.Value[i]
		}
	}
}

// Sin returns sin a, elementwise.
func (t *Tape) Sin(a *Node) *Node {
	n := t.unary("Sin", a, sinBack)
	for i, v := range a.Value {
		n.Value[i] = math.Sin(v)
	}
	return n
}

// ∂sin a/∂a = cos a.
func sinBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			a.Grad[i] += g * math.Cos(a.Value[i])
		}
	}
}

// Cos returns cos a, elementwise.
func (t *Tape) Cos(a *Node) *Node {
	n := t.unary("Cos", a, cosBack)
	for i, v := range a.Value {
		n.Value[i] = math.Cos(v)
	}
	return n
}

// ∂cos a/∂a = −sin a.
func cosBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			a.Grad[i] -= g * math.Sin(a.Value[i])
		}
	}
}

// Tanh returns tanh a, elementwise.
func (t *Tape) Tanh(a *Node) *Node {
	n := t.unary("Tanh", a, tanhBack)
	for i, v := range a.Value {
		n.Value[i] = math.Tanh(v)
	}
	return n
}

// ∂tanh a/∂a = 1 − tanh² a, from the output.
func tanhBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			y := n.Value[i]
			a.Grad[i] += g * (1 - y*y)
		}
	}
}

// Sigmoid returns the logistic function σ(a) = 1/(1 + e^−a), elementwise,
// without overflow for any a.
func (t *Tape) Sigmoid(a *Node) *Node {
	n := t.unary("Sigmoid", a, sigmoidBack)
	for i, v := range a.Value {
		n.Value[i] = logmath.Sigmoid(v)
	}
	return n
}

// ∂σ(a)/∂a = σ(a)(1 − σ(a)), from the output.
func sigmoidBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			y := n.Value[i]
			a.Grad[i] += g * y * (1 - y)
		}
	}
}

// ReLU returns max(a, 0), elementwise; NaN stays NaN (catalog A-10).
// Large matrices are computed in blocks of rows on the tape's workers.
func (t *Tape) ReLU(a *Node) *Node {
	n := t.unary("ReLU", a, reluBack)
	t.parallelRows(n, a.rows, len(a.Value), reluRows)
	return n
}

// reluRows uses the builtin max, which is branch-free and keeps NaN (Go's
// max returns NaN when an argument is NaN, and +0 for max(−0, 0)): with
// signs at random a branch was mispredicted half the time, 5× slower.
func reluRows(n *Node, lo, hi int) {
	c := n.cols
	dst := n.Value[lo*c : hi*c]
	for i, v := range n.a.Value[lo*c : hi*c] {
		dst[i] = max(v, 0)
	}
}

// ∂relu(a)/∂a = 1 for a > 0 and 0 for a < 0. At the kink a = 0 we use the
// subgradient 0, as PyTorch and JAX do (catalog A-09). At a = NaN the
// derivative is NaN, so a NaN input never yields a finite gradient.
func reluBack(n *Node) {
	if a := n.a; a.needsGrad {
		n.tape.parallelRows(n, n.rows, len(n.Value), reluBackRows)
	}
}

// reluBackRows passes g where a > 0 by masking its bits (a branch on the
// sign was mispredicted half the time): where a ≤ 0 the term is +0 even
// for an infinite or NaN g, as when it was skipped.
func reluBackRows(n *Node, lo, hi int) {
	a, c := n.a, n.cols
	av, dst := a.Value[lo*c:hi*c], a.Grad[lo*c:hi*c]
	for i, g := range n.Grad[lo*c : hi*c] {
		v := av[i]
		d := math.Float64frombits(math.Float64bits(g) & -positive(v))
		if v != v {
			d = nan
		}
		dst[i] += d
	}
}

// positive is 1 when v > 0 and 0 otherwise (NaN included), without a branch.
func positive(v float64) uint64 {
	if v > 0 {
		return 1
	}
	return 0
}

// Softplus returns log(1 + eᵃ), elementwise, exact over the whole float64
// range (logmath.Softplus; catalog N-06).
func (t *Tape) Softplus(a *Node) *Node {
	n := t.unary("Softplus", a, softplusBack)
	for i, v := range a.Value {
		n.Value[i] = logmath.Softplus(v)
	}
	return n
}

// ∂softplus(a)/∂a = σ(a): 1/2 at 0, 1 at +Inf, 0 at −Inf, NaN at NaN.
func softplusBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			a.Grad[i] += g * logmath.Sigmoid(a.Value[i])
		}
	}
}

// LogSigmoid returns log σ(a) = −softplus(−a), elementwise, finite for
// every finite a (catalog N-07: no log(σ(a)), which is −Inf below −745).
func (t *Tape) LogSigmoid(a *Node) *Node {
	n := t.unary("LogSigmoid", a, logSigmoidBack)
	for i, v := range a.Value {
		n.Value[i] = logmath.LogSigmoid(v)
	}
	return n
}

// ∂log σ(a)/∂a = 1 − σ(a) = σ(−a).
func logSigmoidBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			a.Grad[i] += g * logmath.Sigmoid(-a.Value[i])
		}
	}
}

// Clamp returns a with every entry limited to [lo, hi] (NaN stays NaN),
// as torch.clamp; a VAE clamps its log-variances so that e^{log σ²} stays
// finite (catalog N-10). It panics when lo > hi.
func (t *Tape) Clamp(a *Node, lo, hi float64) *Node {
	if lo > hi {
		panic(fmt.Sprintf("autodiff: Clamp: lo %v > hi %v", lo, hi))
	}
	n := t.unary("Clamp", a, clampBack)
	n.k, n.aux = lo, grow(n.aux, 1)
	n.aux[0] = hi
	for i, v := range a.Value {
		n.Value[i] = min(max(v, lo), hi)
		if v != v {
			n.Value[i] = v
		}
	}
	return n
}

// ∂clamp(a)/∂a = 1 for lo ≤ a ≤ hi (the bounds included, as PyTorch) and
// 0 outside, where the output no longer moves with a; NaN at NaN.
func clampBack(n *Node) {
	if a := n.a; a.needsGrad {
		lo, hi := n.k, n.aux[0]
		for i, g := range n.Grad {
			switch v := a.Value[i]; {
			case v >= lo && v <= hi:
				a.Grad[i] += g
			case v != v:
				a.Grad[i] += nan
			}
		}
	}
}
