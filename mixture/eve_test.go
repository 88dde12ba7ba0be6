package mixture

import (
	"fmt"
	"testing"

	"github.com/latentgo/latent/internal/testutil"
)

func TestEVEFamily(t *testing.T) { checkFamily(t, familyOf(EVE)) }

// At the M-step, given the common axes D: A_k ∝ diag(DᵀW_kD), λ =
// Σ_k tr(DᵀW_kD A_k⁻¹) / (nD); and D is a stationary point of
// Σ_k tr(W_k D A_k⁻¹ Dᵀ) over orthogonal matrices. The axes are in
// canonical order: Σ_k a_kj decreasing.
func TestEVEMStep(t *testing.T) {
	fixedPoints(t, EVE, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		lam, _, o := parts(c.m, 0)
		trace := 0.0
		inv := make([][]float64, len(c.w))
		key := make([]float64, d)
		for k, w := range c.w {
			_, a, _ := parts(c.m, k)
			checkUnit(t, c.name, a, o, d)
			r := rotated(o, w, d)
			g := make([]float64, d)
			for j := range g {
				g[j] = r.At(j, j)
			}
			gm := geomean(g)
			inv[k] = make([]float64, d)
			for j := range g {
				testutil.AssertClose(t, fmt.Sprintf("%s a_%d%d", c.name, k, j), a[j], g[j]/gm, 0, 1e-8)
				trace += g[j] / a[j]
				inv[k][j] = 1 / a[j]
				key[j] += a[j]
			}
		}
		testutil.AssertClose(t, c.name+" λ", lam, trace/(c.n*float64(d)), 0, 1e-12)
		checkStationaryAxes(t, c.name, o, c.w, inv, d)
		for j := 1; j < d; j++ {
			if key[j] > key[j-1] {
				t.Errorf("%s: axes not in canonical order: %v", c.name, key)
			}
		}
	})
}
