package vae

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/logmath"
	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/nn"
)

// V-01: the gradient of the whole objective (encoder, reparameterisation,
// decoder, reconstruction, KL, β, free bits) with respect to every
// parameter, with the noise ε frozen, passes the central-difference check
// at torch gradcheck's tolerances, on the catalog's tiny network (3
// inputs, 4 hidden units, 2 latent dimensions). tanh units keep the
// function smooth (no ReLU kink within a step of the point).
func TestObjectiveGradient(t *testing.T) {
	x := mat.NewDense(5, 3, []float64{0.1, 0.9, 0.5, 0.3, 0.2, 0.8, 1, 0, 0.6, 0.4, 0.7, 0.05, 0.95, 0.35, 0.15})
	rng := rand.New(rand.NewPCG(3, 3))
	eps := make([]float64, 5*2)
	for i := range eps {
		eps[i] = rng.NormFloat64()
	}
	for _, c := range []struct {
		name           string
		cfg            Config
		beta, freeBits float64
	}{
		{"bernoulli", Config{}, 1, 0},
		{"bernoulli β=0.3", Config{}, 0.3, 0},
		{"bernoulli free bits", Config{}, 1, 0.05},
		{"gaussian fixed σ²", Config{Likelihood: Gaussian, Variance: 0.5}, 1, 0},
		{"gaussian learned σ²", Config{Likelihood: Gaussian, Variance: 0.5, LearnVariance: true}, 1, 0},
		{"autoencoder", Config{Autoencoder: true}, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			cfg.Inputs, cfg.Latent, cfg.Hidden, cfg.Activation, cfg.Seed = 3, 2, []int{4}, nn.Tanh, 7
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			// Non-zero biases, so their gradients are checked away from 0.
			for _, p := range m.Params() {
				for i := range p.Value {
					p.Value[i] += 0.1 * rng.NormFloat64()
				}
			}
			f := func(tp *autodiff.Tape, in []*autodiff.Node) *autodiff.Node {
				mm := withParams(m, in)
				var e *autodiff.Node
				if !cfg.Autoencoder {
					e = tp.NewConst(5, 2)
					copy(e.Value, eps)
				}
				return mm.Objective(tp, tp.Const(x), e, c.beta, c.freeBits).Loss
			}
			if err := autodiff.CheckGradient(f, paramMatrices(m), autodiff.CheckOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
}

// V-02: z = μ + exp(½ log σ²)·ε gives z = μ at ε = 0, ∂z/∂μ = 1 and
// ∂z/∂log σ² = ½σε, at 1e-12.
func TestReparameterize(t *testing.T) {
	mu := autodiff.NewParam(1, 3, []float64{0.5, -1, 2})
	lv := autodiff.NewParam(1, 3, []float64{0, -2, 1.5})
	for _, e := range [][]float64{{0, 0, 0}, {0.3, -1.2, 2.5}} {
		tp := autodiff.NewTape()
		eps := tp.NewConst(1, 3)
		copy(eps.Value, e)
		z := reparameterize(tp, mu, lv, eps)
		tp.BackwardWith(z, []float64{1, 1, 1})
		for j := 0; j < 3; j++ {
			sigma := math.Exp(0.5 * lv.Value[j])
			testutil.AssertClose(t, "z", z.Value[j], mu.Value[j]+sigma*e[j], 1e-12, 1e-12)
			testutil.AssertClose(t, "∂z/∂μ", mu.Grad[j], 1, 1e-12, 0)
			testutil.AssertClose(t, "∂z/∂log σ²", lv.Grad[j], 0.5*sigma*e[j], 1e-12, 1e-12)
		}
		mu.ZeroGrad()
		lv.ZeroGrad()
	}
}

// tinyModel returns a Bernoulli model of d inputs and L latent
// dimensions with no hidden layer, for tests that set its weights.
func tinyModel(t *testing.T, d, L int) *Model {
	m, err := New(Config{Inputs: d, Latent: L, Hidden: []int{}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// V-03, N-08: decoder logits of ±1e3 give a finite reconstruction term:
// 0 with the matching label, 1000 per pixel with the wrong one, and a
// finite gradient; never log(σ(ℓ)), which is −Inf there.
func TestExtremeLogits(t *testing.T) {
	m := tinyModel(t, 2, 1)
	dec := m.dec.Layers[0]
	clear(dec.W.Value)
	dec.B.Value[0], dec.B.Value[1] = 1e3, -1e3 // logits (+1e3, −1e3) for every z
	for _, c := range []struct {
		x    []float64
		want float64
	}{
		{[]float64{1, 0}, 0},    // matching labels
		{[]float64{0, 1}, 2000}, // wrong labels: ≈ |ℓ| per pixel (N-08 b)
	} {
		tp := autodiff.NewTape()
		x := tp.NewConst(1, 2)
		copy(x.Value, c.x)
		eps := tp.NewConst(1, 1)
		eps.Value[0] = 0.3
		tr := m.Objective(tp, x, eps, 1, 0)
		testutil.AssertClose(t, "reconstruction", tr.Recon.Value[0], c.want, 1e-9, 0)
		tp.Backward(tr.Loss)
		for k, p := range m.Params() {
			for _, g := range p.Grad {
				if !finite(g) {
					t.Errorf("x %v: gradient of the %s is %v", c.x, m.paramName(k), g)
				}
			}
			p.ZeroGrad()
		}
		if got := -bernoulliLogLik([]float64{1e3, -1e3}, c.x); got != c.want {
			t.Errorf("bernoulliLogLik at x %v: got %v, want %v", c.x, got, c.want)
		}
	}
	// N-08 (a): logits ±1e308 with the matching label give exactly 0.
	if got := bernoulliLogLik([]float64{1e308, -1e308}, []float64{1, 0}); got != 0 {
		t.Errorf("logits ±1e308: got %v, want 0", got)
	}
	// N-08 (c): for |ℓ| ≤ 10 it agrees with the naive formula at 1e-12.
	for _, l := range []float64{-10, -3.5, -0.2, 0, 0.7, 4, 10} {
		for _, y := range []float64{0, 0.25, 1} {
			p := 1 / (1 + math.Exp(-l))
			naive := y*math.Log(p) + (1-y)*math.Log(1-p)
			testutil.AssertClose(t, "log p(y|ℓ)", bernoulliLogLik([]float64{l}, []float64{y}), naive, 1e-12, 1e-12)
		}
	}
}

// N-06: the Bernoulli reconstruction of a 0 pixel is softplus(ℓ): log 2 at
// 0, ℓ itself at 89 (no overflow), ≈ ℓ at 1e-8, +Inf at +Inf, 0 at −Inf,
// NaN at NaN; its gradient through the tape is σ(ℓ): ½ at 0, 1 at +Inf.
// N-07: the log-likelihood of a 1 pixel is log σ(ℓ) = −softplus(−ℓ),
// finite (−800) at ℓ = −800 where log(σ(ℓ)) is −Inf.
func TestSoftplusAndLogSigmoid(t *testing.T) {
	for _, c := range []struct{ l, want, grad float64 }{
		{0, math.Ln2, 0.5},
		{89, 89, 1},
		{1e-8, math.Ln2 + 5e-9, 0.5 + 2.5e-9},
		{math.Inf(1), math.Inf(1), 1},
		{math.Inf(-1), 0, 0},
		{math.NaN(), math.NaN(), math.NaN()},
	} {
		got := -bernoulliLogLik([]float64{c.l}, []float64{0})
		if !testutil.CloseNaN(got, c.want, 1e-15, 1e-12) {
			t.Errorf("softplus(%v): got %v, want %v", c.l, got, c.want)
		}
		p := autodiff.NewParam(1, 1, []float64{c.l})
		tp := autodiff.NewTape()
		y := tp.NewConst(1, 1)
		y.Value[0] = 0
		tp.Backward(tp.Sum(tp.BCEWithLogits(p, y)))
		if !testutil.CloseNaN(p.Grad[0], c.grad, 1e-15, 1e-9) {
			t.Errorf("∂softplus/∂ℓ at %v: got %v, want %v", c.l, p.Grad[0], c.grad)
		}
	}
	for _, l := range []float64{-800, -30, -1, 0, 2, 40} {
		got := bernoulliLogLik([]float64{l}, []float64{1})
		testutil.AssertClose(t, "log σ(ℓ)", got, -logmath.Softplus(-l), 1e-12, 1e-12)
	}
	if got := bernoulliLogLik([]float64{-800}, []float64{1}); got != -800 {
		t.Errorf("log σ(−800): got %v, want −800", got)
	}
}

// V-05, N-09: the KL term is the closed form ½Σ(μ² + σ² − 1 − log σ²):
// 0 at μ = 0, log σ² = 0; non-negative on random inputs; equal in the
// tape's term and in Evaluate's; and equal to a Monte Carlo estimate
// E_q[log q(z) − log p(z)] from 10⁶ draws within 0.01 relative error (the
// catalog's tolerance for a new implementation; PyTorch's CI uses 0.1).
func TestKLClosedForm(t *testing.T) {
	if got := klRow([]float64{0, 0}, []float64{0, 0}, nil); got != 0 {
		t.Errorf("KL at the prior: got %v, want 0", got)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 1000; i++ {
		mu := []float64{4 * rng.NormFloat64(), rng.NormFloat64()}
		lv := []float64{6 * rng.NormFloat64(), 0.1 * rng.NormFloat64()}
		if k := klRow(mu, lv, nil); !(k >= 0) {
			t.Fatalf("KL(%v, %v) = %v < 0", mu, lv, k)
		}
	}
	mu, lv := []float64{0.7, -1.3, 0.2}, []float64{-0.5, 0.8, -2}
	exact := klRow(mu, lv, nil)
	const draws = 1000000
	mc := 0.0
	for i := 0; i < draws; i++ {
		for j := range mu {
			e := rng.NormFloat64()
			z := mu[j] + math.Exp(0.5*lv[j])*e
			// log q(z) − log p(z) for one dimension; the log 2π terms cancel
			mc += -0.5*(lv[j]+e*e) + 0.5*z*z
		}
	}
	mc /= draws
	if r := math.Abs(mc-exact) / (1 + math.Abs(mc)); r > 0.01 {
		t.Errorf("KL closed form %v, Monte Carlo %v: relative error %.3g > 0.01", exact, mc, r)
	}
	// The tape's KL (what training minimises) is the same closed form.
	tp := autodiff.NewTape()
	mn, ln := tp.NewConst(1, 3), tp.NewConst(1, 3)
	copy(mn.Value, mu)
	copy(ln.Value, lv)
	testutil.AssertClose(t, "tape KL", tp.KLNormal(mn, ln).Value[0], exact, 1e-14, 1e-14)
}

// V-06, N-10: an encoder whose log-variance outputs are ±1e4 (exploding
// weights) has them clamped to [−30, 20] before exponentiation: the KL
// term, the code and the loss stay finite, and so do the gradients.
func TestLogVarClamp(t *testing.T) {
	for _, big := range []float64{1e4, -1e4} {
		m := tinyModel(t, 3, 2)
		enc := m.enc.Layers[0]
		enc.B.Value[2], enc.B.Value[3] = big, big // the log σ² half of [μ | log σ²]
		tp := autodiff.NewTape()
		x := tp.Const(mat.NewDense(2, 3, []float64{0, 1, 0.5, 1, 0, 0.2}))
		eps := tp.Const(mat.NewDense(2, 2, []float64{0.5, -1, 2, 0.1}))
		tr := m.Objective(tp, x, eps, 1, 0)
		for _, v := range tr.LogVar.Value {
			if v < LogVarMin || v > LogVarMax {
				t.Errorf("log σ² %v is outside [%v, %v]", v, LogVarMin, LogVarMax)
			}
		}
		for _, n := range []*autodiff.Node{tr.Z, tr.KL, tr.Recon, tr.Loss} {
			for _, v := range n.Value {
				if !finite(v) {
					t.Errorf("log σ² %v: a value %v is not finite", big, v)
				}
			}
		}
		tp.Backward(tr.Loss)
		for _, p := range m.Params() {
			for _, g := range p.Grad {
				if !finite(g) {
					t.Errorf("log σ² %v: gradient %v", big, g)
				}
			}
		}
		mu, lv, err := m.Encode(mat.NewDense(1, 3, []float64{0, 1, 0.5}))
		if err != nil || lv.At(0, 0) != min(max(big, LogVarMin), LogVarMax) || !finite(mu.At(0, 0)) {
			t.Errorf("Encode: %v, log σ² %v", err, lv.At(0, 0))
		}
	}
	// Exploding weights throughout the encoder: the loss stays finite.
	m := tinyModel(t, 3, 2)
	for _, p := range m.enc.Params() {
		for i := range p.Value {
			p.Value[i] *= 1e6
		}
	}
	ev, err := m.Evaluate(mat.NewDense(2, 3, []float64{0, 1, 0.5, 1, 0, 0.2}), EvalOptions{})
	if err != nil || !finite(ev.ELBO) {
		t.Errorf("exploded encoder: %v, ELBO %v", err, ev.ELBO)
	}
}

// V-11: each knob changes the objective as documented: β = 0 leaves the
// reconstruction alone, β scales the KL term, free bits floor each
// dimension's batch-mean KL at λ.
func TestObjectiveKnobs(t *testing.T) {
	m, err := New(Config{Inputs: 4, Latent: 3, Hidden: []int{5}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(3, 4, []float64{0, 1, 0.5, 0.2, 1, 1, 0, 0.9, 0.3, 0.1, 0.8, 0})
	eps := mat.NewDense(3, 3, []float64{0.2, -0.4, 1.1, 0.9, 0.3, -1.5, -0.7, 0.05, 0.6})
	run := func(beta, fb float64) Terms {
		tp := autodiff.NewTape()
		return m.Objective(tp, tp.Const(x), tp.Const(eps), beta, fb)
	}
	mean := func(v []float64) float64 { return sum(v) / float64(len(v)) }
	base := run(1, 0)
	r, k := mean(base.Recon.Value), mean(base.KL.Value)
	testutil.AssertClose(t, "β=1", base.Loss.Scalar(), r+k, 1e-12, 1e-12)
	if got := run(0, 0).Loss.Scalar(); got != r {
		t.Errorf("β=0: loss %v, want the reconstruction term %v", got, r)
	}
	testutil.AssertClose(t, "β=2.5", run(2.5, 0).Loss.Scalar(), r+2.5*k, 1e-12, 1e-12)
	// Free bits: Σ_j max(λ, mean_i KL_ij), by hand from μ and log σ².
	for _, lambda := range []float64{0.01, 0.5, 5} {
		tr := run(1, lambda)
		perDim := make([]float64, 3)
		for i := 0; i < 3; i++ {
			klRow(tr.Mu.Value[i*3:(i+1)*3], tr.LogVar.Value[i*3:(i+1)*3], perDim)
		}
		want := r
		for _, v := range perDim {
			want += max(lambda, v/3)
		}
		testutil.AssertClose(t, "free bits", tr.Loss.Scalar(), want, 1e-12, 1e-12)
	}
	if run(1, 5).Loss.Scalar() == base.Loss.Scalar() {
		t.Error("free bits λ = 5 did not change the loss")
	}
}

// A linear Gaussian VAE whose encoder is the exact posterior: with
// decoder x = Wᵀz + b + N(0, σ²I), z ~ N(0, I), and W's rows orthogonal,
// the posterior is normal with precision I + WWᵀ/σ², a diagonal matrix,
// and a mean linear in x, which the encoder represents exactly. Then
// log p(x, z) − log q(z | x) = log p(x) for every z: every IWAE estimate
// equals the exact log N(x; b, WᵀW + σ²I) to rounding, and so does the
// ELBO in expectation (KL(q ‖ posterior) = 0) — a closed-form check of the
// reconstruction, KL and importance weights together.
func TestExactPosteriorLinearGaussian(t *testing.T) {
	const d, L, s2 = 3, 2, 0.25
	// Decoder weights (L×d): orthogonal rows with squared norms 2 and 0.5.
	wd := mat.NewDense(L, d, []float64{1, 1, 0, 0.5, -0.5, 0})
	bd := []float64{0.3, -0.2, 0.1}
	m, err := New(Config{Inputs: d, Latent: L, Hidden: []int{}, Likelihood: Gaussian, Variance: s2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dec, enc := m.dec.Layers[0], m.enc.Layers[0]
	copy(dec.W.Value, wd.RawMatrix().Data)
	copy(dec.B.Value, bd)
	// Posterior: precision diag(1 + s_j/σ²), mean W_j·(x − b)/(σ² + s_j).
	clear(enc.W.Value)
	clear(enc.B.Value)
	for j := 0; j < L; j++ {
		sj := mat.Dot(wd.RowView(j), wd.RowView(j))
		for i := 0; i < d; i++ {
			enc.W.Value[i*2*L+j] = wd.At(j, i) / (s2 + sj)
			enc.B.Value[j] -= wd.At(j, i) * bd[i] / (s2 + sj)
		}
		enc.B.Value[L+j] = -math.Log(1 + sj/s2)
	}
	var cov mat.SymDense
	cov.SymOuterK(1, wd.T())
	for i := 0; i < d; i++ {
		cov.SetSym(i, i, cov.At(i, i)+s2)
	}
	normal, ok := distmv.NewNormal(bd, &cov, nil)
	if !ok {
		t.Fatal("covariance not positive definite")
	}
	x := mat.NewDense(4, d, []float64{0, 0, 0, 1, -1, 0.5, 2, 2, -1, -0.3, 0.4, 0.9})
	want := 0.0
	for i := 0; i < 4; i++ {
		want += normal.LogProb(x.RawRowView(i)) / 4
	}
	// The ELBO's reconstruction term is a Monte Carlo estimate: with 2·10⁵
	// codes per row, seeds 1–5 gave −4.10725 … −4.10892 against the exact
	// −4.10752 (standard error about 7e-4 nats), so 0.005 is about 7
	// standard errors.
	ev, err := m.Evaluate(x, EvalOptions{Samples: 200000, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	testutil.AssertClose(t, "ELBO vs exact log p(x)", ev.ELBO, want, 0.005, 0)
	ll, err := m.LogLikelihood(t.Context(), x, IWAEOptions{K: 50, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range ll {
		testutil.AssertClose(t, "IWAE vs exact log p(x)", v, normal.LogProb(x.RawRowView(i)), 1e-12, 1e-12)
	}
}
