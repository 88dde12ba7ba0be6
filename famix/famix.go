package famix

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/latentgo/latent/em"
	"gonum.org/v1/gonum/mat"
)

// Family names a component family.
type Family string

// The families.
const (
	Bernoulli Family = "bernoulli"
	Poisson   Family = "poisson"
)

// ErrData is returned (wrapped, with the row and column) for a value the
// family cannot take: not 0/1 for Bernoulli, not a non-negative integer for
// Poisson.
var ErrData = errors.New("famix: value outside the family's support")

// Options control Fit.
type Options struct {
	Family Family
	// Smoothing is the Bernoulli pseudo-count a = b added to each S_kj and
	// (N_k − S_kj); 0 is maximum likelihood (flexmix's), 1 is Laplace.
	Smoothing float64
	// EM holds the driver's options (iterations, tolerance, workers).
	EM em.Options
}

// Model is a fitted mixture.
type Model struct {
	family Family
	smooth float64
	k, d   int
	weight []float64 // π_k
	param  []float64 // K×d: p_kj or λ_kj
}

// K returns the number of components; Dim the number of columns.
func (m *Model) K() int   { return m.k }
func (m *Model) Dim() int { return m.d }

// Weights returns a copy of the mixing proportions.
func (m *Model) Weights() []float64 { return append([]float64(nil), m.weight...) }

// Params returns a copy of component k's parameters (p_k or λ_k).
func (m *Model) Params(k int) []float64 {
	return append([]float64(nil), m.param[k*m.d:(k+1)*m.d]...)
}

// NumParams is the number of free parameters, K − 1 + K d, for BIC.
func (m *Model) NumParams() int { return m.k - 1 + m.k*m.d }

// BIC returns −2 log L + p log n for a total log-likelihood ll over n rows.
func (m *Model) BIC(ll float64, n int) float64 {
	return -2*ll + float64(m.NumParams())*math.Log(float64(n))
}

type stats struct {
	n []float64 // K
	s []float64 // K×d
}

func (s *stats) Merge(next em.Stats) {
	o := next.(*stats)
	for i := range s.n {
		s.n[i] += o.n[i]
	}
	for i := range s.s {
		s.s[i] += o.s[i]
	}
}

func (m *Model) NewStats() em.Stats {
	return &stats{n: make([]float64, m.k), s: make([]float64, m.k*m.d)}
}

type worker struct {
	m  *Model
	lp []float64
}

func (m *Model) NewWorker() em.Worker { return &worker{m: m, lp: make([]float64, m.k)} }

// logDensity returns log f_k(x) for one row.
func (m *Model) logDensity(k int, x []float64) float64 {
	p := m.param[k*m.d : (k+1)*m.d]
	var l float64
	switch m.family {
	case Bernoulli:
		for j, v := range x {
			l += math.Log(v*p[j] + (1-v)*(1-p[j]))
		}
	case Poisson:
		for j, v := range x {
			lg, _ := math.Lgamma(v + 1)
			if v == 0 {
				l += -p[j]
			} else {
				l += v*math.Log(p[j]) - p[j] - lg
			}
		}
	}
	return l
}

func (m *Model) check(first int, x []float64) error {
	for j, v := range x {
		ok := true
		switch m.family {
		case Bernoulli:
			ok = v == 0 || v == 1
		case Poisson:
			ok = v >= 0 && v == math.Trunc(v) && !math.IsInf(v, 0)
		}
		if !ok {
			return &em.RowError{Row: first, Err: fmt.Errorf("column %d: %v: %w", j+1, v, ErrData)}
		}
	}
	return nil
}

func (w *worker) EStep(dst em.Stats, first int, x *mat.Dense, wt []float64) (em.Partial, error) {
	m := w.m
	var st *stats
	if dst != nil {
		st = dst.(*stats)
		clear(st.n)
		clear(st.s)
	}
	var part em.Partial
	r, _ := x.Dims()
	for i := 0; i < r; i++ {
		row := x.RawRowView(i)
		if err := m.check(first+i, row); err != nil {
			return part, err
		}
		wi := 1.0
		if wt != nil {
			wi = wt[i]
		}
		mx := math.Inf(-1)
		for k := 0; k < m.k; k++ {
			w.lp[k] = math.Log(m.weight[k]) + m.logDensity(k, row)
			mx = math.Max(mx, w.lp[k])
		}
		var s float64
		for k := range w.lp {
			s += math.Exp(w.lp[k] - mx)
		}
		lse := mx + math.Log(s)
		part.LogLik += wi * lse
		part.Weight += wi
		if st == nil {
			continue
		}
		var h float64
		for k := 0; k < m.k; k++ {
			q := math.Exp(w.lp[k] - lse)
			if q > 0 {
				h -= q * (w.lp[k] - lse)
			}
			st.n[k] += wi * q
			sk := st.s[k*m.d : (k+1)*m.d]
			for j, v := range row {
				sk[j] += wi * q * v
			}
		}
		part.Entropy += wi * h
	}
	return part, nil
}

// MStep sets π and the parameters from merged statistics and returns the
// maximised expected complete-data log-likelihood (the constant −Σ log x!
// of the Poisson excluded; it cancels from the KL bookkeeping only
// approximately, so em's ELBO for Poisson omits it).
func (m *Model) MStep(s em.Stats) (float64, error) {
	st := s.(*stats)
	var tot float64
	for _, v := range st.n {
		tot += v
	}
	var q float64
	for k := 0; k < m.k; k++ {
		nk := st.n[k]
		if nk <= 0 && m.smooth == 0 {
			return 0, fmt.Errorf("famix: component %d has no weight; use fewer components or Smoothing", k+1)
		}
		m.weight[k] = nk / tot
		if nk > 0 {
			q += nk * math.Log(m.weight[k])
		}
		for j := 0; j < m.d; j++ {
			sv := st.s[k*m.d+j]
			switch m.family {
			case Bernoulli:
				p := (sv + m.smooth) / (nk + 2*m.smooth)
				m.param[k*m.d+j] = p
				if sv > 0 {
					q += sv * math.Log(p)
				}
				if nk-sv > 0 {
					q += (nk - sv) * math.Log(1-p)
				}
			case Poisson:
				l := sv / nk
				m.param[k*m.d+j] = l
				if sv > 0 {
					q += sv * math.Log(l)
				}
				q -= nk * l
			}
		}
	}
	return q, nil
}

// FitFromPosterior fits a K-component mixture (K = columns of post) to the
// rows of x by EM, starting with the M-step from the initial posterior
// post (n×K; rows summing to 1), as flexmix does with a given cluster
// partition. opts.EM.MaxIter counts the EM iterations after that first
// M-step.
func FitFromPosterior(ctx context.Context, x *mat.Dense, post *mat.Dense, opts Options) (*Model, *em.Report, error) {
	if opts.Family != Bernoulli && opts.Family != Poisson {
		return nil, nil, fmt.Errorf("famix: Options.Family %q: want %q or %q", opts.Family, Bernoulli, Poisson)
	}
	if opts.Smoothing < 0 || math.IsNaN(opts.Smoothing) {
		return nil, nil, fmt.Errorf("famix: Options.Smoothing %v: want ≥ 0", opts.Smoothing)
	}
	n, d := x.Dims()
	pn, k := post.Dims()
	if pn != n || k < 1 {
		return nil, nil, fmt.Errorf("famix: initial posterior is %d×%d for %d rows", pn, k, n)
	}
	m := &Model{family: opts.Family, smooth: opts.Smoothing, k: k, d: d, weight: make([]float64, k), param: make([]float64, k*d)}
	st := m.NewStats().(*stats)
	for i := 0; i < n; i++ {
		row := x.RawRowView(i)
		if err := m.check(i, row); err != nil {
			return nil, nil, err
		}
		for c := 0; c < k; c++ {
			q := post.At(i, c)
			st.n[c] += q
			for j, v := range row {
				st.s[c*d+j] += q * v
			}
		}
	}
	if _, err := m.MStep(st); err != nil {
		return nil, nil, err
	}
	start := func(int, *rand.Rand) (em.Model, error) { return m, nil }
	best, rep, err := em.Run(ctx, em.Matrix(x, nil), start, opts.EM)
	if err != nil {
		return nil, rep, err
	}
	return best.(*Model), rep, nil
}
