package mixture

import "testing"

func TestVFamily(t *testing.T) { checkFamily(t, familyOf(V)) }

// σ²_k = W_k / n_k.
func TestVMStep(t *testing.T) {
	fixedPoints(t, V, func(t *testing.T, c fixedPointCase) {
		checkCovariances(t, c, 1e-12, func(k int) []float64 { return []float64{c.w[k][0] / c.nk[k]} })
	})
}
