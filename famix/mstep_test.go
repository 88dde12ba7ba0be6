package famix

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// directQ is Σ_i Σ_k r_ik log f_k(x_i) by the family's E-step density.
func directQ(f family, x, r *mat.Dense) float64 {
	n, k := r.Dims()
	lp := mat.NewDense(n, k, nil)
	f.logDensity(lp, x)
	var q float64
	for i := 0; i < n; i++ {
		for c := 0; c < k; c++ {
			q += r.At(i, c) * lp.At(i, c)
		}
	}
	return q
}

// paramsOf returns the slice of f's free parameters a perturbation moves.
func paramsOf(f family) []float64 {
	switch f := f.(type) {
	case *bernoulli:
		return f.p
	case *poisson:
		return f.lambda
	case *categorical:
		return f.p
	case *studentT:
		return f.mu
	}
	return nil
}

func reprepare(f family) {
	switch f := f.(type) {
	case *bernoulli:
		f.prepare()
	case *poisson:
		f.prepare()
	case *categorical:
		f.prepare()
	case *studentT:
		if err := f.prepare(); err != nil {
			panic(err)
		}
	}
}

// TestMStepBruteForce checks each family's M-step on small data: its
// return value is the expected complete-data log-likelihood Σ r log f_k
// computed by the E-step's density (every constant included), and no
// perturbed parameter gives a larger one.
func TestMStepBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, k, d = 30, 2, 3
	cases := []struct {
		name string
		f    func() family
		draw func() float64
	}{
		{"bernoulli", func() family { return newBernoulli(k, d, 0) }, func() float64 { return float64(rng.IntN(2)) }},
		{"poisson", func() family { return newPoisson(k, d) }, func() float64 { return float64(rng.IntN(6)) }},
		{"categorical", func() family {
			return newCategorical(k, [][]string{{"a", "b", "c"}, {"x", "y"}, {"p", "q", "r", "s"}}, 0)
		}, nil},
		{"gaussian", func() family { return newGaussian(k, d, 0) }, rng.NormFloat64},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := mat.NewDense(n, d, nil)
			for i := 0; i < n; i++ {
				for j := 0; j < d; j++ {
					if tc.draw != nil {
						x.Set(i, j, tc.draw())
					} else {
						x.Set(i, j, float64(rng.IntN([]int{3, 2, 4}[j])))
					}
				}
			}
			r := mat.NewDense(n, k, nil)
			nk := make([]float64, k)
			for i := 0; i < n; i++ {
				q := rng.Float64()
				r.Set(i, 0, q)
				r.Set(i, 1, 1-q)
				nk[0] += q
				nk[1] += 1 - q
			}
			f := tc.f()
			st := make([]float64, f.statLen())
			f.accumulate(st, x, r)
			best, err := f.mstep(st, nk)
			if err != nil {
				t.Fatal(err)
			}
			if q := directQ(f, x, r); math.Abs(q-best) > 1e-10*math.Abs(best) {
				t.Fatalf("M-step's Q: got %v, want Σ r log f = %v", best, q)
			}
			par := append([]float64(nil), paramsOf(f)...)
			for trial := 0; trial < 200; trial++ {
				g := f.clone()
				p := paramsOf(g)
				copy(p, par)
				j := rng.IntN(len(p))
				p[j] *= 1 + 0.05*(rng.Float64()-0.5)
				if tc.name == "bernoulli" {
					p[j] = math.Min(p[j], 1-1e-9)
				}
				if tc.name == "categorical" { // move mass between two labels of one column
					c := g.(*categorical)
					kk, col := rng.IntN(k), rng.IntN(d)
					copy(p, par)
					base := kk*c.t + c.off[col]
					a, b := rng.IntN(len(c.levels[col])), rng.IntN(len(c.levels[col]))
					e := 0.02 * math.Min(p[base+a], 1-p[base+b])
					p[base+a] -= e
					p[base+b] += e
				}
				reprepare(g)
				if q := directQ(g, x, r); q > best+1e-12*math.Abs(best) {
					t.Fatalf("perturbed Q %v > M-step's %v", q, best)
				}
			}
		})
	}
}

// TestStudentTCMStepBruteForce: the t family's CM-steps maximise its
// ELBO term (studentT.q) given the E-step's statistics: no perturbation of
// a mean, a covariance entry (kept symmetric) or ν gives more (Peel &
// McLachlan's ECM: each CM-step is a conditional maximum, so jointly
// perturbing is also no better near the optimum).
func TestStudentTCMStepBruteForce(t *testing.T) {
	tab := &Table{}
	x, _ := simulate(200, []Family{StudentT, StudentT}, 2, 31)
	tab.X = x
	f := newStudentT(2, 2, 0, 0)
	r := cyclic(200, 2)
	nk := []float64{100, 100}
	st := make([]float64, f.statLen())
	f.accumulate(st, x, r)
	if _, err := f.mstep(st, nk); err != nil { // the Gaussian start
		t.Fatal(err)
	}
	clear(st)
	f.accumulate(st, x, r) // u from the current t
	shift := append([]float64(nil), f.mu...)
	best, err := f.mstep(st, nk)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := 0; trial < 300; trial++ {
		g := f.clone().(*studentT)
		switch rng.IntN(3) {
		case 0:
			g.mu[rng.IntN(4)] += 0.02 * (rng.Float64() - 0.5)
		case 1:
			k, a, b := rng.IntN(2), rng.IntN(2), rng.IntN(2)
			e := 0.01 * (rng.Float64() - 0.5)
			g.cov[k*4+a*2+b] += e
			if a != b {
				g.cov[k*4+b*2+a] += e
			}
		case 2:
			g.nu[rng.IntN(2)] *= 1 + 0.05*(rng.Float64()-0.5)
		}
		if err := g.prepare(); err != nil {
			continue
		}
		q, err := g.q(st, shift)
		if err != nil {
			t.Fatal(err)
		}
		if q > best+1e-12*math.Abs(best) {
			t.Fatalf("trial %d: perturbed ELBO term %v > the CM-steps' %v", trial, q, best)
		}
	}
}
