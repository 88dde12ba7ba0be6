package mixture

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// The contract of a covariance family (covariance.go), checked against
// brute force in full form. Each family's test file calls checkFamily; a
// new family's should too.

// Every covariance type has one family, and the registry refuses others.
func TestRegistry(t *testing.T) {
	if len(registry) != len(families) {
		t.Fatalf("%d families registered, %d types", len(registry), len(families))
	}
	for _, c := range CovarianceTypes {
		f, ok := lookupFamily(c)
		if !ok || f.Type() != c {
			t.Errorf("%s: family %v, %v", c, f, ok)
		}
		if p, err := ParseCovarianceType(strings.ToUpper(string(c))); err != nil || p != c {
			t.Errorf("ParseCovarianceType(%q): got %q, %v", strings.ToUpper(string(c)), p, err)
		}
	}
	if f, _ := lookupFamily(""); f.Type() != Full {
		t.Errorf(`"" is %s, want full`, f.Type())
	}
	if _, err := ParseCovarianceType("banana"); err == nil || !strings.Contains(err.Error(), "use full, tied, diag, spherical or one of mclust's models EII, VII, EEI") {
		t.Errorf("ParseCovarianceType(banana): %v", err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), `no covariance family "banana"`) {
			t.Errorf("familyOf(banana): recovered %v, want a panic naming it", r)
		}
	}()
	familyOf("banana")
}

// famCase is a family's fixture: K components in D dimensions.
type famCase struct{ k, d int }

var famCases = []famCase{{1, 1}, {3, 1}, {2, 2}, {3, 4}, {2, 7}}

// checkFamily checks every method of f against brute force on random data:
// the M-step's optimum and its Q, the Mahalanobis kernel (both kernels),
// log-determinants, the precision factor, sampling, the model file and the
// projection from full form.
func checkFamily(t *testing.T, f family) {
	t.Helper()
	for i, fc := range famCases {
		if u, ok := f.(interface{ isUnivariate() bool }); ok && u.isUnivariate() && fc.d != 1 {
			continue // E and V are for one feature
		}
		name := fmt.Sprintf("%s K=%d D=%d", f.Type(), fc.k, fc.d)
		rng := newRNG(uint64(100 + i))
		x, w, resp := famData(rng, 150, fc)
		m, q := mstepOf(t, f.Type(), x, w, resp, fc.k, 0)
		checkOptimum(t, name, m, q, x, w, resp, rng)
		checkKernels(t, name, m, rng)
		checkSampling(t, name, m)
		checkFile(t, name, m)
		checkFromFull(t, name, m)
		if got := f.countMatrices(fc.k, fc.k, false); got != "" {
			t.Errorf("%s: countMatrices(K covariances) = %q, want them accepted", name, got)
		}
	}
}

// famData returns n rows of fc.d features around fc.k centres, frequency
// weights in {0, 0.5, 1, 1.5}, and random responsibilities.
func famData(rng *rand.Rand, n int, fc famCase) (*mat.Dense, []float64, [][]float64) {
	x := mat.NewDense(n, fc.d, nil)
	w := make([]float64, n)
	resp := make([][]float64, n)
	for i := 0; i < n; i++ {
		c := i % fc.k
		for j := 0; j < fc.d; j++ {
			x.Set(i, j, 3*float64(c)+float64(j)+(1+0.3*float64(j))*rng.NormFloat64())
		}
		w[i] = 0.5 * float64(rng.IntN(4))
		resp[i] = make([]float64, fc.k)
		tot := 0.0
		for k := range resp[i] {
			v := rng.Float64()
			if k == c {
				v += 2
			}
			resp[i][k] = v
			tot += v
		}
		for k := range resp[i] {
			resp[i][k] /= tot
		}
	}
	w[0] = 1 // not all zero
	return x, w, resp
}

// mstepOf returns the model of the M-step of the responsibilities resp on
// the rows x weighted by w, with regularisation reg, and the Q it returns:
// the statistics are accumulated by the package's pass about current means
// away from the new ones (the data's mean moved by one unit per
// component), as in an EM iteration.
func mstepOf(t *testing.T, cov CovarianceType, x *mat.Dense, w []float64, resp [][]float64, k int, reg float64) (*Model, float64) {
	t.Helper()
	r, err := checkData(x, w, "X")
	if err != nil {
		t.Fatal(err)
	}
	r.src = em.Matrix(x, w)
	m := newModel(cov, k, r.d)
	// The iterative M-steps of mclust's models run to convergence: their
	// optimum is what is checked (at mclust's tolerance, sqrt(ε) on the
	// target, EVE's stops about 1e-8 relative short of it in Q; the
	// comparison with mclust's own mstep checks that tolerance).
	m.innerTol = projectTol
	g := dataMean(r)
	for c := 0; c < k; c++ {
		for j := 0; j < r.d; j++ {
			m.means[c*r.d+j] = g[j] + float64(c) - 0.5
		}
	}
	p := &respPass{m: m, resp: func(row int, dst []float64) { copy(dst, resp[row]) }}
	st, _, err := em.Pass(context.Background(), r.src, p, true, r.eo)
	if err != nil {
		t.Fatal(err)
	}
	q, err := m.mstep(st.(*stats), reg, "test")
	if err != nil {
		t.Fatal(err)
	}
	return m, q
}

// bruteQ is Σ_i w_i Σ_k q_ik log(π_k N(x_i | μ_k, Σ_k)), with each
// Gaussian's density from its full-form covariance by gonum.
func bruteQ(t *testing.T, m *Model, x *mat.Dense, w []float64, resp [][]float64) float64 {
	t.Helper()
	n, d := x.Dims()
	q := 0.0
	for k := 0; k < m.k; k++ {
		var ch mat.Cholesky
		if !ch.Factorize(m.Covariance(nil, k)) {
			return math.Inf(-1)
		}
		logDet := ch.LogDet()
		mu := mat.NewVecDense(d, m.means[k*d:(k+1)*d])
		for i := 0; i < n; i++ {
			var diff, sol mat.VecDense
			diff.SubVec(x.RowView(i), mu)
			if err := ch.SolveVecTo(&sol, &diff); err != nil {
				t.Fatal(err)
			}
			maha := mat.Dot(&diff, &sol)
			lp := math.Log(m.weights[k]) - 0.5*float64(d)*log2Pi - 0.5*logDet - 0.5*maha
			q += w[i] * resp[i][k] * lp
		}
	}
	return q
}

// checkOptimum: Q returned by the M-step is the brute-force objective, and
// perturbing the covariances (through full form and the family's
// projection, so staying in the family), the means or the weights, both
// ways along a random direction, lowers it: the M-step is a stationary
// point and a maximum.
func checkOptimum(t *testing.T, name string, m *Model, q float64, x *mat.Dense, w []float64, resp [][]float64, rng *rand.Rand) {
	t.Helper()
	best := bruteQ(t, m, x, w, resp)
	testutil.AssertClose(t, name+": Q of the M-step", q, best, 0, 1e-10)
	d := m.d
	tried := 0
	for trial := 0; trial < 6; trial++ {
		what := [3]string{"covariances", "means", "weights"}[trial%3]
		if what == "weights" && m.k == 1 {
			continue
		}
		u := make([]float64, m.k*d*d)
		for i := range u {
			u[i] = 2*rng.Float64() - 1
		}
		for _, eps := range []float64{1e-2, -1e-2, 1e-4, -1e-4} {
			p := m.clone()
			switch what {
			case "covariances":
				var mats []*mat.SymDense
				for k := 0; k < m.k; k++ {
					c := m.Covariance(nil, k)
					for i := 0; i < d; i++ {
						for j := i; j < d; j++ {
							scale := math.Sqrt(c.At(i, i) * c.At(j, j))
							c.SetSym(i, j, c.At(i, j)+eps*scale*u[k*d*d+i*d+j])
						}
					}
					mats = append(mats, c)
				}
				if err := p.setStart(Params{Covariances: mats}, m.weights, true); err != nil {
					continue // perturbed out of the positive definite cone
				}
			case "means":
				for j := range p.means {
					p.means[j] += eps * u[j]
				}
			case "weights":
				tot := 0.0
				for k := range p.weights {
					p.weights[k] *= 1 + eps*u[k]
					tot += p.weights[k]
				}
				for k := range p.weights {
					p.weights[k] /= tot
				}
			}
			if _, ok := p.refresh(); !ok {
				continue
			}
			tried++
			if got := bruteQ(t, p, x, w, resp); !(got < best) {
				t.Errorf("%s: perturbing the %s by %g: Q %.17g, not below the M-step's %.17g", name, what, eps, got, best)
			}
		}
	}
	if tried < 8 {
		t.Errorf("%s: only %d perturbations stayed positive definite", name, tried)
	}
}

// checkKernels: maha (both kernels), logDet and precisionCholesky against
// the full-form covariance.
func checkKernels(t *testing.T, name string, m *Model, rng *rand.Rand) {
	t.Helper()
	d, n := m.d, 9
	diff := make([]float64, n*d)
	for i := range diff {
		diff[i] = 2 * rng.NormFloat64()
	}
	for k := 0; k < m.k; k++ {
		cov := m.Covariance(nil, k)
		var ch mat.Cholesky
		if !ch.Factorize(cov) {
			t.Fatalf("%s: component %d not positive definite", name, k)
		}
		testutil.AssertClose(t, fmt.Sprintf("%s: logDet[%d]", name, k), m.logDet[k], -0.5*ch.LogDet(), 1e-12, 1e-12)
		want := make([]float64, n)
		for i := range want {
			var sol mat.VecDense
			v := mat.NewVecDense(d, diff[i*d:(i+1)*d])
			if err := ch.SolveVecTo(&sol, v); err != nil {
				t.Fatal(err)
			}
			want[i] = mat.Dot(v, &sol)
		}
		for _, gemm := range []bool{false, true} {
			got := make([]float64, n)
			s := scratch{gemm: gemm && m.fam.fullScatter(), y: make([]float64, n*d)}
			m.fam.maha(&m.comps, k, got, append([]float64(nil), diff...), n, &s)
			testutil.AssertCloseSlice(t, fmt.Sprintf("%s: maha of component %d (gemm %v)", name, k, s.gemm), got, want, 1e-12, 1e-10)
		}
		// U·Uᵀ = Σ⁻¹.
		u := m.PrecisionCholesky(nil, k)
		var uut, prod mat.Dense
		uut.Mul(u, u.T())
		prod.Mul(&uut, cov)
		testutil.AssertCloseSlice(t, fmt.Sprintf("%s: U·Uᵀ·Σ of component %d", name, k), prod.RawMatrix().Data, eye(d).RawMatrix().Data, 1e-10, 0)
	}
}

// checkSampling: the draw of the unit vector e_j is μ + L e_j, column j of
// L, and L·Lᵀ = Σ.
func checkSampling(t *testing.T, name string, m *Model) {
	t.Helper()
	d := m.d
	for k := 0; k < m.k; k++ {
		l := mat.NewDense(d, d, nil)
		for j := 0; j < d; j++ {
			z := make([]float64, d)
			z[j] = 1
			row := make([]float64, d)
			m.fam.sample(&m.comps, k, row, z)
			for i := 0; i < d; i++ {
				l.Set(i, j, row[i]-m.means[k*d+i])
			}
		}
		var llt mat.Dense
		llt.Mul(l, l.T())
		want := mat.DenseCopyOf(m.Covariance(nil, k))
		testutil.AssertCloseSlice(t, fmt.Sprintf("%s: L·Lᵀ of component %d", name, k), llt.RawMatrix().Data, want.RawMatrix().Data, 1e-12, 1e-10)
	}
}

// checkFile: encode then decode gives the same bits.
func checkFile(t *testing.T, name string, m *Model) {
	t.Helper()
	raw, err := json.Marshal(m.fam.encode(&m.comps))
	if err != nil {
		t.Fatal(err)
	}
	c := newComps(m.fam, m.k, m.d)
	copy(c.means, m.means)
	if err := m.fam.decode(&c, raw, "body.covariances"); err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	if !bitsEqual(c.covs, m.covs) || !bitsEqual(c.chol, m.chol) || !bitsEqual(c.logDet, m.logDet) {
		t.Errorf("%s: the model file's covariances do not round-trip", name)
	}
}

// checkFromFull: the family's form of its own full-form covariances (and
// of their inverses, as precisions) is itself.
func checkFromFull(t *testing.T, name string, m *Model) {
	t.Helper()
	for _, prec := range []bool{false, true} {
		n := m.k
		if m.fam.countMatrices(m.k, n, prec) != "" {
			n = 1
		}
		var mats [][]float64
		for k := 0; k < n; k++ {
			var s *mat.SymDense
			if prec {
				s = m.Precision(nil, k)
			} else {
				s = m.Covariance(nil, k)
			}
			mats = append(mats, mat.DenseCopyOf(s).RawMatrix().Data)
		}
		c := newComps(m.fam, m.k, m.d)
		if err := m.fam.fromFull(&c, mats, prec, m.weights); err != nil {
			t.Fatalf("%s: fromFull (precisions %v): %v", name, prec, err)
		}
		testutil.AssertCloseSlice(t, fmt.Sprintf("%s: fromFull (precisions %v)", name, prec), c.covs, m.covs, 0, 1e-10)
	}
}

// bruteMoments returns, per component, n_k = Σ w q, the weighted mean and
// the D×D scatter about it, summed row by row.
func bruteMoments(x *mat.Dense, w []float64, resp [][]float64, k int) (nk []float64, mu, scat [][]float64) {
	n, d := x.Dims()
	nk = make([]float64, k)
	mu, scat = make([][]float64, k), make([][]float64, k)
	for c := 0; c < k; c++ {
		mu[c], scat[c] = make([]float64, d), make([]float64, d*d)
		for i := 0; i < n; i++ {
			r := w[i] * resp[i][c]
			nk[c] += r
			for j := 0; j < d; j++ {
				mu[c][j] += r * x.At(i, j)
			}
		}
		for j := range mu[c] {
			mu[c][j] /= nk[c]
		}
		for i := 0; i < n; i++ {
			r := w[i] * resp[i][c]
			for a := 0; a < d; a++ {
				for b := 0; b < d; b++ {
					scat[c][a*d+b] += r * (x.At(i, a) - mu[c][a]) * (x.At(i, b) - mu[c][b])
				}
			}
		}
	}
	return nk, mu, scat
}

// checkMStepFormula compares the M-step with regularisation reg against
// want, the family's formula from the brute-force moments (its full-form
// covariance of component k).
func checkMStepFormula(t *testing.T, cov CovarianceType, want func(k int, nk []float64, scat [][]float64, reg float64) []float64) {
	t.Helper()
	for i, fc := range famCases {
		rng := newRNG(uint64(200 + i))
		x, w, resp := famData(rng, 120, fc)
		const reg = 1e-3
		m, _ := mstepOf(t, cov, x, w, resp, fc.k, reg)
		nk, mu, scat := bruteMoments(x, w, resp, fc.k)
		tot := 0.0
		for _, v := range nk {
			tot += v
		}
		for k := 0; k < fc.k; k++ {
			name := fmt.Sprintf("%s K=%d D=%d component %d", cov, fc.k, fc.d, k)
			testutil.AssertClose(t, name+" weight", m.weights[k], nk[k]/tot, 0, 1e-12)
			testutil.AssertCloseSlice(t, name+" mean", m.means[k*fc.d:(k+1)*fc.d], mu[k], 1e-12, 1e-12)
			got := mat.DenseCopyOf(m.Covariance(nil, k)).RawMatrix().Data
			testutil.AssertCloseSlice(t, name+" covariance", got, want(k, nk, scat, reg), 1e-12, 1e-10)
		}
	}
}
