package biasvar_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/testutil"
)

// B-01: for a prediction matrix P (R × n) and targets t, mean (P − t)² =
// bias² + variance exactly when the variance uses 1/R (mlxtend's numbers
// satisfy it: 31.536 = 14.096 + 17.440). Bootstrap mode with a learner that
// returns a given prediction matrix row by row.
func TestPluginIdentityB01(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const R, n = 37, 11
	P := make([][]float64, R)
	for r := range P {
		P[r] = make([]float64, n)
		for i := range P[r] {
			P[r][i] = 3 + 10*rng.NormFloat64()
		}
	}
	tgt := make([]float64, n)
	x := mat.NewDense(n, 1, nil)
	for i := range tgt {
		tgt[i] = rng.NormFloat64() * 5
		x.Set(i, 0, float64(i))
	}
	// Resample r is the single row index r, so the learner knows its round.
	res := make([][]int, R)
	for r := range res {
		res[r] = []int{r % n, r}
	}
	xtr := mat.NewDense(R, 1, nil)
	for r := 0; r < R; r++ {
		xtr.Set(r, 0, float64(r))
	}
	lookup := biasvar.LearnerFunc(func(xx *mat.Dense, _ []float64, _ *rand.Rand) (biasvar.Model, error) {
		r := int(xx.At(1, 0))
		return biasvar.ModelFunc(func(q []float64) float64 { return P[r][int(q[0])] }), nil
	})
	rep, err := biasvar.Bootstrap(bg, biasvar.Data{XTrain: xtr, YTrain: make([]float64, R), XTest: x, YTest: tgt}, lookup, biasvar.Options{Resamples: res})
	if err != nil {
		t.Fatal(err)
	}
	var loss, bias, vari float64
	for i := 0; i < n; i++ {
		var m float64
		for r := 0; r < R; r++ {
			m += P[r][i] / R
		}
		bias += (m - tgt[i]) * (m - tgt[i]) / n
		for r := 0; r < R; r++ {
			loss += (P[r][i] - tgt[i]) * (P[r][i] - tgt[i]) / (R * n)
			vari += (P[r][i] - m) * (P[r][i] - m) / (R * n)
		}
	}
	testutil.AssertClose(t, "error", rep.Totals.Error.Value, loss, 0, 1e-12)
	testutil.AssertClose(t, "bias² (+ noise)", rep.Totals.Bias2PlusNoise.Value, bias, 0, 1e-12)
	testutil.AssertClose(t, "variance (1/R)", rep.Totals.Variance.Value, vari, 0, 1e-12)
	testutil.AssertClose(t, "error vs bias² + variance", rep.Totals.Error.Value, rep.Totals.Bias2PlusNoise.Value+rep.Totals.Variance.Value, 0, 1e-12)
	if !rep.Check.Exact || !rep.Check.OK {
		t.Errorf("check: %+v", rep.Check)
	}
	// With 1/(R−1) the sum does not close: the choice is documented.
	if math.Abs(loss-(bias+vari*R/(R-1))) < 1e-6 {
		t.Errorf("the 1/(R−1) variance should not add up")
	}
}

// B-08: the squared component is named bias² ("bias2" in JSON), and in
// bootstrap mode "bias2_plus_noise", never a bare "bias".
func TestLabelsB08(t *testing.T) {
	p := biasvar.Sine(20, 0.3)
	rep, err := biasvar.Decompose(bg, p, biasvar.KNN{K: 3}, biasvar.Options{Rounds: 20})
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(rep)
	for _, key := range []string{`"bias2":`, `"bias2_stderr":`, `"variance":`, `"noise":`, `"mean_prediction":`, `"x":`, `"f":`} {
		if !strings.Contains(string(js), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	if strings.Contains(string(js), `"bias":`) {
		t.Errorf("squared-loss JSON has a bare \"bias\" key")
	}
	var md strings.Builder
	rep.WriteMarkdown(&md)
	if !strings.Contains(md.String(), "| bias² |") {
		t.Errorf("Markdown lacks the bias² row:\n%s", md.String())
	}
	d := biasvar.Data{XTrain: mat.NewDense(3, 1, []float64{1, 2, 3}), YTrain: []float64{1, 2, 3}, XTest: mat.NewDense(1, 1, []float64{2}), YTest: []float64{2}}
	brep, err := biasvar.Bootstrap(bg, d, biasvar.KNN{K: 1}, biasvar.Options{Rounds: 10})
	if err != nil {
		t.Fatal(err)
	}
	js, _ = json.Marshal(brep.Totals)
	if !strings.Contains(string(js), `"bias2_plus_noise"`) || strings.Contains(string(js), `"bias2"`) {
		t.Errorf("bootstrap totals: %s", js)
	}
	md.Reset()
	brep.WriteMarkdown(&md)
	if !strings.Contains(md.String(), "bias² + noise") {
		t.Errorf("bootstrap Markdown does not say the bias includes the noise")
	}
}

// B-09: zero-one loss. Domingos' decomposition adds up exactly (point by
// point); mlxtend's bootstrap zero-one terms do not, and the report does
// not claim they do.
func TestZeroOneB09(t *testing.T) {
	p := biasvar.TwoGaussians(60)
	rep, err := biasvar.Decompose(bg, p, biasvar.KNNClassifier{K: 7}, biasvar.Options{Rounds: 200, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Loss != biasvar.ZeroOne || !rep.Check.Exact || !rep.Check.OK {
		t.Fatalf("loss %q, check %+v", rep.Loss, rep.Check)
	}
	for i := range rep.X {
		sum := rep.C1[i]*rep.Noise[i] + rep.Bias[i] + rep.C2[i]*rep.Variance[i]
		testutil.AssertClose(t, fmt.Sprintf("point %d: c1·N + B + c2·V vs loss", i), sum, rep.Error[i], 1e-15, 1e-12)
	}
	tot := rep.Totals
	testutil.AssertClose(t, "net variance = unbiased − biased (two classes)", tot.NetVariance.Value, tot.VarianceUnbiased.Value-tot.VarianceBiased.Value, 1e-15, 1e-12)
	testutil.AssertClose(t, "variance = unbiased + biased", tot.Variance.Value, tot.VarianceUnbiased.Value+tot.VarianceBiased.Value, 1e-15, 1e-12)

	// Bootstrap, zero-one: no identity claimed.
	xtr := mat.NewDense(40, 2, nil)
	ytr := make([]float64, 40)
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range ytr {
		ytr[i] = float64(i % 2)
		xtr.Set(i, 0, 2*ytr[i]-1+rng.NormFloat64())
		xtr.Set(i, 1, rng.NormFloat64())
	}
	brep, err := biasvar.Bootstrap(bg, biasvar.Data{XTrain: xtr, YTrain: ytr, XTest: xtr, YTest: ytr}, biasvar.KNNClassifier{K: 3}, biasvar.Options{Rounds: 50, Loss: biasvar.ZeroOne})
	if err != nil {
		t.Fatal(err)
	}
	if brep.Check != nil {
		t.Errorf("bootstrap zero-one report claims an identity: %+v", brep.Check)
	}
	if !strings.Contains(strings.Join(brep.Notes, " "), "do NOT add up") {
		t.Errorf("bootstrap zero-one notes do not say the terms do not add up: %q", brep.Notes)
	}
}

// Domingos: a Bayes-optimal classifier has loss = noise = the Bayes error,
// zero bias and zero variance; on TwoGaussians the mean noise over test
// points drawn from the marginal estimates Φ(−1).
func TestZeroOneBayes(t *testing.T) {
	p := biasvar.TwoGaussians(10)
	p.NTest = 4000
	bayes := biasvar.LearnerFunc(func(*mat.Dense, []float64, *rand.Rand) (biasvar.Model, error) {
		return biasvar.ModelFunc(func(x []float64) float64 {
			if x[0] > 0 {
				return 1
			}
			return 0
		}), nil
	})
	rep, err := biasvar.Decompose(bg, p, bayes, biasvar.Options{Rounds: 10, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	tot := rep.Totals
	if tot.Bias.Value != 0 || tot.Variance.Value != 0 {
		t.Errorf("Bayes classifier: bias %v, variance %v", tot.Bias.Value, tot.Variance.Value)
	}
	testutil.AssertClose(t, "loss vs noise", tot.Error.Value, tot.Noise.Value, 1e-15, 1e-12)
	// Φ(−1) = 0.158655…; the noise 1 − max(σ(2x₁), 1−σ(2x₁)) has sd < 0.15
	// over x, so its mean over 4000 points has SE < 0.0024.
	within(t, "Bayes error", tot.Noise.Value, 0.15865525393145707, 0.0024, 4)
}

// Heskes: log-loss = entropy + KL(p‖q̄) + E KL(q̄‖q) exactly; the true
// posterior as predictor has bias 0 and variance 0; a constant (½, ½) has
// variance 0 and bias KL(p‖½).
func TestLogLossHeskes(t *testing.T) {
	p := biasvar.TwoGaussians(50)
	rep, err := biasvar.Decompose(bg, p, biasvar.KNNClassifier{K: 9, Alpha: 0.5}, biasvar.Options{Rounds: 100, Seed: 1, Loss: biasvar.LogLoss})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Check.Exact || !rep.Check.OK {
		t.Fatalf("check %+v", rep.Check)
	}
	for i := range rep.X {
		testutil.AssertClose(t, "noise + bias + variance", rep.Noise[i]+rep.Bias[i]+rep.Variance[i], rep.Error[i], 1e-14, 1e-12)
		if rep.Variance[i] < -1e-15 || rep.Bias[i] < -1e-15 {
			t.Fatalf("point %d: negative KL: bias %v, variance %v", i, rep.Bias[i], rep.Variance[i])
		}
	}
	truth := probLearner(func(dst, x []float64) { p.Posterior(dst, x) })
	rep, err = biasvar.Decompose(bg, p, truth, biasvar.Options{Rounds: 5, Loss: biasvar.LogLoss})
	if err != nil {
		t.Fatal(err)
	}
	testutil.AssertClose(t, "oracle bias", rep.Totals.Bias.Value, 0, 1e-13, 0)
	testutil.AssertClose(t, "oracle variance", rep.Totals.Variance.Value, 0, 1e-13, 0)
	testutil.AssertClose(t, "oracle loss vs entropy", rep.Totals.Error.Value, rep.Totals.Noise.Value, 1e-13, 1e-12)
	half := probLearner(func(dst, x []float64) { dst[0], dst[1] = 0.5, 0.5 })
	rep, err = biasvar.Decompose(bg, p, half, biasvar.Options{Rounds: 5, Loss: biasvar.LogLoss})
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range rep.Posterior {
		kl := 0.0
		for _, v := range q {
			if v > 0 {
				kl += v * math.Log(v/0.5)
			}
		}
		testutil.AssertClose(t, "KL(p‖½)", rep.Bias[i], kl, 1e-14, 1e-12)
		testutil.AssertClose(t, "constant variance", rep.Variance[i], 0, 1e-15, 0)
	}
}

type probModel struct{ f func(dst, x []float64) }

func (m probModel) Predict(x []float64) float64 {
	q := make([]float64, 2)
	m.f(q, x)
	if q[1] > q[0] {
		return 1
	}
	return 0
}
func (m probModel) PredictProba(dst, x []float64) { m.f(dst, x) }

func probLearner(f func(dst, x []float64)) biasvar.Learner {
	return biasvar.LearnerFunc(func(*mat.Dense, []float64, *rand.Rand) (biasvar.Model, error) { return probModel{f}, nil })
}

// B-10: two identical calls without a seed give the same bits (the zero
// Options mean seed 0; there is no unseeded mode).
func TestSameCallSameBitsB10(t *testing.T) {
	p := biasvar.Sine(25, 0.3)
	a, err := biasvar.Decompose(bg, p, biasvar.Tree{MaxDepth: 3}, biasvar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := biasvar.Decompose(bg, p, biasvar.Tree{MaxDepth: 3}, biasvar.Options{})
	a.Seconds, b.Seconds = 0, 0
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("two identical calls differ")
	}
	c, _ := biasvar.Decompose(bg, p, biasvar.Tree{MaxDepth: 3}, biasvar.Options{Seed: 1})
	if c.Totals.Error.Value == a.Totals.Error.Value {
		t.Errorf("seeds 0 and 1 give the same error")
	}
}

// The same seed gives the same bits for any GOMAXPROCS (1 and 2) and any
// number of workers, for every loss and for bootstrap mode.
func TestSameBitsAnyCores(t *testing.T) {
	type runner func(workers int) *biasvar.Report
	mk := func(p *biasvar.Problem, l biasvar.Learner, loss biasvar.Loss) runner {
		return func(w int) *biasvar.Report {
			rep, err := biasvar.Decompose(bg, p, l, biasvar.Options{Rounds: 97, Seed: 42, Workers: w, Loss: loss})
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
	}
	fixed := biasvar.Sine(30, 0.3)
	fixed.Design = biasvar.Fixed
	boot := func(w int) *biasvar.Report {
		x := mat.NewDense(30, 1, nil)
		y := make([]float64, 30)
		for i := range y {
			x.Set(i, 0, float64(i)/30)
			y[i] = math.Sin(float64(i))
		}
		rep, err := biasvar.Bootstrap(bg, biasvar.Data{XTrain: x, YTrain: y, XTest: x, YTest: y}, biasvar.Tree{}, biasvar.Options{Rounds: 97, Seed: 42, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	cases := map[string]runner{
		"knn random": mk(biasvar.Sine(30, 0.3), biasvar.KNN{K: 3}, ""),
		"rff fixed":  mk(fixed, biasvar.RandomFeatures{Features: 10}, ""),
		"zero-one":   mk(biasvar.TwoGaussians(40), biasvar.KNNClassifier{K: 5}, ""),
		"log-loss":   mk(biasvar.TwoGaussians(40), biasvar.KNNClassifier{K: 5, Alpha: 1}, biasvar.LogLoss),
		"bootstrap":  boot,
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for name, run := range cases {
		var ref string
		for _, procs := range []int{1, 2} {
			runtime.GOMAXPROCS(procs)
			for _, w := range []int{0, 1, 3} {
				rep := run(w)
				rep.Seconds = 0
				js, _ := json.Marshal(rep)
				if ref == "" {
					ref = string(js)
				} else if string(js) != ref {
					t.Errorf("%s: GOMAXPROCS %d, workers %d: different bits", name, procs, w)
				}
			}
		}
	}
}

// B-11: invalid rounds and empty test sets are errors; one round gives
// variance 0 with a warning; a training set below the learner's minimum
// fails every round, and the error names round 0.
func TestValidationB11(t *testing.T) {
	p := biasvar.Sine(10, 0.3)
	var oe *biasvar.OptionError
	if _, err := biasvar.Decompose(bg, p, biasvar.KNN{}, biasvar.Options{Rounds: -1}); !errors.As(err, &oe) || oe.Option != "Options.Rounds" || oe.Value != "-1" {
		t.Errorf("rounds −1: got %v, want an *OptionError on Options.Rounds", err)
	}
	if _, err := biasvar.Decompose(bg, p, biasvar.KNN{}, biasvar.Options{Workers: -2}); !errors.As(err, &oe) || oe.Named("--workers") != "--workers -2: must be 0 (all cores) or positive" {
		t.Errorf("workers −2: got %v, want an *OptionError on Options.Workers", err)
	}
	empty := biasvar.Sine(10, 0.3)
	empty.Test = &mat.Dense{}
	if _, err := biasvar.Decompose(bg, empty, biasvar.KNN{}, biasvar.Options{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty test set: %v", err)
	}
	rep, err := biasvar.Decompose(bg, p, biasvar.KNN{K: 3}, biasvar.Options{Rounds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.Variance.Value != 0 || len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "variance is 0") {
		t.Errorf("one round: variance %v, warnings %q", rep.Totals.Variance.Value, rep.Warnings)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("one-round report does not marshal: %v", err)
	}
	_, err = biasvar.Decompose(bg, biasvar.Sine(4, 0.3), biasvar.KNN{K: 5}, biasvar.Options{Rounds: 10})
	if !errors.Is(err, biasvar.ErrAllRoundsFailed) || !strings.Contains(err.Error(), "round 0: knn: k = 5 exceeds the 4 training points") {
		t.Errorf("k > n: %v", err)
	}
	if _, err := biasvar.Decompose(bg, p, biasvar.KNN{}, biasvar.Options{Loss: biasvar.ZeroOne}); !errors.As(err, &oe) || oe.Option != "Options.Loss" {
		t.Errorf("zero-one loss on a regression problem: got %v, want an *OptionError on Options.Loss", err)
	}
	if _, err := biasvar.Decompose(bg, biasvar.TwoGaussians(10), biasvar.KNN{}, biasvar.Options{Loss: biasvar.Squared}); !errors.As(err, &oe) || oe.Option != "Options.Loss" {
		t.Errorf("squared loss on a classification problem: got %v, want an *OptionError on Options.Loss", err)
	}
	if _, err := biasvar.Decompose(bg, biasvar.TwoGaussians(10), biasvar.KNN{}, biasvar.Options{Loss: biasvar.LogLoss, Rounds: 3}); err == nil || !strings.Contains(err.Error(), "PredictProba") {
		t.Errorf("log-loss with a model without probabilities: %v", err)
	}
}

// B-12: a failed round (a singular fit on a bootstrap resample with too
// few distinct x) is counted and listed with its index, never dropped; the
// report shows rounds attempted and succeeded.
func TestFailedRoundsB12(t *testing.T) {
	x := mat.NewDense(5, 1, []float64{0, 0.25, 0.5, 0.75, 1})
	y := []float64{0, 1, 0, 1, 0}
	rep, err := biasvar.Bootstrap(bg, biasvar.Data{XTrain: x, YTrain: y, XTest: x, YTest: y}, biasvar.Poly{Degree: 3}, biasvar.Options{Rounds: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Rounds
	if r.Attempted != 200 || r.Failed == 0 || r.Succeeded == 0 || r.Succeeded+r.Failed != 200 {
		t.Fatalf("rounds %+v", r)
	}
	if len(r.Failures) != min(r.Failed, biasvar.MaxFailuresListed) || !strings.Contains(r.Failures[0].Error, "singular") {
		t.Errorf("failures %+v", r.Failures)
	}
	if len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], fmt.Sprintf("%d of 200 rounds failed (first: round %d", r.Failed, r.Failures[0].Round)) {
		t.Errorf("warnings %q", rep.Warnings)
	}
	// A Monte Carlo learner failing on odd rounds: exactly half succeed.
	var calls = biasvar.LearnerFunc(func(x *mat.Dense, y []float64, rng *rand.Rand) (biasvar.Model, error) {
		if rng.Uint64()%2 == 1 {
			return nil, errors.New("unlucky")
		}
		return biasvar.ModelFunc(func([]float64) float64 { return 0 }), nil
	})
	rep, err = biasvar.Decompose(bg, biasvar.Sine(5, 0.1), calls, biasvar.Options{Rounds: 100})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rounds.Failed == 0 || rep.Rounds.Succeeded+rep.Rounds.Failed != 100 {
		t.Errorf("rounds %+v", rep.Rounds)
	}
	var md strings.Builder
	rep.WriteMarkdown(&md)
	if !strings.Contains(md.String(), "## Failed rounds") || !strings.Contains(md.String(), "unlucky") {
		t.Errorf("Markdown does not list the failed rounds")
	}
}
