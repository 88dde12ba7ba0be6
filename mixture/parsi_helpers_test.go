package mixture

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// Helpers of the tests of mclust's models (one _test.go per model).

// layoutOf returns the layout of one of mclust's models' families.
func layoutOf(f family) layout { return f.(interface{ lay() layout }).lay() }

// parts returns component k's volume, shape (nil: I) and orientation
// (nil: I) of m.
func parts(m *Model, k int) (float64, []float64, []float64) {
	l := layoutOf(m.fam)
	return l.scale(&m.comps, k), l.shapeOf(&m.comps, k), l.orientOf(&m.comps, k)
}

// fixedPointCase is an M-step of a model and its inputs: the regularised
// scatters W_k (D×D) about the brute-force means and the counts n_k.
type fixedPointCase struct {
	name string
	m    *Model
	nk   []float64
	w    [][]float64
	n    float64 // Σ n_k
}

// fixedPoints runs the M-step of cov on famCases' data (regularised by
// 1e-3) and calls check with each.
func fixedPoints(t *testing.T, cov CovarianceType, check func(t *testing.T, c fixedPointCase)) {
	t.Helper()
	univariate := layoutOf(familyOf(cov)).univariate
	for i, fc := range famCases {
		if univariate && fc.d != 1 {
			continue
		}
		rng := newRNG(uint64(300 + i))
		x, w, resp := famData(rng, 120, fc)
		const reg = 1e-3
		m, _ := mstepOf(t, cov, x, w, resp, fc.k, reg)
		nk, mu, scat := bruteMoments(x, w, resp, fc.k)
		c := fixedPointCase{name: fmt.Sprintf("%s K=%d D=%d", cov, fc.k, fc.d), m: m, nk: nk, w: scat}
		for k := range scat {
			c.n += nk[k]
			testutil.AssertCloseSlice(t, c.name+" mean", m.means[k*fc.d:(k+1)*fc.d], mu[k], 1e-12, 1e-12)
			for j := 0; j < fc.d; j++ {
				scat[k][j*fc.d+j] += nk[k] * reg
			}
		}
		check(t, c)
	}
}

// checkCovariances compares m's full-form covariances with want(k).
func checkCovariances(t *testing.T, c fixedPointCase, rtol float64, want func(k int) []float64) {
	t.Helper()
	for k := range c.nk {
		got := mat.DenseCopyOf(c.m.Covariance(nil, k)).RawMatrix().Data
		testutil.AssertCloseSlice(t, fmt.Sprintf("%s component %d covariance", c.name, k), got, want(k), 1e-12, rtol)
	}
}

// eigen returns the eigenvalues (decreasing) and eigenvectors (columns)
// of the symmetric D×D w, by gonum.
func eigen(t *testing.T, w []float64, d int) ([]float64, *mat.Dense) {
	t.Helper()
	var e mat.EigenSym
	if !e.Factorize(mat.NewSymDense(d, append([]float64(nil), w...)), true) {
		t.Fatal("eigen-decomposition failed")
	}
	vals := e.Values(nil)
	var v mat.Dense
	e.VectorsTo(&v)
	out, vecs := make([]float64, d), mat.NewDense(d, d, nil)
	for j := 0; j < d; j++ {
		out[j] = vals[d-1-j]
		vecs.SetCol(j, mat.Col(nil, d-1-j, &v))
	}
	return out, vecs
}

// rotated returns Oᵀ W O for the D×D row-major o and w.
func rotated(o, w []float64, d int) *mat.Dense {
	om, wm := mat.NewDense(d, d, o), mat.NewDense(d, d, w)
	var r mat.Dense
	r.Product(om.T(), wm, om)
	return &r
}

// geomean returns exp(mean log v).
func geomean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(v)))
}

// checkUnit checks that a shape has product 1 and an orientation is
// orthogonal.
func checkUnit(t *testing.T, what string, a, o []float64, d int) {
	t.Helper()
	if a != nil {
		testutil.AssertClose(t, what+" shape's product", geomean(a), 1, 0, 1e-13)
	}
	if o != nil {
		if e := orthogonalityError(o, d); e > 1e-13 {
			t.Errorf("%s: orientation not orthogonal (%.3g)", what, e)
		}
	}
}

// checkStationaryAxes checks that the common orientation D is a
// stationary point of Σ_k tr(W_k D Δ_k⁻¹ Dᵀ) over orthogonal matrices
// for the axis variances inv[k] = 1/δ_kj: Dᵀ·G is symmetric, G = Σ_k W_k
// D Δ_k⁻¹ (the Euclidean gradient, halved), to 1e-6 of its size: the
// MM iterations stop on the change of their target (1e-15 in these
// tests), quadratic near the optimum, so the axes settle to about its
// square root.
func checkStationaryAxes(t *testing.T, what string, o []float64, w [][]float64, inv [][]float64, d int) {
	t.Helper()
	om := mat.NewDense(d, d, o)
	g := mat.NewDense(d, d, nil)
	for k := range w {
		var wd mat.Dense
		wd.Mul(mat.NewDense(d, d, w[k]), om)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				g.Set(i, j, g.At(i, j)+wd.At(i, j)*inv[k][j])
			}
		}
	}
	var dg mat.Dense
	dg.Mul(om.T(), g)
	size, skew := 0.0, 0.0
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			size = math.Max(size, math.Abs(dg.At(i, j)))
			skew = math.Max(skew, math.Abs(dg.At(i, j)-dg.At(j, i)))
		}
	}
	if skew > 1e-6*size {
		t.Errorf("%s: Dᵀ G not symmetric: skew part %.3g of %.3g", what, skew, size)
	}
}

// mustCov returns component k's covariance in full form, row-major.
func mustCov(m *Model, k int) []float64 {
	return mat.DenseCopyOf(m.Covariance(nil, k)).RawMatrix().Data
}

// mclustParity says how a fit of the covariance type cov follows mclust's
// from the same start, for the tests of other features that compare with
// mclust: skip when it does not (VVE: mclust's M-step is not VVE's
// maximiser, vve.go), otherwise loose, the relative tolerance such a
// comparison needs at least (VEE: mclust restarts its inner iterations at
// λ = 1 in every M-step and ours go on from the previous M-step, so fits
// agree to about 1e-4 in parameters and 1e-6 in log-likelihood; 0 for the
// others, which agree to rounding).
func mclustParity(cov CovarianceType) (skip bool, loose float64) {
	switch cov {
	case VVE:
		return true, 0
	case VEE:
		return false, 1e-4
	}
	return false, 0
}

// hasMAPStep reports whether cov's family has a MAP M-step under the
// conjugate prior (prior.go).
func hasMAPStep(cov CovarianceType) bool {
	_, err := lookupPriorFamily(familyOf(cov))
	return err == nil
}

// univariateFamily reports whether f is E or V, which need D = 1.
func univariateFamily(f family) bool {
	u, ok := f.(interface{ isUnivariate() bool })
	return ok && u.isUnivariate()
}

// mclustParityRestarted is mclustParity for mclust's routines that call
// mstep in a loop (MclustSSC), so that every M-step of theirs starts cold
// (EVE from D = I, VEI from A = I, …) and stops at the inner tolerance:
// EVE and VEE then agree with our warm-started M-steps to about 1e-3.
func mclustParityRestarted(cov CovarianceType) (skip bool, loose float64) {
	switch cov {
	case EVE, VEE:
		return false, 1e-3
	}
	return mclustParity(cov)
}
