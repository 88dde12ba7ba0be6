package biasvar_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/testutil"
)

var bg = context.Background()

// within fails t unless |got − want| ≤ z·se.
func within(t *testing.T, what string, got, want, se, z float64) {
	t.Helper()
	if !(math.Abs(got-want) <= z*se) {
		t.Errorf("%s: got %.6g, want %.6g within %g·SE = %.3g (off by %.2f SE)", what, got, want, z, z*se, (got-want)/se)
	}
}

// neighbourMeanF returns the mean of f over the k nearest rows of train to
// x0 (ties to the earlier row, as KNN).
func neighbourMeanF(train [][]float64, x0 []float64, k int, f func([]float64) float64) float64 {
	type nb struct {
		d float64
		i int
	}
	best := []nb{}
	for i, x := range train {
		var d float64
		for j := range x {
			d += (x[j] - x0[j]) * (x[j] - x0[j])
		}
		pos := len(best)
		for pos > 0 && best[pos-1].d > d {
			pos--
		}
		best = append(best[:pos], append([]nb{{d, i}}, best[pos:]...)...)
		if len(best) > k {
			best = best[:k]
		}
	}
	var s float64
	for _, b := range best {
		s += f(train[b.i])
	}
	return s / float64(k)
}

// k-NN regression with a fixed design against Hastie, Tibshirani & Friedman,
// ESL 2nd ed., §7.3, eq. 7.10: Err(x0) = σ² + [f(x0) − (1/k)Σ f(x_(l))]² + σ²/k.
func TestKNNFixedDesignESL710(t *testing.T) {
	const sigma, k, n, R = 0.3, 5, 50, 4000
	p := biasvar.Sine(n, sigma)
	p.Design = biasvar.Fixed
	rep, err := biasvar.Decompose(bg, p, biasvar.KNN{K: k}, biasvar.Options{Rounds: R, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rounds.Succeeded != R || len(rep.TrainX) != n {
		t.Fatalf("rounds %+v, train_x %d rows", rep.Rounds, len(rep.TrainX))
	}
	var wantB2 float64
	bad := 0
	for i, x0 := range rep.X {
		b := p.F(x0) - neighbourMeanF(rep.TrainX, x0, k, p.F)
		wantB2 += b * b / float64(len(rep.X))
		// Per point: all within 4.5 SE (with 100 points, the chance that
		// one of them is beyond 4.5 SE by accident is below 0.1%).
		if math.Abs(rep.Bias2[i]-b*b) > 4.5*rep.Bias2StdErr[i] || math.Abs(rep.Variance[i]-sigma*sigma/k) > 4.5*rep.VarianceStdErr[i] {
			bad++
			t.Errorf("x0 = %.3f: bias² %.4g ± %.2g (ESL %.4g), variance %.4g ± %.2g (ESL %.4g)", x0[0],
				rep.Bias2[i], rep.Bias2StdErr[i], b*b, rep.Variance[i], rep.VarianceStdErr[i], sigma*sigma/k)
		}
		if rep.Noise[i] != sigma*sigma {
			t.Fatalf("noise at %d: got %v, want σ² = %v", i, rep.Noise[i], sigma*sigma)
		}
	}
	tot := rep.Totals
	within(t, "mean variance vs σ²/k", tot.Variance.Value, sigma*sigma/k, tot.Variance.StdErr, 3)
	within(t, "mean bias² vs ESL 7.10", tot.Bias2.Value, wantB2, tot.Bias2.StdErr, 3)
	within(t, "error vs σ² + bias² + σ²/k", tot.Error.Value, sigma*sigma+wantB2+sigma*sigma/k, tot.Error.StdErr, 3)
	if !rep.Check.OK {
		t.Errorf("identity check failed: %+v", rep.Check)
	}
	t.Logf("ESL 7.10, k=%d n=%d σ=%g R=%d: variance %.5f ± %.5f (σ²/k = %.5f); bias² %.5f ± %.5f (ESL %.5f); error %.5f ± %.5f (ESL %.5f)",
		k, n, sigma, R, tot.Variance.Value, tot.Variance.StdErr, sigma*sigma/k, tot.Bias2.Value, tot.Bias2.StdErr, wantB2,
		tot.Error.Value, tot.Error.StdErr, sigma*sigma+wantB2+sigma*sigma/k)
}

// Least squares with a fixed design: the variance of the fit averaged over
// the training points is σ²·p/N (ESL §7.3, the formula after eq. 7.11: the
// trace of the hat matrix is p). A cubic fitted to a cubic is unbiased.
func TestLeastSquaresFixedDesignVariance(t *testing.T) {
	const sigma, n, R = 0.5, 30, 3000
	for _, deg := range []int{1, 3, 8} {
		p := biasvar.Cubic(n, sigma)
		rng := rand.New(rand.NewPCG(3, 4))
		x := mat.NewDense(n, 1, nil)
		for i := 0; i < n; i++ {
			x.Set(i, 0, rng.Float64())
		}
		p.Design, p.TrainX, p.Test = biasvar.Fixed, x, x
		rep, err := biasvar.Decompose(bg, p, biasvar.Poly{Degree: deg}, biasvar.Options{Rounds: R, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		want := sigma * sigma * float64(deg+1) / n
		within(t, rep.Learner+": mean variance at the training points vs σ²p/N", rep.Totals.Variance.Value, want, rep.Totals.Variance.StdErr, 3)
		if deg >= 3 {
			within(t, rep.Learner+": bias² of an unbiased fit", rep.Totals.Bias2.Value, 0, rep.Totals.Bias2.StdErr, 3)
		}
		t.Logf("%s: variance %.5f ± %.5f, σ²p/N = %.5f; bias² %.2g ± %.2g", rep.Learner, rep.Totals.Variance.Value, rep.Totals.Variance.StdErr, want, rep.Totals.Bias2.Value, rep.Totals.Bias2.StdErr)
	}
}

// constant ignores the data.
func constant(c float64) biasvar.Learner {
	return biasvar.LearnerFunc(func(x *mat.Dense, y []float64, _ *rand.Rand) (biasvar.Model, error) {
		return biasvar.ModelFunc(func([]float64) float64 { return c }), nil
	})
}

// B-03: a constant predictor has variance 0 exactly and bias² = mean (c − f)².
func TestConstantPredictorB03(t *testing.T) {
	p := biasvar.Sine(20, 0.3)
	rep, err := biasvar.Decompose(bg, p, constant(0.25), biasvar.Options{Rounds: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var want float64
	for i, x := range rep.X {
		d := 0.25 - p.F(x)
		want += d * d / float64(len(rep.X))
		if rep.Variance[i] != 0 {
			t.Fatalf("variance at %d: got %v, want 0 exactly", i, rep.Variance[i])
		}
	}
	if rep.Totals.Variance.Value != 0 || rep.Totals.Variance.StdErr != 0 {
		t.Errorf("variance: got %+v, want exactly 0 ± 0", rep.Totals.Variance)
	}
	testutil.AssertClose(t, "bias² of a constant", rep.Totals.Bias2.Value, want, 0, 1e-12)
	testutil.AssertClose(t, "plug-in bias² of a constant", rep.Totals.Bias2Plugin.Value, want, 0, 1e-12)
}

// oracle predicts the true f.
func oracle(f func([]float64) float64) biasvar.Learner {
	return biasvar.LearnerFunc(func(x *mat.Dense, y []float64, _ *rand.Rand) (biasvar.Model, error) {
		return biasvar.ModelFunc(f), nil
	})
}

// B-04: the oracle f has bias² 0 and variance 0; its loss against noisy y
// is σ² within 4 SE (SE from the run).
func TestOracleB04(t *testing.T) {
	const sigma = 0.3
	p := biasvar.Sine(20, sigma)
	rep, err := biasvar.Decompose(bg, p, oracle(p.F), biasvar.Options{Rounds: 400, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.Bias2.Value != 0 || rep.Totals.Variance.Value != 0 {
		t.Errorf("oracle: bias² %v, variance %v; want 0 and 0", rep.Totals.Bias2.Value, rep.Totals.Variance.Value)
	}
	within(t, "oracle error vs σ²", rep.Totals.Error.Value, sigma*sigma, rep.Totals.Error.StdErr, 4)
	if !(rep.Totals.Error.StdErr > 0) {
		t.Errorf("oracle error SE %v: want > 0 (the noise of fresh targets)", rep.Totals.Error.StdErr)
	}
}

// B-02: the expected loss against fresh noisy y is bias² + variance + σ²
// within 4 SE, with the bias measured against f: a learner's bias² does not
// absorb σ², while mlxtend-style bootstrap "bias" against y does.
func TestErrorIdentityB02(t *testing.T) {
	const sigma = 0.5
	for _, l := range []biasvar.Learner{biasvar.KNN{K: 3}, biasvar.Poly{Degree: 2}, biasvar.Tree{MaxDepth: 4}} {
		p := biasvar.Sine(40, sigma)
		rep, err := biasvar.Decompose(bg, p, l, biasvar.Options{Rounds: 600, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		c := rep.Check
		within(t, rep.Learner+": error − (noise + bias² + variance)", c.Gap.Value, 0, c.Gap.StdErr, 4)
		if !c.OK || c.Exact {
			t.Errorf("%s: check %+v", rep.Learner, c)
		}
	}
	// The oracle on a bootstrap of one noisy data set: its "bias²" against
	// y is the mean of (f − y)², the noise.
	rng := rand.New(rand.NewPCG(1, 2))
	m := 2000
	xte := mat.NewDense(m, 1, nil)
	yte := make([]float64, m)
	var want float64
	p := biasvar.Sine(10, sigma)
	for i := range yte {
		xte.Set(i, 0, rng.Float64())
		yte[i] = p.F(xte.RawRowView(i)) + sigma*rng.NormFloat64()
		want += math.Pow(p.F(xte.RawRowView(i))-yte[i], 2) / float64(m)
	}
	d := biasvar.Data{XTrain: xte, YTrain: yte, XTest: xte, YTest: yte}
	rep, err := biasvar.Bootstrap(bg, d, oracle(p.F), biasvar.Options{Rounds: 5})
	if err != nil {
		t.Fatal(err)
	}
	testutil.AssertClose(t, "bootstrap bias²+noise of the oracle", rep.Totals.Bias2PlusNoise.Value, want, 0, 1e-12)
	within(t, "… which is σ²", want, sigma*sigma, sigma*sigma*math.Sqrt(2.0/float64(m)), 4)
}

// B-05: the sample mean of n points from N(μ, σ²): variance σ²/n; the
// plug-in bias² has expectation variance/R although the true bias is 0;
// the corrected bias² has expectation 0. Checked over 400 independent runs.
func TestPluginBiasInflationB05(t *testing.T) {
	const mu, sigma, n, R, runs = 2.0, 1.0, 10, 20, 400
	p := &biasvar.Problem{Name: "normal", F: func([]float64) float64 { return mu }, Noise: biasvar.Gaussian{Sigma: sigma},
		SampleX: func(r *rand.Rand, dst []float64) { dst[0] = r.Float64() }, NTrain: n, Test: mat.NewDense(1, 1, []float64{0.5})}
	meanY := biasvar.LearnerFunc(func(x *mat.Dense, y []float64, _ *rand.Rand) (biasvar.Model, error) {
		var s float64
		for _, v := range y {
			s += v
		}
		s /= float64(len(y))
		return biasvar.ModelFunc(func([]float64) float64 { return s }), nil
	})
	var plug, corr, vari []float64
	for s := uint64(0); s < runs; s++ {
		rep, err := biasvar.Decompose(bg, p, meanY, biasvar.Options{Rounds: R, Seed: s})
		if err != nil {
			t.Fatal(err)
		}
		plug = append(plug, rep.Totals.Bias2Plugin.Value)
		corr = append(corr, rep.Totals.Bias2.Value)
		vari = append(vari, rep.Totals.Variance.Value)
	}
	mse := func(x []float64) (float64, float64) {
		var m, v float64
		for _, a := range x {
			m += a
		}
		m /= float64(len(x))
		for _, a := range x {
			v += (a - m) * (a - m)
		}
		return m, math.Sqrt(v / float64(len(x)-1) / float64(len(x)))
	}
	m, se := mse(vari)
	within(t, "variance of the sample mean vs σ²/n", m, sigma*sigma/n, se, 4)
	m, se = mse(plug)
	within(t, "plug-in bias² vs variance/R", m, sigma*sigma/n/R, se, 4)
	if m < 2*se {
		t.Errorf("plug-in bias² %.3g ± %.2g is not clearly above 0", m, se)
	}
	m, se = mse(corr)
	within(t, "corrected bias² vs 0", m, 0, se, 4)
}

// B-06: σ = 0 gives noise 0 exactly, and then the error equals bias² +
// variance to rounding.
func TestZeroNoiseB06(t *testing.T) {
	p := biasvar.Sine(30, 0)
	rep, err := biasvar.Decompose(bg, p, biasvar.KNN{K: 3}, biasvar.Options{Rounds: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.Noise.Value != 0 {
		t.Errorf("noise: got %v, want 0 exactly", rep.Totals.Noise.Value)
	}
	for i, v := range rep.Noise {
		if v != 0 {
			t.Fatalf("noise at %d: got %v, want 0", i, v)
		}
	}
	testutil.AssertClose(t, "error with σ = 0 vs bias² + variance", rep.Totals.Error.Value, rep.Totals.Bias2.Value+rep.Totals.Variance.Value, 1e-15, 1e-12)
	// B-01 in Monte Carlo form: with σ = 0 the error is mean (ŷ − f)², equal
	// to the plug-in bias² + the 1/R variance.
	testutil.AssertClose(t, "B-01: error vs plug-in bias² + 1/R variance", rep.Totals.Error.Value, rep.Totals.Bias2Plugin.Value+rep.Totals.VariancePlugin.Value, 1e-15, 1e-12)
	if !rep.Check.OK {
		t.Errorf("check: %+v", rep.Check)
	}
}

// B-07: real-valued predictions in (0,1), even tiny ones, are kept as
// float64, never truncated.
func TestSmallPredictionsB07(t *testing.T) {
	const c = 1.25e-9
	p := biasvar.Sine(10, 0.1)
	rep, err := biasvar.Decompose(bg, p, constant(c), biasvar.Options{Rounds: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range rep.MeanPrediction {
		testutil.AssertClose(t, "mean prediction", v, c, 0, 1e-15)
		testutil.AssertClose(t, "bias²", rep.Bias2[i], math.Pow(c-rep.F[i], 2), 0, 1e-12)
	}
	for _, f := range rep.Fits {
		for _, v := range f {
			if v != c {
				t.Fatalf("single fit: got %v, want %v", v, c)
			}
		}
	}
}

// B-13: the standard errors shrink like 1/√R: from R = 50 to 800 by about 4.
func TestStdErrShrinksB13(t *testing.T) {
	p := biasvar.Sine(30, 0.3)
	se := map[int]biasvar.Totals{}
	for _, R := range []int{50, 200, 800} {
		rep, err := biasvar.Decompose(bg, p, biasvar.KNN{K: 3}, biasvar.Options{Rounds: R, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		se[R] = rep.Totals
		t.Logf("R = %d: error ± %.3g, bias² ± %.3g, variance ± %.3g", R, rep.Totals.Error.StdErr, rep.Totals.Bias2.StdErr, rep.Totals.Variance.StdErr)
	}
	for _, c := range []struct {
		name string
		get  func(biasvar.Totals) float64
	}{
		{"error", func(t biasvar.Totals) float64 { return t.Error.StdErr }},
		{"bias²", func(t biasvar.Totals) float64 { return t.Bias2.StdErr }},
		{"variance", func(t biasvar.Totals) float64 { return t.Variance.StdErr }},
	} {
		// √(800/50) = 4; a jackknife SE from 50 rounds is itself uncertain
		// by about 1/√(2·50) = 10–20%, hence the wide band.
		r := c.get(se[50]) / c.get(se[800])
		if r < 2.5 || r > 6.4 {
			t.Errorf("%s: SE(R=50)/SE(R=800) = %.2f, want about 4", c.name, r)
		}
		if !(c.get(se[50]) > c.get(se[200]) && c.get(se[200]) > c.get(se[800])) {
			t.Errorf("%s: SE does not shrink with R", c.name)
		}
	}
}

// The jackknife standard errors are calibrated: over many independent runs
// the spread of an estimate matches the mean reported SE.
func TestStdErrCalibration(t *testing.T) {
	const runs = 300
	p := biasvar.Sine(20, 0.5)
	var vals [3][]float64
	var ses [3]float64
	for s := uint64(0); s < runs; s++ {
		rep, err := biasvar.Decompose(bg, p, biasvar.KNN{K: 2}, biasvar.Options{Rounds: 40, Seed: 1000 + s, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for k, e := range []biasvar.Estimate{rep.Totals.Error, *rep.Totals.Bias2, rep.Totals.Variance} {
			vals[k] = append(vals[k], e.Value)
			ses[k] += e.StdErr / runs
		}
	}
	for k, name := range []string{"error", "bias²", "variance"} {
		var m, v float64
		for _, a := range vals[k] {
			m += a / runs
		}
		for _, a := range vals[k] {
			v += (a - m) * (a - m) / (runs - 1)
		}
		sd := math.Sqrt(v)
		// The SD of 300 draws is known to ±4% (1/√(2·300)); the band allows
		// the jackknife's small-sample bias at R = 40.
		if r := ses[k] / sd; r < 0.85 || r > 1.2 {
			t.Errorf("%s: mean reported SE %.4g vs empirical SD %.4g (ratio %.2f)", name, ses[k], sd, r)
		}
		t.Logf("%s: mean SE %.4g, empirical SD %.4g", name, ses[k], sd)
	}
}

// The classification standard errors, over runs with the same test points:
// the delete-one jackknife of the log-loss terms and of the zero-one
// error and variance is calibrated; the delete-a-group jackknife of the
// mode-based zero-one bias and net variance is conservative (it
// overstates their spread about 1.7-fold in this setting), as the package
// documentation says.
func TestClassificationStdErrCalibration(t *testing.T) {
	const runs = 150
	p := biasvar.TwoGaussians(30)
	rng := rand.New(rand.NewPCG(3, 3))
	p.Test = mat.NewDense(100, 2, nil)
	for i := 0; i < 100; i++ {
		p.SampleX(rng, p.Test.RawRowView(i))
	}
	reports := map[biasvar.Loss][]*biasvar.Report{}
	for _, loss := range []biasvar.Loss{biasvar.ZeroOne, biasvar.LogLoss} {
		for s := uint64(0); s < runs; s++ {
			rep, err := biasvar.Decompose(bg, p, biasvar.KNNClassifier{K: 5, Alpha: 1}, biasvar.Options{Rounds: 60, Seed: 500 + s, Loss: loss})
			if err != nil {
				t.Fatal(err)
			}
			reports[loss] = append(reports[loss], rep)
		}
	}
	for _, c := range []struct {
		loss   biasvar.Loss
		name   string
		get    func(biasvar.Totals) biasvar.Estimate
		lo, hi float64
	}{
		{biasvar.ZeroOne, "error", func(t biasvar.Totals) biasvar.Estimate { return t.Error }, 0.8, 1.25},
		{biasvar.ZeroOne, "variance", func(t biasvar.Totals) biasvar.Estimate { return t.Variance }, 0.8, 1.25},
		{biasvar.ZeroOne, "bias", func(t biasvar.Totals) biasvar.Estimate { return *t.Bias }, 1, 2.5},
		{biasvar.ZeroOne, "net variance", func(t biasvar.Totals) biasvar.Estimate { return *t.NetVariance }, 1, 2.5},
		{biasvar.LogLoss, "error", func(t biasvar.Totals) biasvar.Estimate { return t.Error }, 0.8, 1.25},
		{biasvar.LogLoss, "bias", func(t biasvar.Totals) biasvar.Estimate { return *t.Bias }, 0.8, 1.25},
		{biasvar.LogLoss, "variance", func(t biasvar.Totals) biasvar.Estimate { return t.Variance }, 0.8, 1.25},
	} {
		var vals []float64
		var se float64
		for _, rep := range reports[c.loss] {
			e := c.get(rep.Totals)
			vals = append(vals, e.Value)
			se += e.StdErr / runs
		}
		var m, v float64
		for _, a := range vals {
			m += a / runs
		}
		for _, a := range vals {
			v += (a - m) * (a - m) / (runs - 1)
		}
		sd := math.Sqrt(v)
		if r := se / sd; r < c.lo || r > c.hi {
			t.Errorf("%s %s: mean SE %.4g vs empirical SD %.4g: ratio %.2f outside [%g, %g]", c.loss, c.name, se, sd, r, c.lo, c.hi)
		}
		t.Logf("%s %s: mean SE %.4g, empirical SD %.4g", c.loss, c.name, se, sd)
	}
}
