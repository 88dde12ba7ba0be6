package mixture

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

func TestVVEFamily(t *testing.T) { checkFamily(t, familyOf(VVE)) }

// At the M-step, given the common axes D: Δ_k = λ_k A_k = diag(DᵀW_kD) /
// n_k; and D is a stationary point of Σ_k tr(W_k D Δ_k⁻¹ Dᵀ) over
// orthogonal matrices.
func TestVVEMStep(t *testing.T) {
	fixedPoints(t, VVE, func(t *testing.T, c fixedPointCase) {
		d := c.m.d
		_, _, o := parts(c.m, 0)
		inv := make([][]float64, len(c.w))
		for k, w := range c.w {
			lam, a, _ := parts(c.m, k)
			checkUnit(t, c.name, a, o, d)
			r := rotated(o, w, d)
			inv[k] = make([]float64, d)
			for j := 0; j < d; j++ {
				testutil.AssertClose(t, fmt.Sprintf("%s δ_%d%d", c.name, k, j), lam*a[j], r.At(j, j)/c.nk[k], 0, 1e-8)
				inv[k][j] = 1 / (lam * a[j])
			}
		}
		checkStationaryAxes(t, c.name, o, c.w, inv, d)
	})
}

// mclust's VVE (msvve) weights the majorisation by the shapes alone,
// 1/a_kj, not by 1/(λ_k a_kj), and stops on Σ_k tr(DᵀW_kD A_k⁻¹): this
// replica of it gives R's mstep to rounding, which shows where R's numbers
// come from; our M-step reaches a higher Q (TestMclustMStep).
func TestVVEMclustVariant(t *testing.T) {
	ref := loadMclustRef(t)
	for _, set := range ref.Sets {
		mod, ok := set.Models["VVE"]
		if !ok {
			continue
		}
		x := mclustSet(set.Name)
		m := fromPartition(t, x, set.Labels, VVV) // means, weights and W_k/n_k
		k, d := m.k, m.d
		dd := d * d
		scat := make([]float64, k*dd)
		nk := make([]float64, k)
		n, _ := x.Dims()
		for c := 0; c < k; c++ {
			for _, l := range set.Labels {
				if l == c+1 {
					nk[c]++
				}
			}
			cov := mat.DenseCopyOf(m.Covariance(nil, c)).RawMatrix().Data
			for j := range cov {
				scat[c*dd+j] = cov[j] * nk[c]
			}
		}
		lw := newLinWork(d)
		mm, _ := newAxesMM(scat, k, d, lw)
		o := make([]float64, dd)
		identity(o, d)
		shapes, scales, inv := make([][]float64, k), make([]float64, k), make([][]float64, k)
		for c := range shapes {
			shapes[c], inv[c] = make([]float64, d), make([]float64, d)
			for j := range shapes[c] {
				shapes[c][j] = 1
			}
		}
		prev := math.MaxFloat64 / 2
		for it := 1; it < innerMaxIter; it++ {
			for c, a := range shapes {
				for j, v := range a {
					inv[c][j] = 1 / v
				}
			}
			mm.step(o, scat, inv)
			trgt := 0.0
			g := make([][]float64, k)
			for c := range g {
				g[c] = make([]float64, d)
			}
			mm.rotatedDiags(g, o, scat)
			for c, a := range shapes {
				for j := range a {
					a[j] = g[c][j] / nk[c]
				}
				scales[c] = unitDet(a)
				for j := range a {
					trgt += g[c][j] / a[j]
				}
			}
			change := math.Abs(trgt-prev) / (1 + math.Abs(trgt))
			prev = trgt
			if !(change > mclustInnerTol) {
				break
			}
		}
		want := mod.MStep.sigmas(t, k, d)
		for c := 0; c < k; c++ {
			got := make([]float64, dd)
			for i := 0; i < d; i++ {
				for j := 0; j < d; j++ {
					for l := 0; l < d; l++ {
						got[i*d+j] += scales[c] * o[i*d+l] * shapes[c][l] * o[j*d+l]
					}
				}
			}
			testutil.AssertCloseSlice(t, fmt.Sprintf("%s VVE, mclust's iterations: component %d", set.Name, c), got, want[c], 1e-12, 1e-10)
		}
		_ = n
	}
}
