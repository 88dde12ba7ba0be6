package famix

import (
	"encoding/json"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/latentgo/latent/internal/modelfile"
)

// poisson is the Poisson family per column: d counts, independent given the
// component, with rates λ_kj.
//
//	log f_k(x) = Σ_j x_j log λ_kj − λ_kj − log Γ(x_j + 1)
//	M-step:     λ_kj = S_kj / N_k,  S_kj = Σ_i w_i q_ik x_ij
//
// (flexmix's FLXMCmvpois). The statistics carry G_k = Σ_i w_i q_ik
// Σ_j log Γ(x_ij + 1), so that the expected complete-data log-likelihood,
// and with it em's ELBO, includes the constant −Σ log x!.
type poisson struct {
	k, d   int
	lambda []float64 // K×d
	// Derived by prepare: lp += x·(log λ)ᵀ + c − Σ_j log Γ(x_j + 1),
	// c_k = −Σ_j λ_kj; exact is false when some λ is 0.
	logl  []float64
	c     []float64
	exact bool
}

func newPoisson(k, d int) *poisson {
	return &poisson{k: k, d: d, lambda: make([]float64, k*d), logl: make([]float64, k*d), c: make([]float64, k)}
}

func (f *poisson) Family() Family { return Poisson }
func (f *poisson) dim() int       { return f.d }
func (f *poisson) numParams() int { return f.k * f.d }
func (f *poisson) statLen() int   { return f.k*f.d + f.k }

func (f *poisson) check(x []float64) (int, string) {
	for j, v := range x {
		if !(v >= 0 && v == math.Trunc(v) && !math.IsInf(v, 0)) {
			return j, "a Poisson column takes counts (0, 1, 2, …), not " + fmtVal(v)
		}
	}
	return -1, ""
}

func (f *poisson) prepare() {
	f.exact = true
	for k := 0; k < f.k; k++ {
		var c float64
		for j := 0; j < f.d; j++ {
			l := f.lambda[k*f.d+j]
			if l <= 0 {
				f.exact = false
			}
			f.logl[k*f.d+j] = math.Log(l)
			c -= l
		}
		f.c[k] = c
	}
}

// logFact returns Σ_j log Γ(x_j + 1).
func logFact(x []float64) float64 {
	var g float64
	for _, v := range x {
		if v > 1 {
			lg, _ := math.Lgamma(v + 1)
			g += lg
		}
	}
	return g
}

func (f *poisson) logDensity(lp, x *mat.Dense) {
	n, _ := x.Dims()
	if f.exact {
		gemm(false, true, 1, x, mat.NewDense(f.k, f.d, f.logl), 1, lp)
	}
	for i := 0; i < n; i++ {
		xi, row := x.RawRowView(i), lp.RawRowView(i)
		g := logFact(xi)
		for k := range row {
			if !f.exact {
				var l float64
				for j, v := range xi {
					l += xlogy(v, f.lambda[k*f.d+j])
				}
				row[k] += l
			}
			row[k] += f.c[k] - g
		}
	}
}

func (f *poisson) accumulate(st []float64, x, r *mat.Dense) {
	addRowsT(st[:f.k*f.d], x, r)
	n, _ := x.Dims()
	g := st[f.k*f.d:]
	for i := 0; i < n; i++ {
		lf := logFact(x.RawRowView(i))
		for k, v := range r.RawRowView(i) {
			g[k] += v * lf
		}
	}
}

func (f *poisson) mstep(st, nk []float64) (float64, error) {
	var q float64
	for k := 0; k < f.k; k++ {
		for j := 0; j < f.d; j++ {
			s := st[k*f.d+j]
			l := s / nk[k]
			f.lambda[k*f.d+j] = l
			q += xlogy(s, l) - nk[k]*l
		}
		q -= st[f.k*f.d+k]
	}
	f.prepare()
	return q, nil
}

func (f *poisson) sample(dst []float64, k int, rng *rand.Rand) {
	for j := range dst {
		l := f.lambda[k*f.d+j]
		if l == 0 {
			dst[j] = 0
			continue
		}
		dst[j] = distuv.Poisson{Lambda: l, Src: rng}.Rand()
	}
}

func (f *poisson) clone() family {
	c := newPoisson(f.k, f.d)
	copy(c.lambda, f.lambda)
	c.prepare()
	return c
}

type poissonFile struct {
	Lambda [][]float64 `json:"lambda"` // [K][d]
}

func (f *poisson) encode() any { return poissonFile{Lambda: rowsOf(f.lambda, f.k, f.d)} }

func init() {
	decoders[Poisson] = func(raw json.RawMessage, k, d int, path string) (family, error) {
		var b poissonFile
		if err := modelfile.DecodeStrict(raw, &b, path); err != nil {
			return nil, err
		}
		f := newPoisson(k, d)
		if err := flatten(f.lambda, b.Lambda, k, d, path+".lambda", func(v float64) bool { return v >= 0 }, "a rate ≥ 0"); err != nil {
			return nil, err
		}
		f.prepare()
		return f, nil
	}
}
