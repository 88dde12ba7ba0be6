package mixture

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/internal/testutil"
)

func fitBayesT(t *testing.T, x mat.Matrix, o BayesOptions) (*BayesModel, *BayesReport) {
	t.Helper()
	b, rep, err := FitBayes(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	return b, rep
}

// bayesBits returns every parameter of q(θ) in one slice, for bit
// comparisons.
func bayesBits(b *BayesModel) []float64 {
	var v []float64
	for _, s := range [][]float64{b.conc, b.beta, b.dof, b.vb.means, b.vb.covs, b.vb.chol, b.vb.logW, b.vb.weights, {b.lowerBound, b.elbo}} {
		v = append(v, s...)
	}
	return v
}

// The same seed gives the same bits on 1 and 2 cores, through
// GOMAXPROCS (the default Workers) and through Workers, for every type,
// with k-means starts (several, so the starts' stream is used).
func TestBGMMSameBitsAnyCores(t *testing.T) {
	d := randomData(newRNG(70), 3000, 4, 3, 10, Full)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range CovarianceTypes {
		o := BayesOptions{K: 6, Covariance: c, Seed: 3, NInit: 2, BlockRows: 350, MaxIter: 20}
		var ref []float64
		for _, procs := range []int{1, 2} {
			runtime.GOMAXPROCS(procs)
			for _, workers := range []int{0, 1, 3} {
				o.Workers = workers
				b, _ := fitBayesT(t, d.x, o)
				if ref == nil {
					ref = bayesBits(b)
				} else if !bitsEqual(bayesBits(b), ref) {
					t.Errorf("%s: GOMAXPROCS %d, Workers %d: other bits", c, procs, workers)
				}
			}
		}
	}
}

// A streamed fit (FitBayesSource over a source that copies its blocks, as
// a file does) gives the bits of FitBayes over the same rows, from
// k-means on the same rows and from given responsibilities.
func TestBGMMSourceMatchesFit(t *testing.T) {
	d := randomData(newRNG(71), 5000, 3, 2, 10, Full)
	for _, c := range CovarianceTypes {
		o := BayesOptions{K: 4, Covariance: c, BlockRows: 900, Seed: 2, MaxIter: 25}
		want, wrep := fitBayesT(t, d.x, o)
		src := &copySource{x: d.x}
		got, grep, err := FitBayesSource(context.Background(), src, d.x, o)
		if err != nil {
			t.Fatal(err)
		}
		if !bitsEqual(bayesBits(got), bayesBits(want)) || grep.Rows != 5000 || grep.Iterations != wrep.Iterations {
			t.Errorf("%s: the streamed fit differs (rows %d, iterations %d vs %d)", c, grep.Rows, grep.Iterations, wrep.Iterations)
		}
		o.StartResp = oneHotResp(d.labels, 4)
		want, _ = fitBayesT(t, d.x, o)
		got, _, err = FitBayesSource(context.Background(), &copySource{x: d.x}, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		if !bitsEqual(bayesBits(got), bayesBits(want)) {
			t.Errorf("%s: the streamed fit from StartResp differs", c)
		}
	}
	// StartResp with other than N rows is an error naming it.
	_, _, err := FitBayesSource(context.Background(), &copySource{x: d.x}, nil, BayesOptions{K: 4, StartResp: oneHotResp(d.labels[:4000], 4)})
	wantErr(t, "short StartResp", err, "BayesOptions.StartResp", "4000 rows", "5000")
}

// Frequency weights: a weight of 2 counts a row twice, as duplicating it
// does (to rounding: the sums run in another order).
func TestBGMMWeightsDuplicateRows(t *testing.T) {
	x := datasets.Faithful().X
	n, d := x.Dims()
	w := make([]float64, n)
	var rowsDup [][]float64
	for i := range w {
		w[i] = float64(1 + i%3)
		for r := 0; r < int(w[i]); r++ {
			rowsDup = append(rowsDup, x.RawRowView(i))
		}
	}
	dup := mat.NewDense(len(rowsDup), d, nil)
	labels := make([]int, n)
	var labelsDup []int
	for i := range labels {
		labels[i] = i % 3
		for r := 0; r < int(w[i]); r++ {
			labelsDup = append(labelsDup, labels[i])
		}
	}
	for i, r := range rowsDup {
		dup.SetRow(i, r)
	}
	for _, c := range CovarianceTypes {
		o := BayesOptions{K: 3, Covariance: c, MaxIter: 15, Tol: em.NoTol, Weights: w, StartResp: oneHotResp(labels, 3)}
		a, ra := fitBayesT(t, x, o)
		o.Weights, o.StartResp = nil, oneHotResp(labelsDup, 3)
		b, rb := fitBayesT(t, dup, o)
		testutil.AssertCloseSlice(t, string(c)+" weights", a.Weights(nil), b.Weights(nil), 0, 1e-10)
		testutil.AssertCloseSlice(t, string(c)+" means", a.Means(nil).RawMatrix().Data, b.Means(nil).RawMatrix().Data, 0, 1e-10)
		testutil.AssertClose(t, string(c)+" lower bound", ra.LowerBound, rb.LowerBound, 0, 1e-10)
		testutil.AssertClose(t, string(c)+" ELBO", ra.ELBO.ELBO, rb.ELBO.ELBO, 0, 1e-10)
		if ra.Weight != float64(len(rowsDup)) {
			t.Errorf("%s: weight %g, want %d", c, ra.Weight, len(rowsDup))
		}
	}
}

// A warm start continues the fit where it stopped (scikit-learn's
// warm_start): 8 iterations and 12 more give the bits of 20, and the
// first change is measured from the warm start's lower bound.
func TestBGMMWarmStart(t *testing.T) {
	x := datasets.Faithful().X
	for _, c := range CovarianceTypes {
		o := BayesOptions{K: 4, Covariance: c, Seed: 5, Tol: em.NoTol, MaxIter: 20}
		full, _ := fitBayesT(t, x, o)
		o.MaxIter = 8
		first, _ := fitBayesT(t, x, o)
		o.MaxIter, o.WarmStart = 12, first
		cont, rep := fitBayesT(t, x, o)
		if !bitsEqual(bayesBits(cont), bayesBits(full)) {
			t.Errorf("%s: 8 + 12 iterations differ from 20", c)
		}
		if got, want := rep.Starts[0].Trace[0].Change, rep.Starts[0].Trace[0].LowerBound-first.LowerBound(); got != want {
			t.Errorf("%s: first change %g, want %g", c, got, want)
		}
		if rep.Init != "warm_start" || bitsEqual(bayesBits(first), bayesBits(cont)) {
			t.Errorf("%s: init %q; the warm start must be left as it was", c, rep.Init)
		}
	}
	_, _, err := FitBayes(context.Background(), x, BayesOptions{K: 3, WarmStart: fitBayesQuick(t, x, 4)})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option != "WarmStart" {
		t.Errorf("K 3 against a warm start of 4: %v", err)
	}
}

func fitBayesQuick(t *testing.T, x mat.Matrix, k int) *BayesModel {
	b, _ := fitBayesT(t, x, BayesOptions{K: k, MaxIter: 5})
	return b
}

// Bad options are *OptionErrors naming the field, before any work.
func TestBGMMOptionErrors(t *testing.T) {
	x := datasets.Faithful().X
	for _, c := range []struct {
		o      BayesOptions
		option string
		frag   string
	}{
		{BayesOptions{K: -1}, "K", "at least 1"},
		{BayesOptions{Covariance: "round"}, "Covariance", "unknown covariance"},
		{BayesOptions{WeightPrior: "pitman_yor"}, "WeightPrior", "dirichlet_process or dirichlet_distribution"},
		{BayesOptions{WeightConcentration: -1}, "WeightConcentration", "weight_concentration_prior"},
		{BayesOptions{MeanPrecision: math.NaN()}, "MeanPrecision", "mean_precision_prior"},
		{BayesOptions{DegreesOfFreedom: 0.5}, "DegreesOfFreedom", "greater than D − 1 = 1"},
		{BayesOptions{MeanPrior: []float64{1}}, "MeanPrior", "want D = 2"},
		{BayesOptions{CovariancePrior: []float64{1, 2, 2, 1}}, "CovariancePrior", "not positive definite"},
		{BayesOptions{Covariance: Diag, CovariancePrior: []float64{1, -1}}, "CovariancePrior", "positive"},
		{BayesOptions{Covariance: Spherical, CovariancePrior: []float64{1, 1}}, "CovariancePrior", "want 1 for spherical"},
		{BayesOptions{Init: "spectral"}, "Init", "unknown initialisation"},
		{BayesOptions{RegCovar: -3}, "RegCovar", "negative"},
		{BayesOptions{MaxIter: -5}, "MaxIter", "negative"},
		{BayesOptions{Tol: -2}, "Tol", "negative"},
		{BayesOptions{NInit: -1}, "NInit", "negative"},
		{BayesOptions{Kernel: "fortran"}, "Kernel", "not a kernel"},
		{BayesOptions{K: 2, StartResp: mat.NewDense(272, 3, nil)}, "StartResp", "want one column per component"},
		{BayesOptions{K: 2, StartResp: mat.NewDense(272, 2, nil)}, "StartResp", "sums to 0"},
		{BayesOptions{FeatureNames: []string{"a"}}, "FeatureNames", "1 names for 2 columns"},
		{BayesOptions{WarmStart: &BayesModel{}}, "WarmStart", "zero BayesModel"},
	} {
		_, _, err := FitBayes(context.Background(), x, c.o)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != c.option || !errors.Is(err, ErrBadOption) {
			t.Errorf("%+v: got %v, want an *OptionError for %s", c.o, err, c.option)
			continue
		}
		wantErr(t, c.option, err, "mixture: BayesOptions."+c.option, c.frag)
		if strings.Count(err.Error(), "mixture: ") != 1 {
			t.Errorf("%s: %q: the package prefix once, at the start", c.option, err)
		}
	}
	// Bad data.
	_, _, err := FitBayes(context.Background(), mat.NewDense(1, 2, []float64{1, 2}), BayesOptions{})
	wantErr(t, "one row", err, "needs more than one row", "CovariancePrior")
	constant := mat.NewDense(5, 2, []float64{1, 1, 2, 1, 3, 1, 4, 1, 5, 1})
	_, _, err = FitBayes(context.Background(), constant, BayesOptions{Covariance: Diag})
	wantErr(t, "constant column", err, "default covariance prior", "give BayesOptions.CovariancePrior")
	if !errors.Is(err, ErrBadData) {
		t.Errorf("constant column: %v does not wrap ErrBadData", err)
	}
	// A given covariance prior makes it fit.
	if _, _, err := FitBayes(context.Background(), constant, BayesOptions{Covariance: Diag, CovariancePrior: []float64{1, 1}}); err != nil {
		t.Errorf("constant column with a prior: %v", err)
	}
}

// The Dirichlet-process prior switches unneeded components off: on Old
// Faithful (two clusters) with K = 10 the fit keeps 2 or 3 components of
// weight ≥ 1%, and the rest fall below 1e-3; the Dirichlet distribution
// with the same α₀ = 1/K keeps more weight spread.
func TestBGMMDirichletProcessPrunes(t *testing.T) {
	x := datasets.Faithful().X
	b, rep := fitBayesT(t, x, BayesOptions{K: 10, Seed: 1, MaxIter: 500})
	if rep.Status != em.StatusConverged {
		t.Fatalf("status %s", rep.Status)
	}
	eff := b.EffectiveComponents(0)
	if eff < 2 || eff > 3 || rep.Effective != eff {
		t.Errorf("effective components %d (report %d), want 2 or 3", eff, rep.Effective)
	}
	small := 0
	for _, w := range b.Weights(nil) {
		if w < 1e-3 {
			small++
		}
	}
	if small < 10-eff-1 {
		t.Errorf("weights %v: %d below 1e-3, want the switched-off ones", b.Weights(nil), small)
	}
	tr := rep.WeightTrace()
	if len(tr) != rep.Iterations+1 || len(tr[0]) != 10 {
		t.Errorf("weight trace %d×%d, want %d×10", len(tr), len(tr[0]), rep.Iterations+1)
	}
}

// sampleQ draws θ from q and returns the mixture density at x under it,
// Σ_k π_k N(x | μ_k, Λ_k⁻¹) plus, for the Dirichlet process, the mass
// beyond K times N(x | θ_new) with θ_new from the prior.
func densityUnderQ(t *testing.T, b *BayesModel, x [][]float64, rng *rand.Rand) []float64 {
	m := b.vb
	k, d := m.k, m.d
	src := rand.NewPCG(rng.Uint64(), rng.Uint64())
	// Weights.
	pi := make([]float64, k+1)
	if b.prior.WeightPrior == DirichletProcess {
		rest := 1.0
		for c := 0; c < k; c++ {
			v := distuv.Beta{Alpha: b.conc[c], Beta: b.conc[k+c], Src: src}.Rand()
			pi[c] = rest * v
			rest *= 1 - v
		}
		pi[k] = rest
	} else {
		s := 0.0
		for c := 0; c < k; c++ {
			pi[c] = distuv.Gamma{Alpha: b.conc[c], Beta: 1, Src: src}.Rand()
			s += pi[c]
		}
		for c := range pi {
			pi[c] /= s
		}
	}
	// One draw of (μ, Λ) from a Normal–Wishart (Normal–Gamma) with mean m,
	// β, ν and normalised covariance cov (full form).
	draw := func(mean []float64, beta, nu float64, cov *mat.SymDense) (*mat.SymDense, []float64) {
		prec := mat.NewSymDense(d, nil)
		switch m.fam.Type() {
		case Full, Tied:
			var w mat.SymDense // W = (ν cov)⁻¹
			var c mat.Cholesky
			sc := mat.NewSymDense(d, nil)
			sc.ScaleSym(nu, cov)
			c.Factorize(sc)
			c.InverseTo(&w)
			wd, ok := distmat.NewWishart(&w, nu, src)
			if !ok {
				t.Fatal("wishart")
			}
			wd.RandSymTo(prec)
		case Diag:
			for j := 0; j < d; j++ {
				prec.SetSym(j, j, distuv.Gamma{Alpha: nu / 2, Beta: nu * cov.At(j, j) / 2, Src: src}.Rand())
			}
		case Spherical:
			l := distuv.Gamma{Alpha: float64(d) * nu / 2, Beta: float64(d) * nu * cov.At(0, 0) / 2, Src: src}.Rand()
			for j := 0; j < d; j++ {
				prec.SetSym(j, j, l)
			}
		}
		var pc mat.Cholesky
		mp := mat.NewSymDense(d, nil)
		mp.ScaleSym(beta, prec)
		pc.Factorize(mp)
		var cm mat.SymDense
		pc.InverseTo(&cm)
		mu := make([]float64, d)
		nd, ok := distmv.NewNormal(mean, &cm, src)
		if !ok {
			t.Fatal("normal")
		}
		nd.Rand(mu)
		return prec, mu
	}
	out := make([]float64, len(x))
	addComp := func(w float64, mean []float64, beta, nu float64, cov *mat.SymDense) {
		prec, mu := draw(mean, beta, nu, cov)
		var c mat.Cholesky
		c.Factorize(prec)
		var cv mat.SymDense
		c.InverseTo(&cv)
		nd, ok := distmv.NewNormal(mu, &cv, nil)
		if !ok {
			t.Fatal("normal")
		}
		for i, xi := range x {
			out[i] += w * math.Exp(nd.LogProb(xi))
		}
	}
	for c := 0; c < k; c++ {
		addComp(pi[c], m.means[c*d:(c+1)*d], b.beta[c], b.nu(c), m.Covariance(nil, c))
	}
	if pi[k] > 0 {
		pc := b.priorComps()
		cov := mat.NewSymDense(d, nil)
		full := make([]float64, d*d)
		m.fam.covariance(&pc, 0, full)
		for a := 0; a < d; a++ {
			for bb := a; bb < d; bb++ {
				cov.SetSym(a, bb, full[a*d+bb])
			}
		}
		addComp(pi[k], b.prior.Mean, b.prior.MeanPrecision, b.prior.DegreesOfFreedom, cov)
	}
	return out
}

// The posterior predictive density is the exact integral over q(θ): at a
// few points it matches the Monte Carlo mean of the mixture density over
// 4000 draws of θ from q, within 4 standard errors, for every type and
// both priors (a check of each family's Student t, and of the Dirichlet
// process's mass beyond K); and it is a density: in 1-D it integrates to
// 1 (to 1e-6).
func TestBGMMPredictiveDensity(t *testing.T) {
	x := datasets.Faithful().X
	pts := [][]float64{{2, 55}, {4.4, 80}, {3.5, 70}, {1.6, 50}, {6, 100}, {0.5, 30}}
	xp := mat.NewDense(len(pts), 2, nil)
	for i, p := range pts {
		xp.SetRow(i, p)
	}
	for _, wp := range WeightPriors {
		for _, c := range CovarianceTypes {
			// Few rows, so that q(θ) is wide and the t far from a
			// Gaussian; two points in the tails, where the degrees of
			// freedom show.
			sub := x.Slice(0, 16, 0, 2)
			b, _ := fitBayesT(t, sub, BayesOptions{K: 2, Covariance: c, WeightPrior: wp, Seed: 2})
			got, err := b.PredictiveLogDensity(nil, xp)
			if err != nil {
				t.Fatal(err)
			}
			const draws = 4000
			rng := newRNG(9)
			sum, sum2 := make([]float64, len(pts)), make([]float64, len(pts))
			for r := 0; r < draws; r++ {
				v := densityUnderQ(t, b, pts, rng)
				for i := range v {
					sum[i] += v[i]
					sum2[i] += v[i] * v[i]
				}
			}
			for i := range pts {
				mean := sum[i] / draws
				se := math.Sqrt((sum2[i]/draws - mean*mean) / draws)
				if d := math.Abs(math.Exp(got[i]) - mean); d > 4*se+1e-300 {
					t.Errorf("%s/%s at %v: predictive %.6g, Monte Carlo %.6g ± %.2g", wp, c, pts[i], math.Exp(got[i]), mean, se)
				}
			}
			ps, err := b.PredictiveScore(xp, nil)
			if err != nil {
				t.Fatal(err)
			}
			mean := 0.0
			for _, v := range got {
				mean += v / float64(len(got))
			}
			testutil.AssertClose(t, "PredictiveScore", ps, mean, 0, 1e-14)
		}
	}
	// One component on 10 rows (ν ≈ 12, so that the degrees of freedom
	// matter), at points 0 to 3.5 standard deviations out (farther, the
	// Monte Carlo mean rests on rare draws): 20000 draws.
	for _, c := range CovarianceTypes {
		b, _ := fitBayesT(t, x.Slice(0, 10, 0, 2), BayesOptions{K: 1, Covariance: c, WeightPrior: DirichletDistribution})
		m, cov := b.Means(nil), b.Covariance(nil, 0)
		s0, s1 := math.Sqrt(cov.At(0, 0)), math.Sqrt(cov.At(1, 1))
		var far [][]float64
		for _, z := range []float64{0, 2, 3.5} {
			far = append(far, []float64{m.At(0, 0) + z*s0, m.At(0, 1) - z*s1/2})
		}
		xf := mat.NewDense(len(far), 2, nil)
		for i, p := range far {
			xf.SetRow(i, p)
		}
		got, err := b.PredictiveLogDensity(nil, xf)
		if err != nil {
			t.Fatal(err)
		}
		const draws = 20000
		rng := newRNG(10)
		sum, sum2 := make([]float64, len(far)), make([]float64, len(far))
		for r := 0; r < draws; r++ {
			v := densityUnderQ(t, b, far, rng)
			for i := range v {
				sum[i] += v[i]
				sum2[i] += v[i] * v[i]
			}
		}
		for i := range far {
			mean := sum[i] / draws
			se := math.Sqrt((sum2[i]/draws - mean*mean) / draws)
			if d := math.Abs(math.Exp(got[i]) - mean); d > 4*se {
				t.Errorf("K = 1, %s at %.3g: predictive %.6g, Monte Carlo %.6g ± %.2g", c, far[i], math.Exp(got[i]), mean, se)
			}
		}
	}
	// 1-D: the density integrates to 1, by the trapezoidal rule in u for
	// x = 3.5 + tan u over (−π/2, π/2), which holds the Cauchy tails of
	// the empty components (ν_k ≈ ν₀ = 1 gives a t of 1 degree of
	// freedom).
	e := mat.Col(nil, 0, x)
	x1 := mat.NewDense(len(e), 1, e)
	for _, wp := range WeightPriors {
		for _, c := range CovarianceTypes {
			b, _ := fitBayesT(t, x1, BayesOptions{K: 4, Covariance: c, WeightPrior: wp, Seed: 1})
			const n = 100000
			h := math.Pi / n
			g := mat.NewDense(n, 1, nil)
			for i := 0; i < n; i++ {
				g.Set(i, 0, 3.5+math.Tan(-math.Pi/2+(float64(i)+0.5)*h))
			}
			ld, err := b.PredictiveLogDensity(nil, g)
			if err != nil {
				t.Fatal(err)
			}
			integral := 0.0
			for i, v := range ld {
				u := -math.Pi/2 + (float64(i)+0.5)*h
				sec := 1 / math.Cos(u)
				integral += h * math.Exp(v) * sec * sec
			}
			testutil.AssertClose(t, fmt.Sprintf("%s/%s: ∫ p(x | X) dx", wp, c), integral, 1, 1e-6, 0)
		}
	}
}

// Sample draws from the point estimates, as scikit-learn's sample: the
// rows grouped by component, their mean close to Σ_k π_k m_k.
func TestBGMMSample(t *testing.T) {
	x := datasets.Faithful().X
	b, _ := fitBayesT(t, x, BayesOptions{K: 3, Seed: 1})
	const n = 40000
	dst := mat.NewDense(n, 2, nil)
	labels := make([]int, n)
	if err := b.Sample(dst, labels, newRNG(3)); err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(labels) {
		t.Error("labels not grouped by component")
	}
	w, means := b.Weights(nil), b.Means(nil)
	for j := 0; j < 2; j++ {
		want, sd := 0.0, 0.0
		for k := range w {
			want += w[k] * means.At(k, j)
		}
		col := mat.Col(nil, j, dst)
		got := 0.0
		for _, v := range col {
			got += v / n
		}
		for _, v := range col {
			sd += (v - got) * (v - got) / n
		}
		testutil.AssertClose(t, fmt.Sprintf("mean of column %d", j), got, want, 5*math.Sqrt(sd/n), 0)
	}
	if err := (&BayesModel{}).Sample(dst, nil, newRNG(1)); !errors.Is(err, ErrNotFitted) {
		t.Errorf("zero model: %v", err)
	}
}

// J-01 for bgmm files: save → load → every method and accessor gives the
// same bits, for every type and both priors.
func TestBGMMFileRoundTrip(t *testing.T) {
	f := datasets.Faithful()
	dir := t.TempDir()
	for _, wp := range WeightPriors {
		for _, c := range CovarianceTypes {
			b, _ := fitBayesT(t, f.X, BayesOptions{K: 3, Covariance: c, WeightPrior: wp, Seed: 4, FeatureNames: f.Columns, CoordinateAscent: c == Diag})
			path := filepath.Join(dir, string(c)+string(wp)+".json")
			if err := b.Save(path, SaveOptions{}); err != nil {
				t.Fatal(err)
			}
			l, err := LoadBayes(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bitsEqual(bayesBits(l), bayesBits(b)) || !slices.Equal(l.elnpi, b.elnpi) {
				t.Errorf("%s/%s: parameters changed", wp, c)
			}
			if !slices.Equal(l.FeatureNames(), f.Columns) || l.CovarianceType() != c || l.WeightPrior() != wp || l.Seed() != 4 ||
				l.Iterations() != b.Iterations() || l.Converged() != b.Converged() || l.RegCovar() != b.RegCovar() ||
				l.CoordinateAscent() != b.CoordinateAscent() || !bitsEqual(l.prior.Covariance, b.prior.Covariance) || !bitsEqual(l.prior.Mean, b.prior.Mean) {
				t.Errorf("%s/%s: metadata changed", wp, c)
			}
			s1, _ := b.ScoreSamples(nil, f.X)
			s2, _ := l.ScoreSamples(nil, f.X)
			p1, _ := b.PredictiveLogDensity(nil, f.X)
			p2, _ := l.PredictiveLogDensity(nil, f.X)
			d1, d2 := mat.NewDense(20, 2, nil), mat.NewDense(20, 2, nil)
			b.Sample(d1, nil, newRNG(1))
			l.Sample(d2, nil, newRNG(1))
			if !bitsEqual(s1, s2) || !bitsEqual(p1, p2) || !bitsEqual(d1.RawMatrix().Data, d2.RawMatrix().Data) {
				t.Errorf("%s/%s: a method gives other results after loading", wp, c)
			}
		}
	}
}

// J-02, J-03, J-05, J-06 for bgmm files: other kinds and newer versions,
// corrupt and meaningless files are refused, naming the field.
func TestBGMMFileRefused(t *testing.T) {
	f := datasets.Faithful()
	b, _ := fitBayesT(t, f.X, BayesOptions{K: 2, Seed: 1})
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	good := string(data)
	if _, err := UnmarshalBayes(data, "m.json"); err != nil {
		t.Fatal(err)
	}
	g, _ := fitted(t, f.X, Options{K: 2})
	gdata, _ := g.Marshal()
	if _, err := UnmarshalBayes(gdata, "g.json"); !errors.Is(err, modelfile.ErrKind) {
		t.Errorf("a gmm file: %v", err)
	}
	if _, err := Unmarshal(data, "b.json"); !errors.Is(err, modelfile.ErrKind) {
		t.Errorf("a bgmm file read as gmm: %v", err)
	}
	newer := strings.Replace(good, `"version": 1`, `"version": 2`, 1)
	if _, err := UnmarshalBayes([]byte(newer), "m.json"); !errors.Is(err, modelfile.ErrNewerVersion) {
		t.Errorf("version 2: %v", err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("%q not in the file", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	// set returns the file with body field path (keys and indices) set to v.
	set := func(v any, path ...any) string {
		var doc map[string]any
		dec := json.NewDecoder(strings.NewReader(good))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		var cur any = doc["body"]
		for i, p := range path {
			last := i == len(path)-1
			switch k := p.(type) {
			case string:
				if last {
					cur.(map[string]any)[k] = v
				} else {
					cur = cur.(map[string]any)[k]
				}
			case int:
				if last {
					cur.([]any)[k] = v
				} else {
					cur = cur.([]any)[k]
				}
			}
		}
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	for _, c := range []struct{ id, doc, frag string }{
		{"J-05 unknown", edit(`"converged": `, `"extra": 1, "converged": `), "body.extra: unknown field"},
		{"J-05 missing", edit(`"coordinate_ascent": false,`, ``), "body.coordinate_ascent: missing required field"},
		{"J-05 null", edit(`"coordinate_ascent": false`, `"coordinate_ascent": null`), "body.coordinate_ascent: null is not allowed"},
		{"J-06 type", edit(`"covariance_type": "full"`, `"covariance_type": "VVV"`), `body.covariance_type: "VVV" is not one of full, tied, diag, spherical`},
		{"J-06 prior type", edit(`"dirichlet_process"`, `"pitman_yor"`), "body.weight_concentration_prior_type"},
		{"J-06 concentration", set(-1, "weight_concentration", 0, 0), "body.weight_concentration[0][0]: -1 is not positive (component 0)"},
		{"J-06 concentration rows", set([]any{}, "weight_concentration", 1), "body.weight_concentration[1]: 0 values, want K = 2"},
		{"J-06 dof", set(0.5, "degrees_of_freedom", 0), "body.degrees_of_freedom[0]: 0.5; it must be greater than D − 1 = 1"},
		{"J-06 dof count", set([]any{3}, "degrees_of_freedom"), "body.degrees_of_freedom: 1 values, want 2 for full covariances"},
		{"J-06 mean precision", set(0, "mean_precision", 1), "body.mean_precision[1]: 0 is not positive (component 1)"},
		{"J-06 means", set([]any{1}, "means", 1), "body.means[1]: 1 values, want D = 2 (component 1)"},
		{"J-06 covariance", set([]any{[]any{1, 2}, []any{2, 1}}, "covariances", 1), "body.covariances[1]: not positive definite (component 1)"},
		{"J-06 prior dof", set(1, "priors", "degrees_of_freedom_prior"), "body.priors.degrees_of_freedom_prior: 1; it must be greater than D − 1 = 1"},
		{"J-06 prior mean", set([]any{1, 2, 3}, "priors", "mean_prior"), "body.priors.mean_prior: 3 values, want D = 2"},
		{"J-06 prior covariance", set([]any{[]any{1, 0}, []any{0, -1}}, "priors", "covariance_prior"), "body.priors.covariance_prior: is not positive definite"},
		{"J-06 prior covariance shape", set(1, "priors", "covariance_prior"), "body.priors.covariance_prior"},
		{"J-06 names", set([]any{"a"}, "feature_names"), "body.feature_names: 1 names for D = 2 features"},
	} {
		_, err := UnmarshalBayes([]byte(c.doc), "m.json")
		wantErr(t, c.id, err, c.frag)
		if err != nil && !strings.HasPrefix(err.Error(), "mixture: ") {
			t.Errorf("%s: %q lacks the package prefix", c.id, err)
		}
	}
}

// J-10 for bgmm files: the model files of every schema version in
// testdata keep loading and give the same labels and scores (golden
// numbers, rewritten with -update); the files themselves are written once,
// by TestWriteGoldenBayesModels.
func TestBGMMGoldenModels(t *testing.T) {
	f := datasets.Faithful()
	for _, c := range CovarianceTypes {
		name := fmt.Sprintf("bgmm_v1_%s.json", c)
		b, err := LoadBayes(filepath.Join("testdata", name))
		if err != nil {
			if testutil.Update() && errors.Is(err, os.ErrNotExist) {
				continue
			}
			t.Fatalf("%s: %v", name, err)
		}
		ss, err := b.ScoreSamples(nil, f.X)
		if err != nil {
			t.Fatal(err)
		}
		pd, err := b.PredictiveLogDensity(nil, f.X)
		if err != nil {
			t.Fatal(err)
		}
		lab, _ := b.Predict(nil, f.X)
		golden := filepath.Join("testdata", name+".scores")
		if testutil.Update() {
			var s strings.Builder
			for i := range ss {
				fmt.Fprintf(&s, "%d %.17g %.17g\n", lab[i], ss[i], pd[i])
			}
			if err := os.WriteFile(golden, []byte(s.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		data, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) != len(ss) {
			t.Fatalf("%s: %d golden rows, %d scores", golden, len(lines), len(ss))
		}
		for i, line := range lines {
			var wantLab int
			var wantScore, wantPred float64
			if _, err := fmt.Sscan(line, &wantLab, &wantScore, &wantPred); err != nil {
				t.Fatalf("%s:%d: %v", golden, i+1, err)
			}
			if lab[i] != wantLab {
				t.Errorf("%s row %d: label got %d, want %d", name, i, lab[i], wantLab)
			}
			// 1e-13: the matrix-product kernel fastblas picks for the CPU
			// changes the last bits (as TestJ10GoldenModels).
			testutil.AssertClose(t, fmt.Sprintf("%s score %d", name, i), ss[i], wantScore, 0, 1e-13)
			testutil.AssertClose(t, fmt.Sprintf("%s predictive %d", name, i), pd[i], wantPred, 0, 1e-13)
		}
	}
}

// TestWriteGoldenBayesModels writes testdata/bgmm_vN_*.json for the
// current schema version N under -update, only when they do not exist.
func TestWriteGoldenBayesModels(t *testing.T) {
	if !testutil.Update() {
		t.Skip("writes the model files of a new schema version under -update")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	f := datasets.Faithful()
	for _, c := range CovarianceTypes {
		path := filepath.Join("testdata", fmt.Sprintf("bgmm_v%d_%s.json", BayesFileVersion, c))
		if _, err := os.Stat(path); err == nil {
			continue
		}
		b, _ := fitBayesT(t, f.X, BayesOptions{K: 4, Covariance: c, Seed: 1, FeatureNames: f.Columns})
		if err := b.Save(path, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzUnmarshalBayes: any input either loads into a model whose methods
// give numbers and that re-marshals, or is an error; never a panic (J-05).
func FuzzUnmarshalBayes(f *testing.F) {
	for _, c := range CovarianceTypes {
		if b, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("bgmm_v1_%s.json", c))); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format": "latent.bgmm", "version": 1, "producer": "x", "created": "2026-01-01T00:00:00Z", "body": {}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := UnmarshalBayes(data, "fuzz")
		if err != nil {
			return
		}
		if _, err := b.Marshal(); err != nil {
			t.Fatalf("loaded but does not marshal: %v", err)
		}
		x := mat.NewDense(3, b.Dim(), nil)
		if err := b.Sample(x, nil, newRNG(1)); err != nil {
			t.Fatal(err)
		}
		for _, fn := range []func([]float64, mat.Matrix) ([]float64, error){b.ScoreSamples, b.PredictiveLogDensity} {
			v, err := fn(nil, x)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range v {
				if math.IsNaN(s) {
					t.Fatal("NaN from a loaded model")
				}
			}
		}
	})
}

// The E-step's two kernels (Options.Kernel) agree to rounding for full
// and tied covariances; Progress sees every iteration; a cancelled context
// stops the fit with its error.
func TestBGMMKernelsProgressCancel(t *testing.T) {
	d := randomData(newRNG(72), 3000, 4, 5, 10, Full)
	for _, c := range []CovarianceType{Full, Tied} {
		o := BayesOptions{K: 5, Covariance: c, Seed: 1, MaxIter: 15, Tol: em.NoTol}
		a, ra := fitBayesT(t, d.x, o)
		o.Kernel = KernelGo
		b, rb := fitBayesT(t, d.x, o)
		testutil.AssertClose(t, string(c)+": lower bound, Go kernel", rb.LowerBound, ra.LowerBound, 0, 1e-11)
		testutil.AssertCloseSlice(t, string(c)+": means, Go kernel", b.Means(nil).RawMatrix().Data, a.Means(nil).RawMatrix().Data, 1e-10, 1e-10)
	}
	var seen []Progress
	_, rep := fitBayesT(t, d.x, BayesOptions{K: 3, NInit: 2, MaxIter: 7, Tol: em.NoTol, Progress: func(p Progress) { seen = append(seen, p) }})
	if len(seen) != 14 || seen[13].Done != 14 || seen[13].Total != 14 || seen[13].EM.Init != 1 || seen[13].EM.Iter != 7 {
		t.Errorf("progress: %d calls, last %+v", len(seen), seen[len(seen)-1])
	}
	if got, want := seen[6].EM.LogLik, rep.Starts[0].LowerBound; got != want {
		t.Errorf("progress lower bound %g, want %g", got, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := FitBayes(ctx, d.x, BayesOptions{K: 3}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
