package mixture

import "testing"

func TestEFamily(t *testing.T) { checkFamily(t, familyOf(E)) }

// σ² = Σ_k W_k / n.
func TestEMStep(t *testing.T) {
	fixedPoints(t, E, func(t *testing.T, c fixedPointCase) {
		s := 0.0
		for _, w := range c.w {
			s += w[0]
		}
		checkCovariances(t, c, 1e-12, func(int) []float64 { return []float64{s / c.n} })
	})
}
