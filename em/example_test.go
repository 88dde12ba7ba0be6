package em_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// mix1 is a mixture of 1-D Gaussians, the smallest model em.Run fits: its
// statistics per component are the weighted count n, mean m and scatter M2
// of the rows, which merge by Chan, Golub & LeVeque's update.
type mix1 struct{ w, mu, v []float64 }

type mix1Stats struct{ n, m, m2 []float64 }

// Merge folds the statistics of the rows after s's into s.
func (s *mix1Stats) Merge(next em.Stats) {
	b := next.(*mix1Stats)
	for k := range s.n {
		n := s.n[k] + b.n[k]
		if n == 0 {
			continue
		}
		d := b.m[k] - s.m[k]
		s.m[k] += d * b.n[k] / n
		s.m2[k] += b.m2[k] + d*d*s.n[k]*b.n[k]/n
		s.n[k] = n
	}
}

func (g *mix1) NewStats() em.Stats {
	k := len(g.w)
	return &mix1Stats{make([]float64, k), make([]float64, k), make([]float64, k)}
}

// The model is its own worker: its E-step keeps no scratch memory.
func (g *mix1) NewWorker() em.Worker { return g }

// EStep computes each row's responsibilities q_ik in log space and
// accumulates the rows weighted by w_i·q_ik by Welford's update.
func (g *mix1) EStep(dst em.Stats, first int, x *mat.Dense, w []float64) (em.Partial, error) {
	var p em.Partial
	lp := make([]float64, len(g.w))
	var s *mix1Stats
	if dst != nil { // nil in a log-likelihood-only pass
		s = dst.(*mix1Stats)
		for k := range s.n {
			s.n[k], s.m[k], s.m2[k] = 0, 0, 0
		}
	}
	r, _ := x.Dims()
	for i := range r {
		xi, wi := x.At(i, 0), 1.0
		if w != nil {
			wi = w[i]
		}
		top := math.Inf(-1)
		for k := range g.w {
			d := xi - g.mu[k]
			lp[k] = math.Log(g.w[k]) - 0.5*math.Log(2*math.Pi*g.v[k]) - 0.5*d*d/g.v[k]
			top = max(top, lp[k])
		}
		sum := 0.0
		for _, l := range lp {
			sum += math.Exp(l - top)
		}
		ll := top + math.Log(sum) // log p(x_i | θ)
		p.LogLik += wi * ll
		p.Weight += wi
		for k := range g.w {
			q := math.Exp(lp[k] - ll)
			if q == 0 {
				continue
			}
			p.Entropy -= wi * q * (lp[k] - ll)
			if s != nil {
				a := wi * q
				s.n[k] += a
				d := xi - s.m[k]
				s.m[k] += d * a / s.n[k]
				s.m2[k] += a * d * (xi - s.m[k])
			}
		}
	}
	return p, nil
}

// MStep sets the weights, means and variances from the merged statistics
// and returns Σ_i w_i E_q log p(x_i, z_i | θ) at the new parameters.
func (g *mix1) MStep(st em.Stats) (float64, error) {
	s := st.(*mix1Stats)
	tot := 0.0
	for _, n := range s.n {
		tot += n
	}
	q := 0.0
	for k := range s.n {
		if s.n[k] == 0 {
			return 0, errors.New("mix1: an empty component")
		}
		g.w[k], g.mu[k], g.v[k] = s.n[k]/tot, s.m[k], s.m2[k]/s.n[k]
		q += s.n[k]*(math.Log(g.w[k])-0.5*math.Log(2*math.Pi*g.v[k])) - 0.5*s.m2[k]/g.v[k]
	}
	return q, nil
}

// Fit a two-component 1-D mixture by EM with em.Run: the model supplies its
// E-step (as a Worker), mergeable statistics and M-step; Run iterates,
// restarts, stops on the tolerance and reports the ELBO and the KL gap of
// every iteration. Here the data are a matrix in memory (em.Matrix); any
// em.Source works the same way, for instance a CSV file read block by block
// once per iteration (table.OpenCSV).
func ExampleRun() {
	// 4000 draws from 0.3·N(−2, 1) + 0.7·N(3, 0.5²).
	rng := rand.New(rand.NewPCG(1, 1))
	x := mat.NewDense(4000, 1, nil)
	for i := range 4000 {
		if rng.Float64() < 0.3 {
			x.Set(i, 0, -2+rng.NormFloat64())
		} else {
			x.Set(i, 0, 3+0.5*rng.NormFloat64())
		}
	}
	// Two starts from random means; the best final log-likelihood wins.
	start := func(init int, rng *rand.Rand) (em.Model, error) {
		return &mix1{w: []float64{0.5, 0.5}, mu: []float64{-1 + rng.Float64(), 1 + rng.Float64()}, v: []float64{1, 1}}, nil
	}
	m, rep, err := em.Run(context.Background(), em.Matrix(x, nil), start, em.Options{NInit: 2, Seed: 7, Tol: 1e-6})
	if err != nil {
		log.Fatal(err)
	}
	g := m.(*mix1)
	fmt.Printf("%s after %d iterations (start %d of %d): log-likelihood %.4f per row\n",
		rep.Status, rep.Iterations, rep.Best+1, len(rep.Starts), rep.LogLikelihood)
	for k := range g.w {
		fmt.Printf("component %d: weight %.2f, mean %.2f, sd %.2f\n", k, g.w[k], g.mu[k], math.Sqrt(g.v[k]))
	}
	// The first iteration: log p(x|θ₀), the ELBO its M-step reached, and
	// the KL gap log p(x|θ₁) − ELBO that the next E-step closes.
	it := rep.Starts[rep.Best].Trace[0]
	fmt.Printf("iteration 1: %.4f → ELBO %.4f, KL gap %.4f → %.4f\n", it.LogLik, it.ELBO, it.KL, it.Next)
	// Output:
	// converged after 5 iterations (start 1 of 2): log-likelihood -1.5387 per row
	// component 0: weight 0.30, mean -1.97, sd 0.96
	// component 1: weight 0.70, mean 3.00, sd 0.51
	// iteration 1: -2.9096 → ELBO -1.6984, KL gap 0.1113 → -1.5871
}
