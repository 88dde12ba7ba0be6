package plots

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/cmpimg"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/testutil"
)

// goldenDelta is the tolerance of the golden comparison: cmpimg's
// normalised per-pixel YIQ distance. 0.1 forgives anti-aliasing noise;
// a moved line, glyph or label letter exceeds it.
const goldenDelta = 0.1

// checkGolden compares fig drawn as a PNG with testdata/name_golden.png
// (P-05), or rewrites the golden under -update (internal/testutil) or
// -regen (gonum/plot's cmpimg).
func checkGolden(t *testing.T, name string, fig Figure) {
	t.Helper()
	got, img := renderPNG(t, fig)
	w, h := Size(fig)
	if b := img.Bounds(); b.Dx() != int(w.Dots(DPI)+0.5) || b.Dy() != int(h.Dots(DPI)+0.5) {
		t.Errorf("%s: PNG is %d×%d, want %.0f×%.0f", name, b.Dx(), b.Dy(), w.Dots(DPI), h.Dots(DPI))
	}
	path := filepath.Join("testdata", name+"_golden.png")
	if testutil.Update() || *cmpimg.GenerateTestData {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./plots -run Golden -update to create it)", err)
	}
	ok, err := cmpimg.EqualApprox("png", got, want, goldenDelta)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		out := filepath.Join(t.TempDir(), name+".png")
		os.WriteFile(out, got, 0o644)
		t.Errorf("%s differs from %s beyond %v; the new image is %s (rerun with -update if the change is intended)", name, path, goldenDelta, out)
	}
}

func TestGoldenEllipses(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 0))
	means := [][]float64{{0, 0}, {4, 2}, {1, 5}}
	covs := [][]float64{{1, 0.6, 0.6, 1}, {0.5, -0.3, -0.3, 1.5}, {2, 0, 0, 0.3}}
	const per = 60
	x := mat.NewDense(3*per, 2, nil)
	groups := make([]int, 3*per)
	for k := range means {
		var chol mat.Cholesky
		chol.Factorize(mat.NewSymDense(2, covs[k]))
		var l mat.TriDense
		chol.LTo(&l)
		for i := range per {
			z0, z1 := rng.NormFloat64(), rng.NormFloat64()
			r := k*per + i
			x.Set(r, 0, means[k][0]+l.At(0, 0)*z0)
			x.Set(r, 1, means[k][1]+l.At(1, 0)*z0+l.At(1, 1)*z1)
			groups[r] = k
		}
	}
	p, err := Scatter(x, groups, ScatterOptions{Title: "Three components, 95% ellipses", XLabel: "x₁", YLabel: "x₂",
		GroupNames: []string{"first", "second", "third"}})
	if err != nil {
		t.Fatal(err)
	}
	for k := range means {
		e, err := NewEllipse(means[k], mat.NewDense(2, 2, covs[k]), 0.95)
		if err != nil {
			t.Fatal(err)
		}
		e.LineStyle = LineStyle(k)
		e.FillColor = Translucent(Color(k), 0.15)
		p.Add(e)
	}
	checkGolden(t, "ellipses", p)
}

func TestGoldenLogTraces(t *testing.T) {
	a, b := make([]float64, 60), make([]float64, 60)
	for i := range a {
		a[i] = 100 * math.Exp(-0.15*float64(i))
		b[i] = 50 / (1 + float64(i))
	}
	p, err := Lines([]Series{
		{Name: "geometric", Y: a},
		{Name: "harmonic", Y: b},
		{Name: "converged at once", Y: []float64{3}}, // P-06
	}, LineOptions{Title: "Traces on a log axis", XLabel: "iteration", YLabel: "−log-likelihood gap", LogY: true})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "traces", p)
}

func TestGoldenImages(t *testing.T) {
	d := datasets.Digits()
	in := d.X.Slice(0, 12, 0, 64)
	out := mat.NewDense(12, 64, nil)
	for i := range 12 {
		for j := range 64 {
			out.Set(i, j, 16-in.At(i, j)) // the negative, as a stand-in
		}
	}
	ch, err := CompareImages([]ImageSet{{"input", in}, {"negative", out}}, 8, 8, ImageOptions{Title: "Digits", Cols: 6})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "images", ch)
}

func TestGoldenHeatMap(t *testing.T) {
	f, err := Evaluate(func(x, y float64) float64 {
		return math.Exp(-(x*x+y*y)/2) - 0.5*math.Exp(-((x-1.5)*(x-1.5)+(y+1)*(y+1)))
	}, -3, 3, -3, 3, 60, 60)
	if err != nil {
		t.Fatal(err)
	}
	p, err := HeatMap(f, FieldOptions{Title: "A heat map with its colour bar", XLabel: "x", YLabel: "y", Label: "f(x, y)", Lines: true})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "heatmap", p)
}
