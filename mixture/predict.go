package mixture

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// rowsPass is an em.Model that evaluates the weighted log densities of
// every row and hands each row to emit; it is how predictions run on every
// core.
type rowsPass struct {
	m    *Model
	emit func(row int, lp []float64, ll float64)
	// finite makes a row of zero density under every component an error
	// (its responsibilities are 0/0); its log-likelihood −Inf is otherwise
	// the right answer.
	finite bool
	miss   *patterns // the model marginalises missing values (missing.go)
}

func (p *rowsPass) NewStats() em.Stats { return nil }
func (p *rowsPass) NewWorker() em.Worker {
	w := p.m.newWorker()
	w.miss = p.miss
	return &rowsWorker{p: p, w: w}
}
func (p *rowsPass) MStep(em.Stats) (float64, error) { return 0, nil }

type rowsWorker struct {
	p *rowsPass
	w *worker
}

func (rw *rowsWorker) EStep(_ em.Stats, first int, x *mat.Dense, wt []float64) (em.Partial, error) {
	w := rw.w
	k := w.m.k
	raw := x.RawMatrix()
	if w.miss != nil && hasNaN(raw) {
		return rw.estepMissing(first, raw, wt)
	}
	var part em.Partial
	for lo := 0; lo < raw.Rows; lo += w.chunk {
		n := min(w.chunk, raw.Rows-lo)
		w.logProb(raw.Data[lo*raw.Stride:], raw.Stride, n)
		for i := 0; i < n; i++ {
			lp := w.lp[i*k : (i+1)*k]
			ll, _ := logNorm(lp, w.e)
			if rw.p.finite && math.IsInf(ll, -1) {
				return em.Partial{}, &em.RowError{Row: first + lo + i, Err: errZeroDensity}
			}
			if rw.p.emit != nil {
				rw.p.emit(first+lo+i, lp, ll)
			}
			wi := 1.0
			if wt != nil {
				wi = wt[lo+i]
			}
			part.LogLik += wi * ll
			part.Weight += wi
		}
	}
	return part, nil
}

// input checks x for prediction: fitted model, finite values, and the
// model's number of columns (catalog M-01, M-02, M-07, M-10).
func (m *Model) input(x mat.Matrix) (*rowData, error) {
	if err := m.fitted(); err != nil {
		return nil, err
	}
	if x == nil {
		panic("mixture: nil data matrix")
	}
	if _, c := x.Dims(); c != m.d {
		return nil, dataErrorf("X has %d features, but the model is expecting %d features as input", c, m.d)
	}
	return m.checkRows(x, nil)
}

// run evaluates every row of x on all cores.
func (m *Model) run(x mat.Matrix, w []float64, finite bool, emit func(row int, lp []float64, ll float64)) (em.Partial, error) {
	_, part, err := em.Pass(context.Background(), em.Matrix(x, w), &rowsPass{m: m, emit: emit, finite: finite, miss: m.missingPatterns()}, false, em.Options{})
	if err != nil {
		return part, fmt.Errorf("mixture: %w", err)
	}
	return part, nil
}

// Predict returns, in dst, the most probable component of each row of x,
// argmax_k π_k N(x_i | μ_k, Σ_k) (ties to the lowest k). dst is allocated
// when nil and must have one element per row otherwise.
func (m *Model) Predict(dst []int, x mat.Matrix) ([]int, error) {
	if _, err := m.input(x); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	dst = sized(dst, n, "Predict")
	_, err := m.run(x, nil, true, func(row int, lp []float64, _ float64) {
		best := 0
		for k, v := range lp {
			if v > lp[best] {
				best = k
			}
		}
		dst[row] = best
	})
	return dst, err
}

// PredictProba returns, in dst (N×K; allocated when nil), the posterior
// probability of each component for each row: the responsibilities
// p(z = k | x_i), computed in log space, so that rows sum to 1 even far
// from every component (catalog N-02, M-31).
func (m *Model) PredictProba(dst *mat.Dense, x mat.Matrix) (*mat.Dense, error) {
	if _, err := m.input(x); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	if dst == nil {
		dst = mat.NewDense(n, m.k, nil)
	} else if r, c := dst.Dims(); r != n || c != m.k {
		panic(fmt.Sprintf("mixture: PredictProba: dst is %d×%d, want %d×%d", r, c, n, m.k))
	}
	_, err := m.run(x, nil, true, func(row int, lp []float64, ll float64) {
		for k, v := range lp {
			dst.Set(row, k, math.Exp(v-ll))
		}
	})
	return dst, err
}

// ScoreSamples returns, in dst (allocated when nil), the log-likelihood
// log p(x_i) = log Σ_k π_k N(x_i | μ_k, Σ_k) of each row, in nats.
func (m *Model) ScoreSamples(dst []float64, x mat.Matrix) ([]float64, error) {
	if _, err := m.input(x); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	dst = sizedF(dst, n, "ScoreSamples")
	_, err := m.run(x, nil, false, func(row int, _ []float64, ll float64) { dst[row] = ll })
	return dst, err
}

// Score returns the mean log-likelihood per row of x (weighted by w when
// not nil), in nats: scikit-learn's score, and the mean of ScoreSamples
// (catalog M-35).
func (m *Model) Score(x mat.Matrix, w []float64) (float64, error) {
	if _, err := m.input(x); err != nil {
		return 0, err
	}
	if _, err := m.checkRows(x, w); err != nil {
		return 0, err
	}
	part, err := m.run(x, w, false, nil)
	if err != nil {
		return 0, err
	}
	return part.LogLik / part.Weight, nil
}

// BIC returns the Bayesian information criterion of the model on x,
// −2·log L + p·ln n (Schwarz 1978), with scikit-learn's sign: lower is
// better. mclust reports 2·log L − p·ln n = −BIC.
func (m *Model) BIC(x mat.Matrix) (float64, error) {
	s, err := m.Score(x, nil)
	if err != nil {
		return 0, err
	}
	n, _ := x.Dims()
	bic, _ := criteria(s*float64(n), m.NumParams(), float64(n))
	return bic, nil
}

// AIC returns the Akaike information criterion of the model on x,
// −2·log L + 2p (Akaike 1974); lower is better.
func (m *Model) AIC(x mat.Matrix) (float64, error) {
	s, err := m.Score(x, nil)
	if err != nil {
		return 0, err
	}
	n, _ := x.Dims()
	_, aic := criteria(s*float64(n), m.NumParams(), float64(n))
	return aic, nil
}

func sized(dst []int, n int, what string) []int {
	if dst == nil {
		return make([]int, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("mixture: %s: dst has length %d, want %d", what, len(dst), n))
	}
	return dst
}

func sizedF(dst []float64, n int, what string) []float64 {
	if dst == nil {
		return make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("mixture: %s: dst has length %d, want %d", what, len(dst), n))
	}
	return dst
}
