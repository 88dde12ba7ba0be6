package autodiff

import "fmt"

// SliceCols returns columns from..to−1 of a, as a new m×(to−from) matrix
// (a copy). It panics unless 0 ≤ from ≤ to ≤ a.Cols().
func (t *Tape) SliceCols(a *Node, from, to int) *Node {
	t.use("SliceCols", a)
	if from < 0 || to < from || to > a.cols {
		panic(fmt.Sprintf("autodiff: SliceCols [%d, %d) of a matrix with %d columns", from, to, a.cols))
	}
	w := to - from
	n := t.node(a.rows, w, sliceColsBack, a, nil, nil)
	n.i = from
	for r := 0; r < a.rows; r++ {
		copy(n.Value[r*w:(r+1)*w], a.Value[r*a.cols+from:r*a.cols+to])
	}
	return n
}

// The slice is a selection: its gradient goes back to the selected columns,
// the others get 0.
func sliceColsBack(n *Node) {
	a := n.a
	if !a.needsGrad {
		return
	}
	w, from := n.cols, n.i
	for r := 0; r < n.rows; r++ {
		dst := a.Grad[r*a.cols+from : r*a.cols+from+w]
		for j, g := range n.Grad[r*w : (r+1)*w] {
			dst[j] += g
		}
	}
}

// ConcatCols returns [a b], the columns of a followed by those of b; a and b
// have the same number of rows.
func (t *Tape) ConcatCols(a, b *Node) *Node {
	t.use("ConcatCols", a, b)
	if a.rows != b.rows {
		panic(fmt.Sprintf("autodiff: ConcatCols: %d rows and %d rows", a.rows, b.rows))
	}
	w := a.cols + b.cols
	n := t.node(a.rows, w, concatColsBack, a, b, nil)
	for r := 0; r < a.rows; r++ {
		copy(n.Value[r*w:r*w+a.cols], a.Value[r*a.cols:(r+1)*a.cols])
		copy(n.Value[r*w+a.cols:(r+1)*w], b.Value[r*b.cols:(r+1)*b.cols])
	}
	return n
}

// Each input gets back its own columns of the upstream gradient.
func concatColsBack(n *Node) {
	a, b := n.a, n.b
	w := n.cols
	for r := 0; r < n.rows; r++ {
		g := n.Grad[r*w : (r+1)*w]
		if a.needsGrad {
			dst := a.Grad[r*a.cols : (r+1)*a.cols]
			for j, v := range g[:a.cols] {
				dst[j] += v
			}
		}
		if b.needsGrad {
			dst := b.Grad[r*b.cols : (r+1)*b.cols]
			for j, v := range g[a.cols:] {
				dst[j] += v
			}
		}
	}
}

// Reshape returns a's entries, in row-major order, as a rows×cols matrix (a
// copy). It panics unless rows·cols equals a's size.
func (t *Tape) Reshape(a *Node, rows, cols int) *Node {
	t.use("Reshape", a)
	checkSize("Reshape", rows, cols)
	if rows*cols != len(a.Value) {
		panic(fmt.Sprintf("autodiff: Reshape of a %d×%d matrix to %d×%d", a.rows, a.cols, rows, cols))
	}
	n := t.node(rows, cols, reshapeBack, a, nil, nil)
	copy(n.Value, a.Value)
	return n
}

// Reshaping keeps every entry in place in row-major order: the gradient
// comes back unchanged.
func reshapeBack(n *Node) { acc(n.a, n.Grad) }
