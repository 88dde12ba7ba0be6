package plots

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// The weight chart refuses what cannot be drawn, naming it (P-01, P-02,
// P-04), and draws one iteration (P-06), constant weights (P-03) and a
// real Dirichlet-process fit, whose switched-off components are dashed.
func TestBGMMWeights(t *testing.T) {
	for _, c := range []struct {
		name  string
		trace [][]float64
		err   error
		frag  string
	}{
		{"P-02 empty", nil, ErrNoData, "no iterations"},
		{"P-02 no components", [][]float64{{}}, ErrNoData, "no iterations"},
		{"P-01 NaN", [][]float64{{0.5, 0.5}, {math.NaN(), 0.5}}, ErrNaN, "component 0"},
		{"P-01 Inf", [][]float64{{0.5, 0.5}, {0.5, math.Inf(1)}}, ErrInf, "component 1"},
		{"P-04 zero weight", [][]float64{{0.5, 0.5}, {1, 0}}, ErrLogScale, "component 1"},
	} {
		_, err := BGMMWeights(c.trace, BGMMOptions{})
		if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.frag) {
			t.Errorf("%s: got %v, want %v naming %q", c.name, err, c.err, c.frag)
		}
	}
	if _, err := BGMMWeights([][]float64{{1}}, BGMMOptions{Threshold: -1}); !errors.Is(err, ErrLogScale) {
		t.Errorf("negative threshold: %v", err)
	}
	for _, tr := range [][][]float64{{{0.25, 0.75}}, {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}}} {
		p, err := BGMMWeights(tr, BGMMOptions{Title: "edge"})
		if err != nil {
			t.Fatal(err)
		}
		renderPNG(t, p)
	}
	f := datasets.Faithful()
	b, rep, err := mixture.FitBayes(context.Background(), f.X, mixture.BayesOptions{K: 6, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := BGMMWeights(rep.WeightTrace(), BGMMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	renderPNG(t, p)
	if b.EffectiveComponents(0) >= b.K() {
		t.Errorf("no component switched off: %v", b.Weights(nil))
	}
}
