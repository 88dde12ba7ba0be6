package plots_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/plots"
)

// The decomposition of k-NN regression against k: bias² rises, variance
// falls as σ²/k, the error is lowest in between.
func ExampleBiasVarianceSweep() {
	p := biasvar.Sine(50, 0.3)
	p.Design = biasvar.Fixed
	knob, _ := biasvar.NewKnob("knn", nil, "k", []float64{1, 2, 3, 5, 8, 12, 18, 25, 35})
	sr, err := biasvar.Sweep(context.Background(), p, knob, biasvar.Options{Rounds: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	chart, err := plots.BiasVarianceSweep(sr, plots.BiasVarianceOptions{Title: "k-NN on sin 2πx, 50 fixed inputs"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("biasvar_sweep.png", chart)
	fmt.Println(chart.Y.Label.Text)
	// Output:
	// squared error (± 1 s.e.)
}

// Double descent (Belkin et al. 2019): minimum-norm least squares on p
// random Fourier features of Friedman #1 with n = 40 training points. The
// error peaks at p = n, where the fit interpolates, and falls below its
// first minimum for p ≫ n; the y axis turns logarithmic by itself.
func ExampleBiasVarianceSweep_doubleDescent() {
	knob, _ := biasvar.NewKnob("rff", nil, "features", mustValues("2:120:2"))
	sr, err := biasvar.Sweep(context.Background(), biasvar.Friedman1(40, 1), knob, biasvar.Options{Rounds: 40, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	chart, err := plots.BiasVarianceSweep(sr, plots.BiasVarianceOptions{Title: "Double descent: random features, n = 40"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("biasvar_double_descent.png", chart)
	peak := sr.Points[0]
	for _, pt := range sr.Points {
		if pt.Report.Totals.Error.Value > peak.Report.Totals.Error.Value {
			peak = pt
		}
	}
	fmt.Println("error peaks at p =", peak.Value)
	// Output:
	// error peaks at p = 40
}

func mustValues(s string) []float64 {
	v, err := biasvar.ParseValues(s)
	if err != nil {
		panic(err)
	}
	return v
}

// The per-point view: the truth, the mean prediction with a band of ±1 sd
// of the single fits, and five single fits.
func ExampleBiasVarianceFit() {
	p := biasvar.Sine(30, 0.3)
	rep, err := biasvar.Decompose(context.Background(), p, biasvar.Poly{Degree: 5}, biasvar.Options{Rounds: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	chart, err := plots.BiasVarianceFit(rep, plots.BiasVarianceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("biasvar_fit.png", chart)
	fmt.Println(chart.Title.Text)
	// Output:
	// poly(degree=5) on sine: 200 fits
}

// Double descent puts the y axis on a log scale by itself, leaves out
// non-positive points there, and the charts refuse reports they cannot
// draw.
func TestBiasVarianceCharts(t *testing.T) {
	knob, _ := biasvar.NewKnob("rff", nil, "features", []float64{10, 40, 400})
	sr, err := biasvar.Sweep(context.Background(), biasvar.Friedman1(40, 1), knob, biasvar.Options{Rounds: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	chart, err := plots.BiasVarianceSweep(sr, plots.BiasVarianceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := chart.Y.Scale.(interface {
		Normalize(min, max, x float64) float64
	}); !ok {
		t.Fatal("no y scale")
	}
	if err := plots.Encode(discard{}, "png", chart); err != nil {
		t.Errorf("double-descent chart does not draw: %v", err)
	}
	if chart.Y.Max/chart.Y.Min < 1000 {
		t.Errorf("y range %g…%g: want a log axis spanning the peak", chart.Y.Min, chart.Y.Max)
	}
	// Every setting failed: ErrNoData.
	bad, _ := biasvar.NewKnob("knn", nil, "k", []float64{99})
	sr, err = biasvar.Sweep(context.Background(), biasvar.Sine(5, 0.1), bad, biasvar.Options{Rounds: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plots.BiasVarianceSweep(sr, plots.BiasVarianceOptions{}); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("all failed: got %v, want ErrNoData", err)
	}
	// The per-point view needs one input and the squared loss.
	rep, err := biasvar.Decompose(context.Background(), biasvar.TwoGaussians(20), biasvar.KNNClassifier{K: 3}, biasvar.Options{Rounds: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plots.BiasVarianceFit(rep, plots.BiasVarianceOptions{}); err == nil {
		t.Error("fit view of a classification report: no error")
	}
	// Bootstrap mode: test targets as points, and its honest label.
	d := biasvar.Data{XTrain: col(0.1, 0.4, 0.5, 0.9), YTrain: []float64{1, 2, 2, 3}, XTest: col(0.2, 0.8, 0.6), YTest: []float64{1, 3, 2}}
	brep, err := biasvar.Bootstrap(context.Background(), d, biasvar.KNN{K: 1}, biasvar.Options{Rounds: 10})
	if err != nil {
		t.Fatal(err)
	}
	fit, err := plots.BiasVarianceFit(brep, plots.BiasVarianceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := plots.Encode(discard{}, "png", fit); err != nil {
		t.Error(err)
	}
	bk, _ := biasvar.NewKnob("knn", nil, "k", []float64{1, 2})
	bsr, err := biasvar.SweepBootstrap(context.Background(), d, bk, biasvar.Options{Rounds: 10})
	if err != nil {
		t.Fatal(err)
	}
	chart, err = plots.BiasVarianceSweep(bsr, plots.BiasVarianceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var svg strings.Builder
	if err := plots.Encode(&svg, "svg", chart); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg.String(), "bias² + noise (not separable)") {
		t.Error("bootstrap sweep legend lacks bias² + noise")
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func col(v ...float64) *mat.Dense { return mat.NewDense(len(v), 1, v) }
