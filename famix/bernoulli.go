package famix

import (
	"encoding/json"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/modelfile"
)

// bernoulli is the multivariate Bernoulli family: d binary columns,
// independent given the component, p_kj = P(x_j = 1 | z = k).
//
//	log f_k(x) = Σ_j x_j log p_kj + (1 − x_j) log(1 − p_kj)
//	M-step:     p_kj = (S_kj + a) / (N_k + 2a),  S_kj = Σ_i w_i q_ik x_ij
//
// with a the smoothing pseudo-count (a Beta(a+1, a+1) prior's mode; 0 is
// maximum likelihood, flexmix's FLXMCmvbinary).
type bernoulli struct {
	k, d   int
	smooth float64
	p      []float64 // K×d
	// Derived from p by prepare: the E-step is lp += x·logitᵀ + c, one
	// product, unless some p is 0 or 1 (exact is then false).
	logit []float64 // K×d: log p − log(1 − p)
	c     []float64 // K: Σ_j log(1 − p_kj)
	exact bool
}

func newBernoulli(k, d int, smooth float64) *bernoulli {
	return &bernoulli{k: k, d: d, smooth: smooth, p: make([]float64, k*d), logit: make([]float64, k*d), c: make([]float64, k)}
}

func (f *bernoulli) Family() Family { return Bernoulli }
func (f *bernoulli) dim() int       { return f.d }
func (f *bernoulli) numParams() int { return f.k * f.d }
func (f *bernoulli) statLen() int   { return f.k * f.d }

func (f *bernoulli) check(x []float64) (int, string) {
	for j, v := range x {
		if v != 0 && v != 1 {
			return j, "a Bernoulli column takes 0 or 1, not " + fmtVal(v)
		}
	}
	return -1, ""
}

func (f *bernoulli) prepare() {
	f.exact = true
	for k := 0; k < f.k; k++ {
		var c float64
		for j := 0; j < f.d; j++ {
			p := f.p[k*f.d+j]
			if p <= 0 || p >= 1 {
				f.exact = false
			}
			f.logit[k*f.d+j] = math.Log(p) - math.Log1p(-p)
			c += math.Log1p(-p)
		}
		f.c[k] = c
	}
}

func (f *bernoulli) logDensity(lp, x *mat.Dense) {
	n, _ := x.Dims()
	if f.exact {
		gemm(false, true, 1, x, mat.NewDense(f.k, f.d, f.logit), 1, lp)
		for i := 0; i < n; i++ {
			row := lp.RawRowView(i)
			for k := range row {
				row[k] += f.c[k]
			}
		}
		return
	}
	for i := 0; i < n; i++ {
		xi, row := x.RawRowView(i), lp.RawRowView(i)
		for k := range row {
			p := f.p[k*f.d : (k+1)*f.d]
			var l float64
			for j, v := range xi {
				l += math.Log(v*p[j] + (1-v)*(1-p[j]))
			}
			row[k] += l
		}
	}
}

func (f *bernoulli) accumulate(st []float64, x, r *mat.Dense) { addRowsT(st, x, r) }

func (f *bernoulli) mstep(st, nk []float64) (float64, error) {
	var q float64
	for k := 0; k < f.k; k++ {
		for j := 0; j < f.d; j++ {
			s := st[k*f.d+j]
			p := (s + f.smooth) / (nk[k] + 2*f.smooth)
			p = math.Min(math.Max(p, 0), 1) // rounding of S_kj may pass N_k
			f.p[k*f.d+j] = p
			q += xlogy(s, p) + xlogy(nk[k]-s, 1-p)
		}
	}
	f.prepare()
	return q, nil
}

// xlogy is x log y with 0 log 0 = 0.
func xlogy(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(y)
}

func (f *bernoulli) sample(dst []float64, k int, rng *rand.Rand) {
	for j := range dst {
		dst[j] = 0
		if rng.Float64() < f.p[k*f.d+j] {
			dst[j] = 1
		}
	}
}

func (f *bernoulli) clone() family {
	c := newBernoulli(f.k, f.d, f.smooth)
	copy(c.p, f.p)
	c.prepare()
	return c
}

type bernoulliFile struct {
	Smoothing float64     `json:"smoothing"`
	P         [][]float64 `json:"p"` // [K][d]
}

func (f *bernoulli) encode() any {
	return bernoulliFile{Smoothing: f.smooth, P: rowsOf(f.p, f.k, f.d)}
}

func init() {
	decoders[Bernoulli] = func(raw json.RawMessage, k, d int, path string) (family, error) {
		var b bernoulliFile
		if err := modelfile.DecodeStrict(raw, &b, path); err != nil {
			return nil, err
		}
		if !(b.Smoothing >= 0) {
			return nil, fieldErr(path+".smoothing", "%v: want ≥ 0", b.Smoothing)
		}
		f := newBernoulli(k, d, b.Smoothing)
		if err := flatten(f.p, b.P, k, d, path+".p", func(v float64) bool { return v >= 0 && v <= 1 }, "a probability in [0, 1]"); err != nil {
			return nil, err
		}
		f.prepare()
		return f, nil
	}
}
