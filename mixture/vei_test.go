package mixture

import (
	"fmt"
	"testing"

	"github.com/latentgo/latent/internal/testutil"
)

func TestVEIFamily(t *testing.T) { checkFamily(t, familyOf(VEI)) }

// The M-step is Celeux & Govaert's fixed point: λ_k = Σ_j w_kj/a_j /
// (D n_k) and a ∝ Σ_k w_k/λ_k, with Π a_j = 1.
func TestVEIMStep(t *testing.T) {
	fixedPoints(t, VEI, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		_, a, _ := parts(c.m, 0)
		checkUnit(t, c.name, a, nil, d)
		want := make([]float64, d)
		for k, w := range c.w {
			lam, _, _ := parts(c.m, k)
			s := 0.0
			for j := 0; j < d; j++ {
				s += w[j*d+j] / a[j]
				want[j] += w[j*d+j] / lam
			}
			testutil.AssertClose(t, fmt.Sprintf("%s λ_%d", c.name, k), lam, s/(float64(d)*c.nk[k]), 0, 1e-12)
		}
		g := geomean(want)
		for j := range want {
			want[j] /= g
		}
		testutil.AssertCloseSlice(t, c.name+" shape", a, want, 0, 1e-12)
	})
}
