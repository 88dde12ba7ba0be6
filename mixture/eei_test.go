package mixture

import "testing"

func TestEEIFamily(t *testing.T) { checkFamily(t, familyOf(EEI)) }

// λA = diag(Σ_k W_k) / n.
func TestEEIMStep(t *testing.T) {
	fixedPoints(t, EEI, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		v := make([]float64, d)
		for _, w := range c.w {
			for j := range v {
				v[j] += w[j*d+j] / c.n
			}
		}
		checkCovariances(t, c, 1e-12, func(int) []float64 { return diagMatrix(1, v, d) })
		_, a, _ := parts(c.m, 0)
		checkUnit(t, c.name, a, nil, d)
	})
}
