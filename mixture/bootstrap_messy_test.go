package mixture

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// Bootstrap and BootstrapLRT on messy data (issue 15): rows' weights and
// missing values, in every resampling scheme.

// holed returns a copy of x with about frac of its cells NaN, never a
// whole row, drawn from seed.
func holed(x *mat.Dense, frac float64, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 15))
	n, d := x.Dims()
	out := mat.DenseCopyOf(x)
	for i := 0; i < n; i++ {
		if rng.Float64() < frac*float64(d) {
			out.Set(i, rng.IntN(d), math.NaN())
		}
	}
	return out
}

// sameReplicates fails unless a and b have the same replicates and
// summaries, bit for bit.
func sameReplicates(t *testing.T, what string, a, b *BootstrapReport) {
	t.Helper()
	if len(a.Replicates) != len(b.Replicates) || a.NonFit != b.NonFit {
		t.Fatalf("%s: %d and %d replicates (%d and %d failed fits)", what, len(a.Replicates), len(b.Replicates), a.NonFit, b.NonFit)
	}
	for i := range a.Replicates {
		p, q := a.Replicates[i].Parameters, b.Replicates[i].Parameters
		if !bitsEqual(flatten(&p), flatten(&q)) || a.Replicates[i].Iterations != b.Replicates[i].Iterations || a.Replicates[i].Index != b.Replicates[i].Index {
			t.Fatalf("%s: replicate %d differs", what, i)
		}
	}
	if !bitsEqual(flatten(&a.Fitted), flatten(&b.Fitted)) || !bitsEqual(flatten(&a.SE), flatten(&b.SE)) || !bitsEqual(flatten(&a.Lower), flatten(&b.Lower)) {
		t.Errorf("%s: the fitted parameters or summaries differ", what)
	}
}

func constWeights(n int, v float64) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = v
	}
	return w
}

// Weights of 1 are no weights, bit for bit, in every scheme; weights of 2
// too for bs, wlbs and jk (the weighted EM reads z·w and its criterion per
// unit of mean weight, and doubling is exact in floating point), while pb
// then draws twice the rows, as twice the data would give.
func TestBootstrapWeightsKnownBits(t *testing.T) {
	_, m := bootSet(t, "faithful")
	x := mcData(t, "faithful")
	n, _ := x.Dims()
	for _, typ := range BootstrapTypes {
		run := func(w []float64) *BootstrapReport {
			rep, err := Bootstrap(context.Background(), x, m, BootstrapOptions{Type: typ, NBoot: 12, Seed: 3, Weights: w, Workers: 2})
			if err != nil {
				t.Fatalf("%s: %v", typ, err)
			}
			return rep
		}
		plain := run(nil)
		sameReplicates(t, string(typ)+", weights 1", plain, run(constWeights(n, 1)))
		two := run(constWeights(n, 2))
		if typ == Parametric {
			if two.Drawn != 2*n {
				t.Errorf("pb, weights 2: %d rows drawn, want 2n = %d", two.Drawn, 2*n)
			}
			continue
		}
		sameReplicates(t, string(typ)+", weights 2", plain, two)
		if two.Weight != float64(2*n) || two.Units != n {
			t.Errorf("%s: Weight %v, Units %d; want %d, %d", typ, two.Weight, two.Units, 2*n, n)
		}
	}
}

// A row of weight 0 is not a resampling unit: the jackknife of weighted
// data with one row at 0 is, bit for bit, the jackknife of the data
// without it, and each replicate names the row of X it leaves out.
func TestBootstrapZeroWeightRow(t *testing.T) {
	_, m := bootSet(t, "faithful")
	x := mcData(t, "faithful")
	n, d := x.Dims()
	const drop = 5
	w := constWeights(n, 1)
	w[drop] = 0
	fewer := mat.NewDense(n-1, d, nil)
	for i, r := 0, 0; i < n; i++ {
		if i != drop {
			fewer.SetRow(r, x.RawRowView(i))
			r++
		}
	}
	a, err := Bootstrap(context.Background(), x, m, BootstrapOptions{Type: Jackknife, Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Bootstrap(context.Background(), fewer, m, BootstrapOptions{Type: Jackknife})
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Replicates {
		want := b.Replicates[i].Index
		if want >= drop {
			want++
		}
		b.Replicates[i].Index = want
	}
	sameReplicates(t, "jk, a row of weight 0", a, b)
	if a.Units != n-1 || a.NBoot != n-1 || a.Rows != n {
		t.Errorf("Units %d, NBoot %d, Rows %d; want %d, %d, %d", a.Units, a.NBoot, a.Rows, n-1, n-1, n)
	}
}

// The weighted jackknife of one Gaussian has a closed form: leaving out
// row b of weight w_b, the maximum-likelihood mean is (Σ w x − w_b x_b) /
// (W − w_b) and the covariance the weighted scatter about it over W − w_b;
// mclust's EM reaches them in one M-step. Every replicate equals them to
// 1e-12, and the SEs are the jackknife's sd·(B − 1)/√B of those values.
func TestBootstrapWeightedJackknifeClosedForm(t *testing.T) {
	x := mcData(t, "faithful")
	n, d := x.Dims()
	rng := rand.New(rand.NewPCG(4, 4))
	w := make([]float64, n)
	for i := range w {
		w[i] = float64(1 + rng.IntN(4)) // integer weights 1…4
	}
	m, _, err := Fit(context.Background(), x, Options{K: 1, Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Bootstrap(context.Background(), x, m, BootstrapOptions{Type: Jackknife, Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Replicates) != n {
		t.Fatalf("%d replicates, want %d", len(rep.Replicates), n)
	}
	means := make([]float64, n)
	for _, r := range rep.Replicates {
		b := r.Index
		mu := make([]float64, d)
		tot := 0.0
		for i := 0; i < n; i++ {
			if i == b {
				continue
			}
			tot += w[i]
			for j := range mu {
				mu[j] += w[i] * x.At(i, j)
			}
		}
		for j := range mu {
			mu[j] /= tot
		}
		testutil.AssertCloseSlice(t, fmt.Sprintf("replicate %d: mean", b), r.Parameters.Means[0], mu, 0, 1e-12)
		for a := 0; a < d; a++ {
			for c := 0; c < d; c++ {
				s := 0.0
				for i := 0; i < n; i++ {
					if i != b {
						s += w[i] * (x.At(i, a) - mu[a]) * (x.At(i, c) - mu[c])
					}
				}
				testutil.AssertClose(t, fmt.Sprintf("replicate %d: covariance [%d][%d]", b, a, c), r.Parameters.Covariances[0][a][c], s/tot, 0, 1e-10)
			}
		}
		means[b] = mu[0]
	}
	_, sd := meanSD(means)
	testutil.AssertClose(t, "jackknife SE of the first mean", rep.SE.Means[0][0], sd*float64(n-1)/math.Sqrt(float64(n)), 0, 1e-9)
}

// For the parametric bootstrap an integer weight is that many copies of
// the row: with K = 1 (one draw per row, no multinomial to tip) the SEs of
// integer-weighted data equal those of the data with rows repeated, to
// the order of summation.
func TestBootstrapParametricWeightsAreCopies(t *testing.T) {
	x := mcData(t, "faithful")
	n, d := x.Dims()
	w := make([]float64, n)
	var rows []float64
	for i := range w {
		w[i] = float64(1 + i%3)
		for c := 0; c < int(w[i]); c++ {
			rows = append(rows, x.RawRowView(i)...)
		}
	}
	copies := mat.NewDense(len(rows)/d, d, rows)
	m, _, err := Fit(context.Background(), copies, Options{K: 1})
	if err != nil {
		t.Fatal(err)
	}
	o := BootstrapOptions{Type: Parametric, NBoot: 50, Seed: 9, Tol: 1e-12}
	plain, err := Bootstrap(context.Background(), copies, m, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Weights = w
	weighted, err := Bootstrap(context.Background(), x, m, o)
	if err != nil {
		t.Fatal(err)
	}
	if weighted.Drawn != len(rows)/d {
		t.Fatalf("drawn %d rows, want Σw = %d", weighted.Drawn, len(rows)/d)
	}
	testutil.AssertCloseSlice(t, "fitted", flatten(&weighted.Fitted), flatten(&plain.Fitted), 0, 1e-12)
	testutil.AssertCloseSlice(t, "SEs", flatten(&weighted.SE), flatten(&plain.SE), 1e-12, 1e-8)
}

// A model that marginalises missing values bootstraps complete data with
// the bits of one that does not: the missing-value path is taken only by
// rows with NaN.
func TestBootstrapMissingNoNaNSameBits(t *testing.T) {
	_, m := bootSet(t, "faithful")
	x := mcData(t, "faithful")
	for _, typ := range BootstrapTypes {
		o := BootstrapOptions{Type: typ, NBoot: 10, Seed: 2, Match: MatchFitted}
		a, err := Bootstrap(context.Background(), x, m, o)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Bootstrap(context.Background(), x, m.AllowMissing(nil), o)
		if err != nil {
			t.Fatal(err)
		}
		sameReplicates(t, string(typ), a, b)
	}
	a, err := BootstrapLRT(context.Background(), x, LRTOptions{Covariance: Tied, MaxK: 2, NBoot: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := BootstrapLRT(context.Background(), x, LRTOptions{Covariance: Tied, MaxK: 2, NBoot: 8, Seed: 1, Missing: true, Weights: constWeights(x.RawMatrix().Rows, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if !bitsEqual(a.Tests[0].Boot, b.Tests[0].Boot) || a.Tests[0].Statistic != b.Tests[0].Statistic {
		t.Errorf("LRT: Missing and weights of 1 change the bits of complete data")
	}
}

// missingFit returns Faithful with holes and a two-component fit of it
// that marginalises them.
func missingFit(t *testing.T) (*mat.Dense, *Model) {
	t.Helper()
	x := holed(mcData(t, "faithful"), 0.08, 1)
	m, _, err := Fit(context.Background(), x, Options{K: 2, Missing: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return x, m
}

// A bootstrap of data with missing values gives the same bits on 1 to 4
// workers, in every scheme, weighted or not.
func TestBootstrapMissingSameBits(t *testing.T) {
	x, m := missingFit(t)
	n, _ := x.Dims()
	w := make([]float64, n)
	for i := range w {
		w[i] = float64(i%4) * 0.5 // some rows of weight 0
	}
	for _, wt := range [][]float64{nil, w} {
		for _, typ := range BootstrapTypes {
			var first *BootstrapReport
			for workers := 1; workers <= 4; workers++ {
				rep, err := Bootstrap(context.Background(), x, m, BootstrapOptions{Type: typ, NBoot: 16, Seed: 11, Workers: workers, Weights: wt, Match: MatchFitted})
				if err != nil {
					t.Fatalf("%s: %v", typ, err)
				}
				if rep.MissingCells == 0 {
					t.Fatalf("%s: no missing cells counted", typ)
				}
				if first == nil {
					first = rep
					continue
				}
				sameReplicates(t, fmt.Sprintf("%s, weighted %v, %d workers", typ, wt != nil, workers), first, rep)
			}
		}
	}
}

// A replicate with missing values is missing.go's exact EM: the first
// jackknife replicate (row 0 left out) equals Fit with Options.Missing
// from the refitted model's parameters, run for the replicate's
// iterations without regularisation (Fit's iteration is an E-step then an
// M-step, mclust's EM starts with the M-step of that E-step's posterior),
// to the order of summation; weighted too.
func TestBootstrapMissingReplicateIsFit(t *testing.T) {
	x, m := missingFit(t)
	n, d := x.Dims()
	w := make([]float64, n)
	for i := range w {
		w[i] = float64(1 + i%3)
	}
	rest := x.Slice(1, n, 0, d)
	for _, wt := range [][]float64{nil, w} {
		rep, err := Bootstrap(context.Background(), x, m, BootstrapOptions{Type: Jackknife, Weights: wt})
		if err != nil {
			t.Fatal(err)
		}
		r := rep.Replicates[0]
		if r.Index != 0 {
			t.Fatalf("replicate 0 leaves out row %d", r.Index)
		}
		start := paramsOfSet(rep.Fitted)
		o := Options{K: 2, Missing: true, Start: start, RegCovar: NoRegCovar, Tol: em.NoTol, MaxIter: r.Iterations}
		if wt != nil {
			o.Weights = wt[1:]
		}
		f, _, err := Fit(context.Background(), rest, o)
		if err != nil {
			t.Fatal(err)
		}
		got := f.parameterSet()
		what := fmt.Sprintf("weighted %v, %d iterations", wt != nil, r.Iterations)
		testutil.AssertCloseSlice(t, what+": replicate 0 against Fit", flatten(&r.Parameters), flatten(&got), 1e-10, 1e-9)
	}
}

// The parametric bootstrap of one bivariate Gaussian whose second column
// is missing completely at random in half the rows: the SE of that
// column's mean is Little & Rubin's (2002, §7.2) asymptotic
// √(σ₂₂ (ρ²/n + (1 − ρ²)/n_o)) — 1.32 times the complete-data SE here —
// within 15% (the Monte Carlo error of an SE from B = 400 replicates is
// 1/√(2B) = 3.5%; 4 of them, and the asymptotics at n = 400). Draws keep
// the data's holes: drawing complete rows would give the complete-data
// SE, which is outside the bound.
func TestBootstrapMissingParametricSE(t *testing.T) {
	const n, rho = 400, 0.5
	rng := rand.New(rand.NewPCG(21, 1))
	x := mat.NewDense(n, 2, nil)
	no := 0
	for i := 0; i < n; i++ {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		x.Set(i, 0, a)
		x.Set(i, 1, rho*a+math.Sqrt(1-rho*rho)*b)
		if i%2 == 1 {
			x.Set(i, 1, math.NaN())
		} else {
			no++
		}
	}
	m, _, err := Fit(context.Background(), x, Options{K: 1, Missing: true, Tol: 1e-10, MaxIter: 1000})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Bootstrap(context.Background(), x, m, BootstrapOptions{Type: Parametric, NBoot: 400, Seed: 5, Tol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	cv := rep.Fitted.Covariances[0]
	r2 := cv[0][1] * cv[0][1] / (cv[0][0] * cv[1][1])
	want := math.Sqrt(cv[1][1] * (r2/n + (1-r2)/float64(no)))
	testutil.AssertClose(t, "parametric SE of the second mean", rep.SE.Means[0][1], want, 0, 0.15)
	complete := math.Sqrt(cv[1][1] / n)
	if rep.SE.Means[0][1] < 1.15*complete {
		t.Errorf("SE %.4g: not above the complete-data SE %.4g; the draws lost their holes", rep.SE.Means[0][1], complete)
	}
}

// Bad data and weights are refused as Fit refuses them.
func TestBootstrapMessyErrors(t *testing.T) {
	x, m := missingFit(t)
	n, d := x.Dims()
	neg := constWeights(n, 1)
	neg[3] = -1
	allMissing := mat.DenseCopyOf(x)
	allMissing.SetRow(7, []float64{math.NaN(), math.NaN()})
	for _, tc := range []struct {
		what string
		x    mat.Matrix
		m    *Model
		w    []float64
		want string
	}{
		{"negative weight", x, m, neg, "weight of row 4 is -1"},
		{"zero weights", x, m, constWeights(n, 0), "all weights are 0"},
		{"weights' length", x, m, constWeights(n-1, 1), fmt.Sprintf("%d weights for %d rows", n-1, n)},
		{"a row all missing", allMissing, m, nil, "every value of row 8 is missing"},
		{"NaN for a model of complete data", x, m.clone(), nil, "contains NaN at row"},
		{"pb of too little weight", x.Slice(0, 3, 0, d), m, []float64{0.5, 0.5, 0.5}, "its weights sum to 1.5"},
	} {
		mm := tc.m
		if tc.what == "NaN for a model of complete data" {
			mm.data.missing = false
		}
		_, err := Bootstrap(context.Background(), tc.x, mm, BootstrapOptions{Type: Parametric, NBoot: 5, Weights: tc.w})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.what, err, tc.want)
		}
	}
	if _, err := BootstrapLRT(context.Background(), allMissing, LRTOptions{MaxK: 2, NBoot: 5, Missing: true}); err == nil || !strings.Contains(err.Error(), "every value of row 8 is missing") {
		t.Errorf("LRT, a row all missing: got %v", err)
	}
	if _, err := BootstrapLRT(context.Background(), x, LRTOptions{MaxK: 2, NBoot: 5}); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("LRT, NaN without Missing: got %v", err)
	}
	if _, err := BootstrapLRT(context.Background(), mcData(t, "faithful"), LRTOptions{MaxK: 2, NBoot: 5, Weights: neg}); err == nil || !strings.Contains(err.Error(), "weight of row 4 is -1") {
		t.Errorf("LRT, a negative weight: got %v", err)
	}
}

// The LRT on weighted data: integer weights give the observed statistic
// of the data with rows repeated (from the same partitions) and samples
// of Σ w rows; with missing values it is reproducible on 1 to 3 workers.
func TestBootstrapLRTMessy(t *testing.T) {
	x := mcData(t, "faithful")
	n, d := x.Dims()
	w := make([]float64, n)
	var rows []float64
	var owner []int
	for i := range w {
		w[i] = float64(1 + i%2)
		for c := 0; c < int(w[i]); c++ {
			rows = append(rows, x.RawRowView(i)...)
			owner = append(owner, i)
		}
	}
	copies := mat.NewDense(len(owner), d, rows)
	part := func(k int) []int { // a partition by the first column's quantiles
		lab := make([]int, n)
		for i := range lab {
			lab[i] = min(k-1, int(float64(k)*(x.At(i, 0)-1.6)/3.5))
		}
		return lab
	}
	o := LRTOptions{Covariance: Tied, MaxK: 2, NBoot: 10, Seed: 3, Tol: 1e-10}
	o.Weights = w
	o.Start = func(k int) ([]int, error) { return part(k), nil }
	weighted, err := BootstrapLRT(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Weights = nil
	o.Start = func(k int) ([]int, error) {
		lab := part(k)
		out := make([]int, len(owner))
		for t, i := range owner {
			out[t] = lab[i]
		}
		return out, nil
	}
	plain, err := BootstrapLRT(context.Background(), copies, o)
	if err != nil {
		t.Fatal(err)
	}
	if weighted.Drawn != len(owner) {
		t.Errorf("samples of %d rows, want Σw = %d", weighted.Drawn, len(owner))
	}
	for g := range plain.Tests {
		testutil.AssertClose(t, fmt.Sprintf("LRTS of %d vs %d", g+1, g+2), weighted.Tests[g].Statistic, plain.Tests[g].Statistic, 1e-5, 1e-9)
	}

	xh := holed(x, 0.08, 2)
	var first *LRTReport
	for workers := 1; workers <= 3; workers++ {
		rep, err := BootstrapLRT(context.Background(), xh, LRTOptions{Covariance: Tied, MaxK: 3, NBoot: 12, Seed: 4, Workers: workers, Missing: true, Weights: w})
		if err != nil {
			t.Fatal(err)
		}
		if rep.MissingCells == 0 {
			t.Fatal("no missing cells counted")
		}
		if first == nil {
			first = rep
			continue
		}
		for g := range first.Tests {
			if !bitsEqual(first.Tests[g].Boot, rep.Tests[g].Boot) || first.Tests[g].Statistic != rep.Tests[g].Statistic {
				t.Errorf("missing values: test %d differs between 1 and %d workers", g, workers)
			}
		}
	}
	var b strings.Builder
	if err := first.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"weighted rows: total weight", "missing values: "} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("LRT text lacks %q:\n%s", want, b.String())
		}
	}
}

// C-48 (issue 22, item 19): variances near 1e297 — Faithful scaled by
// 2^490, exactly — give finite standard errors, 2^980 (2^490 for the
// means) times those of the unscaled data, and print in exponent form.
func TestBootstrapSEOfHugeValues(t *testing.T) {
	x := mcData(t, "faithful")
	m, _, err := Fit(context.Background(), x, Options{K: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := math.Ldexp(1, 490)
	big := mat.DenseCopyOf(x)
	big.Scale(s, big)
	ps := m.parameterSet()
	for j := range ps.Means[0] {
		ps.Means[0][j] *= s
		for i := range ps.Covariances[0][j] {
			ps.Covariances[0][j][i] *= s * s
		}
	}
	mb, err := New(Full, *paramsOfSet(ps), nil)
	if err != nil {
		t.Fatal(err)
	}
	o := BootstrapOptions{Type: Jackknife}
	a, err := Bootstrap(context.Background(), x, m, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Bootstrap(context.Background(), big, mb, o)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.SE.Covariances[0] {
		for j, v := range a.SE.Covariances[0][i] {
			got := b.SE.Covariances[0][i][j]
			if math.IsInf(got, 0) || math.IsNaN(got) {
				t.Fatalf("SE of covariance [%d][%d] = %v, want finite", i, j, got)
			}
			testutil.AssertClose(t, fmt.Sprintf("SE of covariance [%d][%d] / 2^980", i, j), got/(s*s), v, 0, 1e-9)
		}
	}
	testutil.AssertCloseSlice(t, "SE of the means / 2^490", scaledBy(b.SE.Means[0], 1/s), a.SE.Means[0], 0, 1e-9)
	var txt strings.Builder
	if err := b.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt.String(), "e+29") || strings.Contains(txt.String(), "Inf") {
		t.Errorf("the text should print the variances' SEs in exponent form, and no Inf:\n%s", txt.String())
	}
	// meanSD itself: plain sums keep their bits; huge values are scaled.
	mean, sd := meanSD([]float64{1e300, 3e300, 2e300, 1.5e308})
	if math.IsInf(mean, 0) || math.IsInf(sd, 0) {
		t.Errorf("meanSD of huge values: %v, %v; want finite", mean, sd)
	}
}

func scaledBy(v []float64, s float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * s
	}
	return out
}

func mustProba(t *testing.T, m *Model, x mat.Matrix) *mat.Dense {
	t.Helper()
	z, err := m.PredictProba(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// paramsOfSet returns the parameters of a ParameterSet (full covariances).
func paramsOfSet(p ParameterSet) *Params {
	k, d := len(p.Weights), len(p.Means[0])
	out := &Params{Weights: p.Weights, Means: mat.NewDense(k, d, nil)}
	for c := 0; c < k; c++ {
		out.Means.(*mat.Dense).SetRow(c, p.Means[c])
		cv := mat.NewSymDense(d, nil)
		for i := 0; i < d; i++ {
			for j := i; j < d; j++ {
				cv.SetSym(i, j, p.Covariances[c][i][j])
			}
		}
		out.Covariances = append(out.Covariances, cv)
	}
	return out
}
