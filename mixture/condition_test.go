package mixture

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// oneGaussian is a single full-covariance Gaussian in 4 dimensions.
func oneGaussian(t *testing.T) (*Model, []float64, *mat.SymDense) {
	rng := newRNG(2304)
	mu := []float64{1, -2, 0.5, 3}
	cov := spd(rng, 4, 1.5)
	m, err := New(Full, Params{Weights: []float64{1}, Means: mat.NewDense(1, 4, mu), Covariances: []*mat.SymDense{cov}}, []string{"a", "b", "c", "d"})
	if err != nil {
		t.Fatal(err)
	}
	return m, mu, cov
}

// Conditioning a single Gaussian is the textbook conditional normal
// (Bishop, PRML eq. 2.81–2.82), computed here by gonum's solves, to 1e-12;
// the conditional model's features are the others, named.
func TestConditionSingleGaussian(t *testing.T) {
	m, mu, cov := oneGaussian(t)
	for _, c := range []struct {
		given  []int
		values []float64
	}{
		{[]int{0}, []float64{2.5}},
		{[]int{3, 1}, []float64{2, -1}},
		{[]int{0, 2, 3}, []float64{0, 0, 0}},
	} {
		cm, err := m.Condition(c.given, c.values)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, 4)
		isGiven := make([]bool, 4)
		for t, j := range c.given {
			x[j] = c.values[t]
			isGiven[j] = true
		}
		var obs, mis []int
		for j := range x {
			if isGiven[j] {
				obs = append(obs, j)
			} else {
				mis = append(mis, j)
			}
		}
		wantMean, wantCov := condNormal(x, mu, cov, obs, mis)
		testutil.AssertCloseSlice(t, "conditional mean", cm.Means(nil).RawRowView(0), wantMean, 1e-12, 1e-12)
		got := cm.Covariance(nil, 0)
		for a := range mis {
			for b := range mis {
				testutil.AssertClose(t, "conditional covariance", got.At(a, b), wantCov.At(a, b), 1e-12, 1e-12)
			}
		}
		if cm.Dim() != len(mis) || cm.K() != 1 || cm.FeatureNames()[0] != m.FeatureNames()[mis[0]] {
			t.Errorf("conditional model: D = %d, K = %d, names %v", cm.Dim(), cm.K(), cm.FeatureNames())
		}
	}
}

// Conditioning a mixture reweights its components by the density of the
// values given, π_k N(v | μ_kO, Σ_kOO) normalised, and conditions each; for
// every family.
func TestConditionMixture(t *testing.T) {
	d := randomData(newRNG(5), 600, 3, 3, 6, Full)
	for _, f := range registry {
		if univariateFamily(f) {
			continue // E and V need one feature
		}
		m, _ := fitted(t, d.x, Options{K: 3, Covariance: f.Type(), Seed: 3})
		v := []float64{d.x.At(7, 1)}
		cm, err := m.Condition([]int{1}, v)
		if err != nil {
			t.Fatal(err)
		}
		x := []float64{0, v[0], 0}
		lw := make([]float64, 3)
		for k := range lw {
			lw[k] = math.Log(m.weights[k]) + logNormalSub(x, m.means[k*3:(k+1)*3], m.Covariance(nil, k), []int{1})
		}
		ll := logSumExp(lw)
		got := cm.Weights(nil)
		for k := range lw {
			testutil.AssertClose(t, string(f.Type())+" weight", got[k], math.Exp(lw[k]-ll), 1e-12, 1e-12)
			wm, _ := condNormal(x, m.means[k*3:(k+1)*3], m.Covariance(nil, k), []int{1}, []int{0, 2})
			testutil.AssertCloseSlice(t, string(f.Type())+" mean", cm.Means(nil).RawRowView(k), wm, 1e-12, 1e-12)
		}
	}
}

func TestConditionErrors(t *testing.T) {
	m, _, _ := oneGaussian(t)
	if _, err := m.Condition([]int{0, 1, 2, 3}, []float64{1, 2, 3, 4}); err == nil {
		t.Error("every coordinate given: no error")
	}
	if _, err := m.Condition([]int{0}, []float64{math.NaN()}); err == nil {
		t.Error("NaN value: no error")
	}
	if _, err := new(Model).Condition(nil, nil); err != ErrNotFitted {
		t.Errorf("zero Model: %v", err)
	}
	for _, f := range []func(){
		func() { m.Condition([]int{0}, []float64{1, 2}) },
		func() { m.Condition([]int{4}, []float64{1}) },
		func() { m.Condition([]int{1, 1}, []float64{1, 2}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic on a shape mistake")
				}
			}()
			f()
		}()
	}
}

// Impute gives a row's conditional mean and standard deviation: for one
// Gaussian the textbook ones, for a mixture the moments of the conditional
// mixture (Condition's); observed cells are copied, and their sd is 0.
func TestImputeMoments(t *testing.T) {
	d := randomData(newRNG(7), 500, 3, 4, 6, Full)
	x := deleteCells(d.x, 0.3, newRNG(8))
	m, _ := fitted(t, x, Options{K: 3, Missing: true, Seed: 2})
	sd := mat.NewDense(500, 4, nil)
	got, err := m.Impute(nil, sd, x)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 80; i++ {
		row := x.RawRowView(i)
		var given, mis []int
		var vals []float64
		for j, v := range row {
			if math.IsNaN(v) {
				mis = append(mis, j)
			} else {
				given, vals = append(given, j), append(vals, v)
			}
		}
		if len(mis) == 0 {
			if !bitsEqual(got.RawRowView(i), row) {
				t.Errorf("row %d: a complete row changed", i)
			}
			continue
		}
		cm, err := m.Condition(given, vals)
		if err != nil {
			t.Fatal(err)
		}
		w, means := cm.Weights(nil), cm.Means(nil)
		for a, j := range mis {
			mean := 0.0
			for k := range w {
				mean += w[k] * means.At(k, a)
			}
			vr := 0.0
			for k := range w {
				dv := means.At(k, a) - mean
				vr += w[k] * (cm.Covariance(nil, k).At(a, a) + dv*dv)
			}
			testutil.AssertClose(t, "imputed mean", got.At(i, j), mean, 1e-10, 1e-10)
			testutil.AssertClose(t, "imputed sd", sd.At(i, j), math.Sqrt(vr), 1e-10, 1e-10)
		}
		for _, j := range given {
			if got.At(i, j) != row[j] || sd.At(i, j) != 0 {
				t.Errorf("row %d column %d: an observed cell became %v (sd %v)", i, j, got.At(i, j), sd.At(i, j))
			}
		}
	}
}

// ImputeDraw fills only the missing cells, with the same bits on any number
// of cores (draws of a row depend on the row and the rng), and its draws
// average to the conditional mean.
func TestImputeDraw(t *testing.T) {
	d := randomData(newRNG(9), 300, 2, 3, 6, Full)
	x := deleteCells(d.x, 0.3, newRNG(10))
	m, _ := fitted(t, x, Options{K: 2, Missing: true, Seed: 4})
	a, err := m.ImputeDraw(nil, x, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.ImputeDraw(nil, x, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if !bitsEqual(a.RawMatrix().Data, b.RawMatrix().Data) {
		t.Fatal("the same rng gave other draws")
	}
	mean, _ := m.Impute(nil, nil, x)
	const draws = 4000
	rng := rand.New(rand.NewPCG(3, 4))
	one := mat.NewDense(1, 3, nil)
	row := 0
	for i := 0; i < 300; i++ {
		if math.IsNaN(x.At(i, 0)) && !math.IsNaN(x.At(i, 1)) {
			row = i
			break
		}
	}
	sum, sum2 := 0.0, 0.0
	xr := x.Slice(row, row+1, 0, 3)
	for s := 0; s < draws; s++ {
		if _, err := m.ImputeDraw(one, xr, rng); err != nil {
			t.Fatal(err)
		}
		v := one.At(0, 0)
		sum += v
		sum2 += v * v
		if one.At(0, 1) != x.At(row, 1) {
			t.Fatal("a draw changed an observed cell")
		}
	}
	avg := sum / draws
	se := math.Sqrt((sum2/draws - avg*avg) / draws)
	if math.Abs(avg-mean.At(row, 0)) > 4*se {
		t.Errorf("mean of %d draws %.4f, conditional mean %.4f (se %.4f)", draws, avg, mean.At(row, 0), se)
	}
}

// Gaussian-mixture regression on a two-regime piecewise-linear process,
// y = 1 + 2x around x = −2 and y = 3 − x around x = 2, noise sd 0.3: the
// GMR mean of a two-component fit on (x, y) recovers each line within its
// band (mean ± 2 sd) away from the regimes' boundary, and the band's
// half-width is the noise's.
func TestRegressPiecewiseLinear(t *testing.T) {
	rng := newRNG(591)
	n := 2000
	x := mat.NewDense(n, 2, nil)
	line := func(v float64) float64 {
		if v < 0 {
			return 1 + 2*v
		}
		return 3 - v
	}
	for i := 0; i < n; i++ {
		c := -2.0
		if i%2 == 1 {
			c = 2
		}
		v := c + 0.6*rng.NormFloat64()
		x.Set(i, 0, v)
		x.Set(i, 1, line(v)+0.3*rng.NormFloat64())
	}
	m, _, err := Fit(context.Background(), x, Options{K: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var grid []float64
	for v := -3.0; v <= 3.0001; v += 0.25 {
		if math.Abs(v) >= 1 {
			grid = append(grid, v)
		}
	}
	g := mat.NewDense(len(grid), 1, grid)
	sd := mat.NewDense(len(grid), 1, nil)
	mean, err := m.Regress(nil, sd, []int{0}, g)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range grid {
		mu, s := mean.At(i, 0), sd.At(i, 0)
		if math.Abs(mu-line(v)) > 2*s {
			t.Errorf("x = %.2f: GMR mean %.3f, the line %.3f, outside the band ± %.3f", v, mu, line(v), 2*s)
		}
		if s < 0.2 || s > 0.45 {
			t.Errorf("x = %.2f: conditional sd %.3f, the noise's 0.3", v, s)
		}
	}
}
