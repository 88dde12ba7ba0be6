package mixture

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// The variational E-step of a fit (bayesPass, an em.Model whose MStep is
// not used: the fit updates q(θ) itself). It computes what eWorker computes on
// the point estimates with the variational log weights (the same ln ρ_ik,
// responsibilities, entropy and statistics about the current means), in
// another order suited to many components at once:
//
//   - the rows are shifted once by a global centre g (the prior's mean),
//     x̃ = x − g, and the means by the same, μ̃_k = μ_k − g, so that nothing
//     cancels for data far from the origin;
//   - the Mahalanobis distances of all components come from one product:
//     for full covariances Y = X̃·[A_1ᵀ … A_Kᵀ] (chunk × K·D, one Gemm
//     instead of K), for tied Y = X̃·Aᵀ once, then ‖Y_ik − A_k μ̃_k‖²; for
//     diag and spherical a loop over x̃;
//   - a component whose ln ρ_ik is more than 37 below the row's largest
//     has exp(ln ρ − max) < 2⁻⁵³: it cannot change the row's normaliser
//     (a sum ≥ 1) and its responsibility is set to 0 without an
//     exponential;
//   - a row's difference from μ_k is formed only where it adds to
//     component k's mean and scatter (the rule of EStep).
//
// Each row's results depend on that row only, so the bits do not depend
// on the number of workers, and FitBayes and FitBayesSource agree.

// underflow is the gap below a row's largest ln ρ at which exp underflows
// the normaliser's rounding: e^−37 < 2⁻⁵³.
const underflow = -37.0

// vbWorker is one goroutine's E-step of a fit.
type vbWorker struct {
	b     *BayesModel
	g     []float64 // D: the global centre
	chunk int
	xc    []float64 // chunk·D: x − g
	y     []float64 // chunk·K·D (full), chunk·D (tied): the products
	mt    []float64 // K·D: μ̃_k = μ_k − g
	bk    []float64 // K·D: A_k μ̃_k (full, tied)
	maha  []float64 // K·chunk
	lp    []float64 // chunk·K
	e     []float64 // K
	cst   []float64 // K
	wr    []float64 // K·chunk
	keep  []bool    // K·chunk
	diff  []float64 // chunk·D: the kept rows' differences from μ_k
	wd    []float64 // chunk·D: accumulate's scratch
	aall  []float64 // K·D·D: the precision factors, stacked (full)
	gemm  bool
	gen   int // the parameters' generation (BayesModel.gen) mt, bk, cst hold
}

type bayesPass struct {
	b *BayesModel
	g []float64
}

func (p bayesPass) NewStats() em.Stats              { return p.b.vb.newStats() }
func (p bayesPass) MStep(em.Stats) (float64, error) { return 0, nil }
func (p bayesPass) NewWorker() em.Worker {
	m := p.b.vb
	k, d := m.k, m.d
	c := max(64, min(1024, 131072/max(1, k*d)))
	w := &vbWorker{b: p.b, g: p.g, chunk: c, gen: -1,
		xc: make([]float64, c*d), mt: make([]float64, k*d), bk: make([]float64, k*d),
		maha: make([]float64, k*c), lp: make([]float64, c*k), e: make([]float64, k), cst: make([]float64, k),
		wr: make([]float64, k*c), keep: make([]bool, k*c), diff: make([]float64, c*d), wd: make([]float64, c*d),
		gemm: m.kernel.gemm()}
	switch m.fam.Type() {
	case Full:
		w.y = make([]float64, c*k*d)
		w.aall = make([]float64, k*d*d)
	case Tied:
		w.y = make([]float64, c*d)
	}
	return w
}

// prepare sets the worker's per-parameter quantities: the shifted means,
// A_k μ̃_k and the constants of ln ρ. A worker calls it at its first block
// after the parameters changed (update counts their generations); they
// change only between passes, which em separates from the E-steps.
func (w *vbWorker) prepare() {
	m := w.b.vb
	k, d := m.k, m.d
	base := -0.5 * float64(d) * log2Pi
	for c := 0; c < k; c++ {
		w.cst[c] = m.logW[c] + base + m.logDet[c]
		for j := 0; j < d; j++ {
			w.mt[c*d+j] = m.means[c*d+j] - w.g[j]
		}
	}
	switch m.fam.Type() {
	case Full:
		copy(w.aall, m.chol)
		for c := 0; c < k; c++ {
			lowerMulVec(w.bk[c*d:(c+1)*d], m.chol[c*d*d:(c+1)*d*d], w.mt[c*d:(c+1)*d], d)
		}
	case Tied:
		for c := 0; c < k; c++ {
			lowerMulVec(w.bk[c*d:(c+1)*d], m.chol, w.mt[c*d:(c+1)*d], d)
		}
	}
	w.gen = w.b.gen
}

// lowerMulVec sets dst = A·v for the lower triangular D×D A.
func lowerMulVec(dst, a, v []float64, d int) {
	for i := 0; i < d; i++ {
		s := 0.0
		for j := 0; j <= i; j++ {
			s += a[i*d+j] * v[j]
		}
		dst[i] = s
	}
}

// mahaAll fills w.maha (component-major) for the n rows in w.xc.
func (w *vbWorker) mahaAll(n int) {
	m := w.b.vb
	k, d, c := m.k, m.d, w.chunk
	xc := w.xc[:n*d]
	switch m.fam.Type() {
	case Full:
		kd := k * d
		if w.gemm {
			fast.Dgemm(blas.NoTrans, blas.Trans, n, kd, d, 1, xc, d, w.aall, d, 0, w.y[:n*kd], kd)
		} else {
			for i := 0; i < n; i++ {
				xr := xc[i*d : (i+1)*d]
				for comp := 0; comp < k; comp++ {
					lowerMulVec(w.y[i*kd+comp*d:i*kd+(comp+1)*d], m.chol[comp*d*d:(comp+1)*d*d], xr, d)
				}
			}
		}
		for comp := 0; comp < k; comp++ {
			bk := w.bk[comp*d : (comp+1)*d]
			mh := w.maha[comp*c : comp*c+n]
			for i := range mh {
				yr := w.y[i*kd+comp*d : i*kd+(comp+1)*d]
				yr = yr[:len(bk)]
				s := 0.0
				for j, v := range bk {
					t := yr[j] - v
					s += t * t
				}
				mh[i] = s
			}
		}
	case Tied:
		if w.gemm {
			fast.Dgemm(blas.NoTrans, blas.Trans, n, d, d, 1, xc, d, m.chol, d, 0, w.y[:n*d], d)
		} else {
			for i := 0; i < n; i++ {
				lowerMulVec(w.y[i*d:(i+1)*d], m.chol, xc[i*d:(i+1)*d], d)
			}
		}
		for comp := 0; comp < k; comp++ {
			bk := w.bk[comp*d : (comp+1)*d]
			mh := w.maha[comp*c : comp*c+n]
			for i := range mh {
				yr := w.y[i*d : (i+1)*d]
				yr = yr[:len(bk)]
				s := 0.0
				for j, v := range bk {
					t := yr[j] - v
					s += t * t
				}
				mh[i] = s
			}
		}
	case Diag:
		for comp := 0; comp < k; comp++ {
			mu, p := w.mt[comp*d:(comp+1)*d], m.chol[comp*d:(comp+1)*d]
			p = p[:len(mu)]
			mh := w.maha[comp*c : comp*c+n]
			for i := range mh {
				xr := xc[i*d : (i+1)*d]
				xr = xr[:len(mu)]
				s := 0.0
				for j, v := range mu {
					t := (xr[j] - v) * p[j]
					s += t * t
				}
				mh[i] = s
			}
		}
	case Spherical:
		for comp := 0; comp < k; comp++ {
			mu := w.mt[comp*d : (comp+1)*d]
			p2 := m.chol[comp] * m.chol[comp]
			mh := w.maha[comp*c : comp*c+n]
			for i := range mh {
				xr := xc[i*d : (i+1)*d]
				xr = xr[:len(mu)]
				s := 0.0
				for j, v := range mu {
					t := xr[j] - v
					s += t * t
				}
				mh[i] = p2 * s
			}
		}
	}
}

func (w *vbWorker) EStep(dst em.Stats, first int, x *mat.Dense, wt []float64) (em.Partial, error) {
	if w.gen != w.b.gen {
		w.prepare()
	}
	m := w.b.vb
	k, d, c := m.k, m.d, w.chunk
	raw := x.RawMatrix()
	full := m.fam.fullScatter()
	per := d
	if full {
		per = d * d
	}
	var s *stats
	if dst != nil {
		s = dst.(*stats)
		s.reset()
	}
	var part em.Partial
	for lo := 0; lo < raw.Rows; lo += c {
		n := min(c, raw.Rows-lo)
		subRows(w.xc[:n*d], raw.Data[lo*raw.Stride:], raw.Stride, w.g, n, d)
		w.mahaAll(n)
		for comp := 0; comp < k; comp++ {
			cst := w.cst[comp]
			mh := w.maha[comp*c : comp*c+n]
			for i, v := range mh {
				w.lp[i*k+comp] = cst - 0.5*v
			}
		}
		for i := 0; i < n; i++ {
			lpr := w.lp[i*k : (i+1)*k]
			mx := math.Inf(-1)
			for _, v := range lpr {
				if v > mx {
					mx = v
				}
			}
			if math.IsInf(mx, 0) || math.IsNaN(mx) {
				return em.Partial{}, &em.RowError{Row: first + lo + i, Err: errZeroDensity}
			}
			sum := 0.0
			for comp, v := range lpr {
				t := 0.0
				switch g := v - mx; {
				case g == 0:
					t = 1 // the largest: exp(0), without the call
				case g > underflow:
					t = math.Exp(g)
				}
				w.e[comp] = t
				sum += t
			}
			ll := mx
			if sum != 1 { // one component holds the row alone: log 1 = 0
				ll += math.Log(sum)
			}
			wi := 1.0
			if wt != nil {
				wi = wt[lo+i]
			}
			part.LogLik += wi * ll
			part.Weight += wi
			if s == nil {
				continue
			}
			if sum == 1 { // q is one-hot: no entropy, no division
				for comp := range lpr {
					q := w.e[comp]
					w.wr[comp*c+i] = wi * q
					w.keep[comp*c+i] = wi > 0 && q > 0
				}
				continue
			}
			ent := 0.0
			inv := 1 / sum
			for comp, v := range lpr {
				q := w.e[comp] * inv
				if q > 0 {
					ent -= q * (v - ll)
				}
				w.wr[comp*c+i] = wi * q
				w.keep[comp*c+i] = wi > 0 && q > 0 && q*(1+w.maha[comp*c+i]) >= negligible*m.weights[comp]
			}
			part.Entropy += wi * ent
		}
		if s == nil {
			continue
		}
		for comp := 0; comp < k; comp++ {
			wr := w.wr[comp*c : comp*c+n]
			nk := 0.0
			for _, v := range wr {
				nk += v
			}
			s.n[comp] += nk
			// The kept rows' differences x̃_i − μ̃_k and weights, in order.
			keep := w.keep[comp*c : comp*c+n]
			mu := w.mt[comp*d : (comp+1)*d]
			kept := 0
			for i, ok := range keep {
				if !ok {
					continue
				}
				dr := w.diff[kept*d : (kept+1)*d]
				xr := w.xc[i*d : (i+1)*d]
				dr, xr = dr[:len(mu)], xr[:len(mu)]
				for j, v := range mu {
					dr[j] = xr[j] - v
				}
				wr[kept] = wr[i]
				kept++
			}
			if kept > 0 {
				accumulate(s.m[comp*d:(comp+1)*d], s.m2[comp*per:(comp+1)*per], w.diff, wr, w.wd, kept, d, full, w.gemm && full)
			}
		}
	}
	if s != nil {
		s.finish()
	}
	return part, nil
}
