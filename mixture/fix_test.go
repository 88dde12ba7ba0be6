package mixture

import (
	"context"
	"errors"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// A fixed part keeps the bits of the start while the free parts move, for
// every family and subset; the log-likelihood never falls; the report
// and the model name the fixed parts, and the free-parameter count leaves
// them out.
func TestFixKeepsParts(t *testing.T) {
	d := randomData(newRNG(81), 500, 3, 3, 6, Full)
	for _, f := range registry {
		if univariateFamily(f) {
			continue // E and V need one feature
		}
		c := f.Type()
		pre, _ := fitted(t, d.x, Options{K: 3, Covariance: c, Seed: 2, MaxIter: 2})
		// The start as a fit takes it (a tied start averages its K
		// matrices, weights are renormalised): the fit of no iteration.
		start, _ := fitted(t, d.x, Options{K: 3, Covariance: c, Start: pre.FullParams().Params(), MaxIter: em.NoIterations})
		for _, fix := range []Fixed{FixWeights, FixMeans, FixCovariances, FixWeights | FixMeans, FixMeans | FixCovariances, FixWeights | FixMeans | FixCovariances} {
			m, rep := fitted(t, d.x, Options{K: 3, Covariance: c, Start: pre.FullParams().Params(), Fix: fix, MaxIter: 20})
			what := string(c) + " fix " + fix.String()
			if fix.Has(FixWeights) && !bitsEqual(m.weights, start.weights) {
				t.Errorf("%s: the weights moved", what)
			}
			if !fix.Has(FixWeights) && bitsEqual(m.weights, start.weights) {
				t.Errorf("%s: the free weights did not move", what)
			}
			if fix.Has(FixMeans) && !bitsEqual(m.means, start.means) {
				t.Errorf("%s: the means moved", what)
			}
			if fix.Has(FixCovariances) && !bitsEqual(m.covs, start.covs) {
				t.Errorf("%s: the covariances moved", what)
			}
			if rep.Decreases != 0 {
				t.Errorf("%s: %d decreases", what, rep.Decreases)
			}
			if got := m.Fixed(); got != fix {
				t.Errorf("%s: model says %s is fixed", what, got)
			}
			if want := freeParams(f, 3, 3, fix); rep.NumParams != want || m.NumParams() != want {
				t.Errorf("%s: %d free parameters (model %d), want %d", what, rep.NumParams, m.NumParams(), want)
			}
			if len(rep.Fixed) != len(fix.Names()) {
				t.Errorf("%s: report names %v", what, rep.Fixed)
			}
		}
	}
}

// With the means fixed, a single Gaussian's covariance is the scatter
// about the fixed mean, Σ_i (x_i − μ₀)(x_i − μ₀)ᵀ / n: the maximum of the
// likelihood over Σ alone.
func TestFixMeansScatterAboutThem(t *testing.T) {
	x := randn(newRNG(82), 300, 2)
	mu0 := []float64{0.4, -0.3}
	start := &Params{Means: mat.NewDense(1, 2, mu0)}
	m, _ := fitted(t, x, Options{K: 1, Start: start, Fix: FixMeans, RegCovar: NoRegCovar, MaxIter: 3})
	var s [4]float64
	for i := 0; i < 300; i++ {
		a, b := x.At(i, 0)-mu0[0], x.At(i, 1)-mu0[1]
		s[0] += a * a / 300
		s[1] += a * b / 300
		s[3] += b * b / 300
	}
	s[2] = s[1]
	c := m.Covariance(nil, 0)
	testutil.AssertCloseSlice(t, "covariance about the fixed mean", []float64{c.At(0, 0), c.At(0, 1), c.At(1, 0), c.At(1, 1)}, s[:], 1e-14, 1e-12)
	testutil.AssertCloseSlice(t, "fixed mean", m.means, mu0, 0, 0)
}

// A fixed part needs its values: Fix without them in Start is an
// *OptionError naming Fix; ParseFixed reads the CLI's lists.
func TestFixErrors(t *testing.T) {
	x := randn(newRNG(83), 30, 2)
	_, _, err := Fit(context.Background(), x, Options{K: 2, Fix: FixMeans})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option != "Fix" {
		t.Fatalf("Fix means without Start: %v", err)
	}
	wantErr(t, "no start", err, "holds the means, but Options.Start gives none")
	_, _, err = Fit(context.Background(), x, Options{K: 1, Fix: FixCovariances, Start: &Params{Weights: []float64{1}}})
	wantErr(t, "start without covariances", err, "holds the covariances")
	for _, c := range []struct {
		in   string
		want Fixed
		ok   bool
	}{
		{"weights,means", FixWeights | FixMeans, true},
		{" Covariances ", FixCovariances, true},
		{"mean", FixMeans, true},
		{"", 0, true},
		{"none", 0, true},
		{"weights,sigma", 0, false},
	} {
		got, err := ParseFixed(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseFixed(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if s := (FixWeights | FixCovariances).String(); s != "weights,covariances" {
		t.Errorf("String = %q", s)
	}
}
