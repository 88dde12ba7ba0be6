package mixture

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/latentgo/latent/internal/testutil"
)

// assertParams compares a model's weights, means and full covariances
// with mclust's.
func assertParams(t *testing.T, what string, m *Model, p *mcParams, atol, rtol float64) {
	t.Helper()
	testutil.AssertCloseSlice(t, what+" pro", m.Weights(nil), p.Pro, atol, rtol)
	means := m.Means(nil)
	for c := range p.Mean {
		testutil.AssertCloseSlice(t, fmt.Sprintf("%s mean[%d]", what, c), means.RawRowView(c), p.Mean[c], atol, rtol)
		cv := m.Covariance(nil, c)
		for i, row := range p.Variance.Sigma[c] {
			for j, v := range row {
				testutil.AssertClose(t, fmt.Sprintf("%s sigma[%d][%d][%d]", what, c, i, j), cv.At(i, j), v, atol, rtol)
			}
		}
	}
}

// TestMeMatchesMclust runs mclust's EM (meFit) from the hc partition of
// the reference's single_step (G = 3) for every model latent has, with and
// without the default conjugate prior, and compares the iterations, the
// log-likelihood and the parameters with me()'s: the same algorithm, so
// they agree to rounding.
func TestMeMatchesMclust(t *testing.T) {
	for _, set := range []string{"faithful", "iris"} {
		ref := loadMclust(t, set)
		x := mcData(t, set)
		n, d := x.Dims()
		rows := rawRows(x)
		for _, withPrior := range []bool{false, true} {
			ss := ref.SingleStep
			if withPrior {
				ss = ref.Prior.SingleStep
			}
			for name, mod := range ss.Models {
				cov, ok := mcCovariance(name)
				skip, loose := mclustParity(cov)
				if !ok || skip || withPrior && !hasMAPStep(cov) {
					continue
				}
				t.Run(fmt.Sprintf("%s/%s/prior=%v", set, name, withPrior), func(t *testing.T) {
					cfg := &meConfig{fam: familyOf(cov), k: ss.G}
					if withPrior {
						cfg.prior = &Prior{}
					}
					part := ss.Partition
					if part == nil { // the prior's single_step starts from the same partition
						part = ref.SingleStep.Partition
					}
					z := unmap(part, ss.G)
					m, res, err := meFit(context.Background(), rows, n, d, z, cfg)
					if err != nil {
						t.Fatal(err)
					}
					want := mod.Me
					iters := want.Iterations
					if iters == 0 {
						iters = len(mod.LoglikTrace)
					}
					if res.iter != iters && loose == 0 {
						t.Errorf("iterations: got %d, want %d", res.iter, iters)
					}
					testutil.AssertClose(t, "loglik", res.logLik, want.Loglik, 0, max(1e-10, loose/100))
					assertParams(t, "me", m, &want.Parameters, max(1e-9, loose), max(1e-7, loose))
				})
			}
		}
	}
}

// TestMeBICTable refits every cell of mclustBIC(X, G = 1:9) and of
// mclustBIC(X, G = 1:9, prior = priorControl()) for the models latent has,
// as mclustBIC fits them (me from the hc partition at each G, the
// single-Gaussian fit at G = 1), and compares the BIC with mclust's; a
// cell mclust reports NA must fail.
func TestMeBICTable(t *testing.T) {
	for _, set := range []string{"faithful", "iris"} {
		ref := loadMclust(t, set)
		x := mcData(t, set)
		n, d := x.Dims()
		rows := rawRows(x)
		parts := ref.HC["VVV"]["SVD"].Partitions
		for _, withPrior := range []bool{false, true} {
			cells := ref.Cells
			if withPrior {
				cells = ref.Prior.Cells
			}
			worst := 0.0
			checked := 0
			for _, c := range cells {
				cov, ok := mcCovariance(c.Model)
				skip, loose := mclustParity(cov)
				if !ok || skip || withPrior && !hasMAPStep(cov) {
					continue
				}
				name := fmt.Sprintf("%s/%s,%d/prior=%v", set, c.Model, c.G, withPrior)
				labels := make([]int, n)
				for i := range labels {
					labels[i] = 1
				}
				if c.G > 1 {
					labels = parts[fmt.Sprint(c.G)]
				}
				cfg := &meConfig{fam: familyOf(cov), k: c.G}
				if withPrior {
					cfg.prior = &Prior{}
				}
				m, res, err := meFit(context.Background(), rows, n, d, unmap(labels, c.G), cfg)
				if c.BIC == nil {
					if err == nil {
						t.Errorf("%s: mclust's cell is NA (%v), ours fitted: loglik %g", name, *c.Warning, res.logLik)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v; mclust's BIC %g", name, err, *c.BIC)
					continue
				}
				bic := 2*res.logLik - float64(m.NumParams())*math.Log(float64(n))
				if m.NumParams() != c.DF {
					t.Errorf("%s: df: got %d, want %d", name, m.NumParams(), c.DF)
				}
				testutil.AssertClose(t, name+" BIC", bic, *c.BIC, 0, max(1e-9, loose/100))
				worst = math.Max(worst, math.Abs(bic-*c.BIC))
				checked++
			}
			t.Logf("%s prior=%v: %d cells, largest |ΔBIC| %.3g", set, withPrior, checked, worst)
		}
	}
}
