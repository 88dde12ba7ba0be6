package famix

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/modelfile"
)

// categorical is the categorical family per column (latent class analysis):
// column j takes one of L_j labels, held in the data as the label's 0-based
// index, and the columns are independent given the component, with
// probabilities p_kjl = P(x_j = l | z = k).
//
//	log f_k(x) = Σ_j log p_{k j x_j}
//	M-step:     p_kjl = (C_kjl + a) / (N_k + L_j a),  C_kjl = Σ_i w_i q_ik [x_ij = l]
//
// with a the Dirichlet smoothing pseudo-count (0: maximum likelihood, as
// poLCA's and flexmix's). Free parameters: K Σ_j (L_j − 1).
type categorical struct {
	k      int
	levels [][]string
	off    []int // offset of column j's labels in a component's row
	t      int   // Σ_j L_j
	smooth float64
	p      []float64 // K×t
	logp   []float64
}

func newCategorical(k int, levels [][]string, smooth float64) *categorical {
	f := &categorical{k: k, levels: levels, smooth: smooth, off: make([]int, len(levels))}
	for j, l := range levels {
		f.off[j] = f.t
		f.t += len(l)
	}
	f.p = make([]float64, k*f.t)
	f.logp = make([]float64, k*f.t)
	return f
}

func (f *categorical) Family() Family { return Categorical }
func (f *categorical) dim() int       { return len(f.levels) }
func (f *categorical) statLen() int   { return f.k * f.t }
func (f *categorical) numParams() int { return f.k * (f.t - len(f.levels)) }

func (f *categorical) check(x []float64) (int, string) {
	for j, v := range x {
		if !(v >= 0 && v < float64(len(f.levels[j])) && v == math.Trunc(v)) {
			return j, fmt.Sprintf("category index %s outside 0…%d", fmtVal(v), len(f.levels[j])-1)
		}
	}
	return -1, ""
}

func (f *categorical) prepare() {
	for i, p := range f.p {
		f.logp[i] = math.Log(p)
	}
}

func (f *categorical) logDensity(lp, x *mat.Dense) {
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		xi, row := x.RawRowView(i), lp.RawRowView(i)
		for k := range row {
			lk := f.logp[k*f.t:]
			var l float64
			for j, v := range xi {
				l += lk[f.off[j]+int(v)]
			}
			row[k] += l
		}
	}
}

func (f *categorical) accumulate(st []float64, x, r *mat.Dense) {
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		xi := x.RawRowView(i)
		for k, q := range r.RawRowView(i) {
			sk := st[k*f.t:]
			for j, v := range xi {
				sk[f.off[j]+int(v)] += q
			}
		}
	}
}

func (f *categorical) mstep(st, nk []float64) (float64, error) {
	var q float64
	for k := 0; k < f.k; k++ {
		for j, lv := range f.levels {
			den := nk[k] + float64(len(lv))*f.smooth
			for l := range lv {
				i := k*f.t + f.off[j] + l
				p := (st[i] + f.smooth) / den
				f.p[i] = p
				q += xlogy(st[i], p)
			}
		}
	}
	f.prepare()
	return q, nil
}

func (f *categorical) sample(dst []float64, k int, rng *rand.Rand) {
	for j, lv := range f.levels {
		u := rng.Float64()
		l := 0
		for c := 0.0; l < len(lv)-1; l++ {
			c += f.p[k*f.t+f.off[j]+l]
			if u < c {
				break
			}
		}
		dst[j] = float64(l)
	}
}

func (f *categorical) clone() family {
	c := newCategorical(f.k, f.levels, f.smooth)
	copy(c.p, f.p)
	c.prepare()
	return c
}

// Profile returns P(x_j = l | z = k) for column j (0-based within the
// model's categorical columns) as [K][L_j].
func (f *categorical) profile(j int) [][]float64 {
	out := make([][]float64, f.k)
	for k := range out {
		s := f.k*0 + k*f.t + f.off[j]
		out[k] = append([]float64(nil), f.p[s:s+len(f.levels[j])]...)
	}
	return out
}

type categoricalFile struct {
	Smoothing float64       `json:"smoothing"`
	Levels    [][]string    `json:"levels"` // [d][L_j]
	P         [][][]float64 `json:"p"`      // [K][d][L_j]
}

func (f *categorical) encode() any {
	b := categoricalFile{Smoothing: f.smooth, Levels: f.levels, P: make([][][]float64, f.k)}
	for k := range b.P {
		for j := range f.levels {
			b.P[k] = append(b.P[k], f.profile(j)[k])
		}
	}
	return b
}

func init() {
	decoders[Categorical] = func(raw json.RawMessage, k, d int, path string) (family, error) {
		var b categoricalFile
		if err := modelfile.DecodeStrict(raw, &b, path); err != nil {
			return nil, err
		}
		if !(b.Smoothing >= 0) {
			return nil, fieldErr(path+".smoothing", "%v: want ≥ 0", b.Smoothing)
		}
		if len(b.Levels) != d {
			return nil, fieldErr(path+".levels", "%d columns, want %d", len(b.Levels), d)
		}
		for j, lv := range b.Levels {
			if len(lv) < 1 {
				return nil, fieldErr(fmt.Sprintf("%s.levels[%d]", path, j), "no labels")
			}
			seen := map[string]bool{}
			for l, s := range lv {
				if seen[s] {
					return nil, fieldErr(fmt.Sprintf("%s.levels[%d][%d]", path, j, l), "label %q twice", s)
				}
				seen[s] = true
			}
		}
		f := newCategorical(k, b.Levels, b.Smoothing)
		if len(b.P) != k {
			return nil, fieldErr(path+".p", "%d components, want %d", len(b.P), k)
		}
		for c, pk := range b.P {
			if len(pk) != d {
				return nil, fieldErr(fmt.Sprintf("%s.p[%d]", path, c), "%d columns, want %d", len(pk), d)
			}
			for j, pj := range pk {
				at := fmt.Sprintf("%s.p[%d][%d]", path, c, j)
				if len(pj) != len(b.Levels[j]) {
					return nil, fieldErr(at, "%d probabilities for %d labels", len(pj), len(b.Levels[j]))
				}
				var s float64
				for l, v := range pj {
					if !(v >= 0 && v <= 1) {
						return nil, fieldErr(fmt.Sprintf("%s[%d]", at, l), "%v: want a probability in [0, 1]", v)
					}
					s += v
					f.p[c*f.t+f.off[j]+l] = v
				}
				if math.Abs(s-1) > 1e-9 {
					return nil, fieldErr(at, "probabilities sum to %v, want 1", s)
				}
			}
		}
		f.prepare()
		return f, nil
	}
}
