package mixture

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/latentgo/latent/internal/modelfile"
)

// diagFamily is Diag: each component its own diagonal covariance
// diag(σ²_k1 … σ²_kD) (scikit-learn's "diag"; mclust's VVI). covs holds
// the K×D variances, chol the K×D inverse deviations 1/σ_kj. The M-step
// keeps the diagonal of the full one:
//
//	σ²_kj = (S_k)_jj / n'_k + r.
type diagFamily struct{}

func (diagFamily) Type() CovarianceType      { return Diag }
func (diagFamily) fullScatter() bool         { return false }
func (diagFamily) sizes(k, d int) (int, int) { return k * d, k * d }
func (diagFamily) numParams(k, d int) int    { return k * d }
func (diagFamily) encode(c *comps) any       { return rows(c.covs, c.d) }
func (diagFamily) countMatrices(k, given int, _ bool) string {
	if given != k {
		return fmt.Sprintf("K = %d", k)
	}
	return ""
}

func (diagFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	d := c.d
	for k := 0; k < c.k; k++ {
		np := nk[k]
		for j := 0; j < d; j++ {
			c.covs[k*d+j] = scat[k*d+j]/np + reg
		}
	}
	return nil
}

func (diagFamily) factor(c *comps) (int, bool) {
	d := c.d
	for k := 0; k < c.k; k++ {
		ld := 0.0
		for j := 0; j < d; j++ {
			v := c.covs[k*d+j]
			if !positive(v) {
				return k, false
			}
			p := 1 / math.Sqrt(v)
			c.chol[k*d+j] = p
			ld += math.Log(p)
		}
		c.logDet[k] = ld
	}
	return -1, true
}

func (diagFamily) trace(c *comps, k int, s []float64) float64 {
	d := c.d
	tr := 0.0
	for j := 0; j < d; j++ {
		p := c.chol[k*d+j]
		tr += p * p * s[j]
	}
	return tr
}

func (diagFamily) maha(c *comps, k int, dst, diff []float64, n int, _ *scratch) {
	d := c.d
	mahaDiag(dst, diff, c.chol[k*d:(k+1)*d], n, d)
}

func (diagFamily) sample(c *comps, k int, dst, z []float64) {
	d := c.d
	mu, p := c.means[k*d:(k+1)*d], c.chol[k*d:(k+1)*d]
	for j := range dst {
		dst[j] = mu[j] + z[j]/p[j]
	}
}

func (f diagFamily) decode(c *comps, raw json.RawMessage, path string) error {
	k, d := c.k, c.d
	var a [][]float64
	if err := modelfile.DecodeStrict(raw, &a, path); err != nil {
		return err
	}
	if len(a) != k {
		return fe(path, "%d rows, want K = %d for diag covariances", len(a), k)
	}
	for i, r := range a {
		if len(r) != d {
			return fe(fmt.Sprintf("%s[%d]", path, i), "%d values, want D = %d (component %d)", len(r), d, i)
		}
		copy(c.covs[i*d:], r)
	}
	if bad, ok := f.factor(c); !ok {
		return notUsable(fmt.Sprintf("%s[%d]", path, bad), "a variance that is not positive", bad)
	}
	return nil
}

// fromFull keeps each matrix's diagonal (of a precision, its inverse
// 1/p_jj: the precision's diagonal, not the covariance's).
func (diagFamily) fromFull(c *comps, mats [][]float64, prec bool, _ []float64) error {
	d := c.d
	for i, a := range mats {
		if err := checkDiagonal(a, d, i, prec, Diag); err != nil {
			return err
		}
		for j := 0; j < d; j++ {
			v := a[j*d+j]
			if prec {
				v = 1 / v
			}
			c.covs[i*d+j] = v
		}
	}
	return nil
}

func (diagFamily) covariance(c *comps, k int, dst []float64) {
	d := c.d
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			dst[i*d+j] = 0
		}
		dst[i*d+i] = c.covs[k*d+i]
	}
}

func (diagFamily) precisionCholesky(c *comps, k int, dst []float64) {
	d := c.d
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			dst[i*d+j] = 0
		}
		dst[i*d+i] = c.chol[k*d+i]
	}
}
