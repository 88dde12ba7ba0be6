package famix

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// simulate draws n rows from a K-component model of each column's family
// with well separated components.
func simulate(n int, fams []Family, k int, seed uint64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	d := len(fams)
	x := mat.NewDense(n, d, nil)
	z := make([]int, n)
	for i := 0; i < n; i++ {
		c := rng.IntN(k)
		z[i] = c
		for j, f := range fams {
			var v float64
			switch f {
			case Bernoulli:
				if rng.Float64() < 0.15+0.7*float64((c+j)%2) {
					v = 1
				}
			case Poisson:
				lam := 1 + 6*float64((c+j)%k)
				v = float64(poissonDraw(rng, lam))
			case Categorical:
				v = float64((c + j) % 3)
				if rng.Float64() < 0.25 {
					v = float64(rng.IntN(3))
				}
			case StudentT:
				v = 4*float64(c) + rng.NormFloat64()/math.Sqrt(chi2(rng, 4)/4)
			case Gaussian:
				v = 4*float64(c) + rng.NormFloat64()
			}
			x.Set(i, j, v)
		}
	}
	return x, z
}

func chi2(rng *rand.Rand, df int) float64 {
	var s float64
	for i := 0; i < df; i++ {
		z := rng.NormFloat64()
		s += z * z
	}
	return s
}

func poissonDraw(rng *rand.Rand, lam float64) int {
	l, k, p := math.Exp(-lam), 0, 1.0
	for {
		p *= rng.Float64()
		if p < l {
			return k
		}
		k++
	}
}

// TestELBOBookkeeping checks, for every family, that each EM iteration's
// trace satisfies log p(x|θ_{n−1}) ≤ ELBO(q_{n−1}, θ_n) ≤ log p(x|θ_n) up to
// round-off: the M-step's returned value carries every constant (the
// Poisson's −Σ log x!, the t's latent scale), and the log-likelihood never
// falls.
func TestELBOBookkeeping(t *testing.T) {
	cases := map[string][]Family{
		"bernoulli":   {Bernoulli, Bernoulli, Bernoulli, Bernoulli},
		"poisson":     {Poisson, Poisson, Poisson},
		"categorical": {Categorical, Categorical, Categorical},
		"student-t":   {StudentT, StudentT},
		"gaussian":    {Gaussian, Gaussian},
		"mixed":       {Gaussian, Gaussian, Categorical, Categorical, Poisson, Bernoulli},
	}
	for name, fams := range cases {
		t.Run(name, func(t *testing.T) {
			x, _ := simulate(400, fams, 3, 11)
			_, rep, err := Fit(context.Background(), x, nil, Options{K: 3, Columns: fams, Smoothing: 0, EM: em.Options{MaxIter: 30, Tol: em.NoTol, Seed: 3, Workers: 2, BlockRows: 64}})
			if err != nil {
				t.Fatal(err)
			}
			st := rep.Starts[rep.Best]
			for _, it := range st.Trace {
				tol := 1e-10 * math.Max(1, math.Abs(it.LogLik))
				if it.ELBO < it.LogLik-tol || it.ELBO > it.Next+tol {
					t.Fatalf("iteration %d: log L %v, ELBO %v, next log L %v: want LogLik ≤ ELBO ≤ Next", it.Iter, it.LogLik, it.ELBO, it.Next)
				}
			}
			if rep.Decreases != 0 {
				t.Fatalf("%d log-likelihood decreases", rep.Decreases)
			}
		})
	}
}
