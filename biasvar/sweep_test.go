package biasvar_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/latentgo/latent/biasvar"
)

// A k-NN sweep on the sine: bias² grows with k and variance falls, as
// σ²/k in the fixed design (ESL §7.3).
func TestSweepKNN(t *testing.T) {
	p := biasvar.Sine(60, 0.3)
	p.Design = biasvar.Fixed
	knob, err := biasvar.NewKnob("knn", nil, "", []float64{1, 3, 9, 27})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := biasvar.Sweep(bg, p, knob, biasvar.Options{Rounds: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if sr.Param != "k" || len(sr.Points) != 4 {
		t.Fatalf("sweep %q with %d points", sr.Param, len(sr.Points))
	}
	for i, pt := range sr.Points {
		tot := pt.Report.Totals
		within(t, pt.Learner+" variance vs σ²/k", tot.Variance.Value, 0.09/pt.Value, tot.Variance.StdErr, 4)
		if i > 0 {
			prev := sr.Points[i-1].Report.Totals
			if !(tot.Bias2.Value > prev.Bias2.Value) {
				t.Errorf("bias² does not grow from k=%v to k=%v", sr.Points[i-1].Value, pt.Value)
			}
		}
	}
	// JSON: the shared set-up once, totals per setting, no per-point arrays.
	js, err := json.Marshal(sr)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), `"x":`) || strings.Count(string(js), `"totals":`) != 4 || !strings.Contains(string(js), `"n_test":100`) {
		t.Errorf("sweep JSON: %.300s", js)
	}
	var md strings.Builder
	if err := sr.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| 27 | knn(k=27) |") {
		t.Errorf("sweep Markdown:\n%s", md.String())
	}
}

// A setting whose rounds all fail is recorded in its point, not fatal.
func TestSweepFailedSetting(t *testing.T) {
	knob, _ := biasvar.NewKnob("knn", nil, "k", []float64{2, 50})
	sr, err := biasvar.Sweep(bg, biasvar.Sine(10, 0.3), knob, biasvar.Options{Rounds: 5})
	if err != nil {
		t.Fatal(err)
	}
	if sr.Points[0].Report == nil || sr.Points[1].Report != nil || !strings.Contains(sr.Points[1].Error, "exceeds the 10 training points") {
		t.Errorf("points %+v", sr.Points)
	}
}

// Double descent (Belkin, Hsu, Ma & Mandal 2019, PNAS 116(32), Fig. 2):
// minimum-norm least squares on random Fourier features, n = 40 training
// points of Friedman #1: the error falls, peaks at p = n where the fit
// interpolates, and falls again below its first minimum for p ≫ n.
func TestDoubleDescent(t *testing.T) {
	p := biasvar.Friedman1(40, 1)
	knob, _ := biasvar.NewKnob("rff", nil, "features", []float64{10, 40, 800})
	sr, err := biasvar.Sweep(bg, p, knob, biasvar.Options{Rounds: 40, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	e := func(i int) float64 { return sr.Points[i].Report.Totals.Error.Value }
	t.Logf("error at p = 10, 40, 800: %.4g, %.4g, %.4g", e(0), e(1), e(2))
	if !(e(1) > 10*e(0) && e(1) > 10*e(2) && e(2) < e(0)) {
		t.Errorf("no double descent: error at p = 10, 40, 800: %.4g, %.4g, %.4g", e(0), e(1), e(2))
	}
	if v := sr.Points[1].Report.Totals; v.Variance.Value < 0.9*v.Error.Value {
		t.Errorf("at p = n the error should be mostly variance: %+v", v)
	}
}
