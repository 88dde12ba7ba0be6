package mixture

import (
	"fmt"
	"math"
)

// newBayes returns a variational mixture of K components in D dimensions
// of the family f with the priors pr, its parameters zero.
func newBayes(f bayesFamily, k, d int, pr BayesPriors) *BayesModel {
	nc := k
	if pr.WeightPrior == DirichletProcess {
		nc = 2 * k
	}
	vb := newModel(f.Type(), k, d)
	return &BayesModel{
		vb:         vb,
		prior:      pr,
		conc:       make([]float64, nc),
		beta:       make([]float64, k),
		dof:        make([]float64, f.vbDofs(k)),
		elnpi:      make([]float64, k),
		lowerBound: math.NaN(),
		elbo:       math.NaN(),
	}
}

// update replaces q(π) q(μ, Λ) by its coordinate-ascent update for the
// statistics s of q(z), computed about the current means (scikit-learn's
// _m_step: _estimate_gaussian_parameters, then _estimate_weights,
// _estimate_means and _estimate_precisions):
//
//	n_k = Σ_i w_i q_ik + 10ε,  x̄_k = Σ_i w_i q_ik x_i / n_k,  S_k = the family's M-step covariance (+ reg)
//	Dirichlet:  α_k = α₀ + n_k;   process:  a_k = 1 + n_k,  b_k = α₀ + Σ_{j>k} n_j
//	β_k = β₀ + n_k,  m_k = (β₀ m₀ + n_k x̄_k)/β_k,
//
// then the family's q(Λ_k) (vbScale) and the derived quantities. during
// names the step in errors.
func (b *BayesModel) update(s *stats, regCovar float64, during string) error {
	m := b.vb
	k, d := m.k, m.d
	pr := &b.prior
	full := s.full
	per := d
	if full {
		per = d * d
	}
	tot := 0.0
	nk := make([]float64, k)
	for c, n := range s.n {
		nk[c] = n + nkFloor
		tot += nk[c]
	}
	// x̄_k and the scatter about it, as Model.mstep computes them.
	xk := make([]float64, k*d)
	scat := make([]float64, k*per)
	delta := make([]float64, d)
	for c := 0; c < k; c++ {
		n, np := s.n[c], nk[c]
		mk := s.m[c*d : (c+1)*d]
		mu := m.means[c*d : (c+1)*d]
		for j := 0; j < d; j++ {
			off := mk[j] * (n / np)
			delta[j] = mk[j] - off
			xk[c*d+j] = mu[j] + off
		}
		sc := scat[c*per : (c+1)*per]
		if full {
			m2 := s.m2[c*d*d : (c+1)*d*d]
			for a := 0; a < d; a++ {
				for bb := a; bb < d; bb++ {
					v := m2[a*d+bb] + n*delta[a]*delta[bb]
					sc[a*d+bb], sc[bb*d+a] = v, v
				}
			}
		} else {
			m2 := s.m2[c*d : (c+1)*d]
			for j := 0; j < d; j++ {
				sc[j] = m2[j] + n*delta[j]*delta[j]
			}
		}
	}
	// S_k: the family's M-step (covariances plus reg), which vbScale
	// turns into q(Λ_k).
	f := b.bfam()
	if err := f.mstep(&m.comps, scat, nk, tot, regCovar); err != nil {
		return fmt.Errorf("%s: %w", during, err)
	}
	// q(π)
	if pr.WeightPrior == DirichletProcess {
		rest := 0.0
		for c := k - 1; c >= 0; c-- {
			b.conc[c] = 1 + nk[c]
			b.conc[k+c] = pr.WeightConcentration + rest
			rest += nk[c]
		}
	} else {
		for c := range nk {
			b.conc[c] = pr.WeightConcentration + nk[c]
		}
	}
	// q(μ | Λ)
	for c := 0; c < k; c++ {
		b.beta[c] = pr.MeanPrecision + nk[c]
		for j := 0; j < d; j++ {
			m.means[c*d+j] = (pr.MeanPrecision*pr.Mean[j] + nk[c]*xk[c*d+j]) / b.beta[c]
		}
	}
	// q(Λ)
	f.vbScale(&m.comps, b.dof, nk, xk, b.beta, pr)
	if c, ok := f.factor(&m.comps); !ok {
		return &ComponentError{Component: c, Weight: nk[c] / tot, Points: s.n[c], RegCovar: regCovar, Covariance: f.Type(), During: during}
	}
	b.setDerived()
	b.gen++
	return nil
}

// setDerived sets, from q(π) and the stored ν_k, β_k and precision
// factors: the weights E_q[π_k] (scikit-learn's weights_), E_q ln π_k,
// and the log weights of the variational E-step (scikit-learn's
// _estimate_log_weights plus the constant parts of _estimate_log_prob):
//
//	ln ρ_ik = E ln π_k + ½ E ln|Λ_k| − ½ D ln 2π − ½ (D/β_k + (x_i − m_k)ᵀ E[Λ_k] (x_i − m_k))
//	        = logW_k − ½ D ln 2π + log det A_k − ½ ‖A_k (x_i − m_k)‖²,
//	logW_k  = E ln π_k + ½ (Σ_{i<D} ψ((ν_k − i)/2) + D ln 2 − D ln ν_k) − D/(2β_k)
//
// (PRML eq. 10.46, 10.64–10.66), with AᵀA = E[Λ_k] = ν_k W_k, so that
// the mixture's E-step kernel computes ln ρ. scikit-learn takes the
// Wishart's E ln|Λ| for every covariance type, and so does this unless
// b.ascent (BayesOptions.CoordinateAscent), which takes the family's own
// (for diag and spherical, that of their Gammas).
func (b *BayesModel) setDerived() {
	m := b.vb
	k, d := m.k, m.d
	if b.prior.WeightPrior == DirichletProcess {
		a, bb := b.conc[:k], b.conc[k:]
		acc, w, tot := 0.0, 1.0, 0.0
		for c := 0; c < k; c++ {
			s := a[c] + bb[c]
			ds := digamma(s)
			b.elnpi[c] = digamma(a[c]) - ds + acc
			acc += digamma(bb[c]) - ds
			m.weights[c] = a[c] / s * w
			w *= bb[c] / s
			tot += m.weights[c]
		}
		for c := range m.weights {
			m.weights[c] /= tot
		}
	} else {
		tot := 0.0
		for _, v := range b.conc {
			tot += v
		}
		dt := digamma(tot)
		for c, v := range b.conc {
			b.elnpi[c] = digamma(v) - dt
			m.weights[c] = v / tot
		}
	}
	fd := float64(d)
	f := b.bfam()
	for c := 0; c < k; c++ {
		shift := wishartShift(b.nu(c), d)
		if b.ascent {
			shift = f.vbLogDetShift(b.nu(c), d)
		}
		m.logW[c] = b.elnpi[c] + 0.5*shift - 0.5*fd/b.beta[c]
	}
}

// sklearnBound returns scikit-learn's lower_bound_ (_compute_lower_bound)
// for q(z) of entropy Σ_i w_i H(q_i) = entropy and the current q(θ): the
// ELBO less the terms that are constant at the coordinate-ascent optimum
// of q(θ),
//
//	L = Σ_i H(q_i) − Σ_k ln B_k − ln C(q(π)) − ½ D Σ_k ln β_k,
//	ln B_k = −ν_k ln|A_k/√ν_k| − ½ ν_k D ln 2 − Σ_{i<D} ln Γ((ν_k − i)/2),
//
// with ln C the log normaliser of q(π) (Dirichlet: ln Γ(Σα) − Σ ln Γ(α_k);
// process: −Σ_k ln B(a_k, b_k)), scikit-learn's Wishart normaliser ln B_k
// taken for every covariance type, K times the shared one for tied.
func (b *BayesModel) sklearnBound(entropy float64) float64 {
	m := b.vb
	k, d := m.k, m.d
	fd := float64(d)
	wish := func(c int) float64 {
		nu := b.nu(c)
		ld := m.logDet[c] - 0.5*fd*math.Log(nu)
		return -(nu*ld + nu*fd*0.5*math.Ln2 + sumLgammaWishart(nu, d))
	}
	lw := 0.0
	if len(b.dof) == 1 {
		lw = float64(k) * wish(0)
	} else {
		for c := 0; c < k; c++ {
			lw += wish(c)
		}
	}
	var lnw float64
	if b.prior.WeightPrior == DirichletProcess {
		for c := 0; c < k; c++ {
			lnw -= betaln(b.conc[c], b.conc[k+c])
		}
	} else {
		tot := 0.0
		for _, v := range b.conc {
			tot += v
			lnw -= lgamma(v)
		}
		lnw += lgamma(tot)
	}
	lb := 0.0
	for _, v := range b.beta {
		lb += math.Log(v)
	}
	return entropy - lw - lnw - 0.5*fd*lb
}

// ELBO is the full evidence lower bound of a Bayesian mixture, with every
// constant, split into its terms (totals over the rows, in nats):
//
//	ELBO = LogLik − KLAssignments − KLWeights − KLParams ≤ log p(X)
//
// with LogLik = E_q ln p(X | Z, μ, Λ), KLAssignments = E_q[ln q(Z) −
// ln p(Z | π)], KLWeights = KL(q(π) ‖ p(π)) and KLParams = Σ_k KL(q(μ_k,
// Λ_k) ‖ p(μ_k, Λ_k)) (PRML eq. 10.70–10.77; for the Dirichlet process,
// Blei & Jordan 2006, with the sticks and components beyond K at their
// prior, which adds nothing).
type ELBO struct {
	ELBO          float64 `json:"elbo"`
	LogLik        float64 `json:"expected_log_likelihood"`
	KLAssignments float64 `json:"kl_assignments"`
	KLWeights     float64 `json:"kl_weights"`
	KLParams      float64 `json:"kl_means_precisions"`
}

// fullELBO returns the ELBO of q(z), given by its statistics s (computed
// about shift, the means when the E-step ran) and entropy Σ_i w_i H(q_i),
// and the current q(θ).
func (b *BayesModel) fullELBO(s *stats, shift []float64, entropy float64) ELBO {
	m := b.vb
	k, d := m.k, m.d
	fd := float64(d)
	f := b.bfam()
	pr := &b.prior
	full := s.full
	per := d
	if full {
		per = d * d
	}
	var e ELBO
	q := make([]float64, per)
	diff := make([]float64, d)
	one := make([]float64, 1)
	var sc scratch
	ln2pi := math.Log(2 * math.Pi)
	for c := 0; c < k; c++ {
		n := s.n[c]
		nu, beta := b.nu(c), b.beta[c]
		mu := m.means[c*d : (c+1)*d]
		// Q_k = M2_k + n_k (x̄_k − m_k)(x̄_k − m_k)ᵀ, x̄_k = shift_k + offset.
		for j := 0; j < d; j++ {
			diff[j] = shift[c*d+j] + s.m[c*d+j] - mu[j]
		}
		if full {
			m2 := s.m2[c*d*d : (c+1)*d*d]
			for a := 0; a < d; a++ {
				for bb := a; bb < d; bb++ {
					v := m2[a*d+bb] + n*diff[a]*diff[bb]
					q[a*d+bb], q[bb*d+a] = v, v
				}
			}
		} else {
			m2 := s.m2[c*d : (c+1)*d]
			for j := 0; j < d; j++ {
				q[j] = m2[j] + n*diff[j]*diff[j]
			}
		}
		eln := 2*m.logDet[c] + f.vbLogDetShift(nu, d)
		e.LogLik += 0.5 * (n*(eln-fd*ln2pi-fd/beta) - f.trace(&m.comps, c, q))
		e.KLAssignments -= n * b.elnpi[c]
		// KL(q(μ|Λ) ‖ p(μ|Λ)) in expectation over q(Λ), then KL of Λ.
		for j := 0; j < d; j++ {
			diff[j] = mu[j] - pr.Mean[j]
		}
		f.maha(&m.comps, c, one, diff, 1, &sc)
		e.KLParams += 0.5*fd*math.Log(beta/pr.MeanPrecision) - 0.5*fd + 0.5*fd*pr.MeanPrecision/beta + 0.5*pr.MeanPrecision*one[0]
		e.KLParams += f.vbKLPrecision(&m.comps, c, nu, pr)
	}
	e.KLAssignments -= entropy
	a0 := pr.WeightConcentration
	if pr.WeightPrior == DirichletProcess {
		for c := 0; c < k; c++ {
			e.KLWeights += klBeta(b.conc[c], b.conc[k+c], 1, a0)
		}
	} else {
		tot := 0.0
		for _, v := range b.conc {
			tot += v
		}
		dt := digamma(tot)
		e.KLWeights = lgamma(tot) - lgamma(float64(k)*a0) + float64(k)*lgamma(a0)
		for _, v := range b.conc {
			e.KLWeights += -lgamma(v) + (v-a0)*(digamma(v)-dt)
		}
	}
	e.ELBO = e.LogLik - e.KLAssignments - e.KLWeights - e.KLParams
	return e
}
