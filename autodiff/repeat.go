package autodiff

import "fmt"

// RepeatRows returns a with each row repeated k times in place: row i of
// a becomes rows i·k, …, i·k + k − 1 of the (rows·k)×cols result (a
// copy), as torch's repeat_interleave along rows. It is how k draws per
// row share one encoder pass (the importance-weighted bound). NaN and ±Inf
// are copied as they are. It panics unless k ≥ 1.
func (t *Tape) RepeatRows(a *Node, k int) *Node {
	t.use("RepeatRows", a)
	if k < 1 {
		panic(fmt.Sprintf("autodiff: RepeatRows: %d copies; give at least 1", k))
	}
	checkSize("RepeatRows", a.rows*k, a.cols)
	n := t.node(a.rows*k, a.cols, repeatRowsBack, a, nil, nil)
	n.i = k
	c := a.cols
	for r := 0; r < a.rows; r++ {
		src := a.Value[r*c : (r+1)*c]
		for s := 0; s < k; s++ {
			copy(n.Value[(r*k+s)*c:(r*k+s+1)*c], src)
		}
	}
	return n
}

// Each copy of a row passes its gradient back to that row: ∂a_i += Σ_s G_{ik+s}.
func repeatRowsBack(n *Node) {
	a := n.a
	if !a.needsGrad {
		return
	}
	k, c := n.i, a.cols
	for r := 0; r < a.rows; r++ {
		dst := a.Grad[r*c : (r+1)*c]
		for s := 0; s < k; s++ {
			for j, g := range n.Grad[(r*k+s)*c : (r*k+s+1)*c] {
				dst[j] += g
			}
		}
	}
}
