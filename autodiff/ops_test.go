package autodiff

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randMat returns an r×c matrix of uniform entries in [lo, hi).
func randMat(rng *rand.Rand, r, c int, lo, hi float64) *mat.Dense {
	d := make([]float64, r*c)
	for i := range d {
		d[i] = lo + (hi-lo)*rng.Float64()
	}
	if r == 0 || c == 0 {
		return &mat.Dense{}
	}
	return mat.NewDense(r, c, d)
}

// awayFromZero returns an r×c matrix with entries of magnitude in
// [0.2, 2): finite differences with h = 1e-6 stay clear of ReLU's kink and
// of Div's pole (catalog A-09).
func awayFromZero(rng *rand.Rand, r, c int) *mat.Dense {
	m := randMat(rng, r, c, 0.2, 2)
	for i, v := range m.RawMatrix().Data {
		if rng.IntN(2) == 0 {
			m.RawMatrix().Data[i] = -v
		}
	}
	return m
}

type opCase struct {
	name   string // the Tape method(s) the case checks
	inputs []mat.Matrix
	f      Func
}

// opCases checks every op at random points away from kinks (catalog A-01).
func opCases(rng *rand.Rand) []opCase {
	n := func(r, c int) mat.Matrix { return randMat(rng, r, c, -2, 2) }
	pos := func(r, c int) mat.Matrix { return randMat(rng, r, c, 0.3, 3) }
	nz := func(r, c int) mat.Matrix { return awayFromZero(rng, r, c) }
	probs := func(r, c int) mat.Matrix { return randMat(rng, r, c, 0, 1) }
	return []opCase{
		{"Add", []mat.Matrix{n(3, 4), n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Add(in[0], in[1]) }},
		{"Sub", []mat.Matrix{n(3, 4), n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Sub(in[0], in[1]) }},
		{"Mul", []mat.Matrix{n(3, 4), n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Mul(in[0], in[1]) }},
		{"Div", []mat.Matrix{n(3, 4), nz(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Div(in[0], in[1]) }},
		{"Scale", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Scale(in[0], -2.5) }},
		{"Neg", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Neg(in[0]) }},
		{"AddScalar", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.AddScalar(in[0], 0.7) }},
		{"Square", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Square(in[0]) }},
		{"Sqrt", []mat.Matrix{pos(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Sqrt(in[0]) }},
		{"Pow 3", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Pow(in[0], 3) }},
		{"Pow -1.5", []mat.Matrix{pos(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Pow(in[0], -1.5) }},
		{"Pow 0", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Pow(in[0], 0) }},
		{"MatMul", []mat.Matrix{n(3, 5), n(5, 2)}, func(t *Tape, in []*Node) *Node { return t.MatMul(in[0], in[1]) }},
		{"MatMulTrans Aᵀ·B", []mat.Matrix{n(5, 3), n(5, 2)}, func(t *Tape, in []*Node) *Node { return t.MatMulTrans(in[0], true, in[1], false) }},
		{"MatMulTrans A·Bᵀ", []mat.Matrix{n(3, 5), n(2, 5)}, func(t *Tape, in []*Node) *Node { return t.MatMulTrans(in[0], false, in[1], true) }},
		{"MatMulTrans Aᵀ·Bᵀ", []mat.Matrix{n(5, 3), n(2, 5)}, func(t *Tape, in []*Node) *Node { return t.MatMulTrans(in[0], true, in[1], true) }},
		{"MatMul self Aᵀ·A", []mat.Matrix{n(4, 3)}, func(t *Tape, in []*Node) *Node { return t.MatMulTrans(in[0], true, in[0], false) }},
		{"AddRow", []mat.Matrix{n(3, 4), n(1, 4)}, func(t *Tape, in []*Node) *Node { return t.AddRow(in[0], in[1]) }},
		{"Sum", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Sum(in[0]) }},
		{"Mean", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Mean(in[0]) }},
		{"RowSums", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.RowSums(in[0]) }},
		{"ColSums", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.ColSums(in[0]) }},
		{"Exp", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Exp(in[0]) }},
		{"Log", []mat.Matrix{pos(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Log(in[0]) }},
		{"Sin", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Sin(in[0]) }},
		{"Cos", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Cos(in[0]) }},
		{"Tanh", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Tanh(in[0]) }},
		{"Sigmoid", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Sigmoid(in[0]) }},
		{"ReLU", []mat.Matrix{nz(3, 4)}, func(t *Tape, in []*Node) *Node { return t.ReLU(in[0]) }},
		{"Clamp", []mat.Matrix{randMat(rng, 3, 4, -3, 3)}, func(t *Tape, in []*Node) *Node { return t.Clamp(in[0], -1.5, 1.5) }},
		{"Softplus", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Softplus(in[0]) }},
		{"LogSigmoid", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.LogSigmoid(in[0]) }},
		{"LogSumExpRows", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.LogSumExpRows(in[0]) }},
		{"SoftmaxRows", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.SoftmaxRows(in[0]) }},
		{"SliceCols", []mat.Matrix{n(3, 5)}, func(t *Tape, in []*Node) *Node { return t.SliceCols(in[0], 1, 4) }},
		{"ConcatCols", []mat.Matrix{n(3, 2), n(3, 3)}, func(t *Tape, in []*Node) *Node { return t.ConcatCols(in[0], in[1]) }},
		{"Reshape", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.Reshape(in[0], 2, 6) }},
		{"RepeatRows", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.RepeatRows(in[0], 3) }},
		{"Conv2D", []mat.Matrix{n(2, 2*5*4), n(3, 2*3*2), n(1, 3)}, func(t *Tape, in []*Node) *Node {
			return t.Conv2D(in[0], in[1], in[2], ConvShape{InC: 2, H: 5, W: 4, OutC: 3, KH: 3, KW: 2, Stride: 2, Pad: 1})
		}},
		{"ConvTranspose2D", []mat.Matrix{n(2, 3*3*3), n(3, 2*3*2), n(1, 2)}, func(t *Tape, in []*Node) *Node {
			return t.ConvTranspose2D(in[0], in[1], in[2], ConvShape{InC: 2, H: 5, W: 4, OutC: 3, KH: 3, KW: 2, Stride: 2, Pad: 1})
		}},
		{"RepeatRows once", []mat.Matrix{n(2, 3)}, func(t *Tape, in []*Node) *Node { return t.RepeatRows(in[0], 1) }},
		{"SoftmaxCrossEntropy", []mat.Matrix{n(4, 3)}, func(t *Tape, in []*Node) *Node {
			return t.SoftmaxCrossEntropy(in[0], []int{2, 0, 1, 2})
		}},
		{"BCEWithLogits", []mat.Matrix{n(3, 4), probs(3, 4)}, func(t *Tape, in []*Node) *Node { return t.BCEWithLogits(in[0], in[1]) }},
		{"MSE", []mat.Matrix{n(3, 4), n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.MSE(in[0], in[1]) }},
		{"KLNormal", []mat.Matrix{n(3, 4), n(3, 4)}, func(t *Tape, in []*Node) *Node { return t.KLNormal(in[0], in[1]) }},
		{"KLDiagNormals", []mat.Matrix{n(3, 2), n(3, 2), n(3, 2), n(3, 2)}, func(t *Tape, in []*Node) *Node {
			return t.KLDiagNormals(in[0], in[1], in[2], in[3])
		}},
		{"GaussianLogLik", []mat.Matrix{n(3, 4), n(3, 4), n(3, 4)}, func(t *Tape, in []*Node) *Node {
			return t.GaussianLogLik(in[0], in[1], in[2])
		}},
		// Constants mixed with parameters: only the parameters get gradients.
		{"Const ConstScalar NewConst", []mat.Matrix{n(3, 4)}, func(t *Tape, in []*Node) *Node {
			c := t.Const(mat.NewDense(3, 4, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
			k := t.NewConst(3, 4)
			for i := range k.Value {
				k.Value[i] = 0.5
			}
			s := t.ConstScalar(2)
			return t.Mul(t.Sum(t.Mul(t.Add(in[0], c), k)), s)
		}},
	}
}

// Every op passes the gradient checker at torch gradcheck's defaults:
// eps 1e-6, atol 1e-5, rtol 1e-3 (catalog A-01; the checker also asserts
// A-04 shapes, A-06 reentrancy and A-11 untouched inputs).
func TestEveryOpGradCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range opCases(rng) {
		if err := CheckGradient(c.f, c.inputs, CheckOptions{}); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// Every exported op of Tape appears in opCases, so none escapes the
// gradient checker.
func TestEveryOpIsChecked(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range opCases(rand.New(rand.NewPCG(1, 2))) {
		for _, w := range strings.Fields(c.name) {
			covered[w] = true
		}
	}
	notOps := map[string]bool{"Backward": true, "BackwardWith": true, "Reset": true, "Len": true, "Records": true}
	typ := reflect.TypeOf(&Tape{})
	for i := 0; i < typ.NumMethod(); i++ {
		name := typ.Method(i).Name
		if !notOps[name] && !covered[name] {
			t.Errorf("Tape.%s has no case in opCases", name)
		}
	}
}

// The checker itself fails on a wrong derivative rule: a rule giving twice
// the true gradient of Exp is caught.
func TestCheckGradientCatchesWrongRule(t *testing.T) {
	wrong := func(n *Node) {
		for i, g := range n.Grad {
			n.a.Grad[i] += 2 * g * n.Value[i]
		}
	}
	f := func(t *Tape, in []*Node) *Node {
		n := t.unary("bad", in[0], wrong)
		for i, v := range in[0].Value {
			n.Value[i] = math.Exp(v)
		}
		return n
	}
	err := CheckGradient(f, []mat.Matrix{mat.NewDense(1, 2, []float64{0.5, -1})}, CheckOptions{})
	ce, ok := err.(*CheckError)
	if !ok || ce.Failed != 2 || ce.Total != 4 {
		t.Fatalf("got %v, want a CheckError with 2 of 4 entries failing", err)
	}
	if !strings.Contains(err.Error(), "reverse mode") {
		t.Errorf("message %q does not say which derivative failed", err)
	}
}

// an op that writes into its input is caught by the checker.
func TestCheckGradientCatchesInputWrite(t *testing.T) {
	f := func(t *Tape, in []*Node) *Node {
		in[0].Value[0] += 1
		return t.Exp(in[0])
	}
	err := CheckGradient(f, []mat.Matrix{mat.NewDense(1, 1, []float64{0.5})}, CheckOptions{})
	if err == nil || !strings.Contains(err.Error(), "modified input 0") {
		t.Fatalf("got %v, want an error about a modified input", err)
	}
}
