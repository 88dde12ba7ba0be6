package mixture

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestEEVFamily(t *testing.T) { checkFamily(t, familyOf(EEV)) }

// D_k = the eigenvectors of W_k, A = Σ_k Ω_k normalised, λ =
// |Σ_k Ω_k|^(1/D) / n (gonum's eigen-decompositions).
func TestEEVMStep(t *testing.T) {
	fixedPoints(t, EEV, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		sum := make([]float64, d)
		vecs := make([]*mat.Dense, len(c.w))
		for k, w := range c.w {
			vals, v := eigen(t, w, d)
			vecs[k] = v
			for j := range sum {
				sum[j] += vals[j]
			}
		}
		g := geomean(sum)
		lam := g / c.n
		for j := range sum {
			sum[j] /= g
		}
		checkCovariances(t, c, 1e-10, func(k int) []float64 { return fromAxes(vecs[k], lam, sum, d) })
		for k := range c.w {
			_, a, o := parts(c.m, k)
			checkUnit(t, c.name, a, o, d)
		}
	})
}

// fromAxes returns λ·O·diag(a)·Oᵀ.
func fromAxes(o *mat.Dense, lam float64, a []float64, d int) []float64 {
	var s mat.Dense
	s.Product(o, mat.NewDiagDense(d, a), o.T())
	s.Scale(lam, &s)
	return s.RawMatrix().Data
}
