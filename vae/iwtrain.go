package vae

import (
	"fmt"
	"math"

	"github.com/latentgo/latent/autodiff"
)

// IWObjective records the negative k-sample importance-weighted bound of
// the batch x (n×Inputs, in the networks' units) on t (Burda, Grosse &
// Salakhutdinov 2016, eq. 8), with the reparameterisation noise eps
// ((n·k)×Latent, standard normal draws; rows i·k … i·k + k − 1 are row
// i's k codes):
//
//	z_is  = μ(x_i) + σ(x_i) ⊙ ε_is,   s = 1 … k
//	log w_is = log p(x_i | z_is) + log p(z_is) − log q(z_is | x_i)
//	         = log p(x_i | z_is) + ½ Σ_j (ε_isj² − z_isj² + log σ²_ij)
//	loss  = −(1/n) Σ_i [ log Σ_s exp(log w_is) − log k ].
//
// The log q term is written through ε (the 2π terms of the two normals
// cancel), so that with ε frozen the loss is a deterministic function of
// the parameters and its gradient is the IWAE estimator of the package
// doc. Terms.Bound holds each row's bound (before the mean), Terms.Recon
// the mean over its k codes of −log p(x_i | z_is), and Terms.KL the
// closed-form KL(q(z | x_i) ‖ N(0, I)) of the ELBO, for monitoring (not
// part of the loss). At k = 1 the loss is the ELBO with its KL term
// estimated by the same draw instead of in closed form. It panics when
// the shapes do not fit the model, when k < 1, or for an autoencoder.
func (m *Model) IWObjective(t *autodiff.Tape, x, eps *autodiff.Node, k int) Terms {
	return m.IWObjectiveGiven(t, x, nil, eps, k)
}

// IWObjectiveGiven is IWObjective for a conditional model: cond
// (n×len(Classes)) holds the one-hot class of each row, as in
// ObjectiveGiven; each row's k codes are decoded with its class.
func (m *Model) IWObjectiveGiven(t *autodiff.Tape, x, cond, eps *autodiff.Node, k int) Terms {
	n, d := x.Shape()
	if d != m.cfg.Inputs {
		panic(fmt.Sprintf("vae: IWObjective: x has %d columns, the model takes %d", d, m.cfg.Inputs))
	}
	if m.cfg.Autoencoder {
		panic("vae: IWObjective: a plain autoencoder has no q(z | x)")
	}
	m.checkCond("IWObjective", cond, n)
	L := m.cfg.Latent
	if k < 1 || eps == nil || eps.Rows() != n*k || eps.Cols() != L {
		panic(fmt.Sprintf("vae: IWObjective: k = %d, and eps must be %d×%d", k, n*k, L))
	}
	var tr Terms
	h := m.encNet(t, given(t, x, cond))
	tr.Mu = t.SliceCols(h, 0, L)
	tr.LogVar = t.Clamp(t.SliceCols(h, L, 2*L), LogVarMin, LogVarMax)
	lvk := t.RepeatRows(tr.LogVar, k)
	tr.Z = reparameterize(t, t.RepeatRows(tr.Mu, k), lvk, eps)
	var condk *autodiff.Node
	if cond != nil {
		condk = t.RepeatRows(cond, k)
	}
	tr.Out = m.decNet(t, given(t, tr.Z, condk))
	recon := m.reconstruction(t, tr.Out, t.RepeatRows(x, k))
	var logPQ *autodiff.Node
	if m.Vamp() {
		muU, lvU := m.priorComponents(t)
		logPQ = t.Sub(vampLogPrior(t, tr.Z, muU, lvU), logQ(t, lvk, eps))
	} else {
		eps2 := t.NewConst(n*k, L)
		for i, e := range eps.Value {
			eps2.Value[i] = e * e
		}
		logPQ = t.Scale(t.RowSums(t.Add(t.Sub(eps2, t.Square(tr.Z)), lvk)), 0.5)
	}
	logw := t.Reshape(t.Sub(logPQ, recon), n, k)
	tr.Bound = t.AddScalar(t.LogSumExpRows(logw), -math.Log(float64(k)))
	tr.Loss = t.Neg(t.Mean(tr.Bound))
	tr.Recon = t.Scale(t.RowSums(t.Reshape(recon, n, k)), 1/float64(k))
	if m.Vamp() {
		// The one-draw KL of each row's first code, for monitoring.
		tr.KL = t.Neg(t.Reshape(t.SliceCols(t.Reshape(logPQ, n, k), 0, 1), n, 1))
	} else {
		tr.KL = t.KLNormal(tr.Mu, tr.LogVar)
	}
	return tr
}
