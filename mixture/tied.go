package mixture

import (
	"encoding/json"
	"fmt"

	"github.com/latentgo/latent/internal/modelfile"
)

// tiedFamily is Tied: one D×D covariance Σ shared by every component
// (scikit-learn's "tied"; mclust's EEE). covs and chol hold one D×D
// row-major matrix each, Σ and A = L⁻¹; logDet repeats log det A for every
// component. The M-step pools the scatters:
//
//	Σ = Σ_k S_k / Σ_k n'_k + r·I.
type tiedFamily struct{}

func (tiedFamily) Type() CovarianceType      { return Tied }
func (tiedFamily) fullScatter() bool         { return true }
func (tiedFamily) sizes(_, d int) (int, int) { return d * d, d * d }
func (tiedFamily) numParams(_, d int) int    { return d * (d + 1) / 2 }
func (tiedFamily) encode(c *comps) any       { return rows(c.covs, c.d) }

// countMatrices: one matrix, or K covariances to average (precisions
// cannot be averaged as covariances are).
func (tiedFamily) countMatrices(k, given int, prec bool) string {
	if given == 1 || given == k && !prec {
		return ""
	}
	return fmt.Sprintf("1 (or K = %d covariances to average) for tied", k)
}

func (tiedFamily) mstep(c *comps, scat, _ []float64, tot, reg float64) error {
	d := c.d
	clear(c.covs)
	for j := 0; j < c.k; j++ {
		sc := scat[j*d*d : (j+1)*d*d]
		for i := range c.covs {
			c.covs[i] += sc[i]
		}
	}
	for i := range c.covs {
		c.covs[i] /= tot
	}
	for i := 0; i < d; i++ {
		c.covs[i*d+i] += reg
	}
	return nil
}

func (tiedFamily) factor(c *comps) (int, bool) {
	d := c.d
	scratch := make([]float64, d*d)
	ld, ok := factorize(c.chol, c.covs, scratch, d)
	if !ok {
		return 0, false
	}
	for k := range c.logDet {
		c.logDet[k] = ld
	}
	return -1, true
}

func (tiedFamily) trace(c *comps, _ int, s []float64) float64 {
	return traceAtSA(c.chol, s, c.d)
}

func (tiedFamily) maha(c *comps, _ int, dst, diff []float64, n int, s *scratch) {
	if s.gemm {
		mahaGemm(dst, diff, c.chol, s.y, n, c.d)
	} else {
		mahaLower(dst, diff, c.chol, n, c.d)
	}
}

func (tiedFamily) sample(c *comps, k int, dst, z []float64) {
	d := c.d
	solveLower(dst, c.chol, z, c.means[k*d:(k+1)*d], d)
}

func (f tiedFamily) decode(c *comps, raw json.RawMessage, path string) error {
	var a [][]float64
	if err := modelfile.DecodeStrict(raw, &a, path); err != nil {
		return err
	}
	if err := decodeSquare(path, a, c.covs, c.d, -1); err != nil {
		return err
	}
	if bad, ok := f.factor(c); !ok {
		return notUsable(path, "not positive definite", bad)
	}
	return nil
}

// fromFull keeps one matrix as it is, and averages K covariances with the
// weights w (uniform when nil).
func (tiedFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	k, d := c.k, c.d
	if err := checkSPD(mats, d, prec, Tied); err != nil {
		return err
	}
	if len(mats) == 1 {
		symmetrise(c.covs, mats[0], d)
		return nil
	}
	if w == nil {
		w = make([]float64, k)
		for i := range w {
			w[i] = 1 / float64(k)
		}
	}
	avg := make([]float64, d*d)
	for i, a := range mats {
		for j := range avg {
			avg[j] += w[i] * a[j]
		}
	}
	symmetrise(c.covs, avg, d)
	return nil
}

func (tiedFamily) covariance(c *comps, _ int, dst []float64) {
	copy(dst[:c.d*c.d], c.covs)
}

func (tiedFamily) precisionCholesky(c *comps, _ int, dst []float64) {
	upperOfLowerT(dst, c.chol, c.d)
}
