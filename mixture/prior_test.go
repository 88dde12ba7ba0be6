package mixture

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// TestDefaultPriorMatchesMclust compares the resolved zero Prior with
// mclust's defaultPrior(X, G, model) for every model latent has and G =
// 1…9 (testdata/mclust, prior.defaultPrior).
func TestDefaultPriorMatchesMclust(t *testing.T) {
	for _, set := range []string{"faithful", "iris"} {
		ref := loadMclust(t, set)
		x := mcData(t, set)
		n, d := x.Dims()
		r := &rowData{x: rawRows(x), stride: d, n: n, d: d}
		mean, cov := dataMoments(r, nil)
		for name, list := range ref.Prior.DefaultPrior {
			c, ok := mcCovariance(name)
			if !ok {
				continue
			}
			f := familyOf(c)
			for _, want := range list {
				what := fmt.Sprintf("%s/%s,%d", set, name, want.G)
				got := (&Prior{}).resolve(f, want.G, n, mean, cov)
				testutil.AssertClose(t, what+" shrinkage", got.shrink, want.Shrinkage, 0, 0)
				testutil.AssertClose(t, what+" dof", got.dof, want.Dof, 0, 0)
				testutil.AssertCloseSlice(t, what+" mean", got.mean, want.Mean, 0, 1e-14)
				var scalar float64
				var matrix [][]float64
				if err := json.Unmarshal(want.Scale, &scalar); err == nil {
					testutil.AssertClose(t, what+" scale", got.scalar, scalar, 0, 1e-13)
					continue
				}
				if err := json.Unmarshal(want.Scale, &matrix); err != nil {
					t.Fatalf("%s: scale: %v", what, err)
				}
				for i, row := range matrix {
					testutil.AssertCloseSlice(t, fmt.Sprintf("%s scale[%d]", what, i), got.scale[i*d:(i+1)*d], row, 0, 1e-13)
				}
			}
		}
	}
}

// TestFitWithPriorMatchesMe checks Fit's MAP path (Options.Prior, through
// package em) against mclust's EM with the prior (meFit, itself checked
// against mclust): run to a tight tolerance from the same start, both
// reach the same posterior mode.
func TestFitWithPriorMatchesMe(t *testing.T) {
	for _, tc := range []struct {
		set  string
		cov  CovarianceType
		name string
	}{
		{"faithful", Tied, "EEE"}, {"faithful", Full, "VVV"}, {"iris", Diag, "VVI"}, {"iris", Spherical, "VII"},
		{"faithful", EII, "EII"}, {"iris", EEI, "EEI"}, {"iris", VEI, "VEI"}, {"iris", EVI, "EVI"}, {"iris", EEV, "EEV"}, {"iris", VEV, "VEV"},
	} {
		t.Run(tc.set+"/"+tc.name, func(t *testing.T) {
			ref := loadMclust(t, tc.set)
			x := mcData(t, tc.set)
			n, d := x.Dims()
			g := 3
			z := unmap(ref.HC["VVV"]["SVD"].Partitions[fmt.Sprint(g)], g)
			me, _, err := meFit(context.Background(), rawRows(x), n, d, z, &meConfig{fam: familyOf(tc.cov), k: g, prior: &Prior{}, tol: 1e-14, maxIter: 5000})
			if err != nil {
				t.Fatal(err)
			}
			// Start Fit from the mclust fit at mclust's tolerance, a few
			// iterations short of the mode.
			var start *mcParams
			for _, c := range ref.Prior.Cells {
				if c.Model == tc.name && c.G == g {
					start = c.Parameters
				}
			}
			s := mcModelOf(t, tc.cov, start)
			covs := make([]*mat.SymDense, g)
			for k := range covs {
				covs[k] = s.Covariance(nil, k)
			}
			m, rep, err := Fit(context.Background(), x, Options{K: g, Covariance: tc.cov, Prior: &Prior{}, RegCovar: NoRegCovar,
				Start: &Params{Weights: s.Weights(nil), Means: s.Means(nil), Covariances: covs}, Tol: 1e-15, MaxIter: 5000})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Prior == nil || rep.Prior.Dof != float64(d+2) || rep.Prior.Shrinkage != DefaultShrinkage {
				t.Errorf("Report.Prior: got %+v, want mclust's defaults (dof %d, shrinkage %g)", rep.Prior, d+2, DefaultShrinkage)
			}
			testutil.AssertClose(t, "mean log-likelihood", m.LogLikelihood(), me.LogLikelihood(), 0, 1e-9)
			testutil.AssertCloseSlice(t, "weights", m.Weights(nil), me.Weights(nil), 1e-7, 0)
			testutil.AssertCloseSlice(t, "means", m.Means(nil).RawMatrix().Data, me.Means(nil).RawMatrix().Data, 0, 1e-7)
			for k := 0; k < g; k++ {
				a, b := m.Covariance(nil, k), me.Covariance(nil, k)
				testutil.AssertCloseSlice(t, fmt.Sprintf("covariance %d", k), a.RawSymmetric().Data, b.RawSymmetric().Data, 0, 1e-6)
			}
		})
	}
}

// TestPriorRescuesSingleton: a start with a component on one point
// collapses without regularisation, and fits under the prior.
func TestPriorRescuesSingleton(t *testing.T) {
	rng := newRNG(3)
	x := randn(rng, 60, 2)
	x.Set(59, 0, 40) // a far outlier, alone in the third component
	x.Set(59, 1, 40)
	start := &Params{Weights: []float64{0.5, 0.49, 0.01}, Means: mat.NewDense(3, 2, []float64{-1, 0, 1, 0, 40, 40})}
	for _, cov := range []CovarianceType{Full, Diag, Spherical} {
		o := Options{K: 3, Covariance: cov, RegCovar: NoRegCovar, Start: start, MaxIter: 200}
		_, _, err := Fit(context.Background(), x, o)
		var ce *ComponentError
		if !errors.As(err, &ce) {
			t.Errorf("%s without a prior: got %v, want a *ComponentError", cov, err)
		}
		o.Prior = &Prior{}
		m, _, err := Fit(context.Background(), x, o)
		if err != nil {
			t.Errorf("%s with the prior: %v", cov, err)
			continue
		}
		if v := m.Covariance(nil, 2).At(0, 0); !(v > 0) {
			t.Errorf("%s with the prior: the singleton's variance is %g, want > 0", cov, v)
		}
	}
}

// noPriorFamily is a family without a MAP M-step.
type noPriorFamily struct{ family }

func TestPriorOptionErrors(t *testing.T) {
	if _, err := lookupPriorFamily(noPriorFamily{fullFamily{}}); err == nil {
		t.Error("a family without priorMStep: got no error")
	} else if oe := (*OptionError)(nil); !errors.As(err, &oe) || oe.Option != "Prior" {
		t.Errorf("a family without priorMStep: got %v, want an *OptionError naming Prior", err)
	}
	x := randn(newRNG(1), 30, 2)
	for _, tc := range []struct {
		name string
		p    Prior
	}{
		{"negative shrinkage", Prior{Shrinkage: -2}},
		{"NaN shrinkage", Prior{Shrinkage: math.NaN()}},
		{"mean length", Prior{Mean: []float64{1}}},
		{"mean without shrinkage", Prior{Mean: []float64{1, 2}, Shrinkage: NoShrinkage}},
		{"dof too small", Prior{Dof: 1}},
		{"scale size", Prior{Scale: mat.NewSymDense(3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1})}},
		{"scale not positive definite", Prior{Scale: mat.NewSymDense(2, []float64{1, 2, 2, 1})}},
	} {
		p := tc.p
		_, _, err := Fit(context.Background(), x, Options{K: 2, Prior: &p})
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != "Prior" || !errors.Is(err, ErrBadOption) {
			t.Errorf("%s: got %v, want an *OptionError naming Prior", tc.name, err)
		}
	}
}
