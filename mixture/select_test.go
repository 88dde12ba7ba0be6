package mixture

import (
	"context"
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// On Old Faithful, BIC over K = 1…6 and the four covariance types picks
// three components with one shared covariance: mclust's choice for these
// data (model EEE, 3 components, its log-likelihood −1126.33 at its
// relative tolerance 1e-5; Scrucca et al. 2016, the faithful example).
// Every row of the table is consistent with its own numbers.
func TestSelectFaithful(t *testing.T) {
	x := datasets.Faithful().X
	m, rep, sel, err := Select(context.Background(), x, SelectOptions{Ks: []int{1, 2, 3, 4, 5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Candidates) != 24 {
		t.Fatalf("%d candidates, want 24", len(sel.Candidates))
	}
	best := sel.Candidates[sel.Best]
	if best.K != 3 || best.Covariance != Tied || m.K() != 3 || m.CovarianceType() != Tied {
		t.Errorf("best %d %s, want 3 tied", best.K, best.Covariance)
	}
	// At tol 1e-3 nats per row EM stops up to 0.27 nats (in total) short;
	// fitted tightly it passes mclust's −1126.326, which stops at a relative
	// change of 1e-5.
	testutil.AssertClose(t, "log-likelihood of the best", rep.LogLikelihood*272, -1126.326, 0.5, 0)
	_, tight, err := Fit(context.Background(), x, Options{K: 3, Covariance: Tied, Tol: 1e-9, MaxIter: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if ll := tight.LogLikelihood * 272; ll < -1126.326 || ll > -1126.3 {
		t.Errorf("tight tied K = 3: log-likelihood %v, want just above mclust's −1126.326", ll)
	}
	for i, c := range sel.Candidates {
		if c.Error != "" {
			t.Errorf("%d %s: %s", c.K, c.Covariance, c.Error)
			continue
		}
		bic := -2*c.LogLikelihood*272 + float64(c.NumParams)*math.Log(272)
		testutil.AssertClose(t, "BIC", c.BIC, bic, 1e-9, 1e-12)
		testutil.AssertClose(t, "AIC", c.AIC, -2*c.LogLikelihood*272+2*float64(c.NumParams), 1e-9, 1e-12)
		if c.MclustBIC != -c.BIC {
			t.Errorf("mclust BIC %v, BIC %v", c.MclustBIC, c.BIC)
		}
		if c.BIC < best.BIC {
			t.Errorf("candidate %d has BIC %v below the best %v", i, c.BIC, best.BIC)
		}
	}
	_, _, aic, err := Select(context.Background(), x, SelectOptions{Ks: []int{1, 2, 3}, Covariances: []CovarianceType{Full}, Criterion: AIC})
	if err != nil || aic.Criterion != AIC {
		t.Fatal(err)
	}
	for _, c := range aic.Candidates {
		if c.AIC < aic.Candidates[aic.Best].AIC {
			t.Errorf("AIC selection did not pick the lowest AIC")
		}
	}
}

// A degenerate fit in the grid is reported in the table, not fatal; when
// every fit fails, Select fails with the first error.
func TestSelectDegenerateFitReported(t *testing.T) {
	// Four copies of each corner of a triangle: one Gaussian fits; three
	// or four collapse onto the corners; twenty are more than the rows.
	x := mat.NewDense(12, 2, nil)
	for i := 0; i < 12; i++ {
		switch i % 3 {
		case 1:
			x.Set(i, 0, 1)
		case 2:
			x.Set(i, 1, 1)
		}
	}
	m, _, sel, err := Select(context.Background(), x, SelectOptions{Ks: []int{1, 3, 4, 20}, Covariances: []CovarianceType{Full},
		Options: Options{RegCovar: NoRegCovar}})
	if err != nil {
		t.Fatal(err)
	}
	var failed int
	for _, c := range sel.Candidates {
		if c.Error != "" {
			failed++
		}
	}
	if failed < 2 || m == nil {
		t.Errorf("%d failed fits reported (want K = 3, 4 collapsed and K = 20 too many); table %+v", failed, sel.Candidates)
	}
	_, _, _, err = Select(context.Background(), x, SelectOptions{Ks: []int{3, 4}, Covariances: []CovarianceType{Full}, Options: Options{RegCovar: NoRegCovar}})
	if !errors.Is(err, ErrIllDefinedCovariance) {
		t.Errorf("all failing: %v", err)
	}
	_, _, _, err = Select(context.Background(), x, SelectOptions{Ks: []int{0}})
	wantErr(t, "K = 0", err, "K = 0")
}

// Weights are frequency weights: a row of weight 3 counts as three copies of
// it, in the parameters, the log-likelihood per unit of weight and BIC's n.
func TestWeightsAreFrequencies(t *testing.T) {
	d := randomData(newRNG(62), 120, 2, 2, 8, Full)
	w := make([]float64, 120)
	var dup []float64
	for i := range w {
		w[i] = float64(1 + i%3)
		for c := 0; c < int(w[i]); c++ {
			dup = append(dup, d.x.RawRowView(i)...)
		}
	}
	xd := mat.NewDense(len(dup)/2, 2, dup)
	start := &Params{Weights: []float64{0.5, 0.5}, Means: mat.NewDense(2, 2, []float64{0, 0, 8, 8}),
		Covariances: []*mat.SymDense{mat.NewSymDense(2, []float64{4, 0, 0, 4}), mat.NewSymDense(2, []float64{4, 0, 0, 4})}}
	for _, c := range CovarianceTypes {
		a, ra, err := Fit(context.Background(), d.x, Options{K: 2, Covariance: c, Weights: w, Start: start, MaxIter: 30, Tol: em.NoTol})
		if err != nil {
			t.Fatal(err)
		}
		b, rb, err := Fit(context.Background(), xd, Options{K: 2, Covariance: c, Start: start, MaxIter: 30, Tol: em.NoTol})
		if err != nil {
			t.Fatal(err)
		}
		testutil.AssertCloseSlice(t, string(c)+" means", a.means, b.means, 1e-10, 1e-10)
		testutil.AssertCloseSlice(t, string(c)+" covariances", a.covs, b.covs, 1e-10, 1e-10)
		testutil.AssertClose(t, string(c)+" log-likelihood", ra.LogLikelihood, rb.LogLikelihood, 1e-12, 1e-12)
		testutil.AssertClose(t, string(c)+" BIC", ra.BIC, rb.BIC, 1e-9, 1e-12)
		if ra.Weight != 240 {
			t.Errorf("total weight %v, want 240", ra.Weight)
		}
	}
	_, _, err := Fit(context.Background(), d.x, Options{K: 2, Weights: []float64{1, 2}})
	wantErr(t, "short weights", err, "2 weights for 120 rows")
	bad := make([]float64, 120)
	bad[3] = -1
	_, _, err = Fit(context.Background(), d.x, Options{K: 2, Weights: bad})
	wantErr(t, "negative weight", err, "weight of row 4 is -1")
	_, _, err = Fit(context.Background(), d.x, Options{K: 2, Weights: make([]float64, 120)})
	wantErr(t, "zero weights", err, "all weights are 0")
}
