package mixture

import (
	"fmt"
	"testing"

	"github.com/latentgo/latent/internal/testutil"
)

func TestVEVFamily(t *testing.T) { checkFamily(t, familyOf(VEV)) }

// At the M-step D_k are W_k's eigenvectors, and Celeux & Govaert's fixed
// point holds: λ_k = tr(Ω_k A⁻¹) / (D n_k), A ∝ Σ_k Ω_k/λ_k.
func TestVEVMStep(t *testing.T) {
	fixedPoints(t, VEV, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		_, a, _ := parts(c.m, 0)
		want := make([]float64, d)
		vals := make([][]float64, len(c.w))
		for k, w := range c.w {
			lam, _, o := parts(c.m, k)
			checkUnit(t, c.name, a, o, d)
			v, vecs := eigen(t, w, d)
			vals[k] = v
			s := 0.0
			for j := range v {
				s += v[j] / a[j]
				want[j] += v[j] / lam
			}
			testutil.AssertClose(t, fmt.Sprintf("%s λ_%d", c.name, k), lam, s/(float64(d)*c.nk[k]), 0, 1e-12)
			testutil.AssertCloseSlice(t, fmt.Sprintf("%s Σ_%d", c.name, k), fromAxes(vecs, lam, a, d), mustCov(c.m, k), 1e-12, 1e-10)
		}
		g := geomean(want)
		for j := range want {
			want[j] /= g
		}
		testutil.AssertCloseSlice(t, c.name+" shape", a, want, 0, 1e-12)
	})
}
