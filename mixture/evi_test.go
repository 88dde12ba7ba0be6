package mixture

import "testing"

func TestEVIFamily(t *testing.T) { checkFamily(t, familyOf(EVI)) }

// A_k = diag W_k / |diag W_k|^(1/D), λ = Σ_k |diag W_k|^(1/D) / n.
func TestEVIMStep(t *testing.T) {
	fixedPoints(t, EVI, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		diags := make([][]float64, len(c.w))
		lam := 0.0
		for k, w := range c.w {
			diags[k] = make([]float64, d)
			for j := range diags[k] {
				diags[k][j] = w[j*d+j]
			}
			lam += geomean(diags[k]) / c.n
		}
		checkCovariances(t, c, 1e-12, func(k int) []float64 { return diagMatrix(lam/geomean(diags[k]), diags[k], d) })
		for k := range c.w {
			_, a, _ := parts(c.m, k)
			checkUnit(t, c.name, a, nil, d)
		}
	})
}
