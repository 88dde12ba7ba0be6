package mixture

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// deleteCells returns a copy of x with each cell set to NaN with
// probability p (missing completely at random), keeping at least one value
// per row.
func deleteCells(x *mat.Dense, p float64, rng *rand.Rand) *mat.Dense {
	out := mat.DenseCopyOf(x)
	n, d := out.Dims()
	for i := 0; i < n; i++ {
		row := out.RawRowView(i)
		for {
			miss := 0
			for j := range row {
				row[j] = x.At(i, j)
				if rng.Float64() < p {
					row[j] = math.NaN()
					miss++
				}
			}
			if miss < d {
				break
			}
		}
	}
	return out
}

// The bivariate normal with a monotone pattern (x1 always observed, x2
// missing in the last rows): the maximum-likelihood estimates have a closed
// form (Anderson 1957; Little & Rubin 2002, §7.2): μ1 and σ11 from every
// row, the regression of x2 on x1 from the complete rows, and
//
//	μ2 = α + β μ1,  σ12 = β σ11,  σ22 = σ22·1 + β² σ11.
//
// EM with K = 1 reaches it to 1e-10.
func TestMissingMonotoneBivariateMLE(t *testing.T) {
	rng := newRNG(1957)
	n, m := 200, 120 // x2 observed in the first m rows
	x := mat.NewDense(n, 2, nil)
	for i := 0; i < n; i++ {
		z1, z2 := rng.NormFloat64(), rng.NormFloat64()
		x.Set(i, 0, 1+2*z1)
		x.Set(i, 1, -3+0.8*z1+0.5*z2)
	}
	// The closed form.
	mean := func(a []float64) float64 {
		s := 0.0
		for _, v := range a {
			s += v
		}
		return s / float64(len(a))
	}
	x1, x2 := mat.Col(nil, 0, x), mat.Col(nil, 1, x)
	mu1 := mean(x1)
	s11 := 0.0
	for _, v := range x1 {
		s11 += (v - mu1) * (v - mu1)
	}
	s11 /= float64(n)
	a1, a2 := mean(x1[:m]), mean(x2[:m])
	var c11, c12, c22 float64
	for i := 0; i < m; i++ {
		c11 += (x1[i] - a1) * (x1[i] - a1)
		c12 += (x1[i] - a1) * (x2[i] - a2)
		c22 += (x2[i] - a2) * (x2[i] - a2)
	}
	c11, c12, c22 = c11/float64(m), c12/float64(m), c22/float64(m)
	beta := c12 / c11
	alpha := a2 - beta*a1
	s221 := c22 - c12*c12/c11
	want := []float64{mu1, alpha + beta*mu1}
	wantCov := []float64{s11, beta * s11, beta * s11, s221 + beta*beta*s11}

	for i := m; i < n; i++ {
		x.Set(i, 1, math.NaN())
	}
	for _, c := range CovarianceTypes {
		if c != Full && c != Tied {
			continue // the closed form is of a free 2×2 covariance
		}
		got, rep := fitted(t, x, Options{K: 1, Covariance: c, Missing: true, RegCovar: NoRegCovar, MaxIter: 300, Tol: em.NoTol})
		testutil.AssertCloseSlice(t, string(c)+" mean", got.means, want, 0, 1e-10)
		cv := got.Covariance(nil, 0)
		testutil.AssertCloseSlice(t, string(c)+" covariance", []float64{cv.At(0, 0), cv.At(0, 1), cv.At(1, 0), cv.At(1, 1)}, wantCov, 0, 1e-10)
		if rep.MissingCells != n-m || rep.IncompleteRows != n-m || rep.Patterns != 1 || !rep.Missing {
			t.Errorf("%s: report counts %+v, want %d cells in %d rows, 1 pattern", c, rep.DataReport, n-m, n-m)
		}
		if rep.Decreases != 0 {
			t.Errorf("%s: %d decreases of the log-likelihood", c, rep.Decreases)
		}
	}
}

// With no NaN cell, Options.Missing changes no bit (the E-step takes the
// complete-data path, the initialisation the same rows).
func TestMissingNoNaNSameBits(t *testing.T) {
	d := randomData(newRNG(3), 500, 3, 4, 8, Full)
	for _, c := range CovarianceTypes {
		o := Options{K: 3, Covariance: c, Seed: 7, NInit: 2}
		want, wrep := fitted(t, d.x, o)
		o.Missing = true
		got, grep := fitted(t, d.x, o)
		if !bitsEqual(got.means, want.means) || !bitsEqual(got.covs, want.covs) || !bitsEqual(got.weights, want.weights) || grep.LogLikelihood != wrep.LogLikelihood {
			t.Errorf("%s: Options.Missing on complete data changed the fit", c)
		}
		if grep.MissingCells != 0 || grep.Patterns != 0 {
			t.Errorf("%s: %d missing cells, %d patterns reported, want 0", c, grep.MissingCells, grep.Patterns)
		}
	}
}

// elboBrute computes ELBO(q, θ) by its definition for the posterior q of
// the parameters prev over (z, x_M), and the parameters next:
// Σ_i Σ_k q_ik (log π'_k + E log N(x_i | μ'_k, Σ'_k)) + H(q_i), the
// expectation over x_M ~ N(x̂_ik, C_ik) being log N(x̂_ik | μ', Σ') −
// ½ tr(Σ'⁻¹ C_ik), and H(q_i) = H(z) + Σ_k q_ik H(N(C_ik)).
func elboBrute(t *testing.T, x *mat.Dense, prev, next *Model) float64 {
	return elboBruteKnown(t, x, prev, next, nil)
}

// elboBruteKnown is elboBrute with the rows of known component (known[i]
// ≥ 0) given one-hot posteriors: their ELBO term is E log p(x, z = c).
func elboBruteKnown(t *testing.T, x *mat.Dense, prev, next *Model, known []int) float64 {
	n, d := x.Dims()
	total := 0.0
	for i := 0; i < n; i++ {
		row := x.RawRowView(i)
		var obs, mis []int
		for j, v := range row {
			if math.IsNaN(v) {
				mis = append(mis, j)
			} else {
				obs = append(obs, j)
			}
		}
		lq := make([]float64, prev.k)
		hat := make([][]float64, prev.k)
		cond := make([]*mat.SymDense, prev.k)
		for k := 0; k < prev.k; k++ {
			mu := prev.means[k*d : (k+1)*d]
			cov := prev.Covariance(nil, k)
			lq[k] = math.Log(prev.weights[k]) + logNormalSub(row, mu, cov, obs)
			hat[k], cond[k] = condNormal(row, mu, cov, obs, mis)
		}
		ll := logSumExp(lq)
		if known != nil && known[i] >= 0 {
			for k := range lq {
				lq[k] = math.Inf(-1)
			}
			lq[known[i]], ll = 0, 0
		}
		for k := 0; k < prev.k; k++ {
			q := math.Exp(lq[k] - ll)
			if q == 0 {
				continue
			}
			mu := next.means[k*d : (k+1)*d]
			cov := next.Covariance(nil, k)
			nd, ok := distmv.NewNormal(mu, cov, nil)
			if !ok {
				t.Fatal("next covariance not positive definite")
			}
			full := append([]float64(nil), row...)
			for a, j := range mis {
				full[j] = hat[k][a]
			}
			e := math.Log(next.weights[k]) + nd.LogProb(full)
			if len(mis) > 0 {
				var prec mat.SymDense
				if err := cholOf(cov).InverseTo(&prec); err != nil {
					t.Fatal(err)
				}
				tr := 0.0
				for a, ja := range mis {
					for b, jb := range mis {
						tr += prec.At(ja, jb) * cond[k].At(a, b)
					}
				}
				e -= 0.5 * tr
				var ch mat.Cholesky
				if !ch.Factorize(cond[k]) {
					t.Fatal("conditional covariance not positive definite")
				}
				e += 0.5*float64(len(mis))*(1+math.Log(2*math.Pi)) + 0.5*ch.LogDet()
			}
			total += q * (e - (lq[k] - ll))
		}
	}
	return total / float64(n)
}

func cholOf(s *mat.SymDense) *mat.Cholesky {
	var c mat.Cholesky
	if !c.Factorize(s) {
		panic("not positive definite")
	}
	return &c
}

func logSumExp(v []float64) float64 {
	mx := math.Inf(-1)
	for _, x := range v {
		mx = math.Max(mx, x)
	}
	s := 0.0
	for _, x := range v {
		s += math.Exp(x - mx)
	}
	return mx + math.Log(s)
}

// logNormalSub is log N(x_O | μ_O, Σ_OO) by gonum.
func logNormalSub(x, mu []float64, cov *mat.SymDense, obs []int) float64 {
	if len(obs) == 0 {
		return 0
	}
	xo, mo := make([]float64, len(obs)), make([]float64, len(obs))
	so := mat.NewSymDense(len(obs), nil)
	for a, i := range obs {
		xo[a], mo[a] = x[i], mu[i]
		for b, j := range obs {
			if b >= a {
				so.SetSym(a, b, cov.At(i, j))
			}
		}
	}
	nd, ok := distmv.NewNormal(mo, so, nil)
	if !ok {
		panic("marginal covariance not positive definite")
	}
	return nd.LogProb(xo)
}

// condNormal is the textbook conditional normal of x_M given x_O:
// μ_M + Σ_MO Σ_OO⁻¹ (x_O − μ_O) and Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM, by gonum.
func condNormal(x, mu []float64, cov *mat.SymDense, obs, mis []int) ([]float64, *mat.SymDense) {
	no, nm := len(obs), len(mis)
	if nm == 0 {
		return nil, nil
	}
	smo := mat.NewDense(nm, max(no, 1), nil)
	smm := mat.NewDense(nm, nm, nil)
	for a, i := range mis {
		for b, j := range obs {
			smo.Set(a, b, cov.At(i, j))
		}
		for b, j := range mis {
			smm.Set(a, b, cov.At(i, j))
		}
	}
	mean := make([]float64, nm)
	for a, i := range mis {
		mean[a] = mu[i]
	}
	c := mat.NewSymDense(nm, nil)
	if no == 0 {
		for a := 0; a < nm; a++ {
			for b := a; b < nm; b++ {
				c.SetSym(a, b, smm.At(a, b))
			}
		}
		return mean, c
	}
	soo := mat.NewDense(no, no, nil)
	d := mat.NewVecDense(no, nil)
	for a, i := range obs {
		d.SetVec(a, x[i]-mu[i])
		for b, j := range obs {
			soo.Set(a, b, cov.At(i, j))
		}
	}
	var sol mat.VecDense
	if err := sol.SolveVec(soo, d); err != nil {
		panic(err)
	}
	var off mat.VecDense
	off.MulVec(smo.Slice(0, nm, 0, no), &sol)
	for a := range mean {
		mean[a] += off.AtVec(a)
	}
	var bm mat.Dense
	if err := bm.Solve(soo, smo.Slice(0, nm, 0, no).T()); err != nil {
		panic(err)
	}
	var red mat.Dense
	red.Mul(smo.Slice(0, nm, 0, no), &bm)
	for a := 0; a < nm; a++ {
		for b := a; b < nm; b++ {
			c.SetSym(a, b, smm.At(a, b)-0.5*(red.At(a, b)+red.At(b, a)))
		}
	}
	return mean, c
}

// The ELBO of every iteration is exact with missing values: the report's
// ELBO(q_{n−1}, θ_n) equals the definition's (elboBrute), the KL gap is ≥ 0,
// and the log-likelihood never falls; for every family.
func TestMissingELBOExact(t *testing.T) {
	d := randomData(newRNG(11), 300, 2, 3, 6, Full)
	x := deleteCells(d.x, 0.25, newRNG(12))
	for _, f := range registry {
		if univariateFamily(f) {
			continue // E and V need one feature
		}
		c := f.Type()
		base := Options{K: 2, Covariance: c, Missing: true, Seed: 5, Tol: em.NoTol}
		for _, it := range []int{1, 4} {
			o := base
			o.MaxIter = it
			prev := base
			prev.MaxIter = it - 1
			if it == 1 {
				prev.MaxIter = em.NoIterations
			}
			mp, _ := fitted(t, x, prev)
			mn, rep := fitted(t, x, o)
			tr := rep.Starts[rep.Best].Trace
			last := tr[len(tr)-1]
			want := elboBrute(t, x, mp, mn)
			if !testutil.Close(last.ELBO, want, 1e-12, 1e-10) {
				t.Errorf("%s iteration %d: ELBO %.15g, by its definition %.15g", c, it, last.ELBO, want)
			}
			for _, s := range tr {
				if s.KL < -em.RoundOff(s.LogLik) {
					t.Errorf("%s iteration %d: KL gap %g < 0", c, s.Iter, s.KL)
				}
				if s.ELBO < s.LogLik-em.RoundOff(s.LogLik) {
					t.Errorf("%s iteration %d: the M-step lowered the ELBO below the log-likelihood (%g < %g)", c, s.Iter, s.ELBO, s.LogLik)
				}
			}
			if rep.Decreases != 0 {
				t.Errorf("%s: %d decreases", c, rep.Decreases)
			}
		}
	}
}

// The E-step's marginal log-likelihood is that of the observed
// coordinates, row by row (ScoreSamples against gonum's marginal normals),
// and the posterior is its normalised terms (PredictProba).
func TestMissingScoreIsMarginal(t *testing.T) {
	d := randomData(newRNG(21), 400, 3, 4, 6, Full)
	x := deleteCells(d.x, 0.3, newRNG(22))
	for _, f := range registry {
		if univariateFamily(f) {
			continue // E and V need one feature
		}
		c := f.Type()
		m, _ := fitted(t, x, Options{K: 3, Covariance: c, Missing: true, Seed: 1, MaxIter: 5})
		ss, err := m.ScoreSamples(nil, x)
		if err != nil {
			t.Fatal(err)
		}
		p, err := m.PredictProba(nil, x)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 60; i++ {
			row := x.RawRowView(i)
			var obs []int
			for j, v := range row {
				if !math.IsNaN(v) {
					obs = append(obs, j)
				}
			}
			lq := make([]float64, m.k)
			for k := range lq {
				lq[k] = math.Log(m.weights[k]) + logNormalSub(row, m.means[k*m.d:(k+1)*m.d], m.Covariance(nil, k), obs)
			}
			ll := logSumExp(lq)
			testutil.AssertClose(t, string(c)+" score_samples", ss[i], ll, 1e-12, 1e-12)
			for k := range lq {
				testutil.AssertClose(t, string(c)+" proba", p.At(i, k), math.Exp(lq[k]-ll), 1e-12, 1e-10)
			}
		}
	}
}

// The bits of a fit with missing values do not depend on the number of
// workers, and a streamed fit gives the in-memory one's.
func TestMissingDeterministic(t *testing.T) {
	d := randomData(newRNG(31), 6000, 3, 3, 8, Full)
	x := deleteCells(d.x, 0.15, newRNG(32))
	for _, c := range CovarianceTypes {
		o := Options{K: 3, Covariance: c, Missing: true, Seed: 2, BlockRows: 700, Workers: 1, MaxIter: 8}
		want, wrep := fitted(t, x, o)
		o.Workers = 3
		got, grep := fitted(t, x, o)
		if !bitsEqual(got.means, want.means) || !bitsEqual(got.covs, want.covs) || grep.LogLikelihood != wrep.LogLikelihood {
			t.Errorf("%s: 3 workers changed the bits", c)
		}
		src := &copySource{x: x}
		sm, srep, err := FitSource(context.Background(), src, x, o)
		if err != nil {
			t.Fatal(err)
		}
		if !bitsEqual(sm.means, want.means) || !bitsEqual(sm.covs, want.covs) || srep.LogLikelihood != wrep.LogLikelihood {
			t.Errorf("%s: the streamed fit differs from the in-memory one", c)
		}
		if srep.Rows != 6000 || srep.MissingCells != wrep.MissingCells || srep.IncompleteRows != wrep.IncompleteRows || srep.Patterns != wrep.Patterns {
			t.Errorf("%s: stream counts %+v (rows %d), memory %+v", c, srep.DataReport, srep.Rows, wrep.DataReport)
		}
	}
}

// Bad data with Options.Missing: a row with every value missing, a column
// never observed, an infinity; and NaN without the option points at it.
func TestMissingBadData(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 2, math.NaN(), math.NaN(), 3, 1, 2, 5})
	_, _, err := Fit(context.Background(), x, Options{Missing: true})
	wantErr(t, "all missing", err, "every value of row 2 is missing")
	if !errors.Is(err, ErrBadData) {
		t.Errorf("%v does not wrap ErrBadData", err)
	}
	y := mat.NewDense(3, 2, []float64{1, math.NaN(), 2, math.NaN(), 3, math.NaN()})
	_, _, err = Fit(context.Background(), y, Options{Missing: true})
	wantErr(t, "column never observed", err, "column 2 has no observed value")
	z := mat.NewDense(3, 2, []float64{1, math.NaN(), 2, math.Inf(1), 3, 4})
	_, _, err = Fit(context.Background(), z, Options{Missing: true})
	wantErr(t, "infinity", err, "infinity or a value too large at row 2, column 2")
	_, _, err = Fit(context.Background(), y, Options{})
	wantErr(t, "no option", err, "contains NaN at row 1, column 2", "Options.Missing")
	// A stream meets the row with nothing observed in its E-step.
	src := &copySource{x: x}
	good := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	_, _, err = FitSource(context.Background(), src, good, Options{Missing: true})
	wantErr(t, "stream all missing", err, "data row 2", "every value is missing")
}

// A model fitted without Options.Missing refuses NaN (catalog M-01) until
// AllowMissing; a model fitted with it marginalises, and a row with every
// value missing gets the weights as its posterior and a log density of 0.
func TestMissingPredictions(t *testing.T) {
	d := randomData(newRNG(41), 300, 2, 3, 8, Full)
	m, _ := fitted(t, d.x, Options{K: 2, Seed: 1})
	x := mat.NewDense(2, 3, []float64{math.NaN(), 1, 2, math.NaN(), math.NaN(), math.NaN()})
	if _, err := m.PredictProba(nil, x); err == nil || !strings.Contains(err.Error(), "Model.AllowMissing") {
		t.Fatalf("NaN without AllowMissing: %v", err)
	}
	a := m.AllowMissing([]string{"NA"})
	if !a.Missing() || m.Missing() || a.MissingMarkers()[0] != "NA" {
		t.Fatal("AllowMissing changed the original, or did not mark the copy")
	}
	if !bitsEqual(a.means, m.means) || !bitsEqual(a.covs, m.covs) {
		t.Fatal("AllowMissing changed the parameters")
	}
	p, err := a.PredictProba(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := a.ScoreSamples(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 2; k++ {
		testutil.AssertClose(t, "all-missing posterior", p.At(1, k), m.weights[k], 0, 1e-12)
	}
	testutil.AssertClose(t, "all-missing log density", ss[1], 0, 1e-12, 0)
	lbl, err := a.Predict(nil, x)
	if err != nil || len(lbl) != 2 {
		t.Fatal(err)
	}
}

// Missing values work with restarts (the best start wins, same bits on any
// number of workers) and with selection (every candidate marginalises).
func TestMissingRestartsAndSelect(t *testing.T) {
	d := randomData(newRNG(51), 600, 3, 3, 8, Full)
	x := deleteCells(d.x, 0.2, newRNG(52))
	o := Options{K: 3, Missing: true, NInit: 3, Init: InitRandomFromData, Seed: 9, Workers: 1}
	a, ra := fitted(t, x, o)
	o.Workers = 2
	b, rb := fitted(t, x, o)
	if len(ra.Starts) != 3 || !bitsEqual(a.means, b.means) || ra.LogLikelihood != rb.LogLikelihood {
		t.Errorf("restarts: %d starts; bits differ across workers: %v", len(ra.Starts), !bitsEqual(a.means, b.means))
	}
	for _, s := range ra.Starts {
		if s.LogLikelihood > ra.LogLikelihood {
			t.Errorf("start %d has a higher log-likelihood %v than the best %v", s.Init, s.LogLikelihood, ra.LogLikelihood)
		}
	}
	m, rep, sel, err := Select(context.Background(), x, SelectOptions{Ks: []int{1, 2, 3, 4}, Covariances: []CovarianceType{Full, Diag}, Options: Options{Missing: true, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Missing() || !rep.Missing || rep.MissingCells == 0 || len(sel.Candidates) != 8 {
		t.Errorf("selection: model missing %v, report %+v, %d candidates", m.Missing(), rep.DataReport, len(sel.Candidates))
	}
	if _, _, _, err := Select(context.Background(), x, SelectOptions{Ks: []int{2}}); err == nil {
		t.Error("selection of data with NaN without Options.Missing: no error")
	}
}

// M-38 with missing values: a row with holes scores the same bits alone as
// in a batch (its pattern's rows are processed two at a time, in the same
// order of operations).
func TestMissingRowAloneOrInBatch(t *testing.T) {
	d := randomData(newRNG(61), 400, 3, 5, 6, Full)
	x := deleteCells(d.x, 0.3, newRNG(62))
	for _, f := range registry {
		if univariateFamily(f) {
			continue // E and V need one feature
		}
		m, _ := fitted(t, x, Options{K: 3, Covariance: f.Type(), Missing: true, Seed: 1, MaxIter: 3})
		all, err := m.ScoreSamples(nil, x)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 1, 2, 57, 399} {
			one, err := m.ScoreSamples(nil, x.Slice(i, i+1, 0, 5))
			if err != nil {
				t.Fatal(err)
			}
			if math.Float64bits(one[0]) != math.Float64bits(all[i]) {
				t.Errorf("%s row %d: alone %v, in the batch %v", f.Type(), i, one[0], all[i])
			}
		}
	}
}

// The ELBO stays exact with known labels and missing values together: the
// labelled rows' one-hot posteriors add no entropy.
func TestKnownMissingELBOExact(t *testing.T) {
	d := randomData(newRNG(13), 300, 2, 3, 6, Full)
	x := deleteCells(d.x, 0.25, newRNG(14))
	known := make([]int, 300)
	for i := range known {
		known[i] = NoLabel
		if i%4 == 0 {
			known[i] = d.labels[i]
		}
	}
	for _, f := range registry {
		if univariateFamily(f) {
			continue // E and V need one feature
		}
		base := Options{K: 2, Covariance: f.Type(), Missing: true, Known: known, Tol: em.NoTol}
		prev, next := base, base
		prev.MaxIter, next.MaxIter = 2, 3
		mp, _ := fitted(t, x, prev)
		mn, rep := fitted(t, x, next)
		tr := rep.Starts[rep.Best].Trace
		want := elboBruteKnown(t, x, mp, mn, known)
		if got := tr[len(tr)-1].ELBO; !testutil.Close(got, want, 1e-12, 1e-10) {
			t.Errorf("%s: ELBO %.15g, by its definition %.15g", f.Type(), got, want)
		}
		if rep.Decreases != 0 {
			t.Errorf("%s: %d decreases", f.Type(), rep.Decreases)
		}
	}
}
