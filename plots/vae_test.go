package plots

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/vae"
)

func vaeReport(n int, test bool) *vae.Report {
	rep := &vae.Report{Settings: vae.TrainedWith{Kind: "vae"}}
	for i := 0; i < n; i++ {
		e := vae.EpochStats{Epoch: i + 1, ELBO: -100 + float64(i), Reconstruction: 80 - float64(i), KL: 20}
		if test {
			e.Test = &vae.Eval{ELBO: -101 + float64(i), Reconstruction: 81, KL: 20}
		}
		rep.Epochs = append(rep.Epochs, e)
	}
	return rep
}

// VAECurves draws three panels with training and test lines covering
// the data, one panel for an autoencoder, and refuses empty or NaN
// reports (P-01, P-02); a one-epoch report renders (P-06).
func TestVAECurves(t *testing.T) {
	g, err := VAECurves(vaeReport(5, true), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Plots[0]) != 3 {
		t.Fatalf("%d panels, want 3", len(g.Plots[0]))
	}
	if p := g.At(0, 0); p.Y.Min > -101 || p.Y.Max < -96 || p.X.Min > 1 || p.X.Max < 5 {
		t.Errorf("ELBO panel [%v, %v] × [%v, %v]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	var b bytes.Buffer
	if err := Encode(&b, "png", g); err != nil {
		t.Fatal(err)
	}
	ae := vaeReport(3, false)
	ae.Settings.Kind = "autoencoder"
	if g, err := VAECurves(ae, "ae"); err != nil || len(g.Plots[0]) != 1 {
		t.Errorf("autoencoder: %v", err)
	}
	if g, err := VAECurves(vaeReport(1, true), "one"); err != nil || Encode(&b, "png", g) != nil {
		t.Errorf("one epoch: %v", err)
	}
	if _, err := VAECurves(&vae.Report{}, "empty"); err == nil {
		t.Error("empty report: no error")
	}
	bad := vaeReport(3, true)
	bad.Epochs[1].KL = math.NaN()
	if _, err := VAECurves(bad, "nan"); !errors.Is(err, ErrNaN) {
		t.Errorf("NaN: got %v, want ErrNaN", err)
	}
}

// ManifoldCodes walks the normal quantiles of (k + ½)/n: z1 rises along a
// row, z2 falls down a column, and the grid is symmetric about 0.
func TestManifoldCodes(t *testing.T) {
	z := ManifoldCodes(3)
	// Φ⁻¹(1/6) = −0.967421566101701 (scipy.stats.norm.ppf(1/6)).
	want := [][2]float64{
		{-0.967421566101701, 0.967421566101701}, {0, 0.967421566101701}, {0.967421566101701, 0.967421566101701},
		{-0.967421566101701, 0}, {0, 0}, {0.967421566101701, 0},
		{-0.967421566101701, -0.967421566101701}, {0, -0.967421566101701}, {0.967421566101701, -0.967421566101701},
	}
	for i, w := range want {
		if math.Abs(z.At(i, 0)-w[0]) > 1e-12 || math.Abs(z.At(i, 1)-w[1]) > 1e-12 {
			t.Errorf("code %d: (%v, %v), want %v", i, z.At(i, 0), z.At(i, 1), w)
		}
	}
}

// VAEManifold needs a two-dimensional code and images of the model's
// size; VAELatent names its axes after the dimensions shown.
func TestVAEManifoldAndLatent(t *testing.T) {
	m, err := vae.New(vae.Config{Inputs: 16, Latent: 2, Hidden: []int{4}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := VAEManifold(m, 4, 4, 4, "m")
	if err != nil || c.Grid.Rows != 4 || c.Grid.Cols != 4 {
		t.Fatalf("manifold: %v", err)
	}
	if _, err := VAEManifold(m, 4, 2, 8, "m"); err != nil {
		t.Errorf("2×8 images: %v", err)
	}
	if _, err := VAEManifold(m, 4, 3, 3, "m"); err == nil {
		t.Error("3×3 images of a 16-input model: no error")
	}
	m3, _ := vae.New(vae.Config{Inputs: 16, Latent: 3, Hidden: []int{4}, Seed: 1})
	if _, err := VAEManifold(m3, 4, 4, 4, "m"); err == nil || !strings.Contains(err.Error(), "3 latent") {
		t.Errorf("3 latent dimensions: got %v", err)
	}
	codes := mat.NewDense(4, 3, []float64{0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5})
	p, err := VAELatent(codes, 2, 0, []int{0, 0, 1, 1}, []string{"a", "b"}, "codes")
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Label.Text != "z3 (posterior mean)" || p.Y.Label.Text != "z1 (posterior mean)" || p.X.Min > 2 || p.X.Max < 5 {
		t.Errorf("axes %q [%v, %v], %q", p.X.Label.Text, p.X.Min, p.X.Max, p.Y.Label.Text)
	}
	if _, err := VAELatent(&mat.Dense{}, 0, 1, nil, nil, "none"); !errors.Is(err, ErrNoData) {
		t.Errorf("no codes: got %v", err)
	}
}
