package plots

import (
	"errors"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/vae"
)

// VAEClassSamples lays perClass images of each class in one labelled row
// per class, in the classes' order, and refuses a sample count that is
// not classes × perClass.
func TestVAEClassSamples(t *testing.T) {
	const C, per, h, w = 3, 4, 2, 2
	x := mat.NewDense(C*per, h*w, nil)
	for i := 0; i < C*per; i++ {
		for j := 0; j < h*w; j++ {
			x.Set(i, j, float64(i/per)) // image value = its class
		}
	}
	c, err := VAEClassSamples(x, []string{"a", "b", "c"}, per, h, w, "t")
	if err != nil {
		t.Fatal(err)
	}
	g := c.Grid
	if g.Rows != C || g.Cols != per {
		t.Fatalf("grid %d×%d, want %d×%d", g.Rows, g.Cols, C, per)
	}
	for r := 0; r < C; r++ {
		for k := 0; k < per; k++ {
			if v := g.cells[r*per+k][0]; v != float64(r) {
				t.Errorf("row %d, image %d holds class %v", r, k, v)
			}
		}
	}
	if _, err := VAEClassSamples(x, []string{"a", "b"}, per, h, w, "t"); !errors.Is(err, ErrNoData) {
		t.Errorf("12 samples for 2 classes of 4: %v", err)
	}
}

// A run with a KL schedule gets a fourth panel, β step by step; a
// constant β keeps three.
func TestVAECurvesBetaPanel(t *testing.T) {
	rep := vaeReport(4, true)
	rep.Settings = vae.TrainedWith{Kind: "vae", Rows: 100, BatchSize: 25, Epochs: 4, Beta: 1, Anneal: vae.AnnealCyclical, Cycles: 2, Ratio: 0.5}
	g, err := VAECurves(rep, "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Plots[0]) != 4 {
		t.Fatalf("%d panels with a cyclical schedule, want 4", len(g.Plots[0]))
	}
	if p := g.At(0, 3); p.Y.Min > 0 || p.Y.Max < 1 || p.X.Max < 4 {
		t.Errorf("β panel [%v, %v] × [%v, %v]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	rep.Settings.Anneal, rep.Settings.Cycles, rep.Settings.Ratio = "", 0, 0
	if g, _ := VAECurves(rep, "t"); len(g.Plots[0]) != 3 {
		t.Errorf("%d panels with a constant β, want 3", len(g.Plots[0]))
	}
}
