package mixture

import "testing"

func TestEIIFamily(t *testing.T) { checkFamily(t, familyOf(EII)) }

// λ = Σ_k tr W_k / (nD): the traces pooled.
func TestEIIMStep(t *testing.T) {
	fixedPoints(t, EII, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		tr := 0.0
		for _, w := range c.w {
			for j := 0; j < d; j++ {
				tr += w[j*d+j]
			}
		}
		lam := tr / (c.n * float64(d))
		checkCovariances(t, c, 1e-12, func(int) []float64 { return diagMatrix(lam, nil, d) })
	})
}

// diagMatrix returns the D×D λ·diag(a) (a nil: λI).
func diagMatrix(lam float64, a []float64, d int) []float64 {
	out := make([]float64, d*d)
	for j := 0; j < d; j++ {
		v := lam
		if a != nil {
			v *= a[j]
		}
		out[j*d+j] = v
	}
	return out
}
