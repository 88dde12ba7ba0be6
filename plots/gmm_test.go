package plots

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
)

func faithfulFit(t *testing.T, k int) (*mixture.Model, *mixture.Report) {
	t.Helper()
	f := datasets.Faithful()
	m, rep, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: k, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		t.Fatal(err)
	}
	return m, rep
}

// The mixture charts of one, two and three features draw, at their
// natural size (P-05's dimension check), with every component's colour.
func TestGMMFitDraws(t *testing.T) {
	f := datasets.Faithful()
	m, _ := faithfulFit(t, 2)
	fig, err := GMMFit(f.X, m, GMMOptions{Title: "Old Faithful"})
	if err != nil {
		t.Fatal(err)
	}
	_, img := renderPNG(t, fig)
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 480 {
		t.Errorf("2-D chart is %d×%d, want 640×480", b.Dx(), b.Dy())
	}
	for k := 0; k < 2; k++ {
		r, g, b, _ := Color(k).RGBA()
		if n := countColor(img, uint8(r>>8), uint8(g>>8), uint8(b>>8), 10); n < 200 {
			t.Errorf("component %d's colour covers %d pixels", k, n)
		}
	}
	iris := datasets.Iris()
	mi, _, err := mixture.Fit(context.Background(), iris.X, mixture.Options{K: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	g, err := GMMFit(iris.X, mi, GMMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if gr, ok := g.(*Grid); !ok || len(gr.Plots) != 4 {
		t.Fatalf("4-D chart is %T, want a 4×4 pairs grid", g)
	}
	renderPNG(t, g)
	x1 := mat.NewDense(272, 1, mat.Col(nil, 0, f.X))
	m1, _, err := mixture.Fit(context.Background(), x1, mixture.Options{K: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	h, err := GMMFit(x1, m1, GMMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	renderPNG(t, h)
	checkGolden(t, "gmm_faithful", fig)
}

// Bad input to the mixture charts is an error, not a blank chart (P-01,
// P-02).
func TestGMMChartErrors(t *testing.T) {
	f := datasets.Faithful()
	m, rep := faithfulFit(t, 2)
	bad := mat.DenseCopyOf(f.X)
	bad.Set(3, 1, math.NaN())
	if _, err := GMMFit(bad, m, GMMOptions{}); !errors.Is(err, ErrNaN) {
		t.Errorf("NaN data: %v", err)
	}
	if _, err := GMMFit(datasets.Iris().X, m, GMMOptions{}); err == nil || !strings.Contains(err.Error(), "4 columns, the model 2") {
		t.Errorf("wrong columns: %v", err)
	}
	if _, err := GMMFit(f.X, &mixture.Model{}, GMMOptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("unfitted model: %v", err)
	}
	if _, err := GMMDensity1D(mat.Col(nil, 0, f.X), m, 2, GMMOptions{}); err == nil {
		t.Error("feature 2 of a 2-feature model: no error")
	}
	if _, err := GMMDensity1D([]float64{1, math.Inf(1)}, m, 0, GMMOptions{}); !errors.Is(err, ErrInf) {
		t.Errorf("Inf data: %v", err)
	}
	if _, err := GMMConvergence(nil, ""); !errors.Is(err, ErrNoData) {
		t.Errorf("no iterations: %v", err)
	}
	if _, err := GMMSelection(&mixture.Selection{}); !errors.Is(err, ErrNoData) {
		t.Errorf("empty selection: %v", err)
	}
	failed := &mixture.Selection{Best: -1, Candidates: []mixture.Candidate{{K: 3, Covariance: mixture.Full, Error: "collapsed"}}}
	if _, err := GMMSelection(failed); !errors.Is(err, ErrNoData) {
		t.Errorf("all failed: %v", err)
	}
	_ = rep
}

// The convergence chart draws one iteration (P-06) and gains of zero
// without a log-axis error (P-04): they are left out and counted.
func TestGMMConvergenceEdges(t *testing.T) {
	one := []em.Iteration{{Iter: 1, LogLik: -4.2, ELBO: -4.18, Next: -4.17, KL: 0.01}}
	g, err := GMMConvergence(one, "one iteration")
	if err != nil {
		t.Fatal(err)
	}
	renderPNG(t, g)
	flat := []em.Iteration{{Iter: 1, LogLik: -4, ELBO: -4, Next: -4, KL: 0}, {Iter: 2, LogLik: -4, ELBO: -4, Next: -4, KL: -1e-17}}
	g, err = GMMConvergence(flat, "converged")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(g.At(1, 0).Title.Text, "4 gains ≤ 0") {
		t.Errorf("title %q does not count the gains left out", g.At(1, 0).Title.Text)
	}
	renderPNG(t, g)
	_, rep := faithfulFit(t, 3)
	g, err = GMMConvergence(rep.Starts[0].Trace, "Old Faithful, K = 3")
	if err != nil {
		t.Fatal(err)
	}
	renderPNG(t, g)
}

// The selection chart has one line per covariance type and rings the
// chosen fit; failed fits are gaps.
func TestGMMSelection(t *testing.T) {
	_, _, sel, err := mixture.Select(t.Context(), datasets.Faithful().X, mixture.SelectOptions{Ks: []int{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	sel.Candidates[1].Error = "collapsed" // a failed fit in the grid
	p, err := GMMSelection(sel)
	if err != nil {
		t.Fatal(err)
	}
	_, img := renderPNG(t, p)
	if nonWhite(img) < 5000 {
		t.Error("the selection chart is nearly blank")
	}
	aic := *sel
	aic.Criterion = mixture.AIC
	if p, err = GMMSelection(&aic); err != nil || !strings.HasPrefix(p.Title.Text, "AIC") {
		t.Errorf("AIC chart: %v, title %q", err, p.Title.Text)
	}
}
