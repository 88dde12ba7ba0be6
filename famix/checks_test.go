package famix

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// TestCategoricalTwoLabelsIsBernoulli: a categorical column of two labels
// "0" < "1" is a Bernoulli column (issue 16: to 1e-12), and K = 1 gives the
// labels' frequencies.
func TestCategoricalTwoLabelsIsBernoulli(t *testing.T) {
	fams := []Family{Bernoulli, Bernoulli, Bernoulli, Bernoulli, Bernoulli}
	x, _ := simulate(300, fams, 3, 5)
	n, d := x.Dims()
	eo := em.Options{MaxIter: 25, Tol: em.NoTol, Seed: 9}
	post := cyclic(n, 3)
	mb, rb, err := FitFromPosterior(context.Background(), x, post, Options{Family: Bernoulli, EM: eo})
	if err != nil {
		t.Fatal(err)
	}
	mc, rc, err := FitFromPosterior(context.Background(), x, post, Options{Family: Categorical, EM: eo})
	if err != nil {
		t.Fatal(err)
	}
	testutil.AssertClose(t, "log-likelihood", rc.LogLikelihood, rb.LogLikelihood, 0, 1e-12)
	testutil.AssertCloseSlice(t, "weights", mc.Weights(), mb.Weights(), 1e-12, 0)
	cat := mc.blocks[0].fam.(*categorical)
	for k := 0; k < 3; k++ {
		pb := mb.Params(k)
		for j := 0; j < d; j++ {
			testutil.AssertClose(t, "P(x = 1)", cat.profile(j)[k][1], pb[j], 1e-12, 0)
		}
	}
	if mc.NumParams() != mb.NumParams() {
		t.Errorf("parameters: got %d, want the Bernoulli's %d", mc.NumParams(), mb.NumParams())
	}

	// K = 1: the frequencies.
	m1, _, err := Fit(context.Background(), x, nil, Options{K: 1, Family: Categorical})
	if err != nil {
		t.Fatal(err)
	}
	c1 := m1.blocks[0].fam.(*categorical)
	for j := 0; j < d; j++ {
		var ones float64
		for i := 0; i < n; i++ {
			ones += x.At(i, j)
		}
		testutil.AssertClose(t, "K=1 frequency", c1.profile(j)[0][1], ones/float64(n), 1e-15, 0)
	}
}

// TestStudentTGaussianLimit: with ν fixed at 1e6 the t mixture's fit from
// the same start equals the Gaussian family's to 1e-6 (issue 16) on
// Gaussian data (600 rows, 3 components; the t's weights
// u_ik = (ν + p)/(ν + δ) differ from 1 by O(δ/ν), so heavy-tailed data with
// δ in the hundreds would differ by more).
func TestStudentTGaussianLimit(t *testing.T) {
	x, z := simulate(600, []Family{Gaussian, Gaussian, Gaussian}, 3, 8)
	tab := &Table{X: x}
	n, _ := tab.X.Dims()
	post := mat.NewDense(n, 3, nil)
	for i, c := range z {
		post.Set(i, c, 1)
	}
	eo := em.Options{MaxIter: 30, Tol: em.NoTol}
	mg, rg, err := FitFromPosterior(context.Background(), tab.X, post, Options{Family: Gaussian, EM: eo})
	if err != nil {
		t.Fatal(err)
	}
	fg := mg.blocks[0].fam.(*studentT)
	// For Gaussian data E[(p − δ) d dᵀ] = −2Σ, so the t's covariances are
	// the Gaussian's times 1 − 2/ν to first order: rtol 4/ν for them, 1/ν
	// for the rest.
	for _, nu := range []float64{1e6, 1e9} {
		mt, rt, err := FitFromPosterior(context.Background(), tab.X, post, Options{Family: StudentT, Nu: nu, EM: eo})
		if err != nil {
			t.Fatal(err)
		}
		testutil.AssertClose(t, "log-likelihood", rt.LogLikelihood, rg.LogLikelihood, 0, 1/nu)
		ft := mt.blocks[0].fam.(*studentT)
		testutil.AssertCloseSlice(t, "means", ft.mu, fg.mu, 1/nu, 1/nu)
		testutil.AssertCloseSlice(t, "covariances", ft.cov, fg.cov, 1/nu, 4/nu)
		testutil.AssertCloseSlice(t, "weights", mt.Weights(), mg.Weights(), 1/nu, 0)
	}
}

// TestStudentTOutliers: two clean Gaussian clusters (200 rows each) plus 5%
// gross outliers spread uniformly over a box 20 times wider. The t
// mixture's means stay within 2 standard errors (σ/√n_k = 1/√200) of the
// clean fit's; the Gaussian mixture's move further (issue 16's check).
func TestStudentTOutliers(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	clean := mat.NewDense(400, 2, nil)
	for i := 0; i < 400; i++ {
		c := float64(i % 2)
		clean.Set(i, 0, 6*c+rng.NormFloat64())
		clean.Set(i, 1, 6*c+rng.NormFloat64())
	}
	dirty := mat.NewDense(420, 2, nil)
	dirty.Slice(0, 400, 0, 2).(*mat.Dense).Copy(clean)
	for i := 400; i < 420; i++ {
		dirty.Set(i, 0, -30+66*rng.Float64())
		dirty.Set(i, 1, -30+66*rng.Float64())
	}
	eo := em.Options{MaxIter: 500, Tol: 1e-9, NInit: 3, Seed: 1}
	fit := func(x *mat.Dense, f Family) [][]float64 {
		m, _, err := Fit(context.Background(), x, nil, Options{K: 2, Family: f, EM: eo})
		if err != nil {
			t.Fatal(err)
		}
		s := m.blocks[0].fam.(*studentT)
		a, b := s.means(0), s.means(1)
		if a[0] > b[0] {
			a, b = b, a
		}
		return [][]float64{a, b}
	}
	ref := fit(clean, Gaussian)
	se := 1 / math.Sqrt(200)
	dev := func(got [][]float64) float64 {
		var mx float64
		for k := range got {
			for j := range got[k] {
				mx = math.Max(mx, math.Abs(got[k][j]-ref[k][j]))
			}
		}
		return mx
	}
	dt, dg := dev(fit(dirty, StudentT)), dev(fit(dirty, Gaussian))
	t.Logf("largest shift of a mean: t %.4f, Gaussian %.4f, standard error %.4f", dt, dg, se)
	if dt > 2*se {
		t.Errorf("t mixture's means moved %v, more than 2 standard errors %v", dt, 2*se)
	}
	if dg <= 2*se {
		t.Errorf("Gaussian mixture's means moved only %v: the outliers do not test anything", dg)
	}
}

// adjustedRand is the adjusted Rand index of two labelings (Hubert &
// Arabie 1985).
func adjustedRand(a, b []int) float64 {
	type pair struct{ x, y int }
	nij, ai, bj := map[pair]float64{}, map[int]float64{}, map[int]float64{}
	for i := range a {
		nij[pair{a[i], b[i]}]++
		ai[a[i]]++
		bj[b[i]]++
	}
	c2 := func(v float64) float64 { return v * (v - 1) / 2 }
	var s, sa, sb float64
	for _, v := range nij {
		s += c2(v)
	}
	for _, v := range ai {
		sa += c2(v)
	}
	for _, v := range bj {
		sb += c2(v)
	}
	exp := sa * sb / c2(float64(len(a)))
	return (s - exp) / ((sa+sb)/2 - exp)
}

// TestMixedTypeRecovery: a simulated table of two numeric, two categorical
// and one count column with three known components is recovered with an
// adjusted Rand index ≥ 0.9 (issue 16).
func TestMixedTypeRecovery(t *testing.T) {
	fams := []Family{Gaussian, Gaussian, Categorical, Categorical, Poisson}
	x, z := simulate(900, fams, 3, 21)
	m, _, err := Fit(context.Background(), x, nil, Options{K: 3, Columns: fams, EM: em.Options{NInit: 5, Seed: 2}})
	if err != nil {
		t.Fatal(err)
	}
	pred, err := m.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	ari := adjustedRand(z, pred)
	t.Logf("adjusted Rand index %.4f", ari)
	if ari < 0.9 {
		t.Errorf("adjusted Rand index: got %v, want ≥ 0.9", ari)
	}
	if got, want := m.NumParams(), 2+3*(2+3)+3*(2+2)+3*1; got != want {
		t.Errorf("parameters: got %d, want %d", got, want)
	}
}

// TestLgammaDiff: the series branch joins the direct difference at the
// switch (x = 1e3, where the direct one still has 12 digits).
func TestLgammaDiff(t *testing.T) {
	for _, a := range []float64{0.5, 1, 1.5, 5} {
		x := 1e3
		u, _ := math.Lgamma(x + a)
		v, _ := math.Lgamma(x)
		testutil.AssertClose(t, "lgammaDiff", lgammaDiff(x, a), u-v, 0, 1e-11)
	}
}

func rngFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }
