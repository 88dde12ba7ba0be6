package mixture

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// The outputs of a BayesModel, as scikit-learn's BayesianGaussianMixture
// computes them: Predict, PredictProba, ScoreSamples and Score from the
// variational log weights
//
//	ln ρ_ik = E_q ln π_k + E_q ln N(x_i | μ_k, Λ_k⁻¹)   (setDerived)
//
// (scikit-learn's _estimate_weighted_log_prob), Sample from the point
// estimates; and the posterior predictive density
// (PredictiveLogDensity), which integrates over q(θ) exactly.

// input checks x for a fitted model's method.
func (b *BayesModel) input(x mat.Matrix) error {
	if err := b.fittedB(); err != nil {
		return err
	}
	_, err := b.vb.input(x)
	return err
}

// Predict returns, in dst, the component of each row of x with the
// largest ln ρ_ik (ties to the lowest k): scikit-learn's predict, the
// most probable component under q. dst is allocated when nil and must
// have one element per row otherwise.
func (b *BayesModel) Predict(dst []int, x mat.Matrix) ([]int, error) {
	if err := b.input(x); err != nil {
		return nil, err
	}
	return b.vb.Predict(dst, x)
}

// PredictProba returns, in dst (N×K; allocated when nil), the variational
// responsibilities q(z_i = k) = ρ_ik / Σ_j ρ_ij of each row: scikit-learn's
// predict_proba.
func (b *BayesModel) PredictProba(dst *mat.Dense, x mat.Matrix) (*mat.Dense, error) {
	if err := b.input(x); err != nil {
		return nil, err
	}
	return b.vb.PredictProba(dst, x)
}

// ScoreSamples returns, in dst (allocated when nil), ln Σ_k ρ_ik for each
// row of x: scikit-learn's score_samples. It is not the log of a density
// (ρ integrates to less than 1; ln ρ is E_q of a log density); for that
// see PredictiveLogDensity.
func (b *BayesModel) ScoreSamples(dst []float64, x mat.Matrix) ([]float64, error) {
	if err := b.input(x); err != nil {
		return nil, err
	}
	return b.vb.ScoreSamples(dst, x)
}

// Score returns the mean of ScoreSamples over the rows of x (weighted by
// w when not nil): scikit-learn's score.
func (b *BayesModel) Score(x mat.Matrix, w []float64) (float64, error) {
	if err := b.input(x); err != nil {
		return 0, err
	}
	return b.vb.Score(x, w)
}

// Sample fills every row of dst with a draw from the mixture of the point
// estimates (Weights, Means, Covariance), as scikit-learn's sample: the
// counts per component are one multinomial draw and the rows come grouped
// by component; labels, when not nil, get each row's component. It panics
// as Model.Sample does.
func (b *BayesModel) Sample(dst *mat.Dense, labels []int, rng *rand.Rand) error {
	if err := b.fittedB(); err != nil {
		return err
	}
	return b.vb.Sample(dst, labels, rng)
}

// PredictiveLogDensity returns, in dst (allocated when nil), the log of
// the posterior predictive density at each row of x,
//
//	p(x | X) ≈ ∫ p(x | θ) q(θ) dθ = Σ_k E_q[π_k] St(x | m_k, L_k⁻¹, τ_k) (+ the rest),
//
// exact for the fitted q: each component's Normal–Wishart integrates to a
// multivariate Student t (PRML eq. 10.78–10.82; for diag a product of
// univariate ones, for spherical a t with Dν_k degrees of freedom). For
// the Dirichlet process, E_q[π_k] are the sticks' unnormalised expected
// weights, and the mass Π_k E_q[1 − v_k] left beyond the K components
// goes to the prior's predictive, the density of a new component. It is
// a density: it integrates to 1 over x.
func (b *BayesModel) PredictiveLogDensity(dst []float64, x mat.Matrix) ([]float64, error) {
	if err := b.input(x); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	dst = sizedF(dst, n, "PredictiveLogDensity")
	p := b.predictivePass(func(row int, ll float64) { dst[row] = ll })
	if _, _, err := em.Pass(context.Background(), em.Matrix(x, nil), p, false, em.Options{}); err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	return dst, nil
}

// PredictiveScore returns the mean of PredictiveLogDensity over the rows
// of x (weighted by w when not nil), in nats: the held-out log predictive
// of the fit.
func (b *BayesModel) PredictiveScore(x mat.Matrix, w []float64) (float64, error) {
	if err := b.input(x); err != nil {
		return 0, err
	}
	if _, err := checkData(x, w, "X"); err != nil {
		return 0, err
	}
	_, part, err := em.Pass(context.Background(), em.Matrix(x, w), b.predictivePass(nil), false, em.Options{})
	if err != nil {
		return 0, fmt.Errorf("mixture: %w", err)
	}
	return part.LogLik / part.Weight, nil
}

// predictiveWeights returns the weights of the predictive's K components
// and of the prior's (0 for a Dirichlet distribution).
func (b *BayesModel) predictiveWeights() ([]float64, float64) {
	k := b.vb.k
	w := make([]float64, k)
	if b.prior.WeightPrior == DirichletProcess {
		rest := 1.0
		for c := 0; c < k; c++ {
			a, bb := b.conc[c], b.conc[k+c]
			w[c] = rest * a / (a + bb)
			rest *= bb / (a + bb)
		}
		return w, rest
	}
	tot := 0.0
	for _, v := range b.conc {
		tot += v
	}
	for c, v := range b.conc {
		w[c] = v / tot
	}
	return w, 0
}

// priorComps returns the prior as one component of b's family, with its
// ν₀ and β₀: mean m₀, normalised covariance Ψ₀/ν₀.
func (b *BayesModel) priorComps() comps {
	f := b.vb.fam
	d := b.vb.d
	c := newComps(f, 1, d)
	copy(c.means, b.prior.Mean)
	for i, v := range b.prior.Covariance {
		c.covs[i] = v / b.prior.DegreesOfFreedom
	}
	f.factor(&c) // positive definite: checked when the priors were resolved
	return c
}

type predictivePass struct {
	b     *BayesModel
	w     []float64
	rest  float64
	prior comps
	emit  func(row int, ll float64)
}

func (b *BayesModel) predictivePass(emit func(int, float64)) *predictivePass {
	w, rest := b.predictiveWeights()
	return &predictivePass{b: b, w: w, rest: rest, prior: b.priorComps(), emit: emit}
}

func (p *predictivePass) NewStats() em.Stats              { return nil }
func (p *predictivePass) MStep(em.Stats) (float64, error) { return 0, nil }
func (p *predictivePass) NewWorker() em.Worker {
	k, d := p.b.vb.k, p.b.vb.d
	const chunk = 256
	return &predictiveWorker{p: p, diff: make([]float64, chunk*d), lp: make([]float64, (k+1)*chunk), e: make([]float64, k+1)}
}

type predictiveWorker struct {
	p    *predictivePass
	diff []float64
	lp   []float64 // (K+1)·chunk: component-major log weight + log t
	e    []float64
	s    scratch
}

func (w *predictiveWorker) EStep(_ em.Stats, first int, x *mat.Dense, wt []float64) (em.Partial, error) {
	b := w.p.b
	m := b.vb
	k, d := m.k, m.d
	f := b.bfam()
	raw := x.RawMatrix()
	chunk := len(w.diff) / d
	nc := k
	if w.p.rest > 0 {
		nc = k + 1
	}
	lrow := make([]float64, nc)
	var part em.Partial
	for lo := 0; lo < raw.Rows; lo += chunk {
		n := min(chunk, raw.Rows-lo)
		for c := 0; c < nc; c++ {
			lp := w.lp[c*chunk : c*chunk+n]
			cc, comp, nu, beta, wc := &m.comps, c, b.nu(min(c, k-1)), 0.0, 0.0
			if c < k {
				beta, wc = b.beta[c], w.p.w[c]
			} else {
				cc, comp, nu, beta, wc = &w.p.prior, 0, b.prior.DegreesOfFreedom, b.prior.MeanPrecision, w.p.rest
			}
			subRows(w.diff[:n*d], raw.Data[lo*raw.Stride:], raw.Stride, cc.means[comp*d:(comp+1)*d], n, d)
			lw := math.Log(wc)
			for i := range lp {
				lp[i] = lw
			}
			f.vbPredictive(cc, comp, nu, beta, lp, w.diff[:n*d], n, &w.s)
		}
		for i := 0; i < n; i++ {
			for c := 0; c < nc; c++ {
				lrow[c] = w.lp[c*chunk+i]
			}
			ll, _ := logNorm(lrow, w.e)
			if w.p.emit != nil {
				w.p.emit(first+lo+i, ll)
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
