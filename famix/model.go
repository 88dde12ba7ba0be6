package famix

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// ErrData is returned (wrapped, with the row and column) for a value the
// family cannot take: not 0/1 for Bernoulli, not a non-negative integer for
// Poisson, not a known level for a categorical column.
var ErrData = errors.New("famix: value outside the family's support")

// DataError is an E-step's error about one value: Row and Col are 0-based
// (Col in the model's columns); the message counts from 1.
type DataError struct {
	Row, Col int
	Family   Family
	Value    float64
	Detail   string
}

func (e *DataError) Error() string {
	return fmt.Sprintf("famix: row %d, column %d (%s): %s", e.Row+1, e.Col+1, e.Family, e.Detail)
}

func (e *DataError) Unwrap() error { return ErrData }

// block is one family over some of the model's columns.
type block struct {
	cols []int // 0-based, increasing
	fam  family
}

// Model is a fitted mixture whose components are products of families over
// blocks of columns (one block for a single-family mixture), conditionally
// independent given the component. It is safe for concurrent use; its
// methods never change it.
type Model struct {
	k, d    int
	weight  []float64 // π_k
	blocks  []block
	columns []string   // the columns' names (nil: x1, x2, …)
	levels  [][]string // per column, a categorical column's labels (nil for others)
	// checked is set while Fit runs EM on data startFrom has checked, so
	// that the E-steps skip the support check (17% of a Bernoulli
	// iteration on MNIST); the model returned has it unset.
	checked bool
}

// K returns the number of components; Dim the number of columns.
func (m *Model) K() int   { return m.k }
func (m *Model) Dim() int { return m.d }

// Weights returns a copy of the mixing proportions.
func (m *Model) Weights() []float64 { return append([]float64(nil), m.weight...) }

// Columns returns the columns' names and families, in order.
func (m *Model) Columns() []Column {
	out := make([]Column, m.d)
	for _, b := range m.blocks {
		for _, c := range b.cols {
			out[c] = Column{Name: m.colName(c), Family: b.fam.Family()}
		}
	}
	return out
}

func (m *Model) colName(c int) string {
	if m.columns == nil {
		return fmt.Sprintf("x%d", c+1)
	}
	return m.columns[c]
}

// Params returns a copy of component k's parameters of a single-family
// Bernoulli or Poisson mixture (p_k or λ_k), nil for other models.
func (m *Model) Params(k int) []float64 {
	if len(m.blocks) != 1 {
		return nil
	}
	switch f := m.blocks[0].fam.(type) {
	case *bernoulli:
		return append([]float64(nil), f.p[k*f.d:(k+1)*f.d]...)
	case *poisson:
		return append([]float64(nil), f.lambda[k*f.d:(k+1)*f.d]...)
	}
	return nil
}

// NumParams is the number of free parameters for BIC: K − 1 weights plus
// each family's.
func (m *Model) NumParams() int {
	p := m.k - 1
	for _, b := range m.blocks {
		p += b.fam.numParams()
	}
	return p
}

// BIC returns −2 log L + p log n for a total log-likelihood ll over n rows
// (lower is better, scikit-learn's sign).
func (m *Model) BIC(ll float64, n float64) float64 {
	return -2*ll + float64(m.NumParams())*math.Log(n)
}

func (m *Model) clone() *Model {
	c := *m
	c.weight = append([]float64(nil), m.weight...)
	c.blocks = make([]block, len(m.blocks))
	for i, b := range m.blocks {
		c.blocks[i] = block{cols: b.cols, fam: b.fam.clone()}
	}
	return &c
}

// stats are the merged sufficient statistics: N_k and each block's.
type stats struct {
	n  []float64
	bs [][]float64
}

func (s *stats) Merge(next em.Stats) {
	o := next.(*stats)
	for i := range s.n {
		s.n[i] += o.n[i]
	}
	for b := range s.bs {
		for i := range s.bs[b] {
			s.bs[b][i] += o.bs[b][i]
		}
	}
}

// NewStats implements em.Model.
func (m *Model) NewStats() em.Stats {
	s := &stats{n: make([]float64, m.k), bs: make([][]float64, len(m.blocks))}
	for i, b := range m.blocks {
		s.bs[i] = make([]float64, b.fam.statLen())
	}
	return s
}

// NewWorker implements em.Model.
func (m *Model) NewWorker() em.Worker { return &worker{m: m} }

type worker struct {
	m       *Model
	lp, r   []float64
	sub     [][]float64
	entropy []float64
}

// whole reports whether block b is every column in order.
func (m *Model) whole(b block) bool { return len(b.cols) == m.d }

// view returns x's columns of block b (x itself when b is every column),
// using buf.
func (m *Model) view(b block, x *mat.Dense, buf *[]float64) *mat.Dense {
	if m.whole(b) {
		return x
	}
	n, _ := x.Dims()
	if n == 0 {
		return &mat.Dense{}
	}
	if cap(*buf) < n*len(b.cols) {
		*buf = make([]float64, n*len(b.cols))
	}
	s := (*buf)[:n*len(b.cols)]
	for i := 0; i < n; i++ {
		row := x.RawRowView(i)
		for j, c := range b.cols {
			s[i*len(b.cols)+j] = row[c]
		}
	}
	return mat.NewDense(n, len(b.cols), s)
}

// check returns the first value of the rows of x (the first is row first
// of the pass) outside its family's support.
func (m *Model) check(first int, x *mat.Dense, subs []*mat.Dense) error {
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		for bi, b := range m.blocks {
			if c, what := b.fam.check(subs[bi].RawRowView(i)); c >= 0 {
				col := b.cols[c]
				return &em.RowError{Row: first + i, Err: &DataError{Row: first + i, Col: col, Family: b.fam.Family(), Value: x.At(i, col), Detail: what}}
			}
		}
	}
	return nil
}

// logJoint fills lp (n×K) with log π_k + log f_k(x_i) and returns the
// block views of x.
func (w *worker) logJoint(first int, x *mat.Dense) (*mat.Dense, []*mat.Dense, error) {
	m := w.m
	n, _ := x.Dims()
	if len(w.sub) < len(m.blocks) {
		w.sub = make([][]float64, len(m.blocks))
	}
	subs := make([]*mat.Dense, len(m.blocks))
	for i, b := range m.blocks {
		subs[i] = m.view(b, x, &w.sub[i])
	}
	if !m.checked {
		if err := m.check(first, x, subs); err != nil {
			return nil, nil, err
		}
	}
	if cap(w.lp) < n*m.k {
		w.lp = make([]float64, n*m.k)
	}
	lp := mat.NewDense(n, m.k, w.lp[:n*m.k])
	for i := 0; i < n; i++ {
		row := lp.RawRowView(i)
		for k := range row {
			row[k] = math.Log(m.weight[k])
		}
	}
	for i, b := range m.blocks {
		b.fam.logDensity(lp, subs[i])
	}
	return lp, subs, nil
}

// EStep implements em.Worker.
func (w *worker) EStep(dst em.Stats, first int, x *mat.Dense, wt []float64) (em.Partial, error) {
	m := w.m
	var part em.Partial
	n, _ := x.Dims()
	if n == 0 {
		if dst != nil {
			clearStats(dst.(*stats))
		}
		return part, nil
	}
	lp, subs, err := w.logJoint(first, x)
	if err != nil {
		return part, err
	}
	if cap(w.r) < n*m.k {
		w.r = make([]float64, n*m.k)
	}
	r := mat.NewDense(n, m.k, w.r[:n*m.k])
	for i := 0; i < n; i++ {
		wi := 1.0
		if wt != nil {
			wi = wt[i]
		}
		row := lp.RawRowView(i)
		lse := logSumExp(row)
		part.LogLik += wi * lse
		part.Weight += wi
		rr := r.RawRowView(i)
		var h float64
		for k, v := range row {
			q := math.Exp(v - lse)
			if q > 0 {
				h -= q * (v - lse)
			}
			rr[k] = wi * q
		}
		part.Entropy += wi * h
	}
	if dst == nil {
		return part, nil
	}
	st := dst.(*stats)
	clearStats(st)
	for i := 0; i < n; i++ {
		for k, v := range r.RawRowView(i) {
			st.n[k] += v
		}
	}
	for i, b := range m.blocks {
		b.fam.accumulate(st.bs[i], subs[i], r)
	}
	return part, nil
}

func clearStats(st *stats) {
	clear(st.n)
	for _, b := range st.bs {
		clear(b)
	}
}

func logSumExp(v []float64) float64 {
	mx := math.Inf(-1)
	for _, x := range v {
		mx = math.Max(mx, x)
	}
	if math.IsInf(mx, -1) {
		return mx
	}
	var s float64
	for _, x := range v {
		s += math.Exp(x - mx)
	}
	return mx + math.Log(s)
}

// ComponentError is an M-step's error about one component.
type ComponentError struct {
	Component int // 0-based; the message counts from 1
	Err       error
}

func (e *ComponentError) Error() string {
	return fmt.Sprintf("famix: component %d: %v", e.Component+1, e.Err)
}
func (e *ComponentError) Unwrap() error { return e.Err }

// ErrEmptyComponent is wrapped when a component's weight falls to zero.
var ErrEmptyComponent = errors.New("no weight left (use fewer components, a smoothing prior, or more starts)")

// MStep implements em.Model: it sets π_k = N_k / Σ w and every family's
// parameters from the merged statistics, and returns the maximised
// expected complete-data log-likelihood Σ_i w_i E_q log p(x_i, z_i | θ),
// every constant included.
func (m *Model) MStep(s em.Stats) (float64, error) {
	st := s.(*stats)
	var tot float64
	for _, v := range st.n {
		tot += v
	}
	var q float64
	for k, nk := range st.n {
		if !(nk > 0) {
			return 0, &ComponentError{Component: k, Err: ErrEmptyComponent}
		}
		m.weight[k] = nk / tot
		q += nk * math.Log(m.weight[k])
	}
	for i, b := range m.blocks {
		v, err := b.fam.mstep(st.bs[i], st.n)
		if err != nil {
			return 0, err
		}
		q += v
	}
	return q, nil
}

// Sample fills every row of dst with draws from the mixture and, when
// labels is not nil (its length the rows of dst), the components drawn.
// It panics when dst has the wrong number of columns.
func (m *Model) Sample(dst *mat.Dense, labels []int, rng *rand.Rand) {
	n, d := dst.Dims()
	if d != m.d {
		panic(fmt.Sprintf("famix: Sample: dst has %d columns, model %d", d, m.d))
	}
	if labels != nil && len(labels) != n {
		panic(fmt.Sprintf("famix: Sample: %d labels for %d rows", len(labels), n))
	}
	var buf []float64
	for i := 0; i < n; i++ {
		u := rng.Float64()
		k := 0
		for c := 0.0; k < m.k-1; k++ {
			c += m.weight[k]
			if u < c {
				break
			}
		}
		row := dst.RawRowView(i)
		for _, b := range m.blocks {
			if cap(buf) < len(b.cols) {
				buf = make([]float64, len(b.cols))
			}
			v := buf[:len(b.cols)]
			b.fam.sample(v, k, rng)
			for j, c := range b.cols {
				row[c] = v[j]
			}
		}
		if labels != nil {
			labels[i] = k
		}
	}
}

// Column is one column of a model: its name and family.
type Column struct {
	Name   string `json:"name"`
	Family Family `json:"family"`
}
