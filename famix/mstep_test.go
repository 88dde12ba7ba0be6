package famix

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMStepBruteForce checks each family's M-step against perturbations:
// no nearby parameter gives a larger expected complete-data log-likelihood.
func TestMStepBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, fam := range []Family{Bernoulli, Poisson} {
		m := &Model{family: fam, k: 2, d: 3, weight: make([]float64, 2), param: make([]float64, 6)}
		st := m.NewStats().(*stats)
		for i := 0; i < 20; i++ {
			q := rng.Float64()
			for k, qk := range []float64{q, 1 - q} {
				st.n[k] += qk
				for j := 0; j < 3; j++ {
					v := float64(rng.IntN(2))
					if fam == Poisson {
						v = float64(rng.IntN(6))
					}
					st.s[k*3+j] += qk * v
				}
			}
		}
		best, err := m.MStep(st)
		if err != nil {
			t.Fatal(err)
		}
		par := append([]float64(nil), m.param...)
		for trial := 0; trial < 200; trial++ {
			p := &Model{family: fam, k: 2, d: 3, weight: m.Weights(), param: append([]float64(nil), par...)}
			j := rng.IntN(6)
			p.param[j] *= 1 + 0.05*(rng.Float64()-0.5)
			if fam == Bernoulli {
				p.param[j] = math.Min(p.param[j], 1-1e-9)
			}
			var q float64
			for k := 0; k < 2; k++ {
				q += st.n[k] * math.Log(p.weight[k])
				for c := 0; c < 3; c++ {
					s, v := st.s[k*3+c], p.param[k*3+c]
					if fam == Bernoulli {
						q += s*math.Log(v) + (st.n[k]-s)*math.Log(1-v)
					} else {
						q += s*math.Log(v) - st.n[k]*v
					}
				}
			}
			if q > best+1e-12*math.Abs(best) {
				t.Fatalf("%s: perturbed Q %v > M-step's %v", fam, q, best)
			}
		}
	}
}
