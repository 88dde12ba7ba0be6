package nn

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/testutil"
)

// runOptimizer takes 5 steps on L = Σ (sin(p) ⊙ c − t)² from a fixed start,
// the problem of the PyTorch reference run below.
func runOptimizer(make func([]*autodiff.Node) Optimizer) []float64 {
	p := autodiff.NewParam(2, 2, []float64{0.5, -1.25, 2.0, 0.125})
	opt := make([]*autodiff.Node{p})
	tape := autodiff.NewTape()
	for i := 0; i < 5; i++ {
		tape.Reset()
		c := tape.NewConst(2, 2)
		copy(c.Value, []float64{1.0, 2.0, -0.5, 3.0})
		t := tape.NewConst(2, 2)
		copy(t.Value, []float64{0.3, 0.1, -0.2, 0.9})
		d := tape.Sub(tape.Mul(tape.Sin(p), c), t)
		tape.Backward(tape.Sum(tape.Square(d)))
		opt.Step()
	}
	return p.Value
}

// The optimizers reproduce PyTorch 1.13 in float64 (torch.optim.Adam, SGD
// with and without momentum) on the same problem, to 1e-13: the reference
// values were printed by torch (script in the comment of each case).
func TestOptimizersMatchPyTorch(t *testing.T) {
	// torch.set_default_dtype(torch.float64); p = [[0.5,-1.25],[2.0,0.125]];
	// 5 × (zero_grad; ((sin(p)*c - t)**2).sum().backward(); step) with
	// c = [[1,2],[-0.5,3]], t = [[0.3,0.1],[-0.2,0.9]].
	cases := []struct {
		name string
		make func([]*autodiff.Node) Optimizer
		want []float64
	}{
		{"Adam lr 0.1", func(ps []*autodiff.Node) Optimizer { return NewAdam(ps, AdamOptions{LR: 0.1}) },
			[]float64{0.1970964081610639, -0.7483993825702111, 2.5001890283461243, 0.41581005047516423}},
		{"Adam defaults", func(ps []*autodiff.Node) Optimizer { return NewAdam(ps, AdamOptions{}) },
			[]float64{0.4950019419592785, -1.2449988553680844, 2.0050005826477224, 0.12999740073513302}},
		{"SGD momentum 0.9 lr 0.05", func(ps []*autodiff.Node) Optimizer { return NewMomentum(ps, 0.05, 0.9) },
			[]float64{0.32689097291095615, 0.6507943630491311, 2.070760319183733, 0.23804684799449394}},
		{"SGD lr 0.05", func(ps []*autodiff.Node) Optimizer { return NewSGD(ps, 0.05) },
			[]float64{0.4317450139262695, -0.35121244177392885, 2.0268650240706654, 0.30466925851219423}},
	}
	for _, c := range cases {
		testutil.AssertCloseSlice(t, c.name, runOptimizer(c.make), c.want, 1e-13, 1e-13)
	}
}

// A-08, second optimisation step: Step zeroes the gradients, so a second
// step uses only the second Backward's gradient.
func TestStepZeroesGradients(t *testing.T) {
	p := autodiff.NewScalar(1)
	opt := NewSGD([]*autodiff.Node{p}, 0.5)
	tape := autodiff.NewTape()
	tape.Backward(tape.Mul(p, p)) // ∂/∂p = 2p = 2
	opt.Step()                    // p = 1 − 0.5·2 = 0
	if p.Grad[0] != 0 {
		t.Fatalf("after Step: gradient %v, want 0", p.Grad[0])
	}
	tape.Reset()
	tape.Backward(tape.Scale(p, 3)) // ∂/∂p = 3, alone
	opt.Step()                      // p = 0 − 0.5·3
	if p.Value[0] != -1.5 {
		t.Errorf("second step: p = %v, want −1.5 (a carried-over gradient would give −2.5)", p.Value[0])
	}
}

func TestOptimizerPanics(t *testing.T) {
	ps := []*autodiff.Node{autodiff.NewScalar(1)}
	for name, f := range map[string]func(){
		"SGD lr 0":         func() { NewSGD(ps, 0) },
		"SGD lr NaN":       func() { NewSGD(ps, nan()) },
		"momentum 1":       func() { NewMomentum(ps, 0.1, 1) },
		"Adam beta1 1":     func() { NewAdam(ps, AdamOptions{Beta1: 1}) },
		"Adam negative lr": func() { NewAdam(ps, AdamOptions{LR: -1}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// An Adam restored from State continues bit for bit as the original does:
// what a training checkpoint relies on.
func TestAdamStateRoundTrip(t *testing.T) {
	run := func(p *autodiff.Node, opt *Adam, steps int) {
		tape := autodiff.NewTape()
		for i := 0; i < steps; i++ {
			tape.Reset()
			tape.Backward(tape.Sum(tape.Square(tape.Sin(p))))
			opt.Step()
		}
	}
	start := []float64{0.5, -1.25, 2.0, 0.125}
	p := autodiff.NewParam(2, 2, start)
	a := NewAdam([]*autodiff.Node{p}, AdamOptions{LR: 0.1})
	run(p, a, 3)
	saved, savedW := a.State(), append([]float64(nil), p.Value...)
	run(p, a, 4)

	q := autodiff.NewParam(2, 2, savedW)
	b := NewAdam([]*autodiff.Node{q}, AdamOptions{LR: 0.1})
	if err := b.SetState(saved); err != nil {
		t.Fatal(err)
	}
	if b.Steps() != 3 {
		t.Errorf("steps: got %d, want 3", b.Steps())
	}
	run(q, b, 4)
	for i := range p.Value {
		if p.Value[i] != q.Value[i] {
			t.Errorf("weight %d: resumed %v, uninterrupted %v", i, q.Value[i], p.Value[i])
		}
	}
	// State is a copy: changing it does not touch the optimizer.
	s := b.State()
	s.M[0][0] = 99
	if b.State().M[0][0] == 99 {
		t.Error("State shares memory with the optimizer")
	}
	bad := b.State()
	bad.V[0] = bad.V[0][:3]
	if err := b.SetState(bad); err == nil {
		t.Error("short moment array accepted")
	}
	bad = b.State()
	bad.V[0][1] = -1
	if err := b.SetState(bad); err == nil {
		t.Error("negative second moment accepted")
	}
}

// Adam's parallel update gives every weight the bits of the serial one,
// whatever GOMAXPROCS is (the update is elementwise; chunks only split
// the work).
func TestAdamParallelSameBits(t *testing.T) {
	run := func(procs int) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		init := make([]float64, 3*adamParMin+17)
		for i := range init {
			init[i] = math.Sin(float64(i))
		}
		p := autodiff.NewParam(1, len(init), init)
		q := autodiff.NewParam(1, 5, []float64{1, 2, 3, 4, 5})
		opt := NewAdam([]*autodiff.Node{p, q}, AdamOptions{LR: 0.01})
		tape := autodiff.NewTape()
		for range 4 {
			tape.Reset()
			tape.Backward(tape.Add(tape.Sum(tape.Square(tape.Sin(p))), tape.Sum(tape.Exp(q))))
			opt.Step()
		}
		return append(append([]float64(nil), p.Value...), q.Value...)
	}
	a, b := run(1), run(2)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("weight %d: %v with one core, %v with two", i, a[i], b[i])
		}
	}
}

// NonFiniteGradient names the first parameter whose gradient held a NaN
// or an infinity in the last step, and −1 otherwise.
func TestAdamNonFiniteGradient(t *testing.T) {
	p := autodiff.NewParam(1, 3, []float64{1, 2, 3})
	q := autodiff.NewParam(1, 2, []float64{1, 2})
	opt := NewAdam([]*autodiff.Node{p, q}, AdamOptions{})
	if k := opt.NonFiniteGradient(); k != -1 {
		t.Errorf("before a step: %d", k)
	}
	p.Grad[1], q.Grad[0] = 0.5, 0.25
	opt.Step()
	if k := opt.NonFiniteGradient(); k != -1 {
		t.Errorf("finite gradients: %d", k)
	}
	q.Grad[1] = math.Inf(1)
	opt.Step()
	if k := opt.NonFiniteGradient(); k != 1 {
		t.Errorf("an infinite gradient of parameter 1: got %d", k)
	}
	p.Grad[0] = math.NaN()
	opt.Step()
	if k := opt.NonFiniteGradient(); k != 0 {
		t.Errorf("a NaN gradient of parameter 0: got %d", k)
	}
}

// TestAdamUpdateFloat32: Adam's one-pass update instantiated for float32
// agrees with the float64 one to a tolerance derived from float32's
// epsilon: each of the ~10 operations of a weight's update contributes at
// most one rounding of u = 2⁻²⁴ relative, on values of the size of the
// step, and the weight itself is rounded once.
func TestAdamUpdateFloat32(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	const n = 1000
	w64, g64, m64, v64 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range w64 {
		w64[i] = float64(float32(rnd.NormFloat64()))
		g64[i] = float64(float32(rnd.NormFloat64() * 1e-2))
		m64[i] = float64(float32(rnd.NormFloat64() * 1e-3))
		v64[i] = float64(float32(rnd.Float64() * 1e-4))
	}
	f32 := func(x []float64) []float32 {
		y := make([]float32, len(x))
		for i, v := range x {
			y[i] = float32(v)
		}
		return y
	}
	w32, g32, m32, v32 := f32(w64), f32(g64), f32(m64), f32(v64)
	c := &adamCoef{b1: 0.9, b2: 0.999, eps: 1e-8, stepSize: 1e-3 / (1 - 0.9), invSqrtBC2: 1 / math.Sqrt(1-0.999)}
	w0 := append([]float64(nil), w64...)
	adamUpdate(w64, g64, m64, v64, c)
	adamUpdate(w32, g32, m32, v32, c)
	u := math.Ldexp(1, -24)
	for i := range w64 {
		step := math.Abs(w64[i] - w0[i])
		tol := 16*u*step + 2*u*math.Abs(w64[i])
		if d := math.Abs(float64(w32[i]) - w64[i]); d > tol {
			t.Fatalf("weight %d: float32 %.9g, float64 %.17g: |diff| %.3g > %.3g", i, w32[i], w64[i], d, tol)
		}
	}
}
