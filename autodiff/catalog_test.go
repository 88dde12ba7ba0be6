package autodiff

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

var inf = math.Inf(1)

// row returns a 1×len(v) parameter.
func row(v ...float64) *Node { return NewParam(1, len(v), v) }

// N-01: row log-sum-exp on the catalog's rows, at 1e-14.
func TestN01LogSumExpRows(t *testing.T) {
	cases := []struct {
		name string
		x    []float64
		want float64
	}{
		{"1..5", []float64{1, 2, 3, 4, 5}, 5.4519143959375933},                              // catalog N-01
		{"-1001..-1005", []float64{-1001, -1002, -1003, -1004, -1005}, -1000.5480856040624}, // catalog N-01, no underflow
		{"+Inf", []float64{1, inf, 3}, inf},
		{"with -Inf", []float64{1, 2, 3, 4, 5, -inf}, 5.4519143959375933}, // same as without the −Inf
		{"all -Inf", []float64{-inf, -inf, -inf}, -inf},                   // −Inf, not NaN
		{"NaN", []float64{1, math.NaN(), 3}, math.NaN()},
		{"empty", nil, -inf},
	}
	for _, c := range cases {
		tp := NewTape()
		x := NewParam(1, len(c.x), c.x)
		got := tp.LogSumExpRows(x).Value[0]
		if !testutil.CloseNaN(got, c.want, 1e-14, 1e-14) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// the gradient of log-sum-exp is the softmax, at 1e-12; a row of all
// −Inf gets gradient 0 (our documented choice; PyTorch gives NaN), and its
// softmax is the zero row.
func TestA12LogSumExpGradIsSoftmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := ParamFrom(randMat(rng, 4, 6, -30, 30))
	tp := NewTape()
	tp.Backward(tp.Sum(tp.LogSumExpRows(x)))
	sm := tp.SoftmaxRows(x)
	testutil.AssertCloseSlice(t, "∂lse/∂x", x.Grad, sm.Value, 1e-12, 1e-12)

	allInf := row(-inf, -inf, -inf)
	tp = NewTape()
	l := tp.LogSumExpRows(allInf)
	tp.Backward(tp.Sum(l))
	for i, g := range allInf.Grad {
		if g != 0 {
			t.Errorf("all −Inf row: gradient[%d] = %v, want 0", i, g)
		}
	}
	for i, v := range tp.SoftmaxRows(allInf).Value {
		if v != 0 {
			t.Errorf("all −Inf row: softmax[%d] = %v, want 0", i, v)
		}
	}
}

// empty matrices reduce to 0 with an empty gradient and no panic; a
// masked log-sum-exp (the masked entry pushed to −Inf) of [0,0,0,0,100]
// has gradient exactly [0.25,0.25,0.25,0.25,0] (JAX testLogSumExpWhereGrad).
func TestA13EmptyAndMasked(t *testing.T) {
	e := NewParam(0, 3, nil)
	tp := NewTape()
	s := tp.Sum(e)
	if s.Scalar() != 0 {
		t.Errorf("Sum of empty: got %v, want 0", s.Scalar())
	}
	tp.Backward(tp.Add(s, tp.Sum(tp.RowSums(tp.Exp(e)))))
	if len(e.Grad) != 0 {
		t.Errorf("gradient of empty: %d entries", len(e.Grad))
	}
	// An empty matrix product is the zero matrix, and an empty row's
	// log-sum-exp is −Inf.
	a, b := NewParam(2, 0, nil), NewParam(0, 3, nil)
	tp = NewTape()
	p := tp.MatMul(a, b)
	for _, v := range p.Value {
		if v != 0 {
			t.Fatalf("2×0 · 0×3: got %v, want zeros", p.Value)
		}
	}
	tp.Backward(tp.Sum(p))
	if lse := tp.LogSumExpRows(a).Value; lse[0] != -inf || lse[1] != -inf {
		t.Errorf("log-sum-exp of empty rows: got %v, want −Inf", lse)
	}
	if m := tp.Mean(e).Scalar(); !math.IsNaN(m) {
		t.Errorf("Mean of empty: got %v, want NaN (0/0, as NumPy)", m)
	}

	x := row(0, 0, 0, 0, 100)
	tp = NewTape()
	mask := tp.Const(mat.NewDense(1, 5, []float64{0, 0, 0, 0, -inf}))
	tp.Backward(tp.Sum(tp.LogSumExpRows(tp.Add(x, mask))))
	want := []float64{0.25, 0.25, 0.25, 0.25, 0} // JAX lax_scipy_test testLogSumExpWhereGrad
	for i := range want {
		if x.Grad[i] != want[i] {
			t.Errorf("masked lse gradient: got %v, want %v exactly", x.Grad, want)
			break
		}
	}
}

// N-06: softplus values and gradients at 0, 89, ±Inf, NaN and 1e-8; the
// gradient check passes at −Inf, NaN and 1e-8 (order 1: the tape has no
// higher derivatives).
func TestN06Softplus(t *testing.T) {
	x := row(0, 89, inf, -inf, math.NaN(), 1e-8)
	tp := NewTape()
	y := tp.Softplus(x)
	tp.BackwardWith(y, []float64{1, 1, 1, 1, 1, 1})
	wantY := []float64{math.Ln2, 89, inf, 0, math.NaN(), math.Log1p(math.Exp(1e-8))}
	for i := range wantY {
		if !testutil.CloseNaN(y.Value[i], wantY[i], 0, 1e-15) {
			t.Errorf("softplus(%v) = %v, want %v", x.Value[i], y.Value[i], wantY[i])
		}
	}
	for i, want := range map[int]float64{0: 0.5, 2: 1, 3: 0} {
		if x.Grad[i] != want {
			t.Errorf("softplus'(%v) = %v, want %v", x.Value[i], x.Grad[i], want)
		}
	}
	if !math.IsNaN(x.Grad[4]) {
		t.Errorf("softplus'(NaN) = %v, want NaN", x.Grad[4])
	}
	sp := func(t *Tape, in []*Node) *Node { return t.Softplus(in[0]) }
	for _, at := range []float64{-inf, math.NaN(), 1e-8} {
		if err := CheckGradient(sp, []mat.Matrix{mat.NewDense(1, 1, []float64{at})}, CheckOptions{}); err != nil {
			t.Errorf("gradient check at %v: %v", at, err)
		}
	}
}

// N-07: log σ(x) = −softplus(−x) at 1e-12, and stays finite at −800 where
// log(σ(x)) would be −Inf.
func TestN07LogSigmoid(t *testing.T) {
	xs := []float64{-800, -50, -1, 0, 1, 50, 800}
	x := NewParam(1, len(xs), xs)
	tp := NewTape()
	y := tp.LogSigmoid(x)
	neg := tp.Neg(tp.Softplus(tp.Neg(x)))
	testutil.AssertCloseSlice(t, "log σ", y.Value, neg.Value, 1e-12, 1e-12)
	testutil.AssertClose(t, "log σ(−800)", y.Value[0], -800, 0, 1e-15)
}

// N-08: BCE with logits. (a) logits ±1e308 with the matching label give
// loss 0 and gradient 0, no NaN; (b) ±800 with the wrong label give ≈800;
// (c) for |x| ≤ 10 it agrees with the naive formula at 1e-12.
func TestN08BCEWithLogits(t *testing.T) {
	x := row(1e308, -1e308)
	tp := NewTape()
	y := tp.Const(mat.NewDense(1, 2, []float64{1, 0}))
	l := tp.BCEWithLogits(x, y)
	tp.Backward(tp.Sum(l))
	if l.Value[0] != 0 || x.Grad[0] != 0 || x.Grad[1] != 0 {
		t.Errorf("(a) ±1e308: loss %v, gradient %v; want 0 and 0", l.Value[0], x.Grad)
	}

	x = row(800, -800)
	tp = NewTape()
	y = tp.Const(mat.NewDense(1, 2, []float64{0, 1}))
	l = tp.BCEWithLogits(x, y)
	testutil.AssertClose(t, "(b) ±800 wrong label", l.Value[0], 1600, 0, 1e-15) // 800 per entry
	tp.Backward(tp.Sum(l))
	testutil.AssertCloseSlice(t, "(b) gradient", x.Grad, []float64{1, -1}, 0, 0)

	rng := rand.New(rand.NewPCG(5, 6))
	for k := 0; k < 200; k++ {
		xv, yv := -10+20*rng.Float64(), rng.Float64()
		tp := NewTape()
		got := tp.BCEWithLogits(row(xv), row(yv)).Value[0]
		s := 1 / (1 + math.Exp(-xv))
		naive := -yv*math.Log(s) - (1-yv)*math.Log(1-s)
		testutil.AssertClose(t, "(c) naive formula", got, naive, 1e-12, 1e-12)
	}
}

// N-09: KL(N(μ,σ²)‖N(0,I)) is 0 at μ = 0, log σ² = 0; KL(p, p) = 0;
// KL ≥ 0 on random inputs; ∂/∂μ = μ and ∂/∂log σ² = ½(σ² − 1); and a Monte
// Carlo estimate E_p[log p − log q] agrees to the recommended 0.01.
func TestN09KLNormal(t *testing.T) {
	tp := NewTape()
	if kl := tp.KLNormal(NewParam(2, 3, nil), NewParam(2, 3, nil)).Value; kl[0] != 0 || kl[1] != 0 {
		t.Errorf("KL at μ=0, log σ²=0: got %v, want 0", kl)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	mu, lv := ParamFrom(randMat(rng, 50, 4, -3, 3)), ParamFrom(randMat(rng, 50, 4, -4, 4))
	mu2, lv2 := ParamFrom(randMat(rng, 50, 4, -3, 3)), ParamFrom(randMat(rng, 50, 4, -4, 4))
	self := tp.KLDiagNormals(mu, lv, mu, lv)
	for i, v := range self.Value {
		testutil.AssertClose(t, "KL(p,p)", v, 0, 1e-12, 0)
		_ = i
	}
	prior := tp.KLNormal(mu, lv)
	viaGeneral := tp.KLDiagNormals(mu, lv, tp.NewConst(50, 4), tp.Const(mat.NewDense(50, 4, nil)))
	for i := range prior.Value {
		if prior.Value[i] < 0 {
			t.Errorf("KL row %d = %v < 0", i, prior.Value[i])
		}
		testutil.AssertClose(t, "prior KL = general KL with μ2=0, σ2=1", prior.Value[i], viaGeneral.Value[i], 1e-12, 1e-12)
	}
	for _, v := range tp.KLDiagNormals(mu, lv, mu2, lv2).Value {
		if v < 0 {
			t.Errorf("general KL %v < 0", v)
		}
	}
	tp.Backward(tp.Sum(prior))
	for i := range mu.Value {
		testutil.AssertClose(t, "∂KL/∂μ", mu.Grad[i], mu.Value[i], 1e-15, 0)
		testutil.AssertClose(t, "∂KL/∂log σ²", lv.Grad[i], (math.Exp(lv.Value[i])-1)/2, 1e-15, 1e-15)
	}

	// Monte Carlo: KL(p‖q) = E_p[log p(z) − log q(z)], z ~ p = N(μ, σ²) in
	// d = 3, q = N(0, I); batches of 1e4 draws, up to 1e6, until
	// |MC − exact|/(1 + MC) < 0.01 (the catalog's recommended tolerance).
	m := []float64{0.5, -1, 2}
	l := []float64{-0.5, 0.3, 1}
	exactTape := NewTape()
	exact := exactTape.KLNormal(row(m...), row(l...)).Value[0]
	const batch = 10000
	mc, draws := 0.0, 0
	z := mat.NewDense(batch, 3, nil)
	muB, lvB, zero := mat.NewDense(batch, 3, nil), mat.NewDense(batch, 3, nil), mat.NewDense(batch, 3, nil)
	for i := 0; i < batch; i++ {
		muB.SetRow(i, m)
		lvB.SetRow(i, l)
	}
	sum := 0.0
	for draws < 1e6 {
		for i := 0; i < batch; i++ {
			for j := 0; j < 3; j++ {
				z.Set(i, j, m[j]+math.Exp(l[j]/2)*rng.NormFloat64())
			}
		}
		ft := NewForwardTape()
		zn := ft.Const(z)
		lp := ft.GaussianLogLik(zn, ft.Const(muB), ft.Const(lvB))
		lq := ft.GaussianLogLik(zn, ft.Const(zero), ft.Const(zero))
		sum += ft.Sum(ft.Sub(lp, lq)).Scalar()
		draws += batch
		mc = sum / float64(draws)
		if math.Abs(mc-exact)/(1+mc) < 0.01 {
			break
		}
	}
	if math.Abs(mc-exact)/(1+mc) >= 0.01 {
		t.Errorf("Monte Carlo KL %v after %d draws, exact %v", mc, draws, exact)
	}
}

// JAX-style check in one random direction on composite functions with
// large inputs: an ELBO-like VAE loss and a GMM log-likelihood.
func TestA02CompositeDirectional(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	elbo := func(t *Tape, in []*Node) *Node {
		x, w, eps := in[0], in[1], in[2]
		h := t.MatMul(x, w) // 20×8: μ and log σ²
		mu, lv := t.SliceCols(h, 0, 4), t.SliceCols(h, 4, 8)
		z := t.Add(mu, t.Mul(t.Exp(t.Scale(lv, 0.5)), eps))
		logits := t.MatMulTrans(z, false, t.SliceCols(w, 0, 4), true) // 20×30
		rec := t.BCEWithLogits(logits, t.Sigmoid(x))
		return t.Mean(t.Add(rec, t.KLNormal(mu, lv)))
	}
	in := []mat.Matrix{randMat(rng, 20, 30, -30, 30), randMat(rng, 30, 8, -0.05, 0.05), randMat(rng, 20, 4, -2, 2)}
	// The inputs are large (x up to ±30, so σ up to e⁴): the central
	// difference's O(ε²) truncation error is 4.5e-2 at ε = 1e-3 and
	// 4.5e-4 at JAX's default ε = 1e-4 (falling 100× per 10× in ε, as it must for a right
	// gradient), so this function is checked at ε = 1e-5.
	if err := CheckDirection(elbo, in, DirectionOptions{Seed: 1, Eps: 1e-5}); err != nil {
		t.Errorf("ELBO: %v", err)
	}
	// GMM log-likelihood with K = 3 spherical components in D = 2, points
	// far out: Σ_i lse_k(log w_k + log N(x_i; μ_k, σ_k²)).
	gmm := func(t *Tape, in []*Node) *Node {
		x, mu, lv, logw := in[0], in[1], in[2], in[3]
		var cols *Node
		for k := 0; k < 3; k++ {
			ones := t.NewConst(x.Rows(), 1)
			for i := range ones.Value {
				ones.Value[i] = 1
			}
			muK := t.MatMul(ones, t.SliceCols(mu, 2*k, 2*k+2))
			lvK := t.MatMul(ones, t.SliceCols(lv, 2*k, 2*k+2))
			c := t.Add(t.GaussianLogLik(x, muK, lvK), t.MatMul(ones, t.SliceCols(logw, k, k+1)))
			if cols == nil {
				cols = c
			} else {
				cols = t.ConcatCols(cols, c)
			}
		}
		return t.Sum(t.LogSumExpRows(cols))
	}
	in = []mat.Matrix{randMat(rng, 40, 2, -1e3, 1e3), randMat(rng, 1, 6, -500, 500), randMat(rng, 1, 6, 8, 12), randMat(rng, 1, 3, -2, 0)}
	if err := CheckDirection(gmm, in, DirectionOptions{Seed: 2}); err != nil {
		t.Errorf("GMM log-likelihood: %v", err)
	}
}

// gonum's diff/fd (central formula) as an independent oracle for the
// gradient of a composite scalar function; gonum's own central-difference
// gradient tests accept 1e-6 in low dimension, 1e-5 in 40-D.
func TestA03GonumFDOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const r, c = 5, 4
	w0 := randMat(rng, c, 3, -1, 1)
	xs := randMat(rng, r, c, -1, 1)
	labels := []int{0, 2, 1, 1, 0}
	loss := func(t *Tape, w *Node) *Node {
		x := t.Const(xs)
		return t.Mean(t.SoftmaxCrossEntropy(t.Tanh(t.MatMul(x, w)), labels))
	}
	w := ParamFrom(w0)
	tp := NewTape()
	tp.Backward(loss(tp, w))
	ft := NewForwardTape()
	f := func(v []float64) float64 {
		p := NewParam(c, 3, v)
		ft.Reset()
		return loss(ft, p).Scalar()
	}
	want := fd.Gradient(nil, f, append([]float64(nil), w.Value...), &fd.Settings{Formula: fd.Central})
	testutil.AssertCloseSlice(t, "∂loss/∂w vs gonum fd", w.Grad, want, 1e-6, 0)
}

// f(x) = x·x + x gives 2x + 1; a diamond where x feeds two branches
// that rejoin accumulates both branches' contributions.
func TestA05Accumulation(t *testing.T) {
	x := NewScalar(1.75)
	tp := NewTape()
	tp.Backward(tp.Add(tp.Mul(x, x), x))
	testutil.AssertClose(t, "d(x·x+x)/dx", x.Grad[0], 2*1.75+1, 1e-12, 0)

	// Diamond: u = eˣ; f = sin u + u² ⇒ f' = (cos u + 2u)·eˣ.
	x = NewScalar(0.3)
	tp = NewTape()
	u := tp.Exp(x)
	tp.Backward(tp.Add(tp.Sin(u), tp.Square(u)))
	e := math.Exp(0.3)
	testutil.AssertClose(t, "diamond", x.Grad[0], (math.Cos(e)+2*e)*e, 1e-12, 1e-12)
}

// Backward on two freshly built identical graphs gives bit-identical
// gradients (PyTorch's nondet_tol is 0).
func TestA06Reentrant(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	w := ParamFrom(randMat(rng, 30, 20, -1, 1))
	x := randMat(rng, 70, 30, -1, 1)
	grads := [2][]float64{}
	for k := range grads {
		tp := NewTape()
		h := tp.ReLU(tp.MatMul(tp.Const(x), w))
		tp.Backward(tp.Mean(tp.LogSumExpRows(h)))
		grads[k] = append([]float64(nil), w.Grad...)
		w.ZeroGrad()
	}
	for i := range grads[0] {
		if math.Float64bits(grads[0][i]) != math.Float64bits(grads[1][i]) {
			t.Fatalf("entry %d: %v then %v", i, grads[0][i], grads[1][i])
		}
	}
}

// seeding Backward with an upstream gradient of 0 gives zero
// gradients, and of 2 gives exactly twice those of 1.
func TestA07UpstreamGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	w := ParamFrom(randMat(rng, 3, 4, -1, 1))
	x := randMat(rng, 5, 3, -1, 1)
	grad := func(seed float64) []float64 {
		w.ZeroGrad()
		tp := NewTape()
		out := tp.Sum(tp.Tanh(tp.MatMul(tp.Const(x), w)))
		tp.BackwardWith(out, []float64{seed})
		return append([]float64(nil), w.Grad...)
	}
	g0, g1, g2 := grad(0), grad(1), grad(2)
	for i := range g1 {
		if g0[i] != 0 || g2[i] != 2*g1[i] {
			t.Fatalf("entry %d: seed 0 → %v, seed 1 → %v, seed 2 → %v", i, g0[i], g1[i], g2[i])
		}
	}
}

// Backward twice on the same recording is allowed and documented
// (retain semantics): the parameter gradients are added twice, exactly.
// Between steps the caller (or an optimizer's Step) zeroes them, and a node
// from before Reset can no longer be used.
func TestA08BackwardTwice(t *testing.T) {
	x := NewScalar(0.4)
	tp := NewTape()
	f := tp.Mul(tp.Sin(x), x)
	tp.Backward(f)
	once := x.Grad[0]
	tp.Backward(f)
	if x.Grad[0] != 2*once {
		t.Errorf("second Backward: gradient %v, want exactly 2×%v", x.Grad[0], once)
	}
	x.ZeroGrad()
	tp.Reset()
	tp.Backward(tp.Mul(tp.Sin(x), x))
	if x.Grad[0] != once {
		t.Errorf("after ZeroGrad and Reset: gradient %v, want %v (nothing carried over)", x.Grad[0], once)
	}
	mustPanic(t, "Backward of a node from before Reset", func() { tp.Reset(); tp.Backward(f) })
	mustPanic(t, "op on a node from before Reset", func() { tp.Exp(f) })
	mustPanic(t, "node of another tape", func() { NewTape().Exp(tp.Exp(x)) })
	mustPanic(t, "Backward on a forward tape", func() { ft := NewForwardTape(); ft.Backward(ft.Exp(x)) })
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", what)
		}
	}()
	f()
}

// at exactly 0, ReLU's derivative is the documented subgradient 0.
func TestA09ReLUAtZero(t *testing.T) {
	x := row(0, -0.0, 1e-300, -1e-300)
	tp := NewTape()
	y := tp.ReLU(x)
	tp.BackwardWith(y, []float64{1, 1, 1, 1})
	want := []float64{0, 0, 1, 0}
	for i := range want {
		if x.Grad[i] != want[i] {
			t.Errorf("relu'(%v) = %v, want %v", x.Value[i], x.Grad[i], want[i])
		}
	}
}

// a NaN input gives NaN values and NaN gradients through every op,
// never a silent 0.
func TestA10NaNPropagates(t *testing.T) {
	unary := map[string]func(*Tape, *Node) *Node{
		"Exp": (*Tape).Exp, "Log": (*Tape).Log, "Sin": (*Tape).Sin, "Cos": (*Tape).Cos,
		"Tanh": (*Tape).Tanh, "Sigmoid": (*Tape).Sigmoid, "ReLU": (*Tape).ReLU,
		"Softplus": (*Tape).Softplus, "LogSigmoid": (*Tape).LogSigmoid,
		"LogSumExpRows": (*Tape).LogSumExpRows, "SoftmaxRows": (*Tape).SoftmaxRows,
		"Square": (*Tape).Square, "Sqrt": (*Tape).Sqrt,
		"Clamp":        func(t *Tape, x *Node) *Node { return t.Clamp(x, -30, 20) },
		"MatMul xᵀx":   func(t *Tape, x *Node) *Node { return t.MatMulTrans(x, true, x, false) },
		"CrossEntropy": func(t *Tape, x *Node) *Node { return t.SoftmaxCrossEntropy(x, []int{0}) },
		"BCE":          func(t *Tape, x *Node) *Node { return t.BCEWithLogits(x, t.Const(mat.NewDense(1, 2, []float64{1, 0}))) },
		"KLNormal":     func(t *Tape, x *Node) *Node { return t.KLNormal(x, x) },
		"Gaussian":     func(t *Tape, x *Node) *Node { return t.GaussianLogLik(x, x, x) },
	}
	for name, op := range unary {
		x := row(math.NaN(), 0.5)
		tp := NewTape()
		s := tp.Sum(op(tp, x))
		tp.Backward(s)
		if !math.IsNaN(s.Scalar()) {
			t.Errorf("%s: value %v, want NaN", name, s.Scalar())
		}
		if !math.IsNaN(x.Grad[0]) {
			t.Errorf("%s: gradient at the NaN entry %v, want NaN", name, x.Grad[0])
		}
	}
}

// forward and backward leave the caller's matrices untouched (a
// constant is a copy; parameters change only through their Grad).
func TestA11InputsUntouched(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	xm := randMat(rng, 6, 4, -1, 1)
	before := mat.DenseCopyOf(xm)
	w := ParamFrom(randMat(rng, 4, 3, -1, 1))
	wBefore := append([]float64(nil), w.Value...)
	tp := NewTape()
	tp.Backward(tp.Mean(tp.SoftmaxCrossEntropy(tp.MatMul(tp.Const(xm), w), []int{0, 1, 2, 0, 1, 2})))
	if !mat.Equal(xm, before) {
		t.Error("the input matrix changed")
	}
	for i, v := range w.Value {
		if v != wBefore[i] {
			t.Fatal("a parameter's value changed during forward/backward")
		}
	}
}

// N-10 (owned by the VAE, supported here): log-variances of ±1e4 clamped to
// [−30, 20] keep e^{log σ²} and the KL finite, and pass no gradient to the
// clamped entries.
func TestN10ClampLogVar(t *testing.T) {
	lv := row(1e4, -1e4, 0.5)
	tp := NewTape()
	c := tp.Clamp(lv, -30, 20)
	kl := tp.KLNormal(tp.Const(mat.NewDense(1, 3, nil)), c)
	if v := kl.Scalar(); math.IsInf(v, 0) || math.IsNaN(v) {
		t.Fatalf("KL = %v, want finite", v)
	}
	tp.Backward(tp.Sum(kl))
	if lv.Grad[0] != 0 || lv.Grad[1] != 0 || lv.Grad[2] != (math.Exp(0.5)-1)/2 {
		t.Errorf("gradient %v, want [0 0 ½(e^0.5−1)]", lv.Grad)
	}
}

// log1pUnit, the short path of BCEWithLogits, agrees with math.Log1p to
// 2 ulp over [0, 1] (4e-16 relative), and keeps math.Log1p's values at 0,
// 1 and NaN.
func TestLog1pUnit(t *testing.T) {
	worst := 0.0
	for i := 0; i <= 200000; i++ {
		e := math.Pow(2, -60*float64(i)/200000) // 2⁻⁶⁰ … 1
		got, want := log1pUnit(e), math.Log1p(e)
		if r := math.Abs(got-want) / want; r > worst {
			worst = r
		}
	}
	if worst > 4e-16 {
		t.Errorf("largest relative difference from math.Log1p: %.3g, want ≤ 4e-16", worst)
	}
	if log1pUnit(0) != 0 || log1pUnit(1) != math.Ln2 || !math.IsNaN(log1pUnit(math.NaN())) {
		t.Errorf("log1pUnit(0, 1, NaN) = %v, %v, %v", log1pUnit(0), log1pUnit(1), log1pUnit(math.NaN()))
	}
}
