package biasvar

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// lstsq agrees with gonum's QR least squares, and its condition number (the
// exact 1-norm condition of R) agrees with gonum's Cond (a LAPACK estimate
// in the ∞-norm) within the factor p that separates the two norms.
func TestLstsqAgainstGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for trial := 0; trial < 50; trial++ {
		m, p := 3+rng.IntN(40), 1+rng.IntN(8)
		if p > m {
			p = m
		}
		a := mat.NewDense(m, p, nil)
		b := make([]float64, m)
		for i := 0; i < m; i++ {
			for j := 0; j < p; j++ {
				a.Set(i, j, rng.NormFloat64()*math.Pow(10, float64(j%3)))
			}
			b[i] = rng.NormFloat64()
		}
		var qr mat.QR
		qr.Factorize(a)
		var want mat.VecDense
		if err := qr.SolveVecTo(&want, false, mat.NewVecDense(m, append([]float64(nil), b...))); err != nil {
			t.Fatal(err)
		}
		flat := append([]float64(nil), a.RawMatrix().Data...)
		beta := make([]float64, p)
		cond := lstsq(flat, m, p, b, beta, make([]float64, p*p))
		testutil.AssertCloseSlice(t, "β", beta, want.RawVector().Data, 1e-12, 1e-9)
		if g := qr.Cond(); !(cond >= g/float64(p)*(1-1e-12) && cond <= g*float64(p)*(1+1e-12)) {
			t.Errorf("trial %d: cond %g, gonum's estimate %g", trial, cond, g)
		}
	}
	// A zero column is singular.
	if c := lstsq([]float64{1, 0, 2, 0, 3, 0}, 3, 2, []float64{1, 2, 3}, make([]float64, 2), make([]float64, 4)); !math.IsInf(c, 1) {
		t.Errorf("zero column: cond %v, want +Inf", c)
	}
}
