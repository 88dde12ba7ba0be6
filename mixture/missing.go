package mixture

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// Exact EM with values missing at random (Options.Missing; Ghahramani &
// Jordan 1994; Little & Rubin 2002, ch. 11). A row x observes the
// coordinates O and misses M (its NaN cells). Under component k,
//
//	x_O ~ N(μ_O, Σ_OO),   x_M | x_O ~ N(μ_M + B(x_O − μ_O), C),
//	B = Σ_MO Σ_OO⁻¹,      C = Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM,
//
// so the E-step scores the row by the marginal density of x_O, and the
// M-step reads the expected statistics: the row completed by its
// conditional mean x̂_k, and the conditional covariance C_k added to the
// scatter in the M×M block. The statistics have the shape of complete
// data, so every family's M-step is unchanged. Per pattern of missing
// coordinates and component, with Σ_OO = LLᵀ and A = L⁻¹,
//
//	y = A(x_O − μ_O),  ‖y‖² the Mahalanobis distance,  G = Σ_MO Aᵀ,
//	x̂_M − μ_M = G·y,   C = Σ_MM − G Gᵀ,   ½ log det C = log det A − log det A_Σ,
//
// computed once per pattern, component and iteration (a pattern's A, G, C
// are cached until the parameters change). The ELBO counts the entropy of
// q(x_M | z, x_O), ½|M|(1 + log 2π) + ½ log det C per row and component,
// so that it equals the log-likelihood after an E-step and the KL gap
// stays exact.

// pattern is one set of missing coordinates and, for the current
// parameters, what each component needs to score and complete its rows.
type pattern struct {
	obs, mis []int
	comp     []patComp // K
}

// patComp is one component's view of a pattern.
type patComp struct {
	a   []float64 // |O|×|O| lower triangular A = L⁻¹, Σ_OO = LLᵀ
	g   []float64 // |M|×|O|: G = Σ_MO Aᵀ, so that x̂_M = μ_M + G·y
	c   []float64 // |M|×|M| conditional covariance, both triangles
	cst float64   // log π_k − ½|O| log 2π + log det A: lp = cst − ½‖y‖²
	hx  float64   // the entropy of N(·, C): ½|M|(1 + log 2π) + ½ log det C
	// lc is the lower Cholesky factor of C, for draws (ImputeDraw); made
	// on first use, under patterns.mu.
	lc []float64
}

// patterns caches the patterns met in a pass for the model's current
// parameters. It is safe for concurrent use; its entries are pure
// functions of the parameters and the pattern, so which worker makes one
// does not change a bit. A nil *patterns expects no missing values.
type patterns struct {
	m     *Model
	mu    sync.Mutex
	sigma []float64 // K·D·D full covariances (both triangles); nil until needed
	byKey map[string]*pattern
}

func newPatterns(m *Model) *patterns { return &patterns{m: m} }

// reset forgets the patterns: the parameters changed.
func (p *patterns) reset() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.sigma, p.byKey = nil, nil
	p.mu.Unlock()
}

// count returns the number of patterns met since the last reset.
func (p *patterns) count() int {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.byKey)
}

// get returns the pattern of the missing coordinates key (a bit set, bit j
// for coordinate j). The pattern is computed outside the lock, so that a
// worker descheduled while it computes one does not stall the others; two
// workers computing the same pattern get the same bits, and the first one
// stored is kept.
func (p *patterns) get(key []byte) (*pattern, error) {
	p.mu.Lock()
	pt, ok := p.byKey[string(key)]
	if !ok && p.sigma == nil {
		p.sigma = p.fullCovariances()
	}
	sigma := p.sigma
	p.mu.Unlock()
	if ok {
		return pt, nil
	}
	m := p.m
	k, d := m.k, m.d
	pt = &pattern{comp: make([]patComp, k)}
	for j := 0; j < d; j++ {
		if key[j>>3]&(1<<(j&7)) != 0 {
			pt.mis = append(pt.mis, j)
		} else {
			pt.obs = append(pt.obs, j)
		}
	}
	for c := 0; c < k; c++ {
		pc, ok := conditional(sigma[c*d*d:(c+1)*d*d], d, pt.obs, pt.mis)
		if !ok {
			return nil, fmt.Errorf("component %d: the covariance of the observed coordinates %v is not positive definite", c, pt.obs)
		}
		pc.cst = m.logW[c] - 0.5*float64(len(pt.obs))*log2Pi + pc.cst
		pc.hx = 0.5*float64(len(pt.mis))*(1+log2Pi) + pc.hx - m.logDet[c]
		pt.comp[c] = pc
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byKey == nil {
		p.byKey = make(map[string]*pattern)
	}
	if old, ok := p.byKey[string(key)]; ok {
		return old, nil
	}
	p.byKey[string(key)] = pt
	return pt, nil
}

// fullCovariances returns the K full-form covariances, both triangles.
func (p *patterns) fullCovariances() []float64 {
	m := p.m
	k, d := m.k, m.d
	sigma := make([]float64, k*d*d)
	for c := 0; c < k; c++ {
		s := sigma[c*d*d : (c+1)*d*d]
		m.fam.covariance(&m.comps, c, s)
		for i := 0; i < d; i++ {
			for j := i + 1; j < d; j++ {
				s[j*d+i] = s[i*d+j]
			}
		}
	}
	return sigma
}

// conditional returns, for the D×D covariance sig (both triangles), the
// observed coordinates obs and the missing mis, A, G and C (see patComp),
// with cst and hx set to log det A alone. It reports false when Σ_OO is
// not positive definite.
func conditional(sig []float64, d int, obs, mis []int) (patComp, bool) {
	no, nm := len(obs), len(mis)
	var pc patComp
	pc.a = make([]float64, no*no)
	if no > 0 {
		so := make([]float64, no*no)
		for r, i := range obs {
			for c, j := range obs {
				so[r*no+c] = sig[i*d+j]
			}
		}
		ld, ok := factorize(pc.a, so, make([]float64, no*no), no)
		if !ok {
			return pc, false
		}
		pc.cst, pc.hx = ld, ld
	}
	pc.g = make([]float64, nm*no)
	for r, i := range mis {
		srow := sig[i*d : (i+1)*d]
		gr := pc.g[r*no : (r+1)*no]
		for j := 0; j < no; j++ {
			v := 0.0
			for l, a := range pc.a[j*no : j*no+j+1] {
				v += srow[obs[l]] * a
			}
			gr[j] = v
		}
	}
	pc.c = make([]float64, nm*nm)
	for r, i := range mis {
		gr := pc.g[r*no : (r+1)*no]
		for c := r; c < nm; c++ {
			gc := pc.g[c*no : (c+1)*no]
			v := sig[i*d+mis[c]]
			for l, g := range gr {
				v -= g * gc[l]
			}
			pc.c[r*nm+c], pc.c[c*nm+r] = v, v
		}
	}
	return pc, true
}

// drawFactor returns the lower Cholesky factor of pc's conditional
// covariance (|M|×|M| row-major), made on first use: the factor of a
// matrix that is positive definite in exact arithmetic, its rounding
// repaired by clipping a pivot at 0 (the draw is then the mean along that
// direction).
func (p *patterns) drawFactor(pc *patComp, nm int) []float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pc.lc != nil || nm == 0 {
		return pc.lc
	}
	l := make([]float64, nm*nm)
	for i := 0; i < nm; i++ {
		for j := 0; j <= i; j++ {
			v := pc.c[i*nm+j]
			for t := 0; t < j; t++ {
				v -= l[i*nm+t] * l[j*nm+t]
			}
			switch {
			case i == j && v > 0:
				l[i*nm+i] = math.Sqrt(v)
			case i == j:
				l[i*nm+i] = 0
			case l[j*nm+j] > 0:
				l[i*nm+j] = v / l[j*nm+j]
			}
		}
	}
	pc.lc = l
	return l
}

// hasNaN reports whether a block has a NaN cell.
func hasNaN(raw blas64.General) bool {
	for i := 0; i < raw.Rows; i++ {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			if v != v {
				return true
			}
		}
	}
	return false
}

// missScratch is a worker's memory for blocks with missing values.
type missScratch struct {
	key      []byte // the bit set of one row's NaN cells
	local    map[string]*pattern
	complete []int      // the block's complete rows (local indices)
	rows     []int      // its incomplete rows, grouped by pattern in order of first appearance
	pats     []*pattern // the pattern of each of rows
	group    []int      // scratch of the grouping
	cx       []float64  // chunk×D: complete rows gathered
	idx      []int      // chunk: the rows' indices in the pass
	wt       []float64  // chunk: their weights
	cst, hx  []float64  // chunk·K: per row and component (patComp.cst, hx)
	xs, xo   []float64  // chunk×D: a run's observed values, and less μ_O
	y        []float64  // chunk×D: A·(x_O − μ_O)
	mh       []float64  // chunk: ‖y‖²
	muo      []float64  // D: μ_O
}

func (w *worker) missScratch() *missScratch {
	if w.ms == nil {
		d, c, k := w.m.d, w.chunk, w.m.k
		w.ms = &missScratch{
			key: make([]byte, (d+7)/8),
			cx:  make([]float64, c*d),
			idx: make([]int, c),
			wt:  make([]float64, c),
			cst: make([]float64, c*k),
			hx:  make([]float64, c*k),
			xs:  make([]float64, c*d),
			xo:  make([]float64, c*d),
			y:   make([]float64, c*d),
			mh:  make([]float64, c),
			muo: make([]float64, d),
		}
	}
	return w.ms
}

// errAllMissing is the cause of a row with no observed coordinate in a fit.
var errAllMissing = fmt.Errorf("every value is missing: the row carries no information; remove it")

// split sorts the rows of a block into complete ones and incomplete ones
// grouped by pattern (each group in row order, groups in order of first
// appearance, so that the result depends on the block only). In a fit
// (fit set) a row with no observed value is an error.
func (w *worker) split(raw blas64.General, first int, fit bool) (*missScratch, error) {
	ms := w.missScratch()
	d := raw.Cols
	ms.complete, ms.rows, ms.pats = ms.complete[:0], ms.rows[:0], ms.pats[:0]
	if ms.local == nil {
		ms.local = make(map[string]*pattern)
	} else {
		clear(ms.local)
	}
	var order []*pattern
	for i := 0; i < raw.Rows; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+d]
		clear(ms.key)
		nm := 0
		for j, v := range row {
			if v != v {
				ms.key[j>>3] |= 1 << (j & 7)
				nm++
			}
		}
		if nm == 0 {
			ms.complete = append(ms.complete, i)
			continue
		}
		if fit && nm == d {
			return nil, &em.RowError{Row: first + i, Err: errAllMissing}
		}
		pt, ok := ms.local[string(ms.key)]
		if !ok {
			var err error
			if pt, err = w.miss.get(ms.key); err != nil {
				return nil, &em.RowError{Row: first + i, Err: err}
			}
			ms.local[string(ms.key)] = pt
			order = append(order, pt)
		}
		ms.rows = append(ms.rows, i)
		ms.pats = append(ms.pats, pt)
	}
	if len(order) > 1 {
		// A stable counting sort by group.
		gid := make(map[*pattern]int, len(order))
		for g, pt := range order {
			gid[pt] = g
		}
		start := make([]int, len(order)+1)
		for _, pt := range ms.pats {
			start[gid[pt]+1]++
		}
		for g := 1; g < len(start); g++ {
			start[g] += start[g-1]
		}
		n := len(ms.rows)
		if cap(ms.group) < n {
			ms.group = make([]int, n)
		}
		sorted := ms.group[:n]
		pos := append([]int(nil), start[:len(order)]...)
		for t, i := range ms.rows {
			g := gid[ms.pats[t]]
			sorted[pos[g]] = i
			pos[g]++
		}
		copy(ms.rows, sorted)
		for g, pt := range order {
			for t := start[g]; t < start[g+1]; t++ {
				ms.pats[t] = pt
			}
		}
	}
	return ms, nil
}

// gather copies the complete rows sel of the block into ms.cx and sets
// ms.idx and ms.wt; it returns the weights (nil when wt is).
func (ms *missScratch) gather(raw blas64.General, first int, wt []float64, sel []int) []float64 {
	d := raw.Cols
	for t, i := range sel {
		copy(ms.cx[t*d:(t+1)*d], raw.Data[i*raw.Stride:i*raw.Stride+d])
		ms.idx[t] = first + i
		if wt != nil {
			ms.wt[t] = wt[i]
		}
	}
	if wt == nil {
		return nil
	}
	return ms.wt[:len(sel)]
}

// fillMissing sets w.lp, ms.cst and ms.hx of the chunk's incomplete rows
// (block rows rows, patterns pats, grouped) and, with diff, w.diff: each
// row completed by component k's conditional mean, less μ_k. It works run
// by run of one pattern: the observed values gathered once, then per
// component y = A(x_O − μ_O) two rows at a time. A row's operations are in
// the same order alone or in a batch, so it scores the same bits either
// way (catalog M-38). It returns the chunk's weights (nil when wt is).
func (w *worker) fillMissing(raw blas64.General, first int, wt []float64, rows []int, pats []*pattern, diff bool) []float64 {
	m, ms := w.m, w.ms
	k, d, c := m.k, m.d, w.chunk
	n := len(rows)
	for t, i := range rows {
		ms.idx[t] = first + i
		if wt != nil {
			ms.wt[t] = wt[i]
		}
	}
	for lo := 0; lo < n; {
		pt := pats[lo]
		hi := lo + 1
		for hi < n && pats[hi] == pt {
			hi++
		}
		nr, no := hi-lo, len(pt.obs)
		xs := ms.xs[:nr*no]
		for t := 0; t < nr; t++ {
			i := rows[lo+t]
			xr := raw.Data[i*raw.Stride : i*raw.Stride+d]
			xt := xs[t*no : (t+1)*no]
			for l, j := range pt.obs {
				xt[l] = xr[j]
			}
		}
		xo, y, mh, muo := ms.xo[:nr*no], ms.y[:nr*no], ms.mh[:nr], ms.muo[:no]
		for comp := 0; comp < k; comp++ {
			pc := &pt.comp[comp]
			mu := m.means[comp*d : (comp+1)*d]
			for l, j := range pt.obs {
				muo[l] = mu[j]
			}
			for t := 0; t < nr; t++ {
				xt, ot := xs[t*no:(t+1)*no], xo[t*no:(t+1)*no]
				for l, v := range xt {
					ot[l] = v - muo[l]
				}
			}
			lowerApply(y, mh, xo, pc.a, nr, no)
			for t := 0; t < nr; t++ {
				r := lo + t
				w.lp[r*k+comp] = pc.cst - 0.5*mh[t]
				ms.cst[r*k+comp] = pc.cst
				ms.hx[r*k+comp] = pc.hx
			}
			if !diff {
				continue
			}
			for t := 0; t < nr; t++ {
				r := lo + t
				dr := w.diff[comp*c*d+r*d : comp*c*d+(r+1)*d]
				ot, yt := xo[t*no:(t+1)*no], y[t*no:(t+1)*no]
				for l, j := range pt.obs {
					dr[j] = ot[l]
				}
				for q, j := range pt.mis {
					v := 0.0
					for l, g := range pc.g[q*no : (q+1)*no] {
						v += g * yt[l]
					}
					dr[j] = v
				}
			}
		}
		lo = hi
	}
	if wt == nil {
		return nil
	}
	return ms.wt[:n]
}

// lowerApply sets y_i = A·x_i and maha[i] = ‖y_i‖² for n rows x_i (n×d
// row-major) and the lower triangular d×d A, two rows at a time (sharing
// the loads of A); a row's sums run in the same order in the tile and
// alone.
func lowerApply(y, maha, x, a []float64, n, d int) {
	i := 0
	for ; i+1 < n; i += 2 {
		x0, x1 := x[i*d:(i+1)*d], x[(i+1)*d:(i+2)*d]
		y0, y1 := y[i*d:(i+1)*d], y[(i+1)*d:(i+2)*d]
		var m0, m1 float64
		for j := 0; j < d; j++ {
			ar := a[j*d : j*d+j+1]
			u0, u1 := x0[:len(ar)], x1[:len(ar)]
			var s0, s1 float64
			for l, av := range ar {
				s0 += av * u0[l]
				s1 += av * u1[l]
			}
			y0[j], y1[j] = s0, s1
			m0 += s0 * s0
			m1 += s1 * s1
		}
		maha[i], maha[i+1] = m0, m1
	}
	if i < n {
		x0, y0 := x[i*d:(i+1)*d], y[i*d:(i+1)*d]
		var m0 float64
		for j := 0; j < d; j++ {
			ar := a[j*d : j*d+j+1]
			u0 := x0[:len(ar)]
			var s0 float64
			for l, av := range ar {
				s0 += av * u0[l]
			}
			y0[j] = s0
			m0 += s0 * s0
		}
		maha[i] = m0
	}
}

// addCond adds each incomplete row's share of its conditional covariances,
// w_i·q_ik·C_k in the block of its missing coordinates, to the raw second
// moments of s (the diagonal only for the families that read no more). It
// reads w.wr, so it runs between absorbRows and absorbStats.
func (w *worker) addCond(s *stats, pats []*pattern) {
	m := w.m
	k, d, c := m.k, m.d, w.chunk
	n := len(pats)
	for comp := 0; comp < k; comp++ {
		wr := w.wr[comp*c : comp*c+n]
		for lo := 0; lo < n; {
			pt := pats[lo]
			hi := lo + 1
			for hi < n && pats[hi] == pt {
				hi++
			}
			r := 0.0
			for _, v := range wr[lo:hi] {
				r += v
			}
			lo = hi
			if r == 0 {
				continue
			}
			cc := pt.comp[comp].c
			nm := len(pt.mis)
			if s.full {
				m2 := s.m2[comp*d*d : (comp+1)*d*d]
				for a, i := range pt.mis {
					for b := a; b < nm; b++ {
						m2[i*d+pt.mis[b]] += r * cc[a*nm+b]
					}
				}
			} else {
				m2 := s.m2[comp*d : (comp+1)*d]
				for a, i := range pt.mis {
					m2[i] += r * cc[a*nm+a]
				}
			}
		}
	}
}

// estepMissing is EStep for a block with NaN cells: its complete rows as
// usual (gathered, chunk by chunk), then its incomplete rows, pattern by
// pattern.
func (w eWorker) estepMissing(s *stats, first int, raw blas64.General, wt []float64) (em.Partial, error) {
	ms, err := w.split(raw, first, true)
	if err != nil {
		return em.Partial{}, err
	}
	m := w.m
	c := w.chunk
	withStats := s != nil
	var part em.Partial
	for lo := 0; lo < len(ms.complete); lo += c {
		sel := ms.complete[lo:min(lo+c, len(ms.complete))]
		wc := ms.gather(raw, first, wt, sel)
		w.logProb(ms.cx, m.d, len(sel))
		if err := w.absorbRows(&part, withStats, len(sel), 0, ms.idx[:len(sel)], wc, w.cst, 0, nil); err != nil {
			return em.Partial{}, err
		}
		if withStats {
			w.absorbStats(s, len(sel))
		}
	}
	for lo := 0; lo < len(ms.rows); lo += c {
		hi := min(lo+c, len(ms.rows))
		rows, pats := ms.rows[lo:hi], ms.pats[lo:hi]
		wc := w.fillMissing(raw, first, wt, rows, pats, withStats)
		if err := w.absorbRows(&part, withStats, len(rows), 0, ms.idx[:len(rows)], wc, ms.cst, m.k, ms.hx); err != nil {
			return em.Partial{}, err
		}
		if withStats {
			w.addCond(s, pats)
			w.absorbStats(s, len(rows))
		}
	}
	if withStats {
		s.finish()
	}
	return part, nil
}

// estepMissing is rowsWorker.EStep for a block with NaN cells: each row's
// log densities are those of its observed coordinates.
func (rw *rowsWorker) estepMissing(first int, raw blas64.General, wt []float64) (em.Partial, error) {
	w := rw.w
	ms, err := w.split(raw, first, false)
	if err != nil {
		return em.Partial{}, err
	}
	k, c := w.m.k, w.chunk
	var part em.Partial
	emit := func(n int, wc []float64) error {
		for i := 0; i < n; i++ {
			lp := w.lp[i*k : (i+1)*k]
			ll, _ := logNorm(lp, w.e)
			if rw.p.finite && math.IsInf(ll, -1) {
				return &em.RowError{Row: ms.idx[i], Err: errZeroDensity}
			}
			if rw.p.emit != nil {
				rw.p.emit(ms.idx[i], lp, ll)
			}
			wi := 1.0
			if wc != nil {
				wi = wc[i]
			}
			part.LogLik += wi * ll
			part.Weight += wi
		}
		return nil
	}
	for lo := 0; lo < len(ms.complete); lo += c {
		sel := ms.complete[lo:min(lo+c, len(ms.complete))]
		wc := ms.gather(raw, first, wt, sel)
		w.logProb(ms.cx, w.m.d, len(sel))
		if err := emit(len(sel), wc); err != nil {
			return em.Partial{}, err
		}
	}
	for lo := 0; lo < len(ms.rows); lo += c {
		hi := min(lo+c, len(ms.rows))
		wc := w.fillMissing(raw, first, wt, ms.rows[lo:hi], ms.pats[lo:hi], false)
		if err := emit(hi-lo, wc); err != nil {
			return em.Partial{}, err
		}
	}
	return part, nil
}

// missingData checks the rows of x for a fit with missing values: NaN
// cells are allowed, infinities are not, every row observes something and
// every column is observed in some row of positive weight; weights as
// checkData. It returns the rows with each NaN cell replaced by its
// column's weighted mean over the observed cells, on which the
// initialisation methods run (Little & Rubin's unconditional-mean
// imputation: a start, not an estimate).
func missingData(x mat.Matrix, w []float64, name string) (*rowData, error) {
	r, err := checkInput(x, w, name, true)
	if err != nil {
		return nil, err
	}
	n, d := r.n, r.d
	sum := make([]float64, d)
	cnt := make([]float64, d)
	for i := 0; i < n; i++ {
		wi := r.weight(i)
		for j, v := range r.row(i) {
			if v == v {
				sum[j] += wi * v
				cnt[j] += wi
			}
		}
	}
	for j := range sum {
		if !(cnt[j] > 0) {
			return nil, dataErrorf("%s: column %d has no observed value (in a row of positive weight); drop the column", name, j+1)
		}
		sum[j] /= cnt[j]
	}
	filled := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		dst := filled.RawRowView(i)
		for j, v := range r.row(i) {
			if v != v {
				v = sum[j]
			}
			dst[j] = v
		}
	}
	raw := filled.RawMatrix()
	return &rowData{x: raw.Data, stride: raw.Stride, n: n, d: d, w: w}, nil
}

// checkInput is checkData when missing is false; with missing, NaN cells
// are allowed (infinities are not), and a row with no observed value is an
// error.
func checkInput(x mat.Matrix, w []float64, name string, missing bool) (*rowData, error) {
	if !missing {
		return checkData(x, w, name)
	}
	if x == nil {
		panic("mixture: nil data matrix")
	}
	n, d := x.Dims()
	if n == 0 || d == 0 {
		return checkData(x, w, name) // the shape errors
	}
	data, stride, _, _ := denseRows(x)
	for i := 0; i < n; i++ {
		obs := 0
		for j, v := range data[i*stride : i*stride+d] {
			if math.IsInf(v, 0) {
				return nil, dataErrorf("%s contains infinity or a value too large at row %d, column %d (%v)", name, i+1, j+1, v)
			}
			if v == v {
				obs++
			}
		}
		if obs == 0 {
			return nil, dataErrorf("%s: every value of row %d is missing (NaN); the row carries no information: remove it", name, i+1)
		}
	}
	if err := checkWeightsOf(w, n); err != nil {
		return nil, err
	}
	return &rowData{x: data, stride: stride, n: n, d: d, w: w}, nil
}

// checkWeightsOf is checkData's check of the rows' weights.
func checkWeightsOf(w []float64, n int) error {
	if w == nil {
		return nil
	}
	if len(w) != n {
		return dataErrorf("%d weights for %d rows", len(w), n)
	}
	tot := 0.0
	for i, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return dataErrorf("weight of row %d is %v; weights must be finite and ≥ 0", i+1, v)
		}
		tot += v
	}
	if tot == 0 {
		return dataErrorf("all weights are 0")
	}
	return nil
}

// missingPatterns returns a fresh pattern cache when the model
// marginalises missing values, and nil otherwise.
func (m *Model) missingPatterns() *patterns {
	if !m.data.missing {
		return nil
	}
	return newPatterns(m)
}

// checkRows checks rows given to the model's methods: checkData, with NaN
// cells allowed when the model marginalises them. A row with every value
// missing is allowed there: its density is 1, its posterior the weights.
func (m *Model) checkRows(x mat.Matrix, w []float64) (*rowData, error) {
	return checkRows(x, w, m.data.missing)
}

func checkRows(x mat.Matrix, w []float64, missing bool) (*rowData, error) {
	if !missing {
		return checkData(x, w, "X")
	}
	n, d := x.Dims()
	if n == 0 || d == 0 {
		return checkData(x, w, "X")
	}
	data, stride, _, _ := denseRows(x)
	for i := 0; i < n; i++ {
		for j, v := range data[i*stride : i*stride+d] {
			if math.IsInf(v, 0) {
				return nil, dataErrorf("X contains infinity or a value too large at row %d, column %d (%v)", i+1, j+1, v)
			}
		}
	}
	if err := checkWeightsOf(w, n); err != nil {
		return nil, err
	}
	return &rowData{x: data, stride: stride, n: n, d: d, w: w}, nil
}
