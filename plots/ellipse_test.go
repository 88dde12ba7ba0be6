package plots

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/latentgo/latent/internal/testutil"
)

func TestMahalanobisRadius(t *testing.T) {
	for _, c := range []struct {
		p, r2 float64
	}{
		// χ²₂ quantiles: closed form −2 ln(1−p); printed tables give
		// 1.386 (0.5), 4.605 (0.9), 5.991 (0.95), 9.210 (0.99).
		{0.5, 1.3862943611198906},
		{0.9, 4.605170185988091},
		{0.95, 5.991464547107979},
		{0.99, 9.210340371976182},
		{0.3934693402873666, 1}, // 1 − e^(−1/2): the one-sigma ellipse
	} {
		r := MahalanobisRadius(c.p)
		testutil.AssertClose(t, "r² at p", r*r, c.r2, 0, 1e-14)
		// An independent oracle: gonum's χ² quantile.
		q := distuv.ChiSquared{K: 2}.Quantile(c.p)
		testutil.AssertClose(t, "r² vs distuv", r*r, q, 0, 1e-9)
	}
	if !math.IsNaN(MahalanobisRadius(-0.1)) || !math.IsNaN(MahalanobisRadius(1.1)) || !math.IsInf(MahalanobisRadius(1), 1) {
		t.Error("MahalanobisRadius outside [0, 1) should be NaN, and +Inf at 1")
	}
}

// ellipseCases span shapes a mixture produces: round, correlated either
// way, elongated, and tiny or huge scales.
var ellipseCases = []struct {
	name string
	mean []float64
	cov  []float64
}{
	{"identity", []float64{0, 0}, []float64{1, 0, 0, 1}},
	{"diagonal", []float64{3, -2}, []float64{4, 0, 0, 0.25}},
	{"positive correlation", []float64{1, 1}, []float64{2, 1.2, 1.2, 1}},
	{"negative correlation", []float64{-5, 7}, []float64{1, -0.9, -0.9, 1}},
	{"elongated", []float64{0, 0}, []float64{100, 9.9, 9.9, 1}},
	{"tiny", []float64{1e-3, 2e-3}, []float64{1e-8, 2e-9, 2e-9, 3e-8}},
	{"huge", []float64{1e6, -1e6}, []float64{1e10, 5e9, 5e9, 4e10}},
}

// TestEllipseMahalanobis checks the defining equation: every boundary
// point x satisfies (x−μ)ᵀ Σ⁻¹ (x−μ) = r², with Σ⁻¹ from gonum's
// general inverse (not the Cholesky factor the plotter uses).
func TestEllipseMahalanobis(t *testing.T) {
	for _, c := range ellipseCases {
		for _, p := range []float64{0.5, 0.95, 0.99} {
			cov := mat.NewDense(2, 2, c.cov)
			e, err := NewEllipse(c.mean, cov, p)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var inv mat.Dense
			if err := inv.Inverse(cov); err != nil {
				t.Fatal(err)
			}
			r2 := MahalanobisRadius(p) * MahalanobisRadius(p)
			for k, pt := range e.Boundary(97) {
				d := mat.NewVecDense(2, []float64{pt.X - c.mean[0], pt.Y - c.mean[1]})
				q := mat.Inner(d, &inv, d)
				if !testutil.Close(q, r2, 0, 1e-9) {
					t.Fatalf("%s p=%v point %d: (x−μ)ᵀΣ⁻¹(x−μ) = %.15g, want r² = %.15g", c.name, p, k, q, r2)
				}
			}
		}
	}
}

// TestEllipseDataRange: the bounding box μᵢ ± r√Σᵢᵢ is the extent of a
// densely sampled boundary.
func TestEllipseDataRange(t *testing.T) {
	for _, c := range ellipseCases {
		e, err := NewEllipse(c.mean, mat.NewDense(2, 2, c.cov), 0.95)
		if err != nil {
			t.Fatal(err)
		}
		xmin, xmax, ymin, ymax := e.DataRange()
		b := e.Boundary(200000)
		gx0, gx1, gy0, gy1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range b {
			gx0, gx1 = math.Min(gx0, p.X), math.Max(gx1, p.X)
			gy0, gy1 = math.Min(gy0, p.Y), math.Max(gy1, p.Y)
		}
		// The sampled extreme falls short of the true one by at most
		// r·√Σᵢᵢ·(1 − cos(π/n)) ≈ 1.2e-10 relative for n = 2e5.
		hx, hy := xmax-xmin, ymax-ymin
		for _, v := range []struct {
			what      string
			got, want float64
			scale     float64
		}{{"xmin", gx0, xmin, hx}, {"xmax", gx1, xmax, hx}, {"ymin", gy0, ymin, hy}, {"ymax", gy1, ymax, hy}} {
			if !testutil.Close(v.got, v.want, 1e-9*v.scale, 0) {
				t.Errorf("%s %s: sampled %.15g, DataRange %.15g", c.name, v.what, v.got, v.want)
			}
		}
	}
}

// TestEllipseCoverage draws from N(μ, Σ) and counts the points inside:
// the fraction is the stated coverage within Monte Carlo error.
func TestEllipseCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 0))
	const n = 40000
	for _, c := range ellipseCases[2:4] {
		cov := mat.NewSymDense(2, c.cov)
		var chol mat.Cholesky
		if !chol.Factorize(cov) {
			t.Fatal("not PD")
		}
		var l mat.TriDense
		chol.LTo(&l)
		for _, p := range []float64{0.5, 0.95} {
			e, err := NewEllipse(c.mean, cov, p)
			if err != nil {
				t.Fatal(err)
			}
			var inv mat.Dense
			if err := inv.Inverse(cov); err != nil {
				t.Fatal(err)
			}
			inside := 0
			for range n {
				z0, z1 := rng.NormFloat64(), rng.NormFloat64()
				d := mat.NewVecDense(2, []float64{l.At(0, 0) * z0, l.At(1, 0)*z0 + l.At(1, 1)*z1})
				if mat.Inner(d, &inv, d) <= e.Radius*e.Radius {
					inside++
				}
			}
			frac := float64(inside) / n
			se := math.Sqrt(p * (1 - p) / n)
			if math.Abs(frac-p) > 4*se { // 4 standard errors: false alarm rate 6e-5
				t.Errorf("%s: %v of draws inside the %v ellipse (±%.4f)", c.name, frac, p, 4*se)
			}
		}
	}
}

func TestEllipseErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		name     string
		mean     []float64
		cov      []float64
		coverage float64
		want     error
	}{
		{"NaN mean (P-01)", []float64{nan, 0}, []float64{1, 0, 0, 1}, 0.95, ErrNaN},
		{"Inf covariance (P-01)", []float64{0, 0}, []float64{inf, 0, 0, 1}, 0.95, ErrInf},
		{"not symmetric", []float64{0, 0}, []float64{1, 0.5, 0.4, 1}, 0.95, nil},
		{"singular", []float64{0, 0}, []float64{1, 1, 1, 1}, 0.95, nil},
		{"negative variance", []float64{0, 0}, []float64{-1, 0, 0, 1}, 0.95, nil},
		{"coverage 0", []float64{0, 0}, []float64{1, 0, 0, 1}, 0, nil},
		{"coverage 1", []float64{0, 0}, []float64{1, 0, 0, 1}, 1, nil},
		{"coverage NaN", []float64{0, 0}, []float64{1, 0, 0, 1}, nan, nil},
	} {
		_, err := NewEllipse(c.mean, mat.NewDense(2, 2, c.cov), c.coverage)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want it to wrap %v", c.name, err, c.want)
		}
	}
	for name, f := range map[string]func(){
		"mean of length 3": func() { NewEllipse([]float64{0, 0, 0}, mat.NewDense(2, 2, []float64{1, 0, 0, 1}), 0.9) },
		"3×3 covariance":   func() { NewEllipse([]float64{0, 0}, mat.NewDense(3, 3, nil), 0.9) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestMarginal2(t *testing.T) {
	mean := []float64{1, 2, 3}
	cov := mat.NewSymDense(3, []float64{
		4, 1, 2,
		1, 5, 3,
		2, 3, 6,
	})
	m, c := Marginal2(mean, cov, 2, 0)
	if m[0] != 3 || m[1] != 1 {
		t.Errorf("mean: got %v, want [3 1]", m)
	}
	want := []float64{6, 2, 2, 4}
	if !mat.Equal(c, mat.NewDense(2, 2, want)) {
		t.Errorf("cov: got %v, want %v", mat.Formatted(c), want)
	}
}

// TestEllipseRenders draws filled and outlined ellipses in a chart: the
// outline colour appears, and the fill is translucent.
func TestEllipseRenders(t *testing.T) {
	e, err := NewEllipse([]float64{0, 0}, mat.NewDense(2, 2, []float64{1, 0.5, 0.5, 2}), 0.95)
	if err != nil {
		t.Fatal(err)
	}
	e.FillColor = Translucent(Color(1), 0.2)
	p := New("", "", "")
	p.Add(e)
	p.Legend.Add("95%", e)
	_, img := renderPNG(t, p)
	// Color(0), #0072B2, outlines the ellipse.
	if n := countColor(img, 0x00, 0x72, 0xB2, 8); n < 200 {
		t.Errorf("only %d outline pixels of Color(0)", n)
	}
}
