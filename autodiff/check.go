package autodiff

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Func is a computation to check: it records ops on t from the inputs in
// (parameters holding the point of evaluation) and returns the output.
// It is called several times, on fresh or reset tapes, and must compute
// the same function each time.
type Func func(t *Tape, in []*Node) *Node

// CheckOptions are the tolerances of CheckGradient. The zero value means
// torch.autograd.gradcheck's defaults: step 1e-6, atol 1e-5, rtol 1e-3.
type CheckOptions struct {
	Eps  float64 // central-difference step h; 0 means 1e-6
	Atol float64 // absolute tolerance; 0 means 1e-5
	Rtol float64 // relative tolerance, times |numeric|; 0 means 1e-3
}

func (o CheckOptions) defaults() CheckOptions {
	if o.Eps == 0 {
		o.Eps = 1e-6
	}
	if o.Atol == 0 {
		o.Atol = 1e-5
	}
	if o.Rtol == 0 {
		o.Rtol = 1e-3
	}
	return o
}

// CheckError is the error of a failed gradient check. It names the first
// entry that failed.
type CheckError struct {
	Reason   string  // what failed
	Input    int     // index of the input
	Row, Col int     // entry of the input
	Output   int     // index of the output entry (row-major)
	Reverse  float64 // ∂out/∂in from Backward
	Numeric  float64 // the finite-difference estimate
	Failed   int     // number of Jacobian entries that failed
	Total    int     // number of Jacobian entries compared
}

func (e *CheckError) Error() string {
	if e.Total == 0 {
		return "autodiff: gradient check: " + e.Reason
	}
	return fmt.Sprintf("autodiff: gradient check: %s: ∂out[%d]/∂in%d[%d,%d]: reverse mode %.10g, central difference %.10g (%d of %d Jacobian entries fail)",
		e.Reason, e.Output, e.Input, e.Row, e.Col, e.Reverse, e.Numeric, e.Failed, e.Total)
}

// closeEnough is the closeness rule |a − n| ≤ atol + rtol·|n|, with NaN
// matching NaN and infinities matching themselves (as numpy's allclose with
// equal_nan, which gradcheck and JAX's check_grads use).
func closeEnough(a, n, atol, rtol float64) bool {
	if math.IsNaN(a) || math.IsNaN(n) {
		return math.IsNaN(a) && math.IsNaN(n)
	}
	if math.IsInf(a, 0) || math.IsInf(n, 0) {
		return a == n
	}
	return math.Abs(a-n) <= atol+rtol*math.Abs(n)
}

// CheckGradient checks the reverse-mode Jacobian of f at inputs against
// central finite differences, entry by entry, in float64, as
// torch.autograd.gradcheck does:
//
//	∂out_o/∂x_c ≈ (out_o(x + h·e_c) − out_o(x − h·e_c)) / 2h
//
// for every output entry o (Backward seeded with e_o) and every input entry
// c, each pair accepted when |reverse − numeric| ≤ atol + rtol·|numeric|.
// It also checks that each gradient has its input's shape (catalog A-04),
// that f and Backward leave the inputs' values unchanged, and that
// Backward on a freshly built identical graph gives bit-identical gradients
// (A-06, "backward is reentrant"). It returns nil or a *CheckError.
//
// The cost is (outputs) backward sweeps and 2·(input entries) forward
// evaluations, so check small instances. Finite differences are wrong
// across a kink (ReLU at 0): choose points at least h away from one.
// inputs are not modified.
func CheckGradient(f Func, inputs []mat.Matrix, opts CheckOptions) error {
	o := opts.defaults()
	params, orig := paramsFrom(inputs)
	t := NewTape()
	out := f(t, params)
	if out == nil {
		return &CheckError{Reason: "f returned nil"}
	}
	nout := len(out.Value)
	rev, err := reverseJacobian(t, out, params, orig)
	if err != nil {
		return err
	}
	// a second, freshly built graph gives the same bits.
	t2 := NewTape()
	out2 := f(t2, params)
	if err := evalInto(make([]float64, nout), out2, out); err != nil {
		return err
	}
	rev2, err := reverseJacobian(t2, out2, params, orig)
	if err != nil {
		return err
	}
	for k := range rev {
		for c := range rev[k] {
			if math.Float64bits(rev[k][c]) != math.Float64bits(rev2[k][c]) && !(math.IsNaN(rev[k][c]) && math.IsNaN(rev2[k][c])) {
				return &CheckError{Reason: "backward is not reentrant: a second identical graph gave different gradients"}
			}
		}
	}

	// Numeric Jacobian, column by column.
	ft := NewForwardTape()
	yp := make([]float64, nout)
	ym := make([]float64, nout)
	var first *CheckError
	failed, total := 0, 0
	for p, x := range params {
		for c := range x.Value {
			v := x.Value[c]
			x.Value[c] = v + o.Eps
			ft.Reset()
			if err := evalInto(yp, f(ft, params), out); err != nil {
				x.Value[c] = v
				return err
			}
			x.Value[c] = v - o.Eps
			ft.Reset()
			if err := evalInto(ym, f(ft, params), out); err != nil {
				x.Value[c] = v
				return err
			}
			x.Value[c] = v
			for k := 0; k < nout; k++ {
				num := (yp[k] - ym[k]) / (2 * o.Eps)
				r := rev[p][k*len(x.Value)+c]
				total++
				if !closeEnough(r, num, o.Atol, o.Rtol) {
					failed++
					if first == nil {
						first = &CheckError{Reason: "Jacobian mismatch", Input: p, Row: c / x.cols, Col: c % x.cols, Output: k, Reverse: r, Numeric: num}
					}
				}
			}
		}
	}
	if first != nil {
		first.Failed, first.Total = failed, total
		return first
	}
	return nil
}

// paramsFrom copies inputs into fresh parameters and keeps a second copy to
// detect writes.
func paramsFrom(inputs []mat.Matrix) (params []*Node, orig [][]float64) {
	params = make([]*Node, len(inputs))
	orig = make([][]float64, len(inputs))
	for i, m := range inputs {
		params[i] = ParamFrom(m)
		orig[i] = append([]float64(nil), params[i].Value...)
	}
	return params, orig
}

// reverseJacobian returns, per input p, the rows of the Jacobian of out
// with respect to p, flattened: entry [p][k·size(p) + c] = ∂out_k/∂p_c.
func reverseJacobian(t *Tape, out *Node, params []*Node, orig [][]float64) ([][]float64, error) {
	if err := unchanged(params, orig, "the forward pass"); err != nil {
		return nil, err
	}
	nout := len(out.Value)
	jac := make([][]float64, len(params))
	for p, x := range params {
		jac[p] = make([]float64, nout*len(x.Value))
	}
	seed := make([]float64, nout)
	for k := 0; k < nout; k++ {
		ZeroGrads(params)
		clear(seed)
		seed[k] = 1
		if out.needsGrad {
			t.BackwardWith(out, seed)
		}
		for p, x := range params {
			if len(x.Grad) != len(x.Value) {
				return nil, &CheckError{Reason: fmt.Sprintf("the gradient of input %d has %d entries, the input %d", p, len(x.Grad), len(x.Value))}
			}
			copy(jac[p][k*len(x.Value):], x.Grad)
		}
	}
	ZeroGrads(params)
	if err := unchanged(params, orig, "Backward"); err != nil {
		return nil, err
	}
	return jac, nil
}

// unchanged reports an error when a parameter's value differs from orig
// (catalog A-11: no op writes into its inputs).
func unchanged(params []*Node, orig [][]float64, stage string) error {
	for p, x := range params {
		for c, v := range x.Value {
			if math.Float64bits(v) != math.Float64bits(orig[p][c]) {
				return &CheckError{Reason: fmt.Sprintf("%s modified input %d at entry %d", stage, p, c)}
			}
		}
	}
	return nil
}

func evalInto(dst []float64, out, ref *Node) error {
	if out == nil || out.rows != ref.rows || out.cols != ref.cols {
		return &CheckError{Reason: "f returned outputs of different shapes on different calls"}
	}
	copy(dst, out.Value)
	return nil
}

// DirectionOptions are the settings of CheckDirection. The zero value means
// JAX's check_grads defaults for float64: step 1e-4, atol = rtol = 1e-5.
type DirectionOptions struct {
	Eps  float64 // step along the tangent; 0 means 1e-4
	Atol float64 // 0 means 1e-5
	Rtol float64 // 0 means 1e-5
	Seed uint64  // seed of the random tangent and cotangent
}

// CheckDirection checks f's reverse mode in one random direction, as JAX's
// check_vjp does, which scales to large inputs where CheckGradient's entry
// by entry Jacobian does not (catalog A-02). With a random tangent v (one
// standard normal entry per input entry) and a random cotangent u (one per
// output entry), drawn from Seed, it compares
//
//	⟨(f(x + εv) − f(x − εv)) / 2ε, u⟩   with   ⟨v, J(x)ᵀu⟩,
//
// the right side from one BackwardWith seeded with u, accepting
// |lhs − rhs| ≤ atol + rtol·|lhs|. It returns nil or a *CheckError.
func CheckDirection(f Func, inputs []mat.Matrix, opts DirectionOptions) error {
	if opts.Eps == 0 {
		opts.Eps = 1e-4
	}
	if opts.Atol == 0 {
		opts.Atol = 1e-5
	}
	if opts.Rtol == 0 {
		opts.Rtol = 1e-5
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	params, orig := paramsFrom(inputs)
	tangent := make([][]float64, len(params))
	for p, x := range params {
		tangent[p] = make([]float64, len(x.Value))
		for i := range tangent[p] {
			tangent[p][i] = rng.NormFloat64()
		}
	}
	t := NewTape()
	out := f(t, params)
	if out == nil {
		return &CheckError{Reason: "f returned nil"}
	}
	cot := make([]float64, len(out.Value))
	for i := range cot {
		cot[i] = rng.NormFloat64()
	}
	rhs := 0.0
	if out.needsGrad {
		ZeroGrads(params)
		t.BackwardWith(out, cot)
		for p, x := range params {
			for i, g := range x.Grad {
				rhs += tangent[p][i] * g
			}
		}
		ZeroGrads(params)
	}
	if err := unchanged(params, orig, "the forward and backward passes"); err != nil {
		return err
	}
	ft := NewForwardTape()
	plus := make([]float64, len(cot))
	minus := make([]float64, len(cot))
	for _, sign := range []float64{1, -1} {
		for p, x := range params {
			for i := range x.Value {
				x.Value[i] = orig[p][i] + sign*opts.Eps*tangent[p][i]
			}
		}
		ft.Reset()
		dst := plus
		if sign < 0 {
			dst = minus
		}
		if err := evalInto(dst, f(ft, params), out); err != nil {
			return err
		}
	}
	lhs := 0.0
	for i, u := range cot {
		lhs += (plus[i] - minus[i]) / (2 * opts.Eps) * u
	}
	if !closeEnough(rhs, lhs, opts.Atol, opts.Rtol) {
		return &CheckError{Reason: fmt.Sprintf("directional derivative: ⟨v, Jᵀu⟩ = %.10g from reverse mode, ⟨Jv, u⟩ = %.10g from central differences", rhs, lhs)}
	}
	return nil
}
