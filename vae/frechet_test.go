package vae

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// The Fréchet distance against its closed forms: 0 between a sample and
// itself; symmetric; (μa − μb)² + (σa − σb)² in one dimension; ‖m‖² between
// a sample and its copy shifted by m (equal covariances) — Dowson & Landau
// (1982).
func TestFrechetDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 500
	a, b := mat.NewDense(n, 3, nil), mat.NewDense(n, 3, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < 3; j++ {
			a.Set(i, j, rng.NormFloat64()*float64(j+1))
			b.Set(i, j, 2+rng.NormFloat64()*0.5)
		}
	}
	got, err := FrechetDistance(a, a)
	if err != nil {
		t.Fatal(err)
	}
	testutil.AssertClose(t, "d²(a, a)", got, 0, 1e-9, 0)
	ab, _ := FrechetDistance(a, b)
	ba, _ := FrechetDistance(b, a)
	testutil.AssertClose(t, "symmetry", ab, ba, 1e-9, 1e-9)

	// One dimension: d² = (μa − μb)² + (σa − σb)² exactly.
	x, y := mat.NewDense(4, 1, []float64{1, 2, 3, 6}), mat.NewDense(3, 1, []float64{0, 0.5, 4})
	mx, sx := 3.0, math.Sqrt((4+1+0+9)/3.0)     // mean 3, sample variance 14/3
	my, sy := 1.5, math.Sqrt((2.25+1+6.25)/2.0) // mean 1.5, sample variance 4.75
	want := (mx-my)*(mx-my) + (sx-sy)*(sx-sy)
	got, _ = FrechetDistance(x, y)
	testutil.AssertClose(t, "1-D closed form", got, want, 1e-12, 1e-12)

	// Equal covariances: a correlated sample and its copy shifted by
	// m = (1, −2) have d² = ‖m‖² = 5.
	const big = 2000
	p, q := mat.NewDense(big, 2, nil), mat.NewDense(big, 2, nil)
	for i := 0; i < big; i++ {
		u, v := rng.NormFloat64(), rng.NormFloat64()
		p.Set(i, 0, u)
		p.Set(i, 1, 0.5*u+v)
		q.Set(i, 0, u+1)
		q.Set(i, 1, 0.5*u+v-2)
	}
	got, _ = FrechetDistance(p, q)
	testutil.AssertClose(t, "shifted copy", got, 5, 1e-9, 1e-9)

	if _, err := FrechetDistance(a, mat.NewDense(5, 2, nil)); err == nil {
		t.Error("different columns: no error")
	}
	if _, err := FrechetDistance(mat.NewDense(1, 3, nil), a); err == nil {
		t.Error("one row: no error")
	}
}

// PriorLogDensity is the standard normal's log-density: −d/2·log 2π at 0.
func TestPriorLogDensity(t *testing.T) {
	got := PriorLogDensity(mat.NewDense(2, 2, []float64{0, 0, 1, -2}))
	testutil.AssertClose(t, "at 0", got[0], -math.Log(2*math.Pi), 1e-15, 1e-15)
	testutil.AssertClose(t, "at (1, −2)", got[1], -math.Log(2*math.Pi)-2.5, 1e-15, 1e-15)
}
