package plots

import (
	"context"
	"errors"
	"testing"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// The bootstrap and LRT charts draw at their natural size, each
// component in its colour; a report without replicates is an error.
func TestGMMBootstrapDraws(t *testing.T) {
	f := datasets.Faithful()
	m, _, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := mixture.Bootstrap(context.Background(), f.X, m, mixture.BootstrapOptions{NBoot: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	g, err := GMMBootstrap(rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Plots) != 2 || len(g.Plots[0]) != 3 || g.Plots[1][2] != nil {
		t.Fatalf("D = 2: got a %d×%d grid, want 2×3 with the last cell empty", len(g.Plots), len(g.Plots[0]))
	}
	_, img := renderPNG(t, g)
	for k := 0; k < 2; k++ {
		r, gr, b, _ := Color(k).RGBA()
		if n := countColor(img, uint8(r>>8), uint8(gr>>8), uint8(b>>8), 10); n < 50 {
			t.Errorf("component %d's colour covers %d pixels", k, n)
		}
	}
	lrt, err := mixture.BootstrapLRT(context.Background(), f.X, mixture.LRTOptions{MaxK: 3, NBoot: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	fig, err := GMMBootstrapLRT(lrt)
	if err != nil {
		t.Fatal(err)
	}
	renderPNG(t, fig)
	if _, err := GMMBootstrap(&mixture.BootstrapReport{}); !errors.Is(err, ErrNoData) {
		t.Errorf("no replicates: got %v, want ErrNoData", err)
	}
	if _, err := GMMBootstrapLRT(&mixture.LRTReport{}); !errors.Is(err, ErrNoData) {
		t.Errorf("no tests: got %v, want ErrNoData", err)
	}
}
