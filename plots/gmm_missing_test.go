package plots

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// faithfulHoles is Old Faithful with 15% of its cells deleted (seeded),
// and a mixture fitted to it with missing values.
func faithfulHoles(t *testing.T) (*mat.Dense, *mixture.Model) {
	t.Helper()
	f := datasets.Faithful()
	x := mat.DenseCopyOf(f.X)
	rng := rand.New(rand.NewPCG(15, 2))
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		if rng.Float64() < 0.15 {
			x.Set(i, rng.IntN(2), math.NaN())
		}
	}
	m, _, err := mixture.Fit(context.Background(), x, mixture.Options{K: 2, Seed: 1, Missing: true, FeatureNames: f.Columns})
	if err != nil {
		t.Fatal(err)
	}
	return x, m
}

// The fit of partly observed rows draws the completed rows with the
// imputed ones ringed in black, and says so in the legend; in a pairs view
// too; without holes it is GMMFit's chart; an infinity is refused.
func TestGMMFitImputed(t *testing.T) {
	x, m := faithfulHoles(t)
	fig, err := GMMFitImputed(x, m, GMMOptions{Title: "Old Faithful, 15% of rows with a hole"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fig.(*plot.Plot); !ok {
		t.Fatalf("2-D chart is %T", fig)
	}
	filled, err := m.Impute(nil, nil, x)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := GMMFit(filled, m, GMMOptions{Title: "Old Faithful, 15% of rows with a hole"})
	if err != nil {
		t.Fatal(err)
	}
	_, img := renderPNG(t, fig)
	_, ref := renderPNG(t, plain)
	cr, cg, cb, _ := Color(6).RGBA()
	got, without := countColor(img, uint8(cr>>8), uint8(cg>>8), uint8(cb>>8), 30), countColor(ref, uint8(cr>>8), uint8(cg>>8), uint8(cb>>8), 30)
	if got < without+100 {
		t.Errorf("the rings of the imputed points add %d pixels of their colour (%d with, %d without)", got-without, got, without)
	}
	iris := datasets.Iris()
	xi := mat.DenseCopyOf(iris.X)
	for i := 0; i < 150; i += 7 {
		xi.Set(i, i%4, math.NaN())
	}
	mi, _, err := mixture.Fit(context.Background(), xi, mixture.Options{K: 3, Seed: 1, Missing: true})
	if err != nil {
		t.Fatal(err)
	}
	g, err := GMMFitImputed(xi, mi, GMMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := g.(*Grid); !ok {
		t.Fatalf("4-D chart is %T, want a pairs grid", g)
	}
	renderPNG(t, g)
	f := datasets.Faithful()
	if _, err := GMMFitImputed(f.X, m, GMMOptions{}); err != nil {
		t.Errorf("complete rows: %v", err)
	}
	bad := mat.DenseCopyOf(f.X)
	bad.Set(3, 1, math.Inf(1))
	if _, err := GMMFitImputed(bad, m, GMMOptions{}); !errors.Is(err, ErrInf) {
		t.Errorf("infinity: %v", err)
	}
	if _, err := GMMFitImputed(f.X, &mixture.Model{}, GMMOptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("zero model: %v", err)
	}
}

// The GMR chart draws the mean and its band over the data, or alone over
// μ ± 3σ; bad coordinates and data are refused (P-01).
func TestGMR(t *testing.T) {
	f := datasets.Faithful()
	m, _ := faithfulFit(t, 2)
	p, err := GMR(m, 1, 0, f.X, GMROptions{Title: "eruptions given waiting"})
	if err != nil {
		t.Fatal(err)
	}
	_, img := renderPNG(t, p)
	r, g, b, _ := Color(0).RGBA()
	if n := countColor(img, uint8(r>>8), uint8(g>>8), uint8(b>>8), 10); n < 100 {
		t.Errorf("the GMR mean line covers %d pixels", n)
	}
	if _, err := GMR(m, 1, 0, nil, GMROptions{}); err != nil {
		t.Errorf("no data: %v", err)
	}
	for _, c := range []struct{ given, target int }{{0, 0}, {2, 0}, {-1, 1}} {
		if _, err := GMR(m, c.given, c.target, nil, GMROptions{}); err == nil {
			t.Errorf("given %d, target %d: no error", c.given, c.target)
		}
	}
	bad := mat.DenseCopyOf(f.X)
	bad.Set(0, 0, math.NaN())
	if _, err := GMR(m, 1, 0, bad, GMROptions{}); !errors.Is(err, ErrNaN) {
		t.Errorf("NaN in the data: %v", err)
	}
	if _, err := GMR(&mixture.Model{}, 1, 0, nil, GMROptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("zero model: %v", err)
	}
}
