package biasvar_test

import (
	"context"
	"math"
	"sort"
	"testing"

	"github.com/latentgo/latent/biasvar"
)

func TestParseSizes(t *testing.T) {
	got, err := biasvar.ParseSizes("10:1000:log")
	want := []int{10, 17, 28, 46, 77, 129, 215, 359, 599, 1000}
	if err != nil || len(got) != len(want) {
		t.Fatalf("10:1000:log = %v, %v; want %v", got, err, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("10:1000:log = %v, want %v", got, want)
		}
	}
	if got, _ := biasvar.ParseSizes("1:4:log6"); len(got) != 4 { // 1 1 2 2 3 4 → repeats dropped
		t.Errorf("1:4:log6 = %v", got)
	}
	for _, bad := range []string{"0:10:log", "10:5:log", "2.5", "1:10:logx", "0", "1:9:log1"} {
		if _, err := biasvar.ParseSizes(bad); err == nil {
			t.Errorf("ParseSizes(%q) accepted", bad)
		}
	}
}

// Least squares with p coefficients on a fixed design, scored in sample:
// the variance is σ²p/n exactly (ESL §7.4), at every n of the curve.
func TestLearningCurveOLSVariance(t *testing.T) {
	const sigma, degree = 0.5, 2
	p := biasvar.Sine(1, sigma)
	p.Design, p.InSample = biasvar.Fixed, true
	sizes := []int{10, 30, 100, 300}
	sr, err := biasvar.LearningCurve(context.Background(), p, biasvar.Poly{Degree: degree}, sizes, biasvar.Options{Rounds: 400, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if sr.Param != biasvar.NTrainParam || len(sr.Points) != len(sizes) {
		t.Fatalf("param %q, %d points", sr.Param, len(sr.Points))
	}
	for i, pt := range sr.Points {
		n := sizes[i]
		v := pt.Report.Totals.Variance
		want := sigma * sigma * (degree + 1) / float64(n)
		if pt.Report.NTrain != n || math.Abs(v.Value-want) > 3*v.StdErr {
			t.Errorf("n = %d: variance %v ± %v, want σ²p/n = %v (within 3 SE)", n, v.Value, v.StdErr, want)
		}
		if !pt.Report.Check.OK {
			t.Errorf("n = %d: check %+v", n, pt.Report.Check)
		}
	}
}

// k-NN on a fixed design against ESL eq. 7.10: at x₀, bias² = (f(x₀) −
// mean of f at the k nearest training x)² and variance = σ²/k, at every n.
func TestLearningCurveKNNESL710(t *testing.T) {
	const sigma, k = 0.3, 5
	p := biasvar.Sine(1, sigma)
	p.Design = biasvar.Fixed
	f := p.F
	sizes := []int{10, 100, 1000}
	sr, err := biasvar.LearningCurve(context.Background(), p, biasvar.KNN{K: k}, sizes, biasvar.Options{Rounds: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for i, pt := range sr.Points {
		rep := pt.Report
		var bias2 float64
		for j, x0 := range rep.X {
			d := make([]float64, len(rep.TrainX))
			idx := make([]int, len(d))
			for l, x := range rep.TrainX {
				d[l], idx[l] = math.Abs(x[0]-x0[0]), l
			}
			sort.SliceStable(idx, func(a, b int) bool { return d[idx[a]] < d[idx[b]] })
			var avg float64
			for _, l := range idx[:k] {
				avg += f(rep.TrainX[l]) / k
			}
			bias2 += (rep.F[j] - avg) * (rep.F[j] - avg) / float64(len(rep.X))
		}
		b, v := rep.Totals.Bias2, rep.Totals.Variance
		if math.Abs(b.Value-bias2) > 3*b.StdErr+1e-12 {
			t.Errorf("n = %d: bias² %v ± %v, ESL 7.10 gives %v", sizes[i], b.Value, b.StdErr, bias2)
		}
		if want := sigma * sigma / k; math.Abs(v.Value-want) > 3*v.StdErr {
			t.Errorf("n = %d: variance %v ± %v, ESL 7.10 gives σ²/k = %v", sizes[i], v.Value, v.StdErr, want)
		}
		t.Logf("n = %4d: error %.4g, bias² %.4g ± %.2g (ESL %.4g), variance %.4g ± %.2g (σ²/k %.4g)",
			sizes[i], rep.Totals.Error.Value, b.Value, b.StdErr, bias2, v.Value, v.StdErr, sigma*sigma/k)
	}
}

func TestGridTerms(t *testing.T) {
	p := biasvar.Sine(1, 0.3)
	knob, err := biasvar.NewKnob("knn", nil, "k", []float64{1, 5})
	if err != nil {
		t.Fatal(err)
	}
	g, err := biasvar.Grid(context.Background(), p, knob, []int{3, 20}, biasvar.Options{Rounds: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	z := g.Term("variance")
	if len(z) != 2 || len(z[0]) != 2 {
		t.Fatalf("variance map %v", z)
	}
	if !math.IsNaN(z[0][1]) { // k = 5 > n = 3: every round fails
		t.Errorf("k = 5 at n = 3: %v, want NaN (failed)", z[0][1])
	}
	if !(z[1][0] > z[1][1]) {
		t.Errorf("variance at n = 20: k = 1 %v not above k = 5 %v", z[1][0], z[1][1])
	}
	if _, err := biasvar.LearningCurve(context.Background(), p, biasvar.KNN{K: 1}, nil, biasvar.Options{}); err == nil {
		t.Error("no sizes accepted")
	}
}
