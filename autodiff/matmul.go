package autodiff

import "fmt"

// MatMul returns the matrix product a·b; a is m×k and b is k×n.
func (t *Tape) MatMul(a, b *Node) *Node { return t.MatMulTrans(a, false, b, false) }

// MatMulTrans returns op(a)·op(b), where op(x) is xᵀ when the matching flag
// is set and x otherwise. The transposes are never formed: the product and
// its derivatives are each one call of fastblas's Dgemm with the transpose
// flags, on the kernel fastblas.UseKernel chose (gonum's BLAS registered
// with blas64.Use plays no part).
//
// Note that BLAS GEMM skips a product term whose factor from op(a) is
// exactly zero, so a NaN in b meets a zero in a without producing NaN.
func (t *Tape) MatMulTrans(a *Node, transA bool, b *Node, transB bool) *Node {
	t.use("MatMul", a, b)
	m, ka := a.rows, a.cols
	if transA {
		m, ka = ka, m
	}
	kb, nc := b.rows, b.cols
	if transB {
		kb, nc = nc, kb
	}
	if ka != kb {
		panic(fmt.Sprintf("autodiff: MatMul: inner dimensions differ: op(a) is %d×%d, op(b) is %d×%d", m, ka, kb, nc))
	}
	n := t.node(m, nc, matMulBack, a, b, nil)
	n.i, n.j = b2i(transA), b2i(transB)
	gemm(transA, transB, 1, a.cols, a.Value, b.cols, b.Value, 0, n.Value, m, nc, ka)
	return n
}

// With C = op(A)·op(B) and G = ∂f/∂C, the chain rule gives
// ∂f/∂op(A) = G·op(B)ᵀ and ∂f/∂op(B) = op(A)ᵀ·G; undoing the op on the left
// side gives, without forming any transpose,
//
//	A:  G·op(B)ᵀ            (op(A) = A)     op(B)·Gᵀ      (op(A) = Aᵀ)
//	B:  op(A)ᵀ·G            (op(B) = B)     Gᵀ·op(A)      (op(B) = Bᵀ)
//
// each added into the gradient by GEMM with β = 1.
func matMulBack(n *Node) {
	a, b := n.a, n.b
	ta, tb := n.i == 1, n.j == 1
	g := n.Grad
	m, nc := n.rows, n.cols
	k := a.cols
	if ta {
		k = a.rows
	}
	if a.needsGrad {
		if !ta { // dA (m×k) += G (m×n) · op(B)ᵀ (n×k)
			gemmAcc(false, !tb, nc, g, b.cols, b.Value, a.Grad, m, k, nc)
		} else { // dA (k×m) += op(B) (k×n) · Gᵀ (n×m)
			gemmAcc(tb, true, b.cols, b.Value, nc, g, a.Grad, k, m, nc)
		}
	}
	if b.needsGrad {
		if !tb { // dB (k×n) += op(A)ᵀ (k×m) · G (m×n)
			gemmAcc(!ta, false, a.cols, a.Value, nc, g, b.Grad, k, nc, m)
		} else { // dB (n×k) += Gᵀ (n×m) · op(A) (m×k)
			gemmAcc(true, ta, nc, g, a.cols, a.Value, b.Grad, nc, k, m)
		}
	}
}

// gemmAcc accumulates c += op(a)·op(b), where a is stored with ac columns
// and b with bc, and the product is m×n with inner dimension k.
func gemmAcc(ta, tb bool, ac int, a []float64, bc int, b []float64, c []float64, m, n, k int) {
	gemm(ta, tb, 1, ac, a, bc, b, 1, c, m, n, k)
}

// AddRow returns x + 1·row: the 1×n row (a bias) added to every row of the
// m×n matrix x (broadcast over rows).
func (t *Tape) AddRow(x, row *Node) *Node {
	t.use("AddRow", x, row)
	if row.rows != 1 || row.cols != x.cols {
		panic(fmt.Sprintf("autodiff: AddRow: row is %d×%d, want 1×%d", row.rows, row.cols, x.cols))
	}
	n := t.node(x.rows, x.cols, addRowBack, x, row, nil)
	c := x.cols
	for i := 0; i < x.rows; i++ {
		xr, yr := x.Value[i*c:(i+1)*c], n.Value[i*c:(i+1)*c]
		for j, v := range row.Value {
			yr[j] = xr[j] + v
		}
	}
	return n
}

// ∂(x + 1·row)/∂x = 1; the row was used by every row of the output, so its
// gradient is the column sums of G.
func addRowBack(n *Node) {
	acc(n.a, n.Grad)
	if row := n.b; row.needsGrad {
		c := n.cols
		for i := 0; i < n.rows; i++ {
			for j, g := range n.Grad[i*c : (i+1)*c] {
				row.Grad[j] += g
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
