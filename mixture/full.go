package mixture

import (
	"encoding/json"
	"fmt"

	"github.com/latentgo/latent/internal/modelfile"
)

// fullFamily is Full: each component its own D×D covariance Σ_k
// (scikit-learn's "full"; mclust's VVV). covs and chol hold K D×D
// row-major matrices: Σ_k, and A_k = L_k⁻¹ for the Cholesky factor L_k of
// Σ_k. The M-step (Bishop, PRML eq. 9.25, with scikit-learn's
// regularisation) is
//
//	Σ_k = S_k / n'_k + r·I.
type fullFamily struct{}

func (fullFamily) Type() CovarianceType      { return Full }
func (fullFamily) fullScatter() bool         { return true }
func (fullFamily) sizes(k, d int) (int, int) { return k * d * d, k * d * d }
func (fullFamily) numParams(k, d int) int    { return k * d * (d + 1) / 2 }
func (fullFamily) encode(c *comps) any       { return fullEncode(c) }
func (fullFamily) countMatrices(k, given int, _ bool) string {
	if given != k {
		return fmt.Sprintf("K = %d", k)
	}
	return ""
}

func (fullFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	d := c.d
	for j := 0; j < c.k; j++ {
		np := nk[j]
		cv := c.covs[j*d*d : (j+1)*d*d]
		sc := scat[j*d*d : (j+1)*d*d]
		for i := range cv {
			cv[i] = sc[i] / np
		}
		for i := 0; i < d; i++ {
			cv[i*d+i] += reg
		}
	}
	return nil
}

func (fullFamily) factor(c *comps) (int, bool) {
	d := c.d
	scratch := make([]float64, d*d)
	for k := 0; k < c.k; k++ {
		ld, ok := factorize(c.chol[k*d*d:(k+1)*d*d], c.covs[k*d*d:(k+1)*d*d], scratch, d)
		if !ok {
			return k, false
		}
		c.logDet[k] = ld
	}
	return -1, true
}

func (fullFamily) trace(c *comps, k int, s []float64) float64 {
	d := c.d
	return traceAtSA(c.chol[k*d*d:(k+1)*d*d], s, d)
}

func (fullFamily) maha(c *comps, k int, dst, diff []float64, n int, s *scratch) {
	d := c.d
	a := c.chol[k*d*d : (k+1)*d*d]
	if s.gemm {
		mahaGemm(dst, diff, a, s.y, n, d)
	} else {
		mahaLower(dst, diff, a, n, d)
	}
}

func (fullFamily) sample(c *comps, k int, dst, z []float64) {
	d := c.d
	solveLower(dst, c.chol[k*d*d:(k+1)*d*d], z, c.means[k*d:(k+1)*d], d)
}

func fullEncode(c *comps) [][][]float64 {
	d := c.d
	out := make([][][]float64, c.k)
	for i := range out {
		out[i] = rows(c.covs[i*d*d:(i+1)*d*d], d)
	}
	return out
}

func (f fullFamily) decode(c *comps, raw json.RawMessage, path string) error {
	k, d := c.k, c.d
	var a [][][]float64
	if err := modelfile.DecodeStrict(raw, &a, path); err != nil {
		return err
	}
	if len(a) != k {
		return fe(path, "%d matrices, want K = %d for full covariances", len(a), k)
	}
	for i := range a {
		if err := decodeSquare(fmt.Sprintf("%s[%d]", path, i), a[i], c.covs[i*d*d:(i+1)*d*d], d, i); err != nil {
			return err
		}
	}
	if bad, ok := f.factor(c); !ok {
		return notUsable(fmt.Sprintf("%s[%d]", path, bad), "not positive definite", bad)
	}
	return nil
}

func (fullFamily) fromFull(c *comps, mats [][]float64, prec bool, _ []float64) error {
	d := c.d
	if err := checkSPD(mats, d, prec, Full); err != nil {
		return err
	}
	for i, a := range mats {
		symmetrise(c.covs[i*d*d:(i+1)*d*d], a, d)
	}
	return nil
}

func (fullFamily) covariance(c *comps, k int, dst []float64) {
	d := c.d
	copy(dst[:d*d], c.covs[k*d*d:(k+1)*d*d])
}

func (fullFamily) precisionCholesky(c *comps, k int, dst []float64) {
	d := c.d
	upperOfLowerT(dst, c.chol[k*d*d:(k+1)*d*d], d)
}
