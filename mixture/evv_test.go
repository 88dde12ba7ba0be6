package mixture

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestEVVFamily(t *testing.T) { checkFamily(t, familyOf(EVV)) }

// C_k = W_k / |W_k|^(1/D), λ = Σ_k |W_k|^(1/D) / n.
func TestEVVMStep(t *testing.T) {
	fixedPoints(t, EVV, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		g := make([]float64, len(c.w))
		lam := 0.0
		for k, w := range c.w {
			g[k] = math.Pow(mat.Det(mat.NewDense(d, d, w)), 1/float64(d))
			lam += g[k] / c.n
		}
		checkCovariances(t, c, 1e-10, func(k int) []float64 {
			return scaled(c.w[k], lam/g[k], d).RawMatrix().Data
		})
		for k := range c.w {
			_, a, o := parts(c.m, k)
			checkUnit(t, c.name, a, o, d)
		}
	})
}
