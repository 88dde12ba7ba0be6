package autodiff

// Sum returns the 1×1 sum of every entry of a; the sum of an empty matrix
// is 0 (catalog A-13).
func (t *Tape) Sum(a *Node) *Node {
	t.use("Sum", a)
	n := t.node(1, 1, sumBack, a, nil, nil)
	s := 0.0
	for _, v := range a.Value {
		s += v
	}
	n.Value[0] = s
	return n
}

// ∂(Σ a)/∂a_ij = 1: the upstream gradient is broadcast to every entry.
func sumBack(n *Node) {
	if a := n.a; a.needsGrad {
		g := n.Grad[0]
		for i := range a.Grad {
			a.Grad[i] += g
		}
	}
}

// Mean returns the 1×1 mean of every entry of a (derived: Sum(a)/size).
// The mean of an empty matrix is NaN (0/0), as NumPy's.
func (t *Tape) Mean(a *Node) *Node {
	return t.Scale(t.Sum(a), 1/float64(len(a.Value)))
}

// RowSums returns the m×1 column of the row sums of the m×n matrix a.
func (t *Tape) RowSums(a *Node) *Node {
	t.use("RowSums", a)
	n := t.node(a.rows, 1, rowSumsBack, a, nil, nil)
	c := a.cols
	for i := 0; i < a.rows; i++ {
		s := 0.0
		for _, v := range a.Value[i*c : (i+1)*c] {
			s += v
		}
		n.Value[i] = s
	}
	return n
}

// ∂(Σ_j a_ij)/∂a_ij = 1: row i's upstream gradient goes to every entry of
// row i.
func rowSumsBack(n *Node) {
	if a := n.a; a.needsGrad {
		c := a.cols
		for i, g := range n.Grad {
			for j := range a.Grad[i*c : (i+1)*c] {
				a.Grad[i*c+j] += g
			}
		}
	}
}

// ColSums returns the 1×n row of the column sums of the m×n matrix a.
func (t *Tape) ColSums(a *Node) *Node {
	t.use("ColSums", a)
	n := t.node(1, a.cols, colSumsBack, a, nil, nil)
	clear(n.Value)
	c := a.cols
	for i := 0; i < a.rows; i++ {
		for j, v := range a.Value[i*c : (i+1)*c] {
			n.Value[j] += v
		}
	}
	return n
}

// ∂(Σ_i a_ij)/∂a_ij = 1: column j's upstream gradient goes to every entry
// of column j.
func colSumsBack(n *Node) {
	if a := n.a; a.needsGrad {
		c := a.cols
		for i := 0; i < a.rows; i++ {
			for j, g := range n.Grad {
				a.Grad[i*c+j] += g
			}
		}
	}
}
