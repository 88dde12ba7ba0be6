package mixture

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Missing values in mclust's EM (bootstrap_me.go), so that Bootstrap and
// BootstrapLRT take the data Fit takes with Options.Missing. The algebra
// is missing.go's exact EM under missing at random (Ghahramani & Jordan
// 1994; Little & Rubin 2002, ch. 11): the E-step scores a row with NaN
// cells by the marginal density of its observed coordinates, using the
// pattern cache of missing.go (one Cholesky factor of Σ_OO per pattern,
// component and E-step), and keeps, for every component k, the row
// completed by its conditional mean x̂_k and the pattern's conditional
// covariance C_k; the M-step reads x̂_k in place of the row and adds
// z_ik·w_i·C_k to the scatter's block of missing coordinates. Everything
// else — the stopping rules, no regularisation, the failure tests — is
// mclust's EM unchanged, and a row without NaN is computed with exactly
// the operations of the complete-data EM, so data without NaN keep their
// bits.

// meHoles are the rows of an mclust EM's data with missing values.
type meHoles struct {
	at   []int    // n: row i's place in rows, −1 for a complete row
	rows []int    // the incomplete rows, in order
	keys []string // each one's pattern: the bit set of its NaN cells (bit j for column j, as missing.go's keys)
}

// newHoles returns the rows of the n×d row-major x with a NaN cell, or
// nil when there is none.
func newHoles(x []float64, n, d int) *meHoles {
	var h *meHoles
	key := make([]byte, (d+7)/8)
	for i := 0; i < n; i++ {
		clear(key)
		nm := 0
		for j, v := range x[i*d : (i+1)*d] {
			if v != v {
				key[j>>3] |= 1 << (j & 7)
				nm++
			}
		}
		if nm == 0 {
			continue
		}
		if h == nil {
			h = &meHoles{at: make([]int, n)}
			for t := range h.at {
				h.at[t] = -1
			}
		}
		h.at[i] = len(h.rows)
		h.rows = append(h.rows, i)
		h.keys = append(h.keys, string(key))
	}
	return h
}

// meFill is one fit's view of its holes: each incomplete row completed
// by every component's conditional mean, and its pattern (whose C_k the
// M-step adds), as the last E-step left them. With xhat nil an E-step
// only scores (labels matching). A nil *meFill is data without NaN.
type meFill struct {
	*meHoles
	k    int
	xhat []float64  // len(rows)·K·D: row t completed by component k at (t·K + k)·D
	pats []*pattern // len(rows); a nil entry adds no conditional covariance (a start by column means)
}

// newFill returns an empty fill of h for k components, nil when h is.
func (h *meHoles) newFill(k, d int) *meFill {
	if h == nil {
		return nil
	}
	return &meFill{meHoles: h, k: k, xhat: make([]float64, len(h.rows)*k*d), pats: make([]*pattern, len(h.rows))}
}

// meanFill returns a fill of h for k components that completes every
// hole by its column's mean over the observed cells of the rows x (n×d,
// weighted by w, nil for ones), with no conditional covariance: the start
// of a fit from a partition, as Fit's initialisation runs on the rows
// completed by column means (missingData).
func (h *meHoles) meanFill(x []float64, n, d, k int, w []float64) *meFill {
	f := h.newFill(k, d)
	if f == nil {
		return nil
	}
	sum, cnt := make([]float64, d), make([]float64, d)
	for i := 0; i < n; i++ {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		for j, v := range x[i*d : (i+1)*d] {
			if v == v {
				sum[j] += wi * v
				cnt[j] += wi
			}
		}
	}
	for t, i := range h.rows {
		for c := 0; c < k; c++ {
			xh := f.xhat[(t*k+c)*d : (t*k+c+1)*d]
			for j, v := range x[i*d : (i+1)*d] {
				if v != v {
					v = sum[j] / cnt[j]
				}
				xh[j] = v
			}
		}
	}
	return f
}

// clone returns a copy of f whose completions a fit may rewrite.
func (f *meFill) clone() *meFill {
	if f == nil {
		return nil
	}
	return &meFill{meHoles: f.meHoles, k: f.k, xhat: slices.Clone(f.xhat), pats: slices.Clone(f.pats)}
}

// scoring returns f without completions: an E-step that only scores.
func (f *meFill) scoring() *meFill {
	if f == nil {
		return nil
	}
	return &meFill{meHoles: f.meHoles, k: f.k}
}

// gather returns the fill of the rows idx of f's data, in that order (a
// resample, a leave-one-out), with their completions copied; nil when
// none of them has a hole.
func (f *meFill) gather(idx []int, d int) *meFill {
	if f == nil {
		return nil
	}
	var g *meFill
	k := f.k
	for t, j := range idx {
		s := f.at[j]
		if s < 0 {
			continue
		}
		if g == nil {
			g = &meFill{meHoles: &meHoles{at: make([]int, len(idx))}, k: k}
			for i := range g.at {
				g.at[i] = -1
			}
		}
		g.at[t] = len(g.rows)
		g.rows = append(g.rows, t)
		g.keys = append(g.keys, f.keys[s])
		g.xhat = append(g.xhat, f.xhat[s*k*d:(s+1)*k*d]...)
		g.pats = append(g.pats, f.pats[s])
	}
	return g
}

// row returns row i of x as component c's M-step reads it: completed by
// c's conditional mean when it has holes.
func (f *meFill) row(x []float64, i, c, d int) []float64 {
	if f != nil {
		if t := f.at[i]; t >= 0 {
			o := (t*f.k + c) * d
			return f.xhat[o : o+d]
		}
	}
	return x[i*d : (i+1)*d]
}

// any reports whether one of the rows lo … lo+n−1 has a hole.
func (f *meFill) any(lo, n int) bool {
	for _, t := range f.at[lo : lo+n] {
		if t >= 0 {
			return true
		}
	}
	return false
}

// addCond adds Σ_i zw_ic·C_c(pattern of i) to component c's scatter sc in
// the block of each row's missing coordinates: the upper triangle of a
// D×D scatter (full), or the diagonal of a D-vector.
func (f *meFill) addCond(sc, zw []float64, c, k, d int, full bool) {
	if f == nil {
		return
	}
	for t, i := range f.rows {
		pt := f.pats[t]
		r := zw[i*k+c]
		if pt == nil || r == 0 {
			continue
		}
		cc, mis := pt.comp[c].c, pt.mis
		nm := len(mis)
		if full {
			for a, ia := range mis {
				for b := a; b < nm; b++ {
					sc[ia*d+mis[b]] += r * cc[a*nm+b]
				}
			}
		} else {
			for a, ia := range mis {
				sc[ia] += r * cc[a*nm+a]
			}
		}
	}
}

// meScore is an E-step's memory for rows with holes.
type meScore struct {
	cache *patterns // of the E-step's parameters
	x0    []float64 // chunk×D: a chunk with its NaN cells 0, for the kernels
	xo, y []float64 // D: a row's x_O − μ_O and A·(x_O − μ_O)
	mh    []float64 // 1: ‖y‖²
}

func newMeScore(m *Model, chunk, d int) *meScore {
	return &meScore{cache: newPatterns(m), x0: make([]float64, chunk*d), xo: make([]float64, d), y: make([]float64, d), mh: make([]float64, 1)}
}

// zeroed returns rows lo … lo+n−1 of x with NaN cells set to 0: the
// kernels score them (those rows' scores are then replaced) without a NaN
// reaching a shared product.
func (s *meScore) zeroed(x []float64, lo, n, d int) []float64 {
	z := s.x0[:n*d]
	copy(z, x[lo*d:(lo+n)*d])
	for i, v := range z {
		if v != v {
			z[i] = 0
		}
	}
	return z
}

// score sets w.lp of the rows with holes among lo … lo+n−1 to log π_k +
// the log density of their observed coordinates under component k, and,
// unless f only scores, their completions and patterns.
func (s *meScore) score(w *worker, f *meFill, x []float64, lo, n int) error {
	m := w.m
	k, d := m.k, m.d
	for i := lo; i < lo+n; i++ {
		t := f.at[i]
		if t < 0 {
			continue
		}
		pt, err := s.cache.get([]byte(f.keys[t]))
		if err != nil {
			return &rowError{row: i, err: err}
		}
		if f.pats != nil {
			f.pats[t] = pt
		}
		xr := x[i*d : (i+1)*d]
		no := len(pt.obs)
		xo, y := s.xo[:no], s.y[:no]
		for c := 0; c < k; c++ {
			pc := &pt.comp[c]
			mu := m.means[c*d : (c+1)*d]
			for l, j := range pt.obs {
				xo[l] = xr[j] - mu[j]
			}
			lowerApply(y, s.mh, xo, pc.a, 1, no)
			w.lp[(i-lo)*k+c] = pc.cst - 0.5*s.mh[0]
			if f.xhat == nil {
				continue
			}
			xh := f.xhat[(t*k+c)*d : (t*k+c+1)*d]
			copy(xh, xr)
			for q, j := range pt.mis {
				v := 0.0
				for l, g := range pc.g[q*no : (q+1)*no] {
					v += g * y[l]
				}
				xh[j] = mu[j] + v
			}
		}
	}
	return nil
}

// drawCount is the number of rows a parametric draw has: n unweighted,
// else round(Σ w), the sample size the frequency weights stand for.
func drawCount(n int, w []float64) int {
	if w == nil {
		return n
	}
	s := 0.0
	for _, v := range w {
		s += v
	}
	return int(math.Round(s))
}

// mask gives the nd parametric draws x (nd×d) the data's holes: draw t
// stands for the unit u whose cumulative weight interval [round(W_{u−1}),
// round(W_u)) holds t (W_u = Σ_{v ≤ u} w_v; one draw per row when
// unweighted), and the draws are paired with the units in a random order
// drawn from rng, since Sample returns its rows grouped by component. A
// cell of the unit's pattern becomes NaN in its draw, so that a replicate
// observes what the data observe (the patterns held fixed, as ancillary).
func (h *meHoles) mask(x []float64, d, nd int, w []float64, rng *rand.Rand) {
	perm := rng.Perm(nd)
	cum, t := 0.0, 0
	for u := range h.at {
		wu := 1.0
		if w != nil {
			wu = w[u]
		}
		cum += wu
		end := min(nd, int(math.Round(cum)))
		s := h.at[u]
		for ; t < end; t++ {
			if s < 0 {
				continue
			}
			row := x[perm[t]*d : (perm[t]+1)*d]
			key := h.keys[s]
			for j := range row {
				if key[j>>3]&(1<<(j&7)) != 0 {
					row[j] = math.NaN()
				}
			}
		}
	}
}
