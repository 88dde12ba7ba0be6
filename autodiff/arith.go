package autodiff

import "math"

// Each op below records its node and computes the forward value; the
// function after it is its derivative rule: given g = ∂f/∂out (n.Grad), it
// adds g·∂out/∂input to each input's gradient. Derived ops (Neg, Sub,
// Square, Sqrt, Mean, MSE) are built from the primitives and have no rule of
// their own.

// Add returns a + b, elementwise; a and b have the same shape.
func (t *Tape) Add(a, b *Node) *Node {
	t.use("Add", a, b)
	sameShape("Add", a, b)
	n := t.node(a.rows, a.cols, addBack, a, b, nil)
	for i, av := range a.Value {
		n.Value[i] = av + b.Value[i]
	}
	return n
}

// ∂(a+b)/∂a = ∂(a+b)/∂b = 1.
func addBack(n *Node) {
	acc(n.a, n.Grad)
	acc(n.b, n.Grad)
}

// Neg returns −a (derived: Scale(a, −1)).
func (t *Tape) Neg(a *Node) *Node { return t.Scale(a, -1) }

// Sub returns a − b, elementwise (derived: a + (−b)).
func (t *Tape) Sub(a, b *Node) *Node { return t.Add(a, t.Neg(b)) }

// Mul returns the elementwise (Hadamard) product a ⊙ b; a and b have the
// same shape.
func (t *Tape) Mul(a, b *Node) *Node {
	t.use("Mul", a, b)
	sameShape("Mul", a, b)
	n := t.node(a.rows, a.cols, mulBack, a, b, nil)
	for i, av := range a.Value {
		n.Value[i] = av * b.Value[i]
	}
	return n
}

// ∂(a⊙b)/∂a = b, ∂(a⊙b)/∂b = a. When a and b are the same node both terms
// land in its gradient: ∂(a⊙a)/∂a = 2a.
func mulBack(n *Node) {
	g := n.Grad
	if a := n.a; a.needsGrad {
		for i, bv := range n.b.Value {
			a.Grad[i] += g[i] * bv
		}
	}
	if b := n.b; b.needsGrad {
		for i, av := range n.a.Value {
			b.Grad[i] += g[i] * av
		}
	}
}

// Square returns a ⊙ a (derived: Mul(a, a); the gradient 2a comes from
// accumulating a's two uses).
func (t *Tape) Square(a *Node) *Node { return t.Mul(a, a) }

// Div returns a / b, elementwise; a and b have the same shape. Division by
// zero follows IEEE 754 (±Inf, or NaN for 0/0).
func (t *Tape) Div(a, b *Node) *Node {
	t.use("Div", a, b)
	sameShape("Div", a, b)
	n := t.node(a.rows, a.cols, divBack, a, b, nil)
	for i, av := range a.Value {
		n.Value[i] = av / b.Value[i]
	}
	return n
}

// ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b² = −(a/b)/b.
func divBack(n *Node) {
	g, bv := n.Grad, n.b.Value
	if a := n.a; a.needsGrad {
		for i := range g {
			a.Grad[i] += g[i] / bv[i]
		}
	}
	if b := n.b; b.needsGrad {
		for i, y := range n.Value {
			b.Grad[i] -= g[i] * y / bv[i]
		}
	}
}

// Scale returns k·a.
func (t *Tape) Scale(a *Node, k float64) *Node {
	t.use("Scale", a)
	n := t.node(a.rows, a.cols, scaleBack, a, nil, nil)
	n.k = k
	for i, av := range a.Value {
		n.Value[i] = k * av
	}
	return n
}

// ∂(k·a)/∂a = k.
func scaleBack(n *Node) {
	if a := n.a; a.needsGrad {
		for i, g := range n.Grad {
			a.Grad[i] += n.k * g
		}
	}
}

// AddScalar returns a + k, elementwise.
func (t *Tape) AddScalar(a *Node, k float64) *Node {
	t.use("AddScalar", a)
	n := t.node(a.rows, a.cols, addScalarBack, a, nil, nil)
	for i, av := range a.Value {
		n.Value[i] = av + k
	}
	return n
}

// ∂(a+k)/∂a = 1.
func addScalarBack(n *Node) { acc(n.a, n.Grad) }

// Pow returns a^p, elementwise, for a constant exponent p (math.Pow's
// special cases apply: Pow(a, 0.5) is exactly Sqrt).
func (t *Tape) Pow(a *Node, p float64) *Node {
	t.use("Pow", a)
	n := t.node(a.rows, a.cols, powBack, a, nil, nil)
	n.k = p
	for i, av := range a.Value {
		n.Value[i] = math.Pow(av, p)
	}
	return n
}

// ∂a^p/∂a = p·a^(p−1); for p = 0 the derivative is 0 everywhere (also at
// a = 0, where p·a^(p−1) would be 0·Inf).
func powBack(n *Node) {
	a, p := n.a, n.k
	if !a.needsGrad || p == 0 {
		return
	}
	for i, g := range n.Grad {
		a.Grad[i] += g * p * math.Pow(a.Value[i], p-1)
	}
}

// Sqrt returns √a, elementwise (derived: Pow(a, 0.5)). Its derivative
// 1/(2√a) is +Inf at a = 0, as in PyTorch.
func (t *Tape) Sqrt(a *Node) *Node { return t.Pow(a, 0.5) }
