package autodiff

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Node is a matrix in a computation: a parameter (a leaf that lives across
// tapes and collects a gradient), a constant input, or the output of an op
// recorded on a Tape.
//
// Value and Grad hold Rows()·Cols() numbers in row-major order (entry (i, j)
// at index i·Cols()+j, no stride). Callers may read and write their entries
// (an optimizer updates Value of a parameter in place) but must not reslice
// or replace them. Grad is empty for nodes that carry no gradient
// (constants, every node of a forward tape, nodes with no parameter
// upstream) and for tape nodes before Backward; a parameter's Grad always
// has its full size.
type Node struct {
	Value []float64
	Grad  []float64

	rows, cols int

	// back is the derivative rule of the op that made the node: given
	// n.Grad = ∂f/∂n, it adds ∂f/∂n · ∂n/∂input to each input's Grad. It is
	// a plain function declared beside the op's forward code, never a
	// closure, so recording an op allocates nothing.
	back func(n *Node)

	a, b, c *Node     // inputs
	k       float64   // a scalar argument (Scale's factor, Pow's exponent)
	i, j    int       // integer arguments (slice bounds, transposes)
	aux     []float64 // per-node scratch kept for the backward pass
	labels  []int     // class labels (SoftmaxCrossEntropy)

	needsGrad bool  // a parameter, or an op with a parameter upstream
	param     bool  // a leaf made by NewParam
	tape      *Tape // nil for parameters
	pos       int   // index on the tape
	gen       uint64
}

// Rows returns the number of rows of n.
func (n *Node) Rows() int { return n.rows }

// Cols returns the number of columns of n.
func (n *Node) Cols() int { return n.cols }

// Shape returns the numbers of rows and columns of n.
func (n *Node) Shape() (rows, cols int) { return n.rows, n.cols }

// At returns entry (i, j) of n's value. It panics when (i, j) is out of range.
func (n *Node) At(i, j int) float64 {
	n.checkIndex(i, j)
	return n.Value[i*n.cols+j]
}

// GradAt returns entry (i, j) of n's gradient, or 0 when n has no gradient.
// It panics when (i, j) is out of range.
func (n *Node) GradAt(i, j int) float64 {
	n.checkIndex(i, j)
	if len(n.Grad) != len(n.Value) {
		return 0
	}
	return n.Grad[i*n.cols+j]
}

// Scalar returns the value of a 1×1 node; it panics for any other shape.
func (n *Node) Scalar() float64 {
	if n.rows != 1 || n.cols != 1 {
		panic(fmt.Sprintf("autodiff: Scalar of a %d×%d node", n.rows, n.cols))
	}
	return n.Value[0]
}

// Dense returns a *mat.Dense that shares n's value (writes to one are seen
// in the other). It allocates the small matrix header; for a 0×0 or empty
// node it returns an empty matrix.
func (n *Node) Dense() *mat.Dense { return view(n.rows, n.cols, n.Value) }

// GradDense returns a *mat.Dense that shares n's gradient, or nil when n
// has none.
func (n *Node) GradDense() *mat.Dense {
	if len(n.Grad) != len(n.Value) {
		return nil
	}
	return view(n.rows, n.cols, n.Grad)
}

// IsParam reports whether n was made by NewParam.
func (n *Node) IsParam() bool { return n.param }

// ZeroGrad sets n's gradient to zero (a no-op when n has none).
func (n *Node) ZeroGrad() { clear(n.Grad) }

func (n *Node) checkIndex(i, j int) {
	if i < 0 || i >= n.rows || j < 0 || j >= n.cols {
		panic(fmt.Sprintf("autodiff: index (%d, %d) out of range for a %d×%d node", i, j, n.rows, n.cols))
	}
}

func view(r, c int, data []float64) *mat.Dense {
	if r == 0 || c == 0 {
		return &mat.Dense{}
	}
	return mat.NewDense(r, c, data[:r*c])
}

// NewParam returns a parameter: a rows×cols leaf that outlives tapes and
// whose Grad collects ∂f/∂param across every Backward until it is zeroed
// (an optimizer's Step zeroes it). data, in row-major order, is copied; nil
// means zeros. It panics when len(data) is not rows·cols or a size is
// negative.
func NewParam(rows, cols int, data []float64) *Node {
	checkSize("NewParam", rows, cols)
	if data != nil && len(data) != rows*cols {
		panic(fmt.Sprintf("autodiff: NewParam: %d values for a %d×%d parameter", len(data), rows, cols))
	}
	p := &Node{rows: rows, cols: cols, Value: make([]float64, rows*cols), Grad: make([]float64, rows*cols), needsGrad: true, param: true}
	copy(p.Value, data)
	return p
}

// ParamFrom returns a parameter holding a copy of m.
func ParamFrom(m mat.Matrix) *Node {
	r, c := m.Dims()
	p := NewParam(r, c, nil)
	copyMatrix(p.Value, m)
	return p
}

// NewScalar returns a 1×1 parameter holding v.
func NewScalar(v float64) *Node { return NewParam(1, 1, []float64{v}) }

// ZeroGrads sets the gradient of every node in params to zero.
func ZeroGrads(params []*Node) {
	for _, p := range params {
		p.ZeroGrad()
	}
}

func copyMatrix(dst []float64, m mat.Matrix) {
	r, c := m.Dims()
	if rm, ok := m.(mat.RawMatrixer); ok {
		raw := rm.RawMatrix()
		for i := 0; i < r; i++ {
			copy(dst[i*c:(i+1)*c], raw.Data[i*raw.Stride:i*raw.Stride+c])
		}
		return
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			dst[i*c+j] = m.At(i, j)
		}
	}
}

func checkSize(op string, rows, cols int) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("autodiff: %s: negative size %d×%d", op, rows, cols))
	}
}

// Tape records the ops of one computation, in order, so that Backward can
// run their derivative rules in reverse. Its nodes and their buffers are
// kept when it is Reset and reused by the next recording, so a training step
// that records the same ops on the same shapes allocates nothing once the
// tape has seen them (the buffers only ever grow).
//
// The zero Tape is not usable; make one with NewTape or NewForwardTape. A
// Tape is not safe for concurrent use, but several tapes may read the same
// parameters at once as long as none of them runs Backward.
type Tape struct {
	nodes   []*Node
	n       int
	gen     uint64
	forward bool     // values only: no gradients, no Backward
	workers *rowPool // workers for large elementwise ops, started on first use
}

// NewTape returns an empty tape that records gradients.
func NewTape() *Tape { return &Tape{gen: 1} }

// NewForwardTape returns an empty tape that computes values only: "no grad"
// is simply not recording. Its nodes carry no gradient, parameters read
// from it are treated as constants, and Backward panics. Use it for
// inference and evaluation; it may run concurrently with other forward
// tapes over the same parameters.
func NewForwardTape() *Tape { return &Tape{gen: 1, forward: true} }

// Records reports whether t records gradients (false for a forward tape).
func (t *Tape) Records() bool { return !t.forward }

// Len returns the number of nodes recorded since the last Reset.
func (t *Tape) Len() int { return t.n }

// Reset forgets the recording so that the tape can be used again; its
// buffers are kept. Nodes returned before Reset must not be used afterwards
// (ops and Backward panic when given one). Parameters are not touched.
func (t *Tape) Reset() {
	t.n = 0
	t.gen++
}

// node returns the next node of the recording, rows×cols, with a Value
// buffer of that size (contents unspecified) and inputs a, b, c. The node
// needs a gradient when any input does (and the tape records).
func (t *Tape) node(rows, cols int, back func(*Node), a, b, c *Node) *Node {
	var n *Node
	if t.n < len(t.nodes) {
		n = t.nodes[t.n]
	} else {
		n = &Node{tape: t}
		t.nodes = append(t.nodes, n)
	}
	n.rows, n.cols = rows, cols
	n.Value = grow(n.Value, rows*cols)
	n.Grad = n.Grad[:0]
	n.a, n.b, n.c = a, b, c
	n.k, n.i, n.j = 0, 0, 0
	n.pos, n.gen = t.n, t.gen
	n.needsGrad = false
	if !t.forward {
		for _, in := range [...]*Node{a, b, c} {
			if in != nil && in.needsGrad {
				n.needsGrad = true
			}
		}
	}
	n.back = nil
	if n.needsGrad {
		n.back = back
	}
	t.n++
	return n
}

// grow returns buf resliced to length n, reallocating only when its
// capacity is short.
func grow(buf []float64, n int) []float64 {
	if cap(buf) < n {
		return make([]float64, n, n+n/4)
	}
	return buf[:n]
}

// use panics unless x can be an input of an op on t: a parameter, or a
// node recorded on t since its last Reset.
func (t *Tape) use(op string, xs ...*Node) {
	for _, x := range xs {
		if x == nil {
			panic(fmt.Sprintf("autodiff: %s: nil node", op))
		}
		if x.tape == nil {
			continue
		}
		if x.tape != t {
			panic(fmt.Sprintf("autodiff: %s: the node belongs to another tape", op))
		}
		if x.gen != t.gen {
			panic(fmt.Sprintf("autodiff: %s: the node was recorded before the tape's last Reset", op))
		}
	}
}

// NewConst returns a rows×cols constant on t whose Value the caller fills
// (its contents are unspecified until then). Constants carry no gradient.
// Use it to feed a minibatch without allocating.
func (t *Tape) NewConst(rows, cols int) *Node {
	checkSize("NewConst", rows, cols)
	return t.node(rows, cols, nil, nil, nil, nil)
}

// Const returns a constant on t holding a copy of m.
func (t *Tape) Const(m mat.Matrix) *Node {
	r, c := m.Dims()
	n := t.NewConst(r, c)
	copyMatrix(n.Value, m)
	return n
}

// ConstScalar returns a 1×1 constant holding v.
func (t *Tape) ConstScalar(v float64) *Node {
	n := t.NewConst(1, 1)
	n.Value[0] = v
	return n
}

// Backward computes ∂out/∂x for every node x recorded up to out, and adds
// it to the Grad of every parameter out depends on. out must be 1×1 (a
// loss); use BackwardWith for other shapes.
//
// Gradients of the tape's own nodes are set afresh by each call; gradients
// of parameters accumulate (+=) until zeroed. The recording stays valid
// after Backward (values are kept until Reset), so calling Backward twice
// adds the same gradient to the parameters twice: that is the documented
// retain semantics of catalog A-08, and the optimizers' Step zeroes the
// gradients so that nothing carries over between steps.
//
// It panics when out is not on t's current recording or t is a forward tape.
func (t *Tape) Backward(out *Node) {
	if out.rows != 1 || out.cols != 1 {
		panic(fmt.Sprintf("autodiff: Backward of a %d×%d node; Backward needs a 1×1 loss (use BackwardWith)", out.rows, out.cols))
	}
	t.backward(out, nil, 1)
}

// BackwardWith is Backward for an output of any shape, seeded with the
// upstream gradient seed (∂f/∂out, len rows·cols of out, row-major): it
// computes the vector-Jacobian product seedᵀ·∂out/∂x. seed is not modified.
func (t *Tape) BackwardWith(out *Node, seed []float64) {
	if len(seed) != len(out.Value) {
		panic(fmt.Sprintf("autodiff: BackwardWith: %d seed values for a %d×%d output", len(seed), out.rows, out.cols))
	}
	t.backward(out, seed, 0)
}

func (t *Tape) backward(out *Node, seed []float64, fill float64) {
	if t.forward {
		panic("autodiff: Backward on a forward tape (made by NewForwardTape); record on NewTape to take gradients")
	}
	if out.tape != t || out.gen != t.gen {
		panic("autodiff: Backward: the output is not on this tape's current recording")
	}
	if !out.needsGrad {
		return // no parameter upstream: every gradient is zero
	}
	for _, n := range t.nodes[:out.pos+1] {
		if n.needsGrad {
			n.Grad = grow(n.Grad, len(n.Value))
			clear(n.Grad)
		}
	}
	if seed != nil {
		copy(out.Grad, seed)
	} else {
		for i := range out.Grad {
			out.Grad[i] = fill
		}
	}
	for k := out.pos; k >= 0; k-- {
		if n := t.nodes[k]; n.back != nil {
			n.back(n)
		}
	}
}

// acc adds g to x's gradient when x carries one: gradients accumulate
// across every use of x.
func acc(x *Node, g []float64) {
	if !x.needsGrad {
		return
	}
	dx := x.Grad[:len(g)]
	for i, v := range g {
		dx[i] += v
	}
}

func sameShape(op string, a, b *Node) {
	if a.rows != b.rows || a.cols != b.cols {
		panic(fmt.Sprintf("autodiff: %s: shapes %d×%d and %d×%d differ", op, a.rows, a.cols, b.rows, b.cols))
	}
}

var nan = math.NaN()
