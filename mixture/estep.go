package mixture

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// errZeroDensity is the cause of a row that no component can explain.
var errZeroDensity = errors.New("its density is 0 under every component (log-likelihood −Inf): a point extremely far from every component, relative to their spread; check the data's scale, or start from other parameters")

// worker holds one goroutine's scratch for E-steps and predictions. The
// rows of a block are processed in chunks small enough that the
// differences x_i − μ_k of a chunk, for every component, stay in cache; the
// differences serve both the Mahalanobis distances and the statistics,
// centred at the current means.
type worker struct {
	m     *Model
	chunk int
	diff  []float64 // K·chunk·D: diff[k][i][j] = x_ij − μ_kj
	lp    []float64 // chunk·K: log π_k + log N(x_i | μ_k, Σ_k)
	wr    []float64 // K·chunk: w_i·q_ik
	wd    []float64 // chunk·D: w_i·q_ik·(x_i − μ_k), scratch of accumulate
	maha  []float64 // chunk
	e     []float64 // K: exp(lp − max) of one row
	ech   []float64 // chunk·K: exp(lp − max_k lp) of every row of a chunk (normRows)
	rowLL []float64 // chunk: log Σ_k exp(lp_k) (normRows)
	rowS  []float64 // chunk: Σ_k exp(lp_k − max) (normRows)
	thr   []float64 // K: negligible·π_k (absorbRows)
	ent   []float64 // chunk: each row's entropy (absorbRows)
	cst   []float64 // K: log π_k − ½ D log 2π + log det A_k
	keep  []bool    // K·chunk: row i adds to component k's mean and scatter
	scratch
	// Partly observed or labelled data (missing.go, known.go): the
	// patterns of missing coordinates (nil: NaN is not expected), the
	// known component of every row of the pass (nil: none), scratch.
	miss  *patterns
	known []int
	ms    *missScratch
}

// scratch is what a family's E-step kernel (family.maha) may use.
type scratch struct {
	gemm bool      // the products through Dgemm (kernel_gemm.go)
	y    []float64 // chunk·D: (x_i − μ_k)·Aᵀ on the Gemm path
	axes []float64 // D² + 3D: the common-orientation path's scratch (estep_diag.go)
	dg   []float64 // 9D + 4: the diagonal path's transposed means and precisions (estep_diag.go)
	kr   []int32   // chunk: the rows a component keeps (absorbStatsDiag)
	kw   []float64 // chunk: their weights
}

func (m *Model) newWorker() *worker {
	// About 256 KiB of differences per chunk; the Gemm path takes longer
	// chunks, for longer products.
	gemm := m.kernel.gemm() && m.fam.fullScatter()
	c := 32768 / max(1, m.k*m.d)
	c = max(8, min(256, c))
	if gemm {
		c = max(64, min(1024, 131072/max(1, m.k*m.d)))
	}
	w := &worker{
		m:     m,
		chunk: c,
		diff:  make([]float64, m.k*c*m.d),
		lp:    make([]float64, c*m.k),
		wr:    make([]float64, m.k*c),
		wd:    make([]float64, c*m.d),
		maha:  make([]float64, c),
		e:     make([]float64, m.k),
		ech:   make([]float64, c*m.k),
		rowLL: make([]float64, c),
		rowS:  make([]float64, c),
		thr:   make([]float64, m.k),
		ent:   make([]float64, c),
		cst:   make([]float64, m.k),
		keep:  make([]bool, m.k*c),
	}
	w.gemm = gemm
	if gemm {
		w.y = make([]float64, c*m.d)
		w.axes = make([]float64, m.d*m.d+3*m.d)
	}
	return w
}

// logProb fills w.lp for n ≤ w.chunk rows of x (row stride stride), and
// w.diff with their differences from the means.
func (w *worker) logProb(x []float64, stride, n int) {
	m := w.m
	k, d, c := m.k, m.d, w.chunk
	if l, ok := axesLayout(m); ok && w.gemm {
		w.mahaAxes(l, x, stride, n)
		return
	}
	base := -0.5 * float64(d) * log2Pi
	for comp := 0; comp < k; comp++ {
		diff := w.diff[comp*c*d : comp*c*d+n*d]
		subRows(diff, x, stride, m.means[comp*d:(comp+1)*d], n, d)
		maha := w.maha[:n]
		m.fam.maha(&m.comps, comp, maha, diff, n, &w.scratch)
		cst := m.logW[comp] + base + m.logDet[comp]
		w.cst[comp] = cst
		for i, v := range maha {
			w.lp[i*k+comp] = cst - 0.5*v
		}
	}
}

// logProbLean is logProb without keeping the differences: every
// component's go through the first component's block of w.diff, and
// absorbStatsX recomputes those of the rows a component keeps (for
// well-separated components about one row in K), which costs less than
// writing and reading back K·D values a row. The bits are logProb's and
// absorbStats's: the same subtractions, products and sums in the same
// order.
func (w *worker) logProbLean(x []float64, stride, n int) {
	m := w.m
	k, d := m.k, m.d
	if l, ok := axesLayout(m); ok && w.gemm {
		w.mahaAxesLean(l, x, stride, n, false)
		return
	}
	base := -0.5 * float64(d) * log2Pi
	diff := w.diff[:n*d]
	for comp := 0; comp < k; comp++ {
		subRows(diff, x, stride, m.means[comp*d:(comp+1)*d], n, d)
		maha := w.maha[:n]
		m.fam.maha(&m.comps, comp, maha, diff, n, &w.scratch)
		cst := m.logW[comp] + base + m.logDet[comp]
		w.cst[comp] = cst
		for i, v := range maha {
			w.lp[i*k+comp] = cst - 0.5*v
		}
	}
}

// absorbStatsX is absorbStats after logProbLean: the differences of the
// rows each component keeps are recomputed from x (row stride stride),
// in order, into the front of w.diff, as compact would have moved them.
func (w *worker) absorbStatsX(s *stats, x []float64, stride, n int) {
	m := w.m
	k, d, c := m.k, m.d, w.chunk
	per := d
	if s.full {
		per = d * d
	}
	diff := w.diff[:n*d]
	for comp := 0; comp < k; comp++ {
		wr := w.wr[comp*c : comp*c+n]
		nk := 0.0
		for _, v := range wr {
			nk += v
		}
		s.n[comp] += nk
		mu := m.means[comp*d : (comp+1)*d]
		kept := 0
		if diagAVX2 {
			if len(w.kr) < n {
				w.kr, w.kw = make([]int32, c), make([]float64, c)
			}
			kr := w.kr[:n]
			for i, keep := range w.keep[comp*c : comp*c+n] {
				if keep {
					kr[kept] = int32(i)
					wr[kept] = wr[i]
					kept++
				}
			}
			if kept > 0 {
				_ = x[int(kr[kept-1])*stride+d-1]
				subRowsIdxAVX2(&diff[0], &x[0], stride, &mu[0], &kr[0], kept, d)
				accumulate(s.m[comp*d:(comp+1)*d], s.m2[comp*per:(comp+1)*per], diff, wr, w.wd, kept, d, s.full, w.gemm)
			}
			continue
		}
		for i, keep := range w.keep[comp*c : comp*c+n] {
			if !keep {
				continue
			}
			xr := x[i*stride : i*stride+d]
			dr, mr := diff[kept*d:kept*d+d], mu[:len(xr)]
			dr = dr[:len(xr)]
			for j, v := range xr {
				dr[j] = v - mr[j]
			}
			wr[kept] = wr[i]
			kept++
		}
		if kept > 0 {
			accumulate(s.m[comp*d:(comp+1)*d], s.m2[comp*per:(comp+1)*per], diff, wr, w.wd, kept, d, s.full, w.gemm)
		}
	}
}

// eWorker adapts worker to em.Worker.
type eWorker struct{ *worker }

// EStep computes the responsibilities of the rows of x and, when dst is not
// nil, their statistics about the current means (Bishop, PRML eq. 9.23, in
// log space: log q_ik = log π_k N(x_i | k) − log Σ_j π_j N(x_i | j), catalog
// N-02). A block with missing values (NaN cells, Options.Missing) takes the
// path of missing.go.
func (w eWorker) EStep(dst em.Stats, first int, x *mat.Dense, wt []float64) (em.Partial, error) {
	c := w.chunk
	raw := x.RawMatrix()
	var s *stats
	if dst != nil {
		s = dst.(*stats)
		s.reset()
	}
	if w.miss != nil && hasNaN(raw) {
		return w.estepMissing(s, first, raw, wt)
	}
	var part em.Partial
	diag := diagPath(w.m) // estep_diag.go: the same bits, no differences kept
	for lo := 0; lo < raw.Rows; lo += c {
		n := min(c, raw.Rows-lo)
		xc := raw.Data[lo*raw.Stride:]
		if diag {
			w.logProbDiag(xc, raw.Stride, n)
		} else {
			w.logProbLean(xc, raw.Stride, n)
		}
		var wc []float64
		if wt != nil {
			wc = wt[lo : lo+n]
		}
		if err := w.absorbRows(&part, s != nil, n, first+lo, nil, wc, w.cst, 0, nil); err != nil {
			return em.Partial{}, err
		}
		switch {
		case s == nil:
		case diag:
			w.absorbStatsDiag(s, xc, raw.Stride, n)
		default:
			w.absorbStatsX(s, xc, raw.Stride, n)
		}
	}
	if s != nil {
		s.finish()
	}
	return part, nil
}

// absorbRows turns the log densities w.lp of a chunk of n rows into their
// log-likelihood, entropy and weight (added to part) and, with stats, into
// their weighted responsibilities w.wr and the flags w.keep of absorbStats.
// Row i of the chunk is row row0+i of the pass, or idx[i] when idx is not
// nil; wt are its weights (nil: ones). cst[i·cstStride+k] is the part of
// row i's lp_k that does not depend on the row (log π_k − ½ D log 2π +
// log det A_k), and hx, when not nil, hx[i·K+k] the entropy of the row's
// missing coordinates given z = k (missing.go), which the ELBO counts. A
// row of known component (known.go) keeps it.
func (w *worker) absorbRows(part *em.Partial, withStats bool, n, row0 int, idx []int, wt, cst []float64, cstStride int, hx []float64) error {
	m := w.m
	k := m.k
	w.normRows(n)
	// The log-likelihood, row by row in order.
	for i := 0; i < n; i++ {
		row := row0 + i
		if idx != nil {
			row = idx[i]
		}
		ll := w.rowLL[i]
		if w.known != nil {
			if kc := w.known[row]; kc >= 0 {
				lpr := w.lp[i*k : (i+1)*k]
				if ll, w.rowS[i] = knownRow(lpr, w.ech[i*k:(i+1)*k], kc); math.IsInf(ll, 0) || math.IsNaN(ll) {
					return &em.RowError{Row: row, Err: knownZeroDensity(kc)}
				}
				w.rowLL[i] = ll
			}
		}
		if math.IsInf(ll, 0) || math.IsNaN(ll) {
			return &em.RowError{Row: row, Err: errZeroDensity}
		}
		wi := 1.0
		if wt != nil {
			wi = wt[i]
		}
		part.LogLik += wi * ll
		part.Weight += wi
	}
	if !withStats {
		return nil
	}
	thr := w.thr[:k]
	for comp, p := range m.weights {
		thr[comp] = negligible * p
	}
	// The responsibilities and each row's entropy, two rows side by side
	// (each row's sums in its own order: the same bits as one at a time).
	ent := w.ent[:n]
	i := 0
	for ; i+1 < n; i += 2 {
		ent[i], ent[i+1] = w.respond2(i, wt, cst, cstStride)
	}
	if i < n {
		ent[i] = w.respond1(i, wt, cst, cstStride)
	}
	for i, v := range ent {
		wi := 1.0
		if wt != nil {
			wi = wt[i]
		}
		if hx != nil {
			inv := 1 / w.rowS[i]
			e := w.ech[i*k : (i+1)*k]
			for comp, h := range hx[i*k : (i+1)*k] {
				v += e[comp] * inv * h
			}
		}
		part.Entropy += wi * v
	}
	return nil
}

// respond1 sets row i's weighted responsibilities w.wr and flags w.keep
// (absorbRows) and returns its entropy −Σ_k q_k·(lp_k − ll) over q_k > 0.
func (w *worker) respond1(i int, wt, cst []float64, cstStride int) float64 {
	k, c := w.m.k, w.chunk
	wi := 1.0
	if wt != nil {
		wi = wt[i]
	}
	lpr := w.lp[i*k : (i+1)*k]
	ll, inv := w.rowLL[i], 1/w.rowS[i]
	cs := cst[i*cstStride : i*cstStride+k]
	cs, er, th := cs[:len(lpr)], w.ech[i*k:i*k+len(lpr)], w.thr[:len(lpr)]
	wrow, krow := w.wr[i:], w.keep[i:]
	pos := wi > 0
	ent := 0.0
	for comp, v := range lpr {
		q := er[comp] * inv
		if q > 0 {
			ent -= q * (v - ll)
		}
		wrow[comp*c] = wi * q
		// The row's share of component comp's mean and scatter,
		// q·(x − μ) and q·(x − μ)(x − μ)ᵀ, is at most q·(1 + maha) in
		// the component's own units, where maha = 2(cst − lp) is its
		// squared Mahalanobis distance; below 2⁻⁵²·π_k every row
		// together adds less than one rounding unit to statistics of
		// size n_k ≈ π_k·N, so it is skipped (the count n_k keeps every
		// row).
		krow[comp*c] = pos && q*(1+2*(cs[comp]-v)) >= th[comp]
	}
	return ent
}

// respond2 is respond1 for rows i and i+1, interleaved.
func (w *worker) respond2(i int, wt, cst []float64, cstStride int) (float64, float64) {
	k, c := w.m.k, w.chunk
	wi, wj := 1.0, 1.0
	if wt != nil {
		wi, wj = wt[i], wt[i+1]
	}
	lpi := w.lp[i*k : (i+1)*k]
	lpj := w.lp[(i+1)*k : (i+2)*k]
	lpj = lpj[:len(lpi)]
	lli, invi := w.rowLL[i], 1/w.rowS[i]
	llj, invj := w.rowLL[i+1], 1/w.rowS[i+1]
	csi := cst[i*cstStride : i*cstStride+k]
	csj := cst[(i+1)*cstStride : (i+1)*cstStride+k]
	csi, csj = csi[:len(lpi)], csj[:len(lpi)]
	eri, erj := w.ech[i*k:i*k+len(lpi)], w.ech[(i+1)*k:(i+1)*k+len(lpi)]
	th := w.thr[:len(lpi)]
	wri, kri := w.wr[i:], w.keep[i:]
	wrj, krj := w.wr[i+1:], w.keep[i+1:]
	posi, posj := wi > 0, wj > 0
	enti, entj := 0.0, 0.0
	for comp, v := range lpi {
		u := lpj[comp]
		q := eri[comp] * invi
		r := erj[comp] * invj
		if q > 0 {
			enti -= q * (v - lli)
		}
		if r > 0 {
			entj -= r * (u - llj)
		}
		wri[comp*c] = wi * q
		wrj[comp*c] = wj * r
		kri[comp*c] = posi && q*(1+2*(csi[comp]-v)) >= th[comp]
		krj[comp*c] = posj && r*(1+2*(csj[comp]-u)) >= th[comp]
	}
	return enti, entj
}

// absorbStats adds the statistics of the chunk's n rows, their differences
// w.diff weighted by w.wr, to s.
func (w *worker) absorbStats(s *stats, n int) {
	m := w.m
	k, d, c := m.k, m.d, w.chunk
	per := d
	if s.full {
		per = d * d
	}
	for comp := 0; comp < k; comp++ {
		wr := w.wr[comp*c : comp*c+n]
		nk := 0.0
		for _, v := range wr {
			nk += v
		}
		s.n[comp] += nk
		diff := w.diff[comp*c*d : comp*c*d+n*d]
		kept := compact(diff, wr, w.keep[comp*c:comp*c+n], d)
		if kept > 0 {
			accumulate(s.m[comp*d:(comp+1)*d], s.m2[comp*per:(comp+1)*per], diff, wr, w.wd, kept, d, s.full, w.gemm)
		}
	}
}

// negligible is the relative size below which a row's share of a
// component's statistics is skipped (see EStep): one rounding unit.
const negligible = 0x1p-52

// compact moves the rows i with keep[i] (their differences, d values each,
// and their weights) to the front, in order, and returns their number. The
// rows' differences and weights are not needed afterwards.
func compact(diff, wr []float64, keep []bool, d int) int {
	kept := 0
	for i, k := range keep {
		if !k {
			continue
		}
		if kept != i {
			copy(diff[kept*d:(kept+1)*d], diff[i*d:(i+1)*d])
			wr[kept] = wr[i]
		}
		kept++
	}
	return kept
}

// emModel adapts a Model under fit to em.Model.
type emModel struct {
	m        *Model
	regCovar float64
	iter     int
	miss     *patterns // Options.Missing: the patterns of missing values, for the current parameters
	known    []int     // Options.Known
}

func (e *emModel) NewStats() em.Stats { return e.m.newStats() }
func (e *emModel) NewWorker() em.Worker {
	w := e.m.newWorker()
	w.miss, w.known = e.miss, e.known
	return eWorker{w}
}
func (e *emModel) MStep(s em.Stats) (float64, error) {
	e.iter++
	q, err := e.m.mstep(s.(*stats), e.regCovar, "iteration "+itoa(e.iter))
	e.miss.reset() // the parameters changed
	return q, err
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	p := len(b)
	for ; i > 0; i /= 10 {
		p--
		b[p] = byte('0' + i%10)
	}
	return string(b[p:])
}
