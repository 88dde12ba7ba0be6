package vae

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/nn"
)

// The gradient of the k-sample bound (encoder, the k repeated codes, the
// decoder, the log-weights and their log-sum-exp), with ε frozen, passes
// the central-difference check at torch gradcheck's tolerances on a tiny
// tanh network, for k = 1, 3 and 7, Bernoulli and Gaussian decoders.
func TestIWObjectiveGradient(t *testing.T) {
	x := mat.NewDense(4, 3, []float64{0.1, 0.9, 0.5, 0.3, 0.2, 0.8, 1, 0, 0.6, 0.4, 0.7, 0.05})
	rng := rand.New(rand.NewPCG(5, 5))
	for _, c := range []struct {
		name string
		cfg  Config
		k    int
	}{
		{"bernoulli k=1", Config{}, 1},
		{"bernoulli k=3", Config{}, 3},
		{"bernoulli k=7", Config{}, 7},
		{"gaussian learned σ² k=3", Config{Likelihood: Gaussian, Variance: 0.5, LearnVariance: true}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			cfg.Inputs, cfg.Latent, cfg.Hidden, cfg.Activation, cfg.Seed = 3, 2, []int{4}, nn.Tanh, 7
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range m.Params() {
				for i := range p.Value {
					p.Value[i] += 0.1 * rng.NormFloat64()
				}
			}
			eps := make([]float64, 4*c.k*2)
			for i := range eps {
				eps[i] = rng.NormFloat64()
			}
			f := func(tp *autodiff.Tape, in []*autodiff.Node) *autodiff.Node {
				e := tp.NewConst(4*c.k, 2)
				copy(e.Value, eps)
				return withParams(m, in).IWObjective(tp, tp.Const(x), e, c.k).Loss
			}
			if err := autodiff.CheckGradient(f, paramMatrices(m), autodiff.CheckOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
}

// At k = 1 the bound's log-weight is the ELBO's integrand for the same
// draw: the reconstruction term equals Objective's bit for bit, and
// log w = −Recon − (log q(z | x) − log p(z)) with the two normal
// log-densities computed here from their formulas.
func TestIWObjectiveK1IsELBODraw(t *testing.T) {
	x, _ := digits01()
	x = x.Slice(0, 30, 0, 64).(*mat.Dense)
	m, err := New(Config{Inputs: 64, Latent: 3, Hidden: []int{16}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	tp := autodiff.NewTape()
	e := tp.NewConst(30, 3)
	for i := range e.Value {
		e.Value[i] = rng.NormFloat64()
	}
	iw := m.IWObjective(tp, tp.Const(x), e, 1)
	el := m.Objective(tp, tp.Const(x), e, 1, 0)
	for i := 0; i < 30; i++ {
		if math.Float64bits(iw.Recon.Value[i]) != math.Float64bits(el.Recon.Value[i]) {
			t.Fatalf("row %d: reconstruction %v, the ELBO's %v", i, iw.Recon.Value[i], el.Recon.Value[i])
		}
		logq, logp := 0.0, 0.0
		for j := 0; j < 3; j++ {
			mu, lv, z := el.Mu.At(i, j), el.LogVar.At(i, j), el.Z.At(i, j)
			logq += -0.5 * (math.Log(2*math.Pi) + lv + (z-mu)*(z-mu)/math.Exp(lv))
			logp += -0.5 * (math.Log(2*math.Pi) + z*z)
		}
		testutil.AssertClose(t, "k = 1 bound", iw.Bound.Value[i], -el.Recon.Value[i]-logq+logp, 1e-12, 1e-12)
	}
	// Training with k = 1 is training on the ELBO: the same bits as the
	// default.
	o := Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 2, BatchSize: 10, Seed: 3}
	a, _, err := Train(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	o.IWK = 1
	b, _, err := Train(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "IWK 1 and the ELBO", a, b)
}

// linearGaussian is a decoder x = Wᵀz + b + N(0, σ²I) with an encoder
// that is not its exact posterior (means shifted, variances doubled), and
// the closed forms the tests compare with: the exact log p(x) =
// log N(x; b, WᵀW + σ²I) and the ELBO of q,
//
//	E_q[log p(x | z)] = −½ Σ_j [log 2πσ² + ((x_j − (Wᵀμ)_j − b_j)² + Σ_l W_lj² s_l²) / σ²],
//	ELBO = E_q[log p(x | z)] − ½ Σ_l (μ_l² + s_l² − 1 − log s_l²).
func linearGaussian(t *testing.T) (m *Model, logp, elbo func(x []float64) float64) {
	const d, L, s2 = 3, 2, 0.25
	wd := mat.NewDense(L, d, []float64{1, 1, 0, 0.5, -0.5, 0.3})
	bd := []float64{0.3, -0.2, 0.1}
	m, err := New(Config{Inputs: d, Latent: L, Hidden: []int{}, Likelihood: Gaussian, Variance: s2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dec, enc := m.dec.Layers[0], m.enc.Layers[0]
	copy(dec.W.Value, wd.RawMatrix().Data)
	copy(dec.B.Value, bd)
	clear(enc.W.Value)
	clear(enc.B.Value)
	for j := 0; j < L; j++ {
		sj := mat.Dot(wd.RowView(j), wd.RowView(j))
		for i := 0; i < d; i++ {
			enc.W.Value[i*2*L+j] = wd.At(j, i) / (s2 + sj)
			enc.B.Value[j] -= wd.At(j, i) * bd[i] / (s2 + sj)
		}
		enc.B.Value[j] += 0.3                               // shifted mean
		enc.B.Value[L+j] = -math.Log(1+sj/s2) + math.Log(2) // doubled variance
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
	elbo = func(x []float64) float64 {
		mu, lv, err := m.Encode(mat.NewDense(1, d, x))
		if err != nil {
			t.Fatal(err)
		}
		s := 0.0
		for j := 0; j < d; j++ {
			r, v := x[j]-bd[j], 0.0
			for l := 0; l < L; l++ {
				r -= wd.At(l, j) * mu.At(0, l)
				v += wd.At(l, j) * wd.At(l, j) * math.Exp(lv.At(0, l))
			}
			s -= 0.5 * (math.Log(2*math.Pi*s2) + (r*r+v)/s2)
		}
		return s - klRow(mu.RawRowView(0), lv.RawRowView(0), nil)
	}
	return m, normal.LogProb, elbo
}

// iwBoundDraws returns R independent draws of the k-sample bound of row x
// from IWObjective (seeded), and their mean and standard error.
func iwBoundDraws(m *Model, x []float64, k, R int, seed uint64) (mean, se float64) {
	d, L := len(x), m.Latent()
	tp := autodiff.NewForwardTape()
	xs := tp.NewConst(R, d)
	for r := 0; r < R; r++ {
		copy(xs.Value[r*d:(r+1)*d], x)
	}
	e := tp.NewConst(R*k, L)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range e.Value {
		e.Value[i] = rng.NormFloat64()
	}
	b := m.IWObjective(tp, xs, e, k).Bound.Value
	s := Summarise(b, k)
	return s.LogLik, s.StdErr
}

// The k-sample bound of the training objective against closed forms on a
// linear Gaussian model whose encoder is not the exact posterior: at
// k = 1 its expectation is the closed-form ELBO; it rises with k (k = 5
// and 50 above the ELBO by many standard errors, Burda et al.'s Theorem
// 1), stays below the exact log p(x), and at k = 5000 is within 0.01 nats
// of it. R independent draws give each mean and its standard error; the
// bounds are 4 standard errors.
func TestIWBoundLinearGaussian(t *testing.T) {
	m, logp, elbo := linearGaussian(t)
	for _, x := range [][]float64{{0, 0, 0}, {1, -1, 0.5}, {2, 2, -1}} {
		exact, el := logp(x), elbo(x)
		if !(el < exact-0.05) {
			t.Fatalf("x %v: ELBO %v is not well below log p(x) %v; the test needs a gap", x, el, exact)
		}
		m1, se1 := iwBoundDraws(m, x, 1, 40000, 1)
		if math.Abs(m1-el) > 4*se1 {
			t.Errorf("x %v: k = 1 bound %v ± %v, closed-form ELBO %v", x, m1, se1, el)
		}
		prev := el
		for _, k := range []int{5, 50} {
			mk, sek := iwBoundDraws(m, x, k, 4000, uint64(k))
			if !(mk > prev+4*sek) || !(mk < exact+4*sek) {
				t.Errorf("x %v: k = %d bound %v ± %v, want above %v and below log p(x) %v", x, k, mk, sek, prev, exact)
			}
			prev = mk
		}
		m5k, se5k := iwBoundDraws(m, x, 5000, 20, 7)
		testutil.AssertClose(t, "k = 5000 bound vs log p(x)", m5k, exact, 0.01, 0)
		// The evaluation code (LogLikelihood, its own streams) estimates
		// the same bound: 20 copies of the row, 20 independent estimates.
		rows := mat.NewDense(20, 3, nil)
		for i := 0; i < 20; i++ {
			rows.SetRow(i, x)
		}
		ll, err := m.LogLikelihood(context.Background(), rows, IWAEOptions{K: 5000, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		s := Summarise(ll, 5000)
		if d := math.Abs(s.LogLik - m5k); d > 4*math.Hypot(s.StdErr, se5k) {
			t.Errorf("x %v: LogLikelihood %v ± %v, the training bound %v ± %v", x, s.LogLik, s.StdErr, m5k, se5k)
		}
	}
}

// Training on the k-sample bound runs, records k, scores the held-out
// rows as usual, and differs from ELBO training; bad combinations are
// OptionErrors.
func TestIWTrain(t *testing.T) {
	x := twoClusters(100, 16, 5)
	o := Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 3, BatchSize: 25, IWK: 5, Test: twoClusters(40, 16, 6), Seed: 1}
	m, rep, err := Train(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	if m.Trained().IWK != 5 || rep.Settings.IWK != 5 {
		t.Errorf("trained with %+v", m.Trained())
	}
	o.IWK = 0
	_, r0, err := Train(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Epochs[0].Loss == r0.Epochs[0].Loss {
		t.Error("k = 5 trained the same loss as the ELBO")
	}
	// The k-sample objective is at most the one-sample one in
	// expectation: −bound ≤ −ELBO, and a trained VAE's held-out ELBO is
	// finite and negative.
	if e := rep.Epochs[2]; !(e.Test.ELBO < 0) || !(e.Loss <= -e.ELBO+1) {
		t.Errorf("epoch 3: loss %v, ELBO %v, test ELBO %v", e.Loss, e.ELBO, e.Test.ELBO)
	}
	for _, bad := range []Options{{IWK: -1}, {IWK: 3, Beta: 0.5}, {IWK: 3, Warmup: 1}, {IWK: 3, FreeBits: 0.1},
		{IWK: 3, Anneal: AnnealCyclical}, {IWK: 3, Model: Config{Autoencoder: true}}} {
		_, _, err := Train(context.Background(), x, bad)
		var oe *OptionError
		if !asOptionError(err, &oe) || oe.Option != "Options.IWK" {
			t.Errorf("%+v: got %v, want an OptionError on Options.IWK", bad, err)
		}
	}
}

func asOptionError(err error, oe **OptionError) bool { return errors.As(err, oe) }
