package mixture

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/latentgo/latent/internal/modelfile"
)

// sphericalFamily is Spherical: each component its own σ²_k·I
// (scikit-learn's "spherical"; mclust's VII). covs holds the K variances,
// chol the K inverse deviations 1/σ_k. The M-step averages the diag one's
// variances:
//
//	σ²_k = Σ_j ((S_k)_jj / n'_k + r) / D.
type sphericalFamily struct{}

func (sphericalFamily) Type() CovarianceType      { return Spherical }
func (sphericalFamily) fullScatter() bool         { return false }
func (sphericalFamily) sizes(k, _ int) (int, int) { return k, k }
func (sphericalFamily) numParams(k, _ int) int    { return k }
func (sphericalFamily) encode(c *comps) any       { return append([]float64(nil), c.covs...) }
func (sphericalFamily) countMatrices(k, given int, _ bool) string {
	if given != k {
		return fmt.Sprintf("K = %d", k)
	}
	return ""
}

func (sphericalFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	d := c.d
	for k := 0; k < c.k; k++ {
		np := nk[k]
		v := 0.0
		for j := 0; j < d; j++ {
			v += scat[k*d+j]/np + reg
		}
		c.covs[k] = v / float64(d)
	}
	return nil
}

func (sphericalFamily) factor(c *comps) (int, bool) {
	for k := 0; k < c.k; k++ {
		v := c.covs[k]
		if !positive(v) {
			return k, false
		}
		p := 1 / math.Sqrt(v)
		c.chol[k] = p
		c.logDet[k] = float64(c.d) * math.Log(p)
	}
	return -1, true
}

func (sphericalFamily) trace(c *comps, k int, s []float64) float64 {
	p := c.chol[k]
	tr := 0.0
	for j := 0; j < c.d; j++ {
		tr += s[j]
	}
	return tr * (p * p)
}

func (sphericalFamily) maha(c *comps, k int, dst, diff []float64, n int, _ *scratch) {
	mahaSpherical(dst, diff, c.chol[k], n, c.d)
}

func (sphericalFamily) sample(c *comps, k int, dst, z []float64) {
	d := c.d
	mu, p := c.means[k*d:(k+1)*d], c.chol[k]
	for j := range dst {
		dst[j] = mu[j] + z[j]/p
	}
}

func (f sphericalFamily) decode(c *comps, raw json.RawMessage, path string) error {
	var a []float64
	if err := modelfile.DecodeStrict(raw, &a, path); err != nil {
		return err
	}
	if len(a) != c.k {
		return fe(path, "%d values, want K = %d for spherical covariances", len(a), c.k)
	}
	copy(c.covs, a)
	if bad, ok := f.factor(c); !ok {
		return notUsable(fmt.Sprintf("%s[%d]", path, bad), "a variance that is not positive", bad)
	}
	return nil
}

// fromFull takes each matrix's mean variance (of a precision, the inverse
// of its mean diagonal precision).
func (sphericalFamily) fromFull(c *comps, mats [][]float64, prec bool, _ []float64) error {
	d := c.d
	for i, a := range mats {
		if err := checkDiagonal(a, d, i, prec, Spherical); err != nil {
			return err
		}
		mean := 0.0
		for j := 0; j < d; j++ {
			mean += a[j*d+j]
		}
		mean /= float64(d)
		if prec {
			mean = 1 / mean
		}
		c.covs[i] = mean
	}
	return nil
}

func (sphericalFamily) covariance(c *comps, k int, dst []float64) {
	d := c.d
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			dst[i*d+j] = 0
		}
		dst[i*d+i] = c.covs[k]
	}
}

func (sphericalFamily) precisionCholesky(c *comps, k int, dst []float64) {
	d := c.d
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			dst[i*d+j] = 0
		}
		dst[i*d+i] = c.chol[k]
	}
}
