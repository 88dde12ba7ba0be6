package mixture

// Robustness tests: test cases M-01…M-39 of docs/testcases.md (the
// scikit-learn GaussianMixture cases), one test (or table row) per ID.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

func wantErr(t *testing.T, what string, err error, frags ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one containing %q", what, frags)
		return
	}
	for _, f := range frags {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("%s: error %q does not contain %q", what, err, f)
		}
	}
}

func fitted(t *testing.T, x mat.Matrix, o Options) (*Model, *Report) {
	t.Helper()
	m, rep, err := Fit(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	return m, rep
}

// M-01, M-02: NaN and ±Inf in the data, at fit and at predict/score.
func TestM01M02NonFiniteInput(t *testing.T) {
	good := uniform(newRNG(1), 10, 3)
	m, _ := fitted(t, good, Options{K: 2})
	for _, c := range []struct {
		id   string
		v    float64
		frag string
	}{
		{"M-01", math.NaN(), "contains NaN at row 1, column 1"},
		{"M-02", math.Inf(1), "contains infinity or a value too large at row 1, column 1"},
		{"M-02", math.Inf(-1), "contains infinity or a value too large"},
	} {
		x := mat.DenseCopyOf(good)
		x.Set(0, 0, c.v)
		_, _, err := Fit(context.Background(), x, Options{K: 2})
		wantErr(t, c.id+" fit", err, c.frag)
		if !errors.Is(err, ErrBadData) {
			t.Errorf("%s: %v does not wrap ErrBadData", c.id, err)
		}
		_, err = m.Predict(nil, x)
		wantErr(t, c.id+" predict", err, c.frag)
		_, err = m.Score(x, nil)
		wantErr(t, c.id+" score", err, c.frag)
		_, err = m.ScoreSamples(nil, x)
		wantErr(t, c.id+" score_samples", err, c.frag)
		_, err = m.PredictProba(nil, x)
		wantErr(t, c.id+" predict_proba", err, c.frag)
	}
}

// M-03: no rows; no columns.
func TestM03EmptyData(t *testing.T) {
	_, _, err := Fit(context.Background(), emptyMatrix{0, 3}, Options{})
	wantErr(t, "0 rows", err, "0 samples")
	_, _, err = Fit(context.Background(), emptyMatrix{12, 0}, Options{})
	wantErr(t, "0 columns", err, "0 feature(s) (shape=(12, 0)) while a minimum of 1 is required")
}

// M-04: more components than rows is an error; as many is allowed.
func TestM04TooManyComponents(t *testing.T) {
	x := uniform(newRNG(2), 10, 5)
	_, _, err := Fit(context.Background(), x, Options{K: 12})
	wantErr(t, "K=12 on 10 rows", err, "n_samples >= n_components", "10 rows", "K = 12")
	if _, _, err := Fit(context.Background(), x, Options{K: 10}); err != nil {
		t.Errorf("K = n = 10: %v", err)
	}
}

// M-05: a single row with K = 1 fits: the mean is the row, the covariance
// reg_covar·I.
func TestM05SingleRow(t *testing.T) {
	x := mat.NewDense(1, 10, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	m, _ := fitted(t, x, Options{K: 1})
	testutil.AssertCloseSlice(t, "mean", m.means, x.RawRowView(0), 0, 1e-15)
	c := m.Covariance(nil, 0)
	for i := 0; i < 10; i++ {
		testutil.AssertClose(t, "variance", c.At(i, i), DefaultRegCovar, 0, 1e-12)
	}
}

// M-06: one feature fits; a vector (gonum's N×1 VecDense) is one feature,
// so a model of D = 4 given a vector says so.
func TestM06OneFeature(t *testing.T) {
	rng := newRNG(3)
	x := randn(rng, 50, 1)
	m, _ := fitted(t, x, Options{K: 2})
	v := mat.NewVecDense(50, x.RawMatrix().Data)
	if _, err := m.Predict(nil, v); err != nil {
		t.Errorf("predict on a VecDense of one feature: %v", err)
	}
	m4, _ := fitted(t, randn(rng, 30, 4), Options{K: 2})
	_, err := m4.Predict(nil, mat.NewVecDense(4, []float64{1, 2, 3, 4}))
	wantErr(t, "vector to a 4-feature model", err, "X has 1 features, but the model is expecting 4 features as input")
}

// M-07: predict or score with the wrong number of features.
func TestM07FeatureCount(t *testing.T) {
	m, _ := fitted(t, uniform(newRNG(4), 20, 4), Options{K: 2})
	x1 := uniform(newRNG(5), 5, 1)
	for name, f := range map[string]func() error{
		"predict":       func() error { _, err := m.Predict(nil, x1); return err },
		"predict_proba": func() error { _, err := m.PredictProba(nil, x1); return err },
		"score":         func() error { _, err := m.Score(x1, nil); return err },
		"score_samples": func() error { _, err := m.ScoreSamples(nil, x1); return err },
		"bic":           func() error { _, err := m.BIC(x1); return err },
	} {
		wantErr(t, name, f(), "X has 1 features, but the model is expecting 4 features as input")
	}
}

// M-08: bad hyperparameters name the parameter; max_iter 0
// (em.NoIterations) is legal.
func TestM08BadOptions(t *testing.T) {
	x := uniform(newRNG(6), 20, 2)
	for _, c := range []struct {
		o    Options
		frag string
	}{
		{Options{K: -1}, "K (n_components) = -1"},
		{Options{Tol: -1e-3}, "Tol -0.001 is negative"},
		{Options{RegCovar: -1e-6}, "RegCovar (reg_covar) -1e-06 is negative"},
		{Options{NInit: -2}, "NInit -2"},
		{Options{MaxIter: -5}, "MaxIter -5"},
		{Options{Covariance: "banana"}, `unknown covariance type "banana"`},
		{Options{Init: "banana"}, `unknown initialisation "banana"`},
	} {
		_, _, err := Fit(context.Background(), x, c.o)
		wantErr(t, fmt.Sprintf("%+v", c.o), err, c.frag)
	}
	_, rep, err := Fit(context.Background(), x, Options{K: 2, MaxIter: em.NoIterations})
	if err != nil || rep.Iterations != 0 || rep.Status != em.StatusNoIterations {
		t.Errorf("max_iter 0: %v, %+v", err, rep)
	}
}

// M-09: user-given starting weights, means and precisions are checked.
func TestM09BadStart(t *testing.T) {
	x := uniform(newRNG(7), 30, 2)
	eye := func(v float64) *mat.SymDense { return mat.NewSymDense(2, []float64{v, 0, 0, v}) }
	bad1 := mat.NewSymDense(2, []float64{-1, 0, 0, 1}) // one −1 on the diagonal
	for _, c := range []struct {
		name string
		o    Options
		frag string
	}{
		{"weights shape", Options{K: 2, Start: &Params{Weights: []float64{1}}}, "weights has 1 values, want K = 2"},
		{"weights range", Options{K: 2, Start: &Params{Weights: []float64{1.5, -0.5}}}, "weights[0] = 1.5 is outside [0, 1]"},
		{"weights sum", Options{K: 2, Start: &Params{Weights: []float64{0.5, 0.4}}}, "weights sum to 0.9"},
		{"means shape", Options{K: 2, Start: &Params{Means: mat.NewDense(3, 2, nil)}}, "means is 3×2, want K×D = 2×2"},
		{"precisions count", Options{K: 2, Start: &Params{Precisions: []*mat.SymDense{eye(1)}}}, "precisions has 1 matrices, want K = 2"},
		{"precisions dim", Options{K: 2, Start: &Params{Precisions: []*mat.SymDense{mat.NewSymDense(3, nil), mat.NewSymDense(3, nil)}}}, "precisions[0] is 3×3, want D×D = 2×2"},
		{"full not PD", Options{K: 2, Start: &Params{Precisions: []*mat.SymDense{eye(1), bad1}}}, "precisions[1] (full) should be symmetric, positive-definite"},
		{"tied not PD", Options{K: 2, Covariance: Tied, Start: &Params{Precisions: []*mat.SymDense{bad1}}}, "precisions[0] (tied) should be symmetric, positive-definite"},
		{"diag not positive", Options{K: 2, Covariance: Diag, Start: &Params{Precisions: []*mat.SymDense{eye(-1), eye(-1)}}}, "(diag): the diagonal should be positive"},
		{"spherical not positive", Options{K: 2, Covariance: Spherical, Start: &Params{Precisions: []*mat.SymDense{eye(-1), eye(-1)}}}, "(spherical): the diagonal should be positive"},
	} {
		_, _, err := Fit(context.Background(), x, c.o)
		wantErr(t, c.name, err, c.frag)
		if err != nil && !errors.Is(err, ErrBadParams) {
			t.Errorf("%s: %v does not wrap ErrBadParams", c.name, err)
		}
	}
}

// M-10: a zero Model is not fitted: every method says so.
func TestM10NotFitted(t *testing.T) {
	var m Model
	x := uniform(newRNG(8), 3, 2)
	for name, f := range map[string]func() error{
		"predict":       func() error { _, err := m.Predict(nil, x); return err },
		"predict_proba": func() error { _, err := m.PredictProba(nil, x); return err },
		"score":         func() error { _, err := m.Score(x, nil); return err },
		"score_samples": func() error { _, err := m.ScoreSamples(nil, x); return err },
		"sample":        func() error { return m.Sample(mat.NewDense(3, 2, nil), nil, newRNG(1)) },
		"marshal":       func() error { _, err := m.Marshal(); return err },
	} {
		if err := f(); !errors.Is(err, ErrNotFitted) {
			t.Errorf("%s on a zero Model: %v, want ErrNotFitted", name, err)
		}
	}
}

// M-11: sample(0) names n_samples with the right number.
func TestM11SampleZero(t *testing.T) {
	m, _ := fitted(t, uniform(newRNG(9), 20, 2), Options{K: 2})
	// Sample's draws are the rows of dst: zero draws is an empty dst, the
	// caller's mistake, so it panics with a message saying so.
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "empty dst") {
			t.Errorf("Sample into an empty dst: recovered %v, want a panic naming the empty dst", r)
		}
	}()
	_ = m.Sample(&mat.Dense{}, nil, newRNG(1))
}

// M-12: collapsed points with reg_covar 0 fail clearly, naming the
// component, for every covariance type; with reg_covar 1e-6 they fit.
func TestM12CollapsedPoints(t *testing.T) {
	x := mat.NewDense(10, 5, nil)
	for i := 0; i < 5; i++ {
		for j := 0; j < 5; j++ {
			x.Set(i, j, 1)
		}
	}
	for _, c := range CovarianceTypes {
		_, _, err := Fit(context.Background(), x, Options{K: 10, Covariance: c, RegCovar: NoRegCovar})
		if !errors.Is(err, ErrIllDefinedCovariance) {
			t.Fatalf("%s: got %v, want ErrIllDefinedCovariance", c, err)
		}
		var ce *ComponentError
		if !errors.As(err, &ce) {
			t.Fatalf("%s: %v is not a *ComponentError", c, err)
		}
		wantErr(t, string(c), err, fmt.Sprintf("component %d", ce.Component), "points", "raise the regularisation Options.RegCovar", "lower Options.K")
		if _, _, err := Fit(context.Background(), x, Options{K: 10, Covariance: c}); err != nil {
			t.Errorf("%s with reg_covar 1e-6: %v", c, err)
		}
	}
}

// M-13: a constant column gets exactly reg_covar as its variance; with
// reg_covar 0 the fit fails clearly, never with NaN.
func TestM13ConstantColumn(t *testing.T) {
	rng := newRNG(10)
	x := randn(rng, 100, 3)
	for i := 0; i < 100; i++ {
		x.Set(i, 1, 7.5)
	}
	for _, c := range CovarianceTypes {
		m, _, err := Fit(context.Background(), x, Options{K: 2, Covariance: c})
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if c == Spherical {
			continue // the variance is shared with the other features
		}
		for k := 0; k < 2; k++ {
			testutil.AssertClose(t, string(c)+" variance of the constant column", m.Covariance(nil, k).At(1, 1), DefaultRegCovar, 1e-12, 0)
		}
		_, _, err = Fit(context.Background(), x, Options{K: 2, Covariance: c, RegCovar: NoRegCovar})
		if c != Spherical && !errors.Is(err, ErrIllDefinedCovariance) {
			t.Errorf("%s with reg_covar 0: %v, want ErrIllDefinedCovariance", c, err)
		}
	}
}

// M-14: one component on three points: weights sum to 1, sample works
// (scikit-learn #23032).
func TestM14SingleComponentFewPoints(t *testing.T) {
	m, _ := fitted(t, randn(newRNG(11), 3, 2), Options{K: 1})
	testutil.AssertClose(t, "weight sum", m.weights[0], 1, 1e-12, 0)
	if _, _, err := sampleN(m, 1, newRNG(1)); err != nil {
		t.Error(err)
	}
}

// M-15, M-25: the same seed gives the same bits, also with a large offset.
func TestM15M25Idempotent(t *testing.T) {
	rng := newRNG(12)
	x := randn(rng, 100, 2)
	for i := 0; i < 100; i++ {
		x.Set(i, 0, x.At(i, 0)+100)
		x.Set(i, 1, x.At(i, 1)+100)
	}
	for _, init := range InitMethods {
		a, _ := fitted(t, x, Options{K: 3, Init: init, Seed: 5})
		b, _ := fitted(t, x, Options{K: 3, Init: init, Seed: 5})
		if !bitsEqual(a.means, b.means) || !bitsEqual(a.covs, b.covs) || !bitsEqual(a.weights, b.weights) {
			t.Errorf("%s: two fits with the same seed differ", init)
		}
		pa, _ := a.Predict(nil, x)
		pb, _ := b.Predict(nil, x)
		if !slices.Equal(pa, pb) {
			t.Errorf("%s: predictions differ", init)
		}
	}
}

// M-16: 1-D [[9999], [0]], K = 2, reg_covar 0.1: variances exactly 0.1,
// never negative (scikit-learn #30382 computed E[x²] − μ²).
func TestM16CentredVariance(t *testing.T) {
	x := mat.NewDense(2, 1, []float64{9999, 0})
	for _, c := range []CovarianceType{Spherical, Diag, Full, Tied} {
		m, _ := fitted(t, x, Options{K: 2, Covariance: c, RegCovar: 0.1})
		for k := 0; k < 2; k++ {
			v := m.Covariance(nil, k).At(0, 0)
			if c == Tied {
				continue
			}
			testutil.AssertClose(t, string(c)+" variance", v, 0.1, 1e-12, 0)
		}
	}
}

// M-17: a divergent spherical start (precisions ≈ 1e6 on data points),
// reg_covar 0, one iteration: the first two components hold one point each,
// so their variance is exactly 0: a clear error naming the component,
// never a crash or a NaN (scikit-learn #18216). With reg_covar the same
// start fits, unconverged, with every parameter set.
func TestM17DivergentStart(t *testing.T) {
	x := uniform(newRNG(13), 30, 3)
	means := mat.NewDense(6, 3, nil)
	means.SetRow(0, x.RawRowView(0))
	means.SetRow(1, x.RawRowView(1))
	rng := newRNG(14)
	for k := 2; k < 6; k++ {
		means.SetRow(k, []float64{rng.Float64(), rng.Float64(), rng.Float64()})
	}
	prec := []float64{999999.999604483, 999999.9990869573, 553.7603944542167, 204.78596008931834, 15.867423501783637, 85.4595728389735}
	ps := make([]*mat.SymDense, 6)
	for k, p := range prec {
		ps[k] = mat.NewSymDense(3, []float64{p, 0, 0, 0, p, 0, 0, 0, p})
	}
	w := []float64{0.03333333333333341, 0.03333333333333341, 0.06666666666666674, 0.06666666666666674, 0.7000000000000001, 0.10000000000000007}
	start := &Params{Weights: w, Means: means, Precisions: ps}
	_, _, err := Fit(context.Background(), x, Options{K: 6, Covariance: Spherical, RegCovar: NoRegCovar, MaxIter: 1, Start: start})
	var ce *ComponentError
	if !errors.As(err, &ce) || ce.Component > 1 || ce.During != "iteration 1" {
		t.Fatalf("got %v, want a *ComponentError for component 0 or 1 in iteration 1", err)
	}
	testutil.AssertClose(t, "points of the collapsed component", ce.Points, 1, 1e-6, 0)
	m, rep, err := Fit(context.Background(), x, Options{K: 6, Covariance: Spherical, MaxIter: 1, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Converged || rep.Iterations != 1 {
		t.Errorf("converged %v after %d iterations; want not converged after 1", rep.Converged, rep.Iterations)
	}
	for _, v := range slices.Concat(m.weights, m.means, m.covs, m.chol, []float64{rep.LogLikelihood, rep.LowerBound}) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("a parameter is %v", v)
		}
	}
}

// M-18: repeated values leave no NaN (GaussianMixtures.jl #21).
func TestM18RepeatedValues(t *testing.T) {
	rng := newRNG(15)
	x := mat.NewDense(110, 1, nil)
	for i := 0; i < 100; i++ {
		x.Set(i, 0, rng.NormFloat64())
	}
	for i := 100; i < 110; i++ {
		x.Set(i, 0, 10)
	}
	for _, c := range CovarianceTypes {
		for _, init := range InitMethods {
			m, _, err := Fit(context.Background(), x, Options{K: 2, Covariance: c, Init: init, Seed: 3})
			if err != nil {
				t.Fatalf("%s %s: %v", c, init, err)
			}
			for _, v := range slices.Concat(m.weights, m.means, m.covs) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s %s: a parameter is %v", c, init, v)
				}
			}
		}
	}
}

// M-19: one warm-started iteration at a time, reg_covar 0, tol 1e-7: the
// training log-likelihood never falls by more than rounding, and the fit
// converges within 600 steps, for every covariance type.
func TestM19MonotonicLikelihood(t *testing.T) {
	for _, c := range CovarianceTypes {
		d := randomData(newRNG(16), 200, 2, 2, 7, c)
		var m *Model
		prev := math.Inf(-1)
		converged := false
		for step := 0; step < 600; step++ {
			var err error
			m, _, err = Fit(context.Background(), d.x, Options{K: 2, Covariance: c, RegCovar: NoRegCovar, MaxIter: 1, Tol: 1e-7, WarmStart: m, Seed: 1})
			if err != nil {
				t.Fatalf("%s step %d: %v", c, step, err)
			}
			s, err := m.Score(d.x, nil)
			if err != nil {
				t.Fatal(err)
			}
			if s < prev-em.RoundOff(s) {
				t.Fatalf("%s step %d: log-likelihood fell from %.17g to %.17g", c, step, prev, s)
			}
			prev = s
			if m.Converged() {
				converged = true
				break
			}
		}
		if !converged {
			t.Errorf("%s: not converged in 600 warm steps", c)
		}
	}
}

// M-20: max_iter 1 with reg_covar 0 does not converge, and says so in the
// status; max_iter 0 is the initialisation, status no_iterations.
func TestM20ConvergenceStatus(t *testing.T) {
	d := randomData(newRNG(17), 200, 2, 2, 50, Full)
	_, rep := fitted(t, d.x, Options{K: 2, RegCovar: NoRegCovar, MaxIter: 1})
	if rep.Converged || rep.Status != em.StatusMaxIter {
		t.Errorf("max_iter 1: status %s, converged %v", rep.Status, rep.Converged)
	}
	_, rep = fitted(t, d.x, Options{K: 2, MaxIter: em.NoIterations})
	if rep.Status != em.StatusNoIterations {
		t.Errorf("max_iter 0: status %s", rep.Status)
	}
}

// M-21: n_iter is the true count; warm-started refits detect convergence
// with n_iter ≤ max_iter.
func TestM21IterationCount(t *testing.T) {
	x := uniform(newRNG(18), 10, 5)
	m, rep := fitted(t, x, Options{K: 2, MaxIter: 1})
	if rep.Iterations != 1 || m.Iterations() != 1 {
		t.Errorf("n_iter %d, want 1", rep.Iterations)
	}
	d := randomData(newRNG(19), 200, 2, 2, 50, Full)
	for _, maxIter := range []int{1, 2, 50} {
		var m *Model
		for i := 0; i < 100; i++ {
			m, rep = fitted(t, d.x, Options{K: 2, MaxIter: maxIter, WarmStart: m})
			if rep.Converged {
				break
			}
		}
		if !rep.Converged || rep.Iterations > maxIter {
			t.Errorf("max_iter %d: converged %v, n_iter %d", maxIter, rep.Converged, rep.Iterations)
		}
	}
}

// M-22: fit then predict gives the labels of the final E-step (scikit-learn
// #13070: the final E-step ran before the best start was restored): the
// reported log-likelihood is Score(X) to the bit, for one and many starts.
func TestM22FitPredictConsistent(t *testing.T) {
	for _, c := range []struct {
		seed    uint64
		maxIter int
		tol     float64
	}{{0, 2, 1e-7}, {1, 2, 1e-1}, {3, 300, 1e-7}, {4, 300, 1e-1}} {
		d := randomData(newRNG(20+c.seed), 200, 2, 2, 7, Full)
		m, rep := fitted(t, d.x, Options{K: 2, MaxIter: c.maxIter, Tol: c.tol, Seed: c.seed})
		s, _ := m.Score(d.x, nil)
		if s != rep.LogLikelihood {
			t.Errorf("%+v: Score %v, report %v", c, s, rep.LogLikelihood)
		}
	}
	x := randn(newRNG(24), 1000, 5)
	m, rep := fitted(t, x, Options{K: 5, NInit: 5, Seed: 2})
	s, _ := m.Score(x, nil)
	if s != rep.LogLikelihood || rep.Starts[rep.Best].LogLikelihood != s {
		t.Errorf("n_init 5: Score %v, report %v, best start %v", s, rep.LogLikelihood, rep.Starts[rep.Best].LogLikelihood)
	}
}

// M-23: more starts never end lower: the first start of NInit = 10 is the
// start of NInit = 1, and the best is kept (scikit-learn #10869).
func TestM23MoreStartsNoWorse(t *testing.T) {
	for seed := uint64(0); seed < 15; seed++ {
		x := randn(newRNG(100+seed), 50, 2)
		_, one := fitted(t, x, Options{K: 2, MaxIter: 1, Seed: seed})
		_, ten := fitted(t, x, Options{K: 2, MaxIter: 1, Seed: seed, NInit: 10})
		if ten.LogLikelihood < one.LogLikelihood || ten.LowerBound < one.LowerBound-1e-300 && ten.Best == 0 {
			t.Errorf("seed %d: 10 starts %v < 1 start %v", seed, ten.LogLikelihood, one.LogLikelihood)
		}
	}
	x := randn(newRNG(200), 50, 5)
	for _, c := range CovarianceTypes {
		_, one := fitted(t, x, Options{K: 2, Covariance: c})
		_, five := fitted(t, x, Options{K: 2, Covariance: c, NInit: 5})
		if five.LogLikelihood < one.LogLikelihood {
			t.Errorf("%s: 5 starts %v < 1 start %v", c, five.LogLikelihood, one.LogLikelihood)
		}
	}
}

// M-24: with one seed, the starts of NInit differ (scikit-learn #7377 gave
// every start the same seed).
func TestM24StartsDiffer(t *testing.T) {
	x := randn(newRNG(25), 300, 2)
	for _, init := range InitMethods {
		_, rep := fitted(t, x, Options{K: 3, NInit: 5, Seed: 9, Init: init, MaxIter: 1})
		first := map[float64]bool{}
		for _, s := range rep.Starts {
			first[s.Trace[0].LogLik] = true
		}
		if len(first) < 2 {
			t.Errorf("%s: all 5 starts begin at the same log-likelihood", init)
		}
	}
}

// M-26: a cold fit of 2 iterations equals two warm fits of 1; the score
// rises between the warm steps; warm steps of max_iter 5 converge where one
// cold fit of 5 does not.
func TestM26WarmStart(t *testing.T) {
	for seed := uint64(0); seed < 3; seed++ {
		x := uniform(newRNG(300+seed), 500, 2)
		g, _ := fitted(t, x, Options{K: 2, MaxIter: 2, RegCovar: NoRegCovar, Seed: seed})
		h1, _ := fitted(t, x, Options{K: 2, MaxIter: 1, RegCovar: NoRegCovar, Seed: seed})
		s1, _ := h1.Score(x, nil)
		h2, _ := fitted(t, x, Options{K: 2, MaxIter: 1, RegCovar: NoRegCovar, WarmStart: h1})
		s2, _ := h2.Score(x, nil)
		// assert_almost_equal's 7 decimals.
		testutil.AssertCloseSlice(t, "weights", h2.weights, g.weights, 1.5e-7, 0)
		testutil.AssertCloseSlice(t, "means", h2.means, g.means, 1.5e-7, 0)
		for k := 0; k < 2; k++ {
			testutil.AssertCloseSlice(t, "precisions", h2.Precision(nil, k).RawSymmetric().Data, g.Precision(nil, k).RawSymmetric().Data, 1.5e-7, 0)
		}
		if !(s2 > s1) {
			t.Errorf("seed %d: score did not rise: %v then %v", seed, s1, s2)
		}
		_, cold := fitted(t, x, Options{K: 2, MaxIter: 5, RegCovar: NoRegCovar, Seed: seed, Tol: 1e-6})
		if cold.Converged {
			t.Errorf("seed %d: a cold fit of 5 iterations converged", seed)
		}
		var h *Model
		var rep *Report
		for i := 0; i < 1000; i++ {
			h, rep = fitted(t, x, Options{K: 2, MaxIter: 5, RegCovar: NoRegCovar, Seed: seed, Tol: 1e-6, WarmStart: h})
			if rep.Converged {
				break
			}
		}
		if !rep.Converged {
			t.Errorf("seed %d: warm steps never converged", seed)
		}
	}
}

// M-27: the known truth is recovered: weights within the catalog's rtol
// 0.1, atol 0.01 (the drawn proportions are exact), means within 4
// standard errors √(λ_max/n_k) of the true ones, labels with ARI > 0.95.
// For the precisions the catalog's bound (error norm ≤ 0.15) holds for
// scikit-learn's own draw of 200 points but is a 2–3 standard-error event
// for others; with clusters 15 apart the maximum-likelihood estimate is the
// clusters' own sample statistics, which is sharper: every covariance
// equals that of the true labels (in the type's form) to 1e-6.
func TestM27RecoverTruth(t *testing.T) {
	for _, c := range CovarianceTypes {
		// scikit-learn's seed happens to give separated clusters; ours are
		// drawn until the means are 15 apart (covariance eigenvalues ≤ 2),
		// the premise of recovering the labels.
		var d *truth
		for seed := uint64(27); ; seed++ {
			d = randomData(newRNG(seed), 200, 2, 2, 50, c)
			if dx, dy := d.means.At(0, 0)-d.means.At(1, 0), d.means.At(0, 1)-d.means.At(1, 1); math.Hypot(dx, dy) > 15 {
				break
			}
		}
		m, _ := fitted(t, d.x, Options{K: 2, Covariance: c, NInit: 20, RegCovar: NoRegCovar, Seed: 1})
		gi := sortedBy(2, func(k int) float64 { return m.means[k*2] })
		ti := sortedBy(2, func(k int) float64 { return d.means.At(k, 0) })
		// Sample scatter of each true cluster.
		scat := make([]*mat.SymDense, 2)
		cnt := make([]float64, 2)
		tiedS := mat.NewSymDense(2, nil)
		for k := 0; k < 2; k++ {
			var rows []int
			for i, l := range d.labels {
				if l == k {
					rows = append(rows, i)
				}
			}
			sub := mat.NewDense(len(rows), 2, nil)
			for i, r := range rows {
				sub.SetRow(i, d.x.RawRowView(r))
			}
			scat[k] = mat.NewSymDense(2, nil)
			covarianceTo(scat[k], sub)
			cnt[k] = float64(len(rows))
			tmp := mat.NewSymDense(2, nil)
			tmp.ScaleSym(cnt[k]/200, scat[k])
			tiedS.AddSym(tiedS, tmp)
		}
		for i := range gi {
			g, k := gi[i], ti[i]
			testutil.AssertClose(t, string(c)+" weight", m.weights[g], d.weights[k], 1e-2, 0.1)
			var es mat.EigenSym
			es.Factorize(d.covs[k], false)
			lmax := slices.Max(es.Values(nil))
			testutil.AssertCloseSlice(t, string(c)+" mean", m.means[g*2:g*2+2], d.means.RawRowView(k), 4*math.Sqrt(lmax/cnt[k]), 0)
			want := mat.NewSymDense(2, nil)
			switch c {
			case Full:
				want.CopySym(scat[k])
			case Tied:
				want.CopySym(tiedS)
			case Diag:
				want.SetSym(0, 0, scat[k].At(0, 0))
				want.SetSym(1, 1, scat[k].At(1, 1))
			case Spherical:
				v := (scat[k].At(0, 0) + scat[k].At(1, 1)) / 2
				want.SetSym(0, 0, v)
				want.SetSym(1, 1, v)
			}
			testutil.AssertCloseSlice(t, string(c)+" covariance vs the true clusters'", m.Covariance(nil, g).RawSymmetric().Data, want.RawSymmetric().Data, 1e-6, 1e-6)
		}
		pred, _ := m.Predict(nil, d.x)
		if r := ari(pred, d.labels); r <= 0.95 {
			t.Errorf("%s: ARI %v ≤ 0.95", c, r)
		}
	}
}

// M-28: every initialisation starts from distinct means; fitted means lie
// inside the data's bounding box, and the fit converges.
func TestM28InitMeans(t *testing.T) {
	d := randomData(newRNG(28), 200, 2, 2, 5, Full)
	for _, init := range InitMethods {
		for seed := uint64(0); seed < 5; seed++ {
			m, _ := fitted(t, d.x, Options{K: 2, Init: init, MaxIter: em.NoIterations, Seed: seed})
			if testutil.MaxAbsDiff(m.means[:2], m.means[2:]) < 1e-8 {
				t.Errorf("%s seed %d: the two starting means coincide", init, seed)
			}
			m, rep := fitted(t, d.x, Options{K: 2, Init: init, Seed: seed})
			if !rep.Converged {
				t.Errorf("%s seed %d: not converged", init, seed)
			}
			for j := 0; j < 2; j++ {
				col := mat.Col(nil, j, d.x)
				lo, hi := slices.Min(col), slices.Max(col)
				for k := 0; k < 2; k++ {
					if v := m.means[k*2+j]; v < lo || v > hi {
						t.Errorf("%s seed %d: mean %v outside [%v, %v]", init, seed, v, lo, hi)
					}
				}
			}
		}
	}
}

// M-29: user-given parameters are not re-estimated, and diagonal
// precisions taken from the k-means start give the automatic path's
// iterations and precision Cholesky factors (scikit-learn #16944, #26015).
func TestM29GivenStart(t *testing.T) {
	rng := newRNG(29)
	x := mat.NewDense(600, 2, nil)
	for i := 0; i < 300; i++ {
		x.Set(i, 0, rng.NormFloat64()+20)
		x.Set(i, 1, rng.NormFloat64()+20)
		a, b := rng.NormFloat64(), rng.NormFloat64()
		x.Set(300+i, 0, 3.5*b)
		x.Set(300+i, 1, -0.7*a+0.7*b)
	}
	init, _ := fitted(t, x, Options{K: 2, Covariance: Diag, MaxIter: em.NoIterations, Seed: 0})
	prec := make([]*mat.SymDense, 2)
	for k := range prec {
		prec[k] = init.Precision(nil, k)
	}
	with, rw := fitted(t, x, Options{K: 2, Covariance: Diag, Seed: 0, Start: &Params{Precisions: prec}})
	without, ro := fitted(t, x, Options{K: 2, Covariance: Diag, Seed: 0})
	if rw.Iterations != ro.Iterations {
		t.Errorf("n_iter %d with precisions given, %d without", rw.Iterations, ro.Iterations)
	}
	for k := 0; k < 2; k++ {
		testutil.AssertCloseSlice(t, "precision Cholesky", with.PrecisionCholesky(nil, k).RawTriangular().Data,
			without.PrecisionCholesky(nil, k).RawTriangular().Data, 1e-12, 1e-7)
	}
	// All given: returned as given by a fit of no iterations.
	means := mat.NewDense(2, 2, []float64{20, 30, 30, 25})
	m, rep := fitted(t, x, Options{K: 2, MaxIter: em.NoIterations, Start: &Params{Weights: []float64{0.5, 0.5}, Means: means,
		Covariances: []*mat.SymDense{mat.NewSymDense(2, []float64{1, 0, 0, 1}), mat.NewSymDense(2, []float64{2, 0.5, 0.5, 1})}}})
	if !slices.Equal(m.means, means.RawMatrix().Data) || rep.Init != "given" || m.covs[5] != 0.5 {
		t.Errorf("given start was changed: means %v, covs %v, init %q", m.means, m.covs, rep.Init)
	}
	// Means alone (scikit-learn's test_max_iter_zero).
	m, _ = fitted(t, x, Options{K: 2, MaxIter: em.NoIterations, Start: &Params{Means: means}})
	if !slices.Equal(m.means, means.RawMatrix().Data) {
		t.Errorf("means_init not kept: %v", m.means)
	}
}

// M-30: the reported log-likelihood is that of the returned parameters
// (Score on the training data, to 1e-12); LowerBound is scikit-learn's
// lower_bound_, the value before the last M-step.
func TestM30ReportedLogLikelihood(t *testing.T) {
	d := randomData(newRNG(30), 300, 3, 2, 10, Full)
	m, rep := fitted(t, d.x, Options{K: 3, MaxIter: 3, Tol: em.NoTol})
	s, _ := m.Score(d.x, nil)
	testutil.AssertClose(t, "log-likelihood vs score", rep.LogLikelihood, s, 0, 1e-12)
	tr := rep.Starts[0].Trace
	if rep.LowerBound != tr[len(tr)-1].LogLik {
		t.Errorf("lower bound %v, last iteration's log-likelihood %v", rep.LowerBound, tr[len(tr)-1].LogLik)
	}
}

// M-31: responsibilities sum to 1, predict is their argmax, labels lie in
// [0, K).
func TestM31Responsibilities(t *testing.T) {
	for _, c := range CovarianceTypes {
		d := randomData(newRNG(31), 200, 3, 2, 7, c)
		m, _ := fitted(t, d.x, Options{K: 3, Covariance: c})
		p, err := m.PredictProba(nil, d.x)
		if err != nil {
			t.Fatal(err)
		}
		lab, _ := m.Predict(nil, d.x)
		for i := 0; i < 200; i++ {
			row := p.RawRowView(i)
			s := 0.0
			for _, v := range row {
				s += v
			}
			testutil.AssertClose(t, "row sum", s, 1, 1e-6, 0)
			best := 0
			for k := range row {
				if row[k] > row[best] {
					best = k
				}
			}
			if lab[i] != best || lab[i] < 0 || lab[i] >= 3 {
				t.Fatalf("%s row %d: label %d, argmax %d", c, i, lab[i], best)
			}
		}
	}
}

// M-32: a diagonal covariance in every type gives the sum of univariate
// normal log densities, and gonum's distmv.Normal; the 2-D standard normal
// at 0 is −1.837877066409345 (gonum's TestNormProbs).
func TestM32LogDensities(t *testing.T) {
	rng := newRNG(32)
	mu := []float64{0.5, -1, 2}
	vars := []float64{0.3, 1.7, 2.5}
	x := randn(rng, 20, 3)
	for _, c := range CovarianceTypes {
		v := vars
		if c == Spherical {
			v = []float64{1.2, 1.2, 1.2}
		}
		cov := mat.NewSymDense(3, nil)
		for j := range v {
			cov.SetSym(j, j, v[j])
		}
		m, err := New(c, Params{Weights: []float64{1}, Means: mat.NewDense(1, 3, mu), Covariances: []*mat.SymDense{cov}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := m.ScoreSamples(nil, x)
		comp := m.Component(0, nil)
		for i := 0; i < 20; i++ {
			want := 0.0
			for j := range mu {
				want += distuv.Normal{Mu: mu[j], Sigma: math.Sqrt(v[j])}.LogProb(x.At(i, j))
			}
			testutil.AssertClose(t, string(c)+" vs univariate", got[i], want, 1e-6, 0)
			testutil.AssertClose(t, string(c)+" vs distmv", got[i], comp.LogProb(x.RawRowView(i)), 1e-12, 1e-12)
		}
	}
	m, _ := New(Full, Params{Weights: []float64{1}, Means: mat.NewDense(1, 2, nil), Covariances: []*mat.SymDense{mat.NewSymDense(2, []float64{1, 0, 0, 1})}}, nil)
	s, _ := m.ScoreSamples(nil, mat.NewDense(1, 2, nil))
	testutil.AssertClose(t, "2-D standard normal at 0", s[0], -1.837877066409345, 1e-14, 0)
}

// M-33: log det of the precision factor is −½ log det Σ; M-34: precision
// and covariance are inverses, and the precision Cholesky factor squares to
// the precision.
func TestM33M34Factors(t *testing.T) {
	for _, c := range CovarianceTypes {
		d := randomData(newRNG(33), 300, 2, 3, 7, c)
		m, _ := fitted(t, d.x, Options{K: 2, Covariance: c, NInit: 2})
		for k := 0; k < 2; k++ {
			cov := m.Covariance(nil, k)
			var ch mat.Cholesky
			ch.Factorize(cov)
			testutil.AssertClose(t, "log det", m.logDet[k], -0.5*ch.LogDet(), 1e-6, 0)
			p := m.Precision(nil, k)
			var prod mat.Dense
			prod.Mul(p, cov)
			if !mat.EqualApprox(&prod, eye(3), 1e-6) {
				t.Errorf("%s: Σ⁻¹Σ = %v", c, mat.Formatted(&prod))
			}
			u := m.PrecisionCholesky(nil, k)
			var uu mat.Dense
			uu.Mul(u, u.T())
			if !mat.EqualApprox(&uu, p, 1e-6) {
				t.Errorf("%s: UUᵀ ≠ Σ⁻¹", c)
			}
		}
	}
}

func eye(n int) *mat.Dense {
	e := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		e.Set(i, i, 1)
	}
	return e
}

// M-35: score is the mean of score_samples, which has one value per row; a
// full fit scores higher than one iteration.
func TestM35Score(t *testing.T) {
	d := randomData(newRNG(35), 200, 2, 2, 7, Full)
	m, _ := fitted(t, d.x, Options{K: 2, Seed: 1})
	one, _ := fitted(t, d.x, Options{K: 2, Seed: 1, MaxIter: 1, Init: InitRandom})
	ss, _ := m.ScoreSamples(nil, d.x)
	if len(ss) != 200 {
		t.Fatalf("%d values", len(ss))
	}
	mean := 0.0
	for _, v := range ss {
		mean += v
	}
	mean /= 200
	s, _ := m.Score(d.x, nil)
	testutil.AssertClose(t, "score vs mean score_samples", s, mean, 1e-7, 0)
	s1, _ := one.Score(d.x, nil)
	if !(s > s1) {
		t.Errorf("full fit %v ≤ one iteration %v", s, s1)
	}
}

// M-36: free parameters for D = 5, K = 2; for 1-D, 1 component, BIC is
// the same for every covariance type.
func TestM36Parameters(t *testing.T) {
	want := map[CovarianceType]int{Spherical: 13, Diag: 21, Tied: 26, Full: 41}
	x := randn(newRNG(36), 50, 5)
	for c, n := range want {
		m, _ := fitted(t, x, Options{K: 2, Covariance: c})
		if m.NumParams() != n {
			t.Errorf("%s: %d parameters, want %d", c, m.NumParams(), n)
		}
	}
	x1 := randn(newRNG(37), 100, 1)
	m, _ := fitted(t, x1, Options{K: 1})
	bicFull, _ := m.BIC(x1)
	for _, c := range []CovarianceType{Tied, Diag, Spherical} {
		m, _ := fitted(t, x1, Options{K: 1, Covariance: c})
		b, _ := m.BIC(x1)
		testutil.AssertClose(t, string(c)+" BIC", b, bicFull, 1e-7, 0)
	}
}

// M-37: sample(n) returns exactly n rows for every n, and 20000 draws have
// each component's mean and covariance (to 0.1, scikit-learn's 1 decimal).
func TestM37Sample(t *testing.T) {
	for _, c := range CovarianceTypes {
		d := randomData(newRNG(38), 300, 3, 2, 20, c)
		m, _ := fitted(t, d.x, Options{K: 3, Covariance: c, Seed: 2})
		rng := newRNG(39)
		for n := 1; n < 100; n++ {
			x, lab, err := sampleN(m, n, rng)
			if err != nil {
				t.Fatal(err)
			}
			if r, cc := x.Dims(); r != n || cc != 2 || len(lab) != n {
				t.Fatalf("%s sample(%d): %d×%d, %d labels", c, n, r, cc, len(lab))
			}
		}
		x, lab, _ := sampleN(m, 20000, rng)
		for k := 0; k < 3; k++ {
			var rows []int
			for i, l := range lab {
				if l == k {
					rows = append(rows, i)
				}
			}
			if len(rows) < 1000 {
				continue // too few draws to compare
			}
			sub := mat.NewDense(len(rows), 2, nil)
			for i, r := range rows {
				sub.SetRow(i, x.RawRowView(r))
			}
			var cov mat.SymDense
			mean := []float64{mat.Sum(sub.ColView(0)) / float64(len(rows)), mat.Sum(sub.ColView(1)) / float64(len(rows))}
			covarianceTo(&cov, sub)
			// Tolerances: 4 standard errors (the mean's √(σ²/n); a
			// variance's σ²·√(2/n)); at n = 20000 that is scikit-learn's 1
			// decimal for unit variances.
			want := m.Covariance(nil, k)
			n := float64(len(rows))
			vmax := math.Max(want.At(0, 0), want.At(1, 1))
			testutil.AssertCloseSlice(t, string(c)+" sample mean", mean, m.means[k*2:k*2+2], 4*math.Sqrt(vmax/n), 0)
			testutil.AssertCloseSlice(t, string(c)+" sample covariance", cov.RawSymmetric().Data, want.RawSymmetric().Data, 4*vmax*math.Sqrt(2/n), 0)
		}
	}
}

func covarianceTo(dst *mat.SymDense, x *mat.Dense) {
	r, c := x.Dims()
	mean := make([]float64, c)
	for j := range mean {
		mean[j] = mat.Sum(x.ColView(j)) / float64(r)
	}
	*dst = *mat.NewSymDense(c, nil)
	for a := 0; a < c; a++ {
		for b := a; b < c; b++ {
			s := 0.0
			for i := 0; i < r; i++ {
				s += (x.At(i, a) - mean[a]) * (x.At(i, b) - mean[b])
			}
			dst.SetSym(a, b, s/float64(r))
		}
	}
}

// M-38: predictions of a batch equal those of each row alone and of the
// rows permuted, bit for bit (the catalog allows 1e-7 and 1e-9).
func TestM38BatchInvariance(t *testing.T) {
	for _, c := range CovarianceTypes {
		d := randomData(newRNG(40), 200, 3, 3, 7, c)
		m, _ := fitted(t, d.x, Options{K: 3, Covariance: c})
		x := d.x.Slice(0, 20, 0, 3).(*mat.Dense)
		all, _ := m.ScoreSamples(nil, x)
		pa, _ := m.PredictProba(nil, x)
		perm := newRNG(41).Perm(20)
		xp := mat.NewDense(20, 3, nil)
		for i, p := range perm {
			xp.SetRow(i, x.RawRowView(p))
		}
		sp, _ := m.ScoreSamples(nil, xp)
		for i := 0; i < 20; i++ {
			one, _ := m.ScoreSamples(nil, x.Slice(i, i+1, 0, 3))
			po, _ := m.PredictProba(nil, x.Slice(i, i+1, 0, 3))
			if one[0] != all[i] || !bitsEqual(po.RawRowView(0), pa.RawRowView(i)) {
				t.Errorf("%s row %d: alone %v, in the batch %v", c, i, one[0], all[i])
			}
		}
		for i, p := range perm {
			if sp[i] != all[p] {
				t.Errorf("%s: permuted row %d scores %v, in order %v", c, i, sp[i], all[p])
			}
		}
	}
}

// M-39: fit does not modify X, the weights or the start; predict, score and
// sample do not modify the model.
func TestM39NoMutation(t *testing.T) {
	d := randomData(newRNG(42), 200, 2, 2, 7, Full)
	x0 := mat.DenseCopyOf(d.x)
	w := make([]float64, 200)
	for i := range w {
		w[i] = 1 + float64(i%3)
	}
	w0 := slices.Clone(w)
	means := mat.NewDense(2, 2, []float64{1, 1, 5, 5})
	means0 := mat.DenseCopyOf(means)
	start := &Params{Means: means}
	m, _ := fitted(t, d.x, Options{K: 2, Weights: w, Start: start})
	if !mat.Equal(x0, d.x) || !slices.Equal(w, w0) || !mat.Equal(means, means0) || start.Weights != nil {
		t.Error("Fit modified its inputs")
	}
	before, _ := m.Marshal()
	m.Predict(nil, d.x)
	m.PredictProba(nil, d.x)
	m.Score(d.x, nil)
	m.ScoreSamples(nil, d.x)
	sampleN(m, 10, newRNG(1))
	m.BIC(d.x)
	m.Component(1, nil)
	if after, _ := m.Marshal(); string(after[strings.Index(string(after), `"body"`):]) != string(before[strings.Index(string(before), `"body"`):]) {
		t.Error("a method modified the model")
	}
	// A warm start leaves its model alone.
	m2, _ := fitted(t, d.x, Options{K: 2, WarmStart: m, MaxIter: 3})
	if after, _ := m.Marshal(); string(after[strings.Index(string(after), `"body"`):]) != string(before[strings.Index(string(before), `"body"`):]) || m2 == m {
		t.Error("the warm start modified its model")
	}
}

// The same seed gives the same bits whatever GOMAXPROCS and the number of
// workers (DESIGN; HELPERS "Reproducible").
func TestSameBitsAnyGOMAXPROCS(t *testing.T) {
	d := randomData(newRNG(43), 30000, 4, 3, 10, Full)
	var ref *Model
	old := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(old)
	for _, procs := range []int{1, 2, 3} {
		runtime.GOMAXPROCS(procs)
		for _, c := range CovarianceTypes {
			_ = c
		}
		m, _ := fitted(t, d.x, Options{K: 4, Seed: 3, NInit: 2, Init: InitKMeans})
		if ref == nil {
			ref = m
			continue
		}
		if !bitsEqual(m.means, ref.means) || !bitsEqual(m.covs, ref.covs) || !bitsEqual(m.weights, ref.weights) || m.logLik != ref.logLik {
			t.Errorf("GOMAXPROCS %d: the fit differs from GOMAXPROCS 1", procs)
		}
	}
	for _, workers := range []int{1, 4, 7} {
		m, _ := fitted(t, d.x, Options{K: 4, Seed: 3, NInit: 2, Workers: workers})
		if !bitsEqual(m.means, ref.means) || !bitsEqual(m.covs, ref.covs) {
			t.Errorf("%d workers: the fit differs", workers)
		}
	}
}
