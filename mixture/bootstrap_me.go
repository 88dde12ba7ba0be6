package mixture

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
)

// mclust's EM, "me": the engine of the bootstrap and the LRT (bootstrap.go,
// lrt.go). It follows mclust 6.0's me<model> and me.weighted (NOTES.md §4,
// §8 in testdata/mclust) rather than Fit's scikit-learn loop, so that a
// replicate refits exactly as mclust refits it:
//
//   - it starts from responsibilities z, and one iteration is an M-step
//     then an E-step; the parameters returned are the last M-step's, the
//     log-likelihood that of the E-step after it;
//   - me stops after the first iteration k with |ℓ_k − ℓ_{k−1}| /
//     (1 + |ℓ_k|) ≤ tol (ℓ_0 = FLMAX/2), me.weighted when ℓ_k − ℓ_{k−1} ≤
//     tol with ℓ = Σ_i w_i log f(x_i) (absolute, and also on a decrease);
//     tol = 1e-5 and no iteration limit, as emControl();
//   - no regularisation and no floor on the counts: a component whose
//     count falls to √ε or below fails ("mixing proportion fell below
//     threshold"), and so does a covariance mclust would call singular;
//   - me.weighted's M-step reads z·w, floored at ε after the first
//     iteration, and its weights are the counts' shares of Σ w.
//
// Rows' weights of the user (Bootstrap's and BootstrapLRT's Weights) run
// me's rule, not me.weighted's: the M-step reads z·w unfloored, ℓ = Σ w_i
// log f(x_i), and the relative change and the count floor are taken per
// unit of mean weight, so that weights of 1 give me's bits and weights
// scaled by a power of 2 the same bits as unscaled. Rows with missing
// values take missing.go's exact EM (bootstrap_missing.go).
//
// It runs on one goroutine: the bootstrap runs replicates in parallel.

// meRule is an mclust EM's stopping rule.
type meRule int

const (
	meRelative meRule = iota // me: |ℓ_k − ℓ_{k−1}| / (1 + |ℓ_k|) ≤ tol
	meWeighted               // me.weighted: ℓ_k − ℓ_{k−1} ≤ tol, ℓ weighted
)

// The constants of mclust's Fortran.
const (
	mcEps    = 0x1p-52               // .Machine$double.eps
	mcSmalog = -708.0                // SMALOG: exp below it is 0
	mcFLMAX  = math.MaxFloat64 / 2   // hold's start, FLMAX/2
	mcTol    = 1e-5                  // emControl()$tol[1]
	mcRteps  = 1.4901161193847656e-8 // sqrt(eps)
)

// meConfig is one mclust EM run's settings.
type meConfig struct {
	fam     family
	k       int
	tol     float64   // 0 means 1e-5
	maxIter int       // 0 means no limit
	rule    meRule    // meRelative or meWeighted
	w       []float64 // meWeighted: the rows' weights (max 1); nil otherwise
	prior   *Prior    // nil: maximum likelihood
	kernel  Kernel
	// workers, when not nil, recycles E-step workers between the fits of
	// one bootstrap (their models all have the same K, D, family and
	// kernel): a worker's scratch is the bulk of a small fit's
	// allocations.
	workers *sync.Pool
	// fill, when not nil, holds x's rows with missing values (NaN cells)
	// and their completions under the model that gave z: the first M-step
	// reads them, every E-step rewrites them (bootstrap_missing.go). nil: x has
	// no NaN.
	fill *meFill
}

// worker returns a worker of m, recycled from pool when there is one;
// done gives it back.
func workerFor(m *Model, pool *sync.Pool) (w *worker, done func()) {
	if pool == nil {
		return m.newWorker(), func() {}
	}
	if v := pool.Get(); v != nil {
		w = v.(*worker)
		w.m = m
	} else {
		w = m.newWorker()
	}
	return w, func() { w.m = nil; pool.Put(w) }
}

// meResult describes a finished mclust EM run.
type meResult struct {
	iter      int
	change    float64 // the last err (me) or ℓ_k − ℓ_{k−1} (me.weighted)
	logLik    float64 // total: Σ log f(x_i), or Σ w_i log f(x_i)
	converged bool    // false when maxIter stopped it
}

// errMixingProportion is mclust's return code −3.
var errMixingProportion = errors.New("mixing proportion fell below threshold")

// meError is the failure of an mclust EM run, as mclust reports an NA.
type meError struct {
	iter   int
	reason error // errMixingProportion or ErrIllDefinedCovariance
	comp   int   // the component, or −1
}

func (e *meError) Error() string {
	if e.comp >= 0 {
		return fmt.Sprintf("iteration %d: component %d: %v", e.iter, e.comp, e.reason)
	}
	return fmt.Sprintf("iteration %d: %v", e.iter, e.reason)
}

func (e *meError) Unwrap() error { return e.reason }

// meFit runs mclust's EM on the n×d row-major rows x from the
// responsibilities z (n×K row-major; overwritten with the last E-step's).
func meFit(ctx context.Context, x []float64, n, d int, z []float64, cfg *meConfig) (*Model, meResult, error) {
	k := cfg.k
	m := newModel(cfg.fam.Type(), k, d)
	m.kernel = cfg.kernel
	tol := cfg.tol
	if tol == 0 {
		tol = mcTol
	}
	var pf priorFamily
	if cfg.prior != nil {
		var err error
		if pf, err = lookupPriorFamily(cfg.fam); err != nil {
			return nil, meResult{}, err
		}
		r := &rowData{x: x, stride: d, n: n, d: d}
		mean, cov := dataMoments(r, nil)
		m.prior = cfg.prior.resolve(cfg.fam, k, n, mean, cov)
	}
	full := cfg.fam.fullScatter()
	per := d
	if full {
		per = d * d
	}
	st := &mapStats{nk: make([]float64, k), xbar: make([]float64, k*d), scat: make([]float64, k*per)}
	totW := float64(n)
	if cfg.w != nil {
		totW = 0
		for _, v := range cfg.w {
			totW += v
		}
	}
	zw := z
	if cfg.w != nil {
		zw = make([]float64, n*k)
		for i := 0; i < n; i++ {
			for c := 0; c < k; c++ {
				zw[i*k+c] = z[i*k+c] * cfg.w[i]
			}
		}
	}
	// mclust's floor on a component's count, √ε rows; with rows' weights
	// (meRelative) in units of the mean weight, so that rescaling the
	// weights changes nothing (and weights of 1 are mclust's rule).
	thr := mcRteps
	if cfg.rule == meRelative && cfg.w != nil {
		thr *= totW / float64(n)
	}
	fill := cfg.fill
	wk, release := workerFor(m, cfg.workers)
	defer release()
	dev := make([]float64, d)
	hold := mcFLMAX
	if cfg.rule == meWeighted {
		hold = math.Inf(-1)
	}
	var res meResult
	for iter := 1; ; iter++ {
		if err := ctx.Err(); err != nil {
			return nil, res, err
		}
		res.iter = iter
		// M-step: counts, sample means, scatters of zw.
		clear(st.xbar)
		clear(st.scat)
		st.n = 0
		for c := 0; c < k; c++ {
			nk := 0.0
			xb := st.xbar[c*d : (c+1)*d]
			for i := 0; i < n; i++ {
				t := zw[i*k+c]
				nk += t
				for j, v := range fill.row(x, i, c, d) {
					xb[j] += t * v
				}
			}
			st.nk[c] = nk
			st.n += nk
			if nk <= thr {
				return nil, res, &meError{iter: iter, reason: errMixingProportion, comp: c}
			}
			for j := range xb {
				xb[j] /= nk
			}
			sc := st.scat[c*per : (c+1)*per]
			for i := 0; i < n; i++ {
				t := zw[i*k+c]
				if t == 0 {
					continue
				}
				for j, v := range fill.row(x, i, c, d) {
					dev[j] = v - xb[j]
				}
				if full {
					for a := 0; a < d; a++ {
						ta := t * dev[a]
						row := sc[a*d : (a+1)*d]
						for b := a; b < d; b++ {
							row[b] += ta * dev[b]
						}
					}
				} else {
					for j, v := range dev {
						sc[j] += t * v * v
					}
				}
			}
			fill.addCond(sc, zw, c, k, d, full)
			if full {
				for a := 0; a < d; a++ {
					for b := a + 1; b < d; b++ {
						sc[b*d+a] = sc[a*d+b]
					}
				}
			}
			m.weights[c] = nk / totW
		}
		var err error
		if pf != nil {
			err = pf.priorMStep(&m.comps, st, m.prior, 0)
		} else {
			copy(m.means, st.xbar)
			err = cfg.fam.mstep(&m.comps, st.scat, st.nk, st.n, 0)
		}
		if err != nil {
			return nil, res, &meError{iter: iter, reason: fmt.Errorf("%w: %v", ErrIllDefinedCovariance, err), comp: -1}
		}
		if c, bad := mcSingular(&m.comps); bad {
			return nil, res, &meError{iter: iter, reason: ErrIllDefinedCovariance, comp: c}
		}
		if c, ok := m.refresh(); !ok {
			return nil, res, &meError{iter: iter, reason: ErrIllDefinedCovariance, comp: c}
		}
		// E-step.
		ll, err := meEStep(wk, x, n, d, z, cfg.w, fill)
		if err != nil {
			return nil, res, &meError{iter: iter, reason: err, comp: -1}
		}
		res.logLik = ll
		done := false
		next := ll
		switch cfg.rule {
		case meRelative:
			if cfg.w != nil {
				// Per unit of mean weight, so that scaling the weights
				// changes no iteration (weights of 1 are mclust's rule).
				next = ll * (float64(n) / totW)
			}
			res.change = math.Abs(hold-next) / (1 + math.Abs(next))
			done = res.change <= tol
		case meWeighted:
			res.change = ll - hold
			done = res.change <= tol
			for i := 0; i < n; i++ {
				for c := 0; c < k; c++ {
					zw[i*k+c] = math.Max(z[i*k+c]*cfg.w[i], mcEps)
				}
			}
		}
		if cfg.rule == meRelative && cfg.w != nil {
			// Rows' weights (Bootstrap's and BootstrapLRT's Weights): the
			// M-step reads z·w, unfloored.
			for i := 0; i < n; i++ {
				for c := 0; c < k; c++ {
					zw[i*k+c] = z[i*k+c] * cfg.w[i]
				}
			}
		}
		hold = next
		if done {
			res.converged = true
			break
		}
		if cfg.maxIter > 0 && iter >= cfg.maxIter {
			break
		}
	}
	m.nIter, m.converged = res.iter, res.converged
	m.logLik = res.logLik / totW
	m.prior = nil
	return m, res, nil
}

// meEStep sets z to the responsibilities of the rows of x under the model
// of the worker w (mclust's E-step: terms more than 708 below a row's
// largest are 0) and returns the log-likelihood, Σ_i w_i log f(x_i) (w nil
// means ones). With f, the rows with missing values are scored by the
// density of their observed coordinates and f's completions rewritten
// (bootstrap_missing.go); the other rows' bits are those without f.
func meEStep(w *worker, x []float64, n, d int, z, wt []float64, f *meFill) (float64, error) {
	m := w.m
	k, c := m.k, w.chunk
	var ms *meScore
	if f != nil {
		ms = newMeScore(m, c, d)
	}
	ll := 0.0
	for lo := 0; lo < n; lo += c {
		cnt := min(c, n-lo)
		if ms != nil && f.any(lo, cnt) {
			w.logProb(ms.zeroed(x, lo, cnt, d), d, cnt)
			if err := ms.score(w, f, x, lo, cnt); err != nil {
				return 0, err
			}
		} else {
			w.logProb(x[lo*d:], d, cnt)
		}
		for i := 0; i < cnt; i++ {
			lp := w.lp[i*k : (i+1)*k]
			mx := math.Inf(-1)
			for _, v := range lp {
				mx = math.Max(mx, v)
			}
			if math.IsInf(mx, 0) || math.IsNaN(mx) {
				return 0, &rowError{row: lo + i, err: errZeroDensity}
			}
			zr := z[(lo+i)*k : (lo+i+1)*k]
			s := 0.0
			for j, v := range lp {
				t := v - mx
				if t >= mcSmalog {
					zr[j] = math.Exp(t)
					s += zr[j]
				} else {
					zr[j] = 0
				}
			}
			for j := range zr {
				zr[j] /= s
			}
			li := math.Log(s) + mx
			if wt != nil {
				li *= wt[lo+i]
			}
			ll += li
		}
	}
	return ll, nil
}

// rowError is a row the E-step cannot score.
type rowError struct {
	row int
	err error
}

func (e *rowError) Error() string { return fmt.Sprintf("row %d: %v", e.row+1, e.err) }
func (e *rowError) Unwrap() error { return e.err }

// mcSingular applies mclust's singularity tests to the M-step's
// covariances: for the families with D×D scatter, the Cholesky factor R of
// each Σ_k must have min|R_jj| / (1 + max|R_jj|) > √ε (meeee, mevvv); for
// the others every variance must exceed ε (meeii … mevvi). It returns the
// first failing component.
func mcSingular(c *comps) (int, bool) {
	d := c.d
	full := make([]float64, d*d)
	if !c.fam.fullScatter() {
		for k := 0; k < c.k; k++ {
			c.fam.covariance(c, k, full)
			for j := 0; j < d; j++ {
				if !(full[j*d+j] > mcEps) {
					return k, true
				}
			}
		}
		return -1, false
	}
	for k := 0; k < c.k; k++ {
		c.fam.covariance(c, k, full)
		for i := 0; i < d; i++ {
			for j := 0; j < i; j++ {
				full[i*d+j] = full[j*d+i]
			}
		}
		if !cholesky(full, d) {
			return k, true
		}
		lo, hi := math.Inf(1), 0.0
		for j := 0; j < d; j++ {
			v := math.Abs(full[j*d+j])
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if !(lo/(1+hi) > mcRteps) {
			return k, true
		}
	}
	return -1, false
}
