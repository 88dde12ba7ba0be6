package vae

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// FrechetDistance returns the squared Fréchet (2-Wasserstein) distance
// between normal distributions fitted to the rows of a and b (means and
// sample covariances, divisor n − 1):
//
//	d² = ‖μ_a − μ_b‖² + tr(Σ_a + Σ_b − 2 (Σ_a^½ Σ_b Σ_a^½)^½)
//
// (Dowson & Landau 1982). It is the statistic of the FID (Heusel et al.
// 2017), computed here in the features given — pixels, or codes — rather
// than in an Inception network's: a measure of how far generated samples
// are from real ones in their first two moments, 0 for samples with equal
// means and covariances. The matrix square roots come from symmetric
// eigendecompositions, with eigenvalues below 0 (rounding) taken as 0.
// It costs O(d³) in the number of columns d. a and b need the same number
// of columns and at least two rows each; otherwise, or for values that
// are not finite, it returns an error.
func FrechetDistance(a, b mat.Matrix) (float64, error) {
	na, d := a.Dims()
	nb, db := b.Dims()
	if d != db {
		return 0, fmt.Errorf("vae: FrechetDistance: %d and %d columns", d, db)
	}
	if na < 2 || nb < 2 || d < 1 {
		return 0, fmt.Errorf("vae: FrechetDistance: %d and %d rows of %d columns; need at least 2 rows each", na, nb, d)
	}
	for _, x := range []mat.Matrix{a, b} {
		if err := checkData(x, d, Gaussian, nil, "samples"); err != nil {
			return 0, err
		}
	}
	ma, ca := moments(a)
	mb, cb := moments(b)
	d2 := 0.0
	for j := range ma {
		d2 += (ma[j] - mb[j]) * (ma[j] - mb[j])
	}
	sa, err := sqrtSym(ca)
	if err != nil {
		return 0, err
	}
	var m mat.Dense
	m.Mul(sa, cb)
	m.Mul(&m, sa)
	inner := mat.NewSymDense(d, nil)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			inner.SetSym(i, j, 0.5*(m.At(i, j)+m.At(j, i)))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(inner, false) {
		return 0, fmt.Errorf("vae: FrechetDistance: the eigendecomposition did not converge")
	}
	trSqrt := 0.0
	for _, v := range eig.Values(nil) {
		trSqrt += math.Sqrt(math.Max(v, 0))
	}
	return d2 + mat.Trace(ca) + mat.Trace(cb) - 2*trSqrt, nil
}

// moments returns the column means and the sample covariance of x.
func moments(x mat.Matrix) ([]float64, *mat.SymDense) {
	_, d := x.Dims()
	mean := make([]float64, d)
	for j := range mean {
		mean[j] = stat.Mean(mat.Col(nil, j, x), nil)
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, x, nil)
	return mean, &cov
}

// sqrtSym returns the symmetric square root of a positive semidefinite
// matrix, eigenvalues below 0 taken as 0.
func sqrtSym(s *mat.SymDense) (*mat.SymDense, error) {
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		return nil, fmt.Errorf("vae: FrechetDistance: the eigendecomposition did not converge")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	n := len(vals)
	// V·diag(√λ)·Vᵀ: scale the eigenvectors, then one product.
	scaled := mat.DenseCopyOf(&vecs)
	for k, l := range vals {
		r := math.Sqrt(math.Max(l, 0))
		for i := 0; i < n; i++ {
			scaled.Set(i, k, scaled.At(i, k)*r)
		}
	}
	var prod mat.Dense
	prod.Mul(scaled, vecs.T())
	out := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			out.SetSym(i, j, 0.5*(prod.At(i, j)+prod.At(j, i)))
		}
	}
	return out, nil
}

// PriorLogDensity returns log N(z_i; 0, I) for each row of z, in nats:
// the prior's log-density of codes, to compare with a density fitted to
// them (a Gaussian mixture's ScoreSamples, for instance).
func PriorLogDensity(z mat.Matrix) []float64 {
	n, d := z.Dims()
	out := make([]float64, n)
	for i := range out {
		s := 0.0
		for j := 0; j < d; j++ {
			v := z.At(i, j)
			s += v * v
		}
		out[i] = -0.5 * (float64(d)*log2Pi + s)
	}
	return out
}
