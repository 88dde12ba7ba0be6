package vae

import (
	"fmt"
	"math"

	"github.com/latentgo/latent/autodiff"
)

// Terms are the pieces of the training objective for one batch, recorded
// on a tape by Objective. Per-row terms are n×1 columns in nats, in the
// units the networks see (see Model.Shift).
type Terms struct {
	// Loss is the 1×1 quantity minimised: the mean over rows of
	// Recon + β·KL, or with free bits λ > 0,
	// mean(Recon) + β·Σ_j max(λ, mean_i KL_ij).
	Loss *autodiff.Node
	// Recon is −log p(x̃_i | z_i) per row, with one z_i per row.
	Recon *autodiff.Node
	// KL is KL(q(z | x_i) ‖ N(0, I)) per row, in closed form; nil for an
	// autoencoder.
	KL *autodiff.Node
	// Mu and LogVar are the encoder's μ and clamped log σ², n×Latent;
	// for an autoencoder Mu is the code and LogVar is nil.
	Mu, LogVar *autodiff.Node
	// Z is the code fed to the decoder, μ + σ ⊙ ε (the code itself for an
	// autoencoder).
	Z *autodiff.Node
	// Out is the decoder's output: logits (Bernoulli) or means (Gaussian).
	Out *autodiff.Node
	// Bound is, for IWObjective, each row's k-sample importance-weighted
	// bound on log p(x̃_i), n×1; nil for Objective.
	Bound *autodiff.Node
}

// Objective records the negative ELBO of the batch x (n×Inputs, already
// scaled as Model.Shift says; it is also the reconstruction target) on t,
// with the reparameterisation noise eps (n×Latent, standard normal draws;
// nil for an autoencoder), the KL weight beta and free bits freeBits
// (nats per latent dimension; 0 for none):
//
//	z_i  = μ(x_i) + exp(½ log σ²(x_i)) ⊙ ε_i
//	loss = (1/n) Σ_i [ −log p(x_i | z_i) + β · KL(q(z | x_i) ‖ N(0, I)) ].
//
// With ε frozen the loss is a deterministic function of the parameters,
// which is what a gradient check needs (catalog V-01). It panics when the
// shapes do not fit the model.
func (m *Model) Objective(t *autodiff.Tape, x, eps *autodiff.Node, beta, freeBits float64) Terms {
	return m.ObjectiveGiven(t, x, nil, eps, beta, freeBits)
}

// ObjectiveGiven is Objective for a conditional model (Config.Classes):
// cond (n×len(Classes)) holds the one-hot class of each row, fed to the
// encoder beside x and to the decoder beside z (Sohn, Lee & Yan 2015);
// nil for an unconditional model. It panics when cond is missing, present
// on an unconditional model, or of the wrong shape.
func (m *Model) ObjectiveGiven(t *autodiff.Tape, x, cond, eps *autodiff.Node, beta, freeBits float64) Terms {
	n, d := x.Shape()
	if d != m.cfg.Inputs {
		panic(fmt.Sprintf("vae: Objective: x has %d columns, the model takes %d", d, m.cfg.Inputs))
	}
	m.checkCond("Objective", cond, n)
	L := m.cfg.Latent
	var tr Terms
	h := m.encNet(t, given(t, x, cond))
	if m.cfg.Autoencoder {
		tr.Mu, tr.Z = h, h
	} else {
		if eps == nil || eps.Rows() != n || eps.Cols() != L {
			panic(fmt.Sprintf("vae: Objective: eps must be %d×%d", n, L))
		}
		tr.Mu = t.SliceCols(h, 0, L)
		tr.LogVar = t.Clamp(t.SliceCols(h, L, 2*L), LogVarMin, LogVarMax)
		tr.Z = reparameterize(t, tr.Mu, tr.LogVar, eps)
	}
	tr.Out = m.decNet(t, given(t, tr.Z, cond))
	tr.Recon = m.reconstruction(t, tr.Out, x)
	if m.cfg.Autoencoder {
		tr.Loss = t.Mean(tr.Recon)
		return tr
	}
	if m.Vamp() {
		tr.KL = m.vampKL(t, tr.Z, tr.LogVar, eps)
	} else {
		tr.KL = t.KLNormal(tr.Mu, tr.LogVar)
	}
	switch {
	case freeBits > 0:
		// KL per dimension, averaged over the batch, floored at λ: the
		// clamp passes no gradient below λ, so a dimension whose KL is
		// under its allowance is not pushed further towards the prior
		// (Kingma et al. 2016, eq. 15).
		terms := t.Scale(t.Sub(t.Add(t.Square(tr.Mu), t.Exp(tr.LogVar)), t.AddScalar(tr.LogVar, 1)), 0.5)
		perDim := t.Scale(t.ColSums(terms), 1/float64(n))
		kl := t.Sum(t.Clamp(perDim, freeBits, math.Inf(1)))
		tr.Loss = t.Add(t.Mean(tr.Recon), t.Scale(kl, beta))
	case beta == 1:
		tr.Loss = t.Mean(t.Add(tr.Recon, tr.KL))
	default:
		tr.Loss = t.Mean(t.Add(tr.Recon, t.Scale(tr.KL, beta)))
	}
	return tr
}

// vampKL records the one-draw Monte Carlo estimate of KL(q(z | x) ‖ p(z))
// under the VampPrior (Tomczak & Welling 2018, eq. 5 and §3), n×1:
//
//	log q(z | x) − log p(z),   log q(z | x) = −½ Σ_j (log 2π + log σ_j² + ε_j²),
//
// at z = μ + σ ⊙ ε; its expectation is the KL, one draw may be negative.
func (m *Model) vampKL(t *autodiff.Tape, z, logvar, eps *autodiff.Node) *autodiff.Node {
	muU, lvU := m.priorComponents(t)
	return t.Sub(logQ(t, logvar, eps), vampLogPrior(t, z, muU, lvU))
}

// logQ records log q(z | x) = −½ Σ_j (log 2π + log σ_j² + ε_j²) of each
// row at z = μ + σ ⊙ ε (the ε rows may repeat logvar's k times each).
func logQ(t *autodiff.Tape, logvar, eps *autodiff.Node) *autodiff.Node {
	n, L := eps.Shape()
	e2 := t.NewConst(n, L)
	for i, e := range eps.Value {
		e2.Value[i] = e * e
	}
	if logvar.Rows() != n {
		logvar = t.RepeatRows(logvar, n/logvar.Rows())
	}
	return t.Scale(t.AddScalar(t.RowSums(t.Add(logvar, e2)), float64(L)*log2Pi), -0.5)
}

// checkCond panics unless cond fits the model and n rows.
func (m *Model) checkCond(op string, cond *autodiff.Node, n int) {
	C := len(m.cfg.Classes)
	switch {
	case C == 0 && cond != nil:
		panic(fmt.Sprintf("vae: %s: a condition given to an unconditional model", op))
	case C > 0 && cond == nil:
		panic(fmt.Sprintf("vae: %s: a conditional model needs the one-hot classes of the rows (use the Given form)", op))
	case C > 0 && (cond.Rows() != n || cond.Cols() != C):
		panic(fmt.Sprintf("vae: %s: cond must be %d×%d", op, n, C))
	}
}

// reparameterize records z = μ + exp(½ log σ²) ⊙ ε (Kingma & Welling 2014,
// §2.4): a draw from N(μ, diag σ²) that is a differentiable function of μ
// and log σ² for fixed noise ε ~ N(0, I), with ∂z/∂μ = 1 and
// ∂z/∂log σ² = ½ σ ε (catalog V-02).
func reparameterize(t *autodiff.Tape, mu, logvar, eps *autodiff.Node) *autodiff.Node {
	return t.Add(mu, t.Mul(t.Exp(t.Scale(logvar, 0.5)), eps))
}

// reconstruction records −log p(x | out) per row for the model's decoder.
func (m *Model) reconstruction(t *autodiff.Tape, out, x *autodiff.Node) *autodiff.Node {
	if m.cfg.Likelihood == Bernoulli {
		return t.BCEWithLogits(out, x)
	}
	n, d := x.Shape()
	var lv *autodiff.Node
	if m.logVar != nil {
		zero := t.NewConst(n, d)
		clear(zero.Value)
		lv = t.AddRow(zero, t.Clamp(m.logVar, LogVarMin, LogVarMax))
	} else {
		lv = t.NewConst(n, d)
		v := math.Log(m.cfg.Variance)
		for i := range lv.Value {
			lv.Value[i] = v
		}
	}
	return t.Neg(t.GaussianLogLik(x, out, lv))
}

// decoderLogVar returns the clamped decoder log σ² of column j (Gaussian).
func (m *Model) decoderLogVar(j int) float64 {
	if m.logVar != nil {
		return min(max(m.logVar.Value[j], LogVarMin), LogVarMax)
	}
	return math.Log(m.cfg.Variance)
}

// bernoulliLogLik is log p(x | ℓ) = Σ_j x_j log σ(ℓ_j) + (1 − x_j) log σ(−ℓ_j),
// the Bernoulli log-likelihood from logits in the form of catalog
// N-07/N-08, with log σ(±ℓ) = −max(∓ℓ, 0) − log(1 + e^−|ℓ|): finite for
// every finite logit, exactly 0 at ℓ = ±1e308 (and ±Inf) with the matching
// label. A term whose weight x_j or 1 − x_j is 0 is skipped, so an
// infinite logit never meets a zero weight (0·Inf).
func bernoulliLogLik(logits, x []float64) float64 {
	s := 0.0
	for j, l := range logits {
		y := x[j]
		v := -math.Log1p(math.Exp(-math.Abs(l)))
		if y != 0 {
			v -= y * math.Max(-l, 0)
		}
		if y != 1 {
			v -= (1 - y) * math.Max(l, 0)
		}
		s += v
	}
	return s
}

// logLik returns log p(x̃ | out) of one row in the networks' units.
func (m *Model) logLik(out, x []float64) float64 {
	if m.cfg.Likelihood == Bernoulli {
		return bernoulliLogLik(out, x)
	}
	s := 0.0
	for j, mu := range out {
		lv := m.decoderLogVar(j)
		r := x[j] - mu
		s -= 0.5 * (log2Pi + lv + r*r*math.Exp(-lv))
	}
	return s
}

var log2Pi = math.Log(2 * math.Pi)

// klRow is KL(N(μ, diag e^lv) ‖ N(0, I)) of one row, added per dimension
// into perDim when it is not nil.
func klRow(mu, lv, perDim []float64) float64 {
	s := 0.0
	for j, m := range mu {
		k := 0.5 * (m*m + math.Exp(lv[j]) - 1 - lv[j])
		if perDim != nil {
			perDim[j] += k
		}
		s += k
	}
	return s
}
