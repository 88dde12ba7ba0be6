package famix

import (
	"context"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/mixture"
)

// TestGaussianMatchesMixture: a table of numeric columns only is the
// Gaussian mixture of package mixture (full covariances): from the same
// starting parameters, 25 iterations give the same log-likelihood and
// parameters to 1e-10 relative. (Not the same bits: mixture accumulates
// its second moments with a pairwise shifted update and a different
// product order.)
func TestGaussianMatchesMixture(t *testing.T) {
	x, _ := simulate(500, []Family{Gaussian, Gaussian, Gaussian}, 3, 14)
	n, _ := x.Dims()
	eo := em.Options{MaxIter: em.NoIterations}
	start, _, err := FitFromPosterior(context.Background(), x, cyclic(n, 3), Options{Family: Gaussian, EM: eo})
	if err != nil {
		t.Fatal(err)
	}
	g := start.blocks[0].fam.(*studentT)
	p := mixture.Params{Weights: start.Weights(), Means: mat.NewDense(3, 3, append([]float64(nil), g.mu...))}
	for k := 0; k < 3; k++ {
		p.Covariances = append(p.Covariances, mat.NewSymDense(3, append([]float64(nil), g.cov[k*9:(k+1)*9]...)))
	}
	mm, mrep, err := mixture.Fit(context.Background(), x, mixture.Options{K: 3, Start: &p, MaxIter: 25, Tol: em.NoTol})
	if err != nil {
		t.Fatal(err)
	}
	// famix's first M-step is from the partition; mixture's first step is
	// an E-step from those parameters: 25 more iterations on both.
	fm, frep, err := FitFromPosterior(context.Background(), x, cyclic(n, 3), Options{Family: Gaussian, EM: em.Options{MaxIter: 25, Tol: em.NoTol}})
	if err != nil {
		t.Fatal(err)
	}
	testutil.AssertClose(t, "log-likelihood", frep.LogLikelihood, mrep.LogLikelihood, 0, 1e-10)
	fg := fm.blocks[0].fam.(*studentT)
	testutil.AssertCloseSlice(t, "weights", fm.Weights(), mm.Weights(nil), 1e-10, 0)
	testutil.AssertCloseSlice(t, "means", fg.mu, mm.Means(nil).RawMatrix().Data, 1e-9, 1e-10)
	for k := 0; k < 3; k++ {
		c := mm.Covariance(nil, k)
		var want []float64
		for a := 0; a < 3; a++ {
			for b := 0; b < 3; b++ {
				want = append(want, c.At(a, b))
			}
		}
		testutil.AssertCloseSlice(t, "covariance", fg.cov[k*9:(k+1)*9], want, 1e-9, 1e-10)
	}
}
