package mixture

// Catalog N-01…N-05 (shared numerical kernels) as the mixture uses them.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// N-01: a row whose log density is −Inf under every component (the log-sum-
// exp of all −Inf is −Inf, never NaN): the fit and the predictions fail
// naming the row, the score is −Inf, nothing is NaN.
func TestN01AllMinusInfRow(t *testing.T) {
	unit := mat.NewSymDense(1, []float64{1})
	m, err := New(Full, Params{Weights: []float64{0.5, 0.5}, Means: mat.NewDense(2, 1, []float64{0, 1}), Covariances: []*mat.SymDense{unit, unit}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(3, 1, []float64{0.5, 1e200, 1})
	ss, err := m.ScoreSamples(nil, x)
	if err != nil || !math.IsInf(ss[1], -1) || math.IsNaN(ss[0]) {
		t.Errorf("score_samples: %v, %v; want row 2 at −Inf", ss, err)
	}
	_, err = m.PredictProba(nil, x)
	var re *em.RowError
	if !errors.As(err, &re) || re.Row != 1 {
		t.Errorf("predict_proba: %v, want a RowError for row index 1", err)
	}
	wantErr(t, "predict", func() error { _, err := m.Predict(nil, x); return err }(), "data row 2", "density is 0 under every component")
	_, _, err = Fit(context.Background(), x, Options{K: 2, Start: &Params{Weights: []float64{0.5, 0.5}, Means: mat.NewDense(2, 1, []float64{0, 1}), Covariances: []*mat.SymDense{unit, unit}}})
	wantErr(t, "fit", err, "data row 2", "density is 0 under every component")
}

// N-02: components 1000σ apart and a point 1e4 away from both:
// responsibilities exactly 0 or 1, a finite log-likelihood, no NaN.
func TestN02FarComponents(t *testing.T) {
	unit := mat.NewSymDense(1, []float64{1})
	m, _ := New(Full, Params{Weights: []float64{0.5, 0.5}, Means: mat.NewDense(2, 1, []float64{0, 1000}), Covariances: []*mat.SymDense{unit, unit}}, nil)
	x := mat.NewDense(3, 1, []float64{0.3, 999.5, -1e4})
	p, err := m.PredictProba(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 0, 0, 1, 1, 0}
	if !bitsEqual(p.RawMatrix().Data, want) {
		t.Errorf("responsibilities %v, want %v", p.RawMatrix().Data, want)
	}
	ss, _ := m.ScoreSamples(nil, x)
	for _, v := range ss {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("log-likelihood %v", v)
		}
	}
	// −½·1e8 − log 2 − ½ log 2π: the far point's exact log density.
	testutil.AssertClose(t, "far point", ss[2], -0.5*1e8-math.Log(2)-0.5*math.Log(2*math.Pi), 0, 1e-15)
}

// N-03: the precision factor is the inverse Cholesky factor, never an
// explicit inverse: A·L = I for gonum's Cholesky factor L; a matrix that is
// not positive definite fails the factorisation (then the fit fails with
// ErrIllDefinedCovariance, M-12).
func TestN03PrecisionFactor(t *testing.T) {
	s := spd(newRNG(50), 4, 3)
	a := make([]float64, 16)
	full := mat.DenseCopyOf(s).RawMatrix().Data // SymDense stores only the upper triangle
	ld, ok := factorize(a, full, make([]float64, 16), 4)
	if !ok {
		t.Fatal("factorisation failed")
	}
	var ch mat.Cholesky
	ch.Factorize(s)
	var l mat.TriDense
	ch.LTo(&l)
	var prod mat.Dense
	prod.Mul(mat.NewDense(4, 4, a), &l)
	if !mat.EqualApprox(&prod, eye(4), 1e-12) {
		t.Errorf("A·L = %v", mat.Formatted(&prod))
	}
	testutil.AssertClose(t, "log det A", ld, -0.5*ch.LogDet(), 1e-12, 0)
	bad := []float64{1, 2, 2, 1} // eigenvalues 3 and −1
	if _, ok := factorize(make([]float64, 4), bad, make([]float64, 4), 2); ok {
		t.Error("an indefinite matrix was factorised")
	}
	if _, ok := factorize(make([]float64, 4), []float64{math.NaN(), 0, 0, 1}, make([]float64, 4), 2); ok {
		t.Error("a NaN matrix was factorised")
	}
}

// N-04: data offset by 1e8 with unit spread: the covariance, computed from
// centred differences, is correct to 1e-6 and positive definite, for one
// cluster and for two clusters 50 apart.
func TestN04LargeOffset(t *testing.T) {
	rng := newRNG(51)
	x := randn(rng, 1000, 2)
	y := mat.NewDense(1000, 2, nil)
	for i := 0; i < 1000; i++ {
		shift := 1e8
		if i%2 == 1 {
			shift += 50
		}
		y.Set(i, 0, x.At(i, 0)+shift)
		y.Set(i, 1, x.At(i, 1)-shift)
	}
	for _, c := range CovarianceTypes {
		m, _ := fitted(t, y, Options{K: 2, Covariance: c, Seed: 1})
		for k := 0; k < 2; k++ {
			var rows []int
			for i := 0; i < 1000; i++ {
				if (m.means[k*2]-1e8 > 25) == (i%2 == 1) {
					rows = append(rows, i)
				}
			}
			sub := mat.NewDense(len(rows), 2, nil)
			for i, r := range rows {
				sub.SetRow(i, x.RawRowView(r)) // the unshifted draws: exact reference
			}
			want := mat.NewSymDense(2, nil)
			covarianceTo(want, sub)
			got := m.Covariance(nil, k)
			var ch mat.Cholesky
			if !ch.Factorize(got) {
				t.Errorf("%s: covariance %d not positive definite", c, k)
			}
			if c == Full {
				testutil.AssertCloseSlice(t, "covariance at offset 1e8", got.RawSymmetric().Data, want.RawSymmetric().Data, 1e-6, 1e-6)
			}
		}
	}
}

// N-05: a component with no responsibility anywhere gets the 10·ε floor: a
// finite mean (its previous one), covariance reg_covar·I, weights ≥ 0
// summing to 1 within 1e-12 (scikit-learn #23032).
func TestN05EmptyComponent(t *testing.T) {
	x := randn(newRNG(52), 50, 2)
	r := &rowData{n: 50, d: 2}
	r.x, r.stride, _, _ = denseRows(x)
	r.src = em.Matrix(x, nil)
	for _, c := range CovarianceTypes {
		m := newModel(c, 2, 2)
		err := initFromResp(context.Background(), m, r, 1e-6, func(row int, dst []float64) {
			dst[0], dst[1] = 1, 0 // the column of component 1 is all zero
		})
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if m.weights[1] < 0 || m.weights[0] < 0 {
			t.Errorf("%s: negative weight %v", c, m.weights)
		}
		testutil.AssertClose(t, "weights sum", m.weights[0]+m.weights[1], 1, 1e-12, 0)
		for _, v := range append(append([]float64{}, m.means...), m.covs...) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s: parameter %v", c, v)
			}
		}
		if c == Full || c == Diag || c == Spherical {
			testutil.AssertClose(t, string(c)+" empty component's variance", m.Covariance(nil, 1).At(0, 0), 1e-6, 1e-18, 0)
		}
	}
}

// The report's decomposition for every covariance type: the KL gap of
// iteration n equals KL(q_{n−1} ‖ p(z|x, θ_n)) computed row by row from the
// responsibilities of θ_{n−1} and θ_n, and the M-step never lowers the ELBO
// (reg_covar 0: exact EM). This checks the M-step's Q from the statistics
// (traceAtSA and friends) against the data.
func TestELBOKLGapPerCovarianceType(t *testing.T) {
	d := randomData(newRNG(53), 400, 3, 3, 6, Full)
	for _, c := range CovarianceTypes {
		o := Options{K: 3, Covariance: c, RegCovar: NoRegCovar, Tol: em.NoTol, Seed: 8, Init: InitRandom}
		for n := 1; n <= 4; n++ {
			o.MaxIter = n - 1
			if n == 1 {
				o.MaxIter = em.NoIterations
			}
			before, _ := fitted(t, d.x, o)
			o.MaxIter = n
			after, rep := fitted(t, d.x, o)
			q, _ := before.PredictProba(nil, d.x)
			p, _ := after.PredictProba(nil, d.x)
			kl := 0.0
			for i := 0; i < 400; i++ {
				for k := 0; k < 3; k++ {
					if qi := q.At(i, k); qi > 0 {
						kl += qi * math.Log(qi/p.At(i, k))
					}
				}
			}
			kl /= 400
			it := rep.Starts[0].Trace[n-1]
			testutil.AssertClose(t, fmt.Sprintf("%s iteration %d: KL gap", c, n), it.KL, kl, 1e-10, 1e-6)
			if it.ELBO < it.LogLik-em.RoundOff(it.LogLik) {
				t.Errorf("%s iteration %d: the M-step lowered the ELBO from %v to %v", c, n, it.LogLik, it.ELBO)
			}
			if it.KL < -em.RoundOff(it.Next) {
				t.Errorf("%s iteration %d: negative KL gap %v", c, n, it.KL)
			}
		}
	}
}
