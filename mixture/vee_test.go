package mixture

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

func TestVEEFamily(t *testing.T) { checkFamily(t, familyOf(VEE)) }

// The M-step is Celeux & Govaert's fixed point: C = Σ_k W_k/λ_k
// normalised to determinant 1, λ_k = tr(W_k C⁻¹) / (D n_k). Its iterations
// stop on the change of the target, a quadratic function of the parameters
// near the optimum, so the parameters settle to about the square root of
// the tolerance (1e-15 here): the equations hold to 1e-8.
func TestVEEMStep(t *testing.T) {
	fixedPoints(t, VEE, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		_, a, o := parts(c.m, 0)
		checkUnit(t, c.name, a, o, d)
		cm := mat.NewDense(d, d, nil)
		for k, w := range c.w {
			lam, _, _ := parts(c.m, k)
			cm.Add(cm, scaled(w, 1/lam, d))
		}
		det := mat.Det(cm)
		cm.Scale(1/math.Pow(det, 1/float64(d)), cm)
		var ci mat.Dense
		if err := ci.Inverse(cm); err != nil {
			t.Fatal(err)
		}
		for k, w := range c.w {
			lam, _, _ := parts(c.m, k)
			var p mat.Dense
			p.Mul(mat.NewDense(d, d, w), &ci)
			testutil.AssertClose(t, fmt.Sprintf("%s λ_%d", c.name, k), lam, mat.Trace(&p)/(float64(d)*c.nk[k]), 0, 1e-8)
		}
		checkCovariances(t, c, 1e-8, func(k int) []float64 {
			lam, _, _ := parts(c.m, k)
			return scaled(cm.RawMatrix().Data, lam, d).RawMatrix().Data
		})
	})
}

// scaled returns s·w as a D×D matrix.
func scaled(w []float64, s float64, d int) *mat.Dense {
	out := mat.NewDense(d, d, append([]float64(nil), w...))
	out.Scale(s, out)
	return out
}
