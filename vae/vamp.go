package vae

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
)

// Prior names the prior p(z) of a model.
type Prior string

// The priors of Config.Prior.
const (
	// PriorNormal is N(0, I), the default.
	PriorNormal Prior = "normal"
	// PriorVamp is the VampPrior of Tomczak & Welling (2018): the mixture
	// of the encoder's posteriors at K learned pseudo-inputs u_k,
	// p(z) = (1/K) Σ_k q(z | u_k).
	PriorVamp Prior = "vamp"
)

// ParsePrior returns the prior named s: normal or vamp.
func ParsePrior(s string) (Prior, error) {
	switch p := Prior(s); p {
	case PriorNormal, PriorVamp:
		return p, nil
	}
	return "", fmt.Errorf("vae: unknown prior %q; use normal or vamp", s)
}

// Vamp reports whether the model's prior is the VampPrior.
func (m *Model) Vamp() bool { return m.cfg.Prior == PriorVamp }

// checkPrior fills in and checks the prior's configuration.
func (c *Config) checkPrior() error {
	switch c.Prior {
	case "", PriorNormal:
		c.Prior = ""
		if c.PseudoInputs != 0 {
			return optionError("Config.PseudoInputs", c.PseudoInputs, "pseudo-inputs belong to the VampPrior; set Prior to %q", PriorVamp)
		}
		return nil
	case PriorVamp:
	default:
		return optionError("Config.Prior", fmt.Sprintf("%q", string(c.Prior)), "use %q or %q", PriorNormal, PriorVamp)
	}
	if c.PseudoInputs == 0 {
		c.PseudoInputs = 500
	}
	switch {
	case c.PseudoInputs < 1 || c.PseudoInputs > 1<<16:
		return optionError("Config.PseudoInputs", c.PseudoInputs, "give from 1 to 65536 pseudo-inputs")
	case c.Autoencoder:
		return optionError("Config.Prior", `"vamp"`, "a plain autoencoder has no prior")
	case len(c.Classes) > 0:
		return optionError("Config.Prior", `"vamp"`, "the VampPrior of a conditional model is not supported; use the normal prior")
	}
	return nil
}

// newPseudoInputs draws the starting pseudo-inputs of New, K×Inputs in
// the networks' units: N(0.05, 0.01²) for a Bernoulli decoder (Tomczak &
// Welling's default initialisation, inside the [0, 1] that the clamp
// keeps), and N(0, 1) for a Gaussian decoder's standardised data. Train
// starts them at training rows instead (startPseudoInputs).
func newPseudoInputs(c Config, rng *rand.Rand) *autodiff.Node {
	v := make([]float64, c.PseudoInputs*c.Inputs)
	mean, sd := 0.05, 0.01
	if c.Likelihood == Gaussian {
		mean, sd = 0, 1
	}
	for i := range v {
		v[i] = mean + sd*rng.NormFloat64()
	}
	return autodiff.NewParam(c.PseudoInputs, c.Inputs, v)
}

// startPseudoInputs sets the pseudo-inputs to K training rows xn (in the
// networks' units) drawn without replacement by a seeded shuffle (with
// replacement when K exceeds the rows): the start from the data of
// Tomczak & Welling's code (use_training_data_init), which gives the
// prior digit-like components from the first step.
func (m *Model) startPseudoInputs(xn *mat.Dense, seed uint64) {
	n, d := xn.Dims()
	rng := rand.New(rand.NewPCG(seed, streamPseudo))
	perm := rng.Perm(n)
	for k := 0; k < m.cfg.PseudoInputs; k++ {
		i := perm[k%n]
		if k >= n {
			i = rng.IntN(n)
		}
		copy(m.pseudo.Value[k*d:(k+1)*d], xn.RawRowView(i))
	}
}

// pseudoOnTape records the pseudo-inputs u as the encoder sees them: the
// parameters clamped to [0, 1] for a Bernoulli decoder (pythae's
// hardtanh), as they are for a Gaussian one.
func (m *Model) pseudoOnTape(t *autodiff.Tape) *autodiff.Node {
	if m.cfg.Likelihood == Bernoulli {
		return t.Clamp(m.pseudo, 0, 1)
	}
	return m.pseudo
}

// priorComponents records the VampPrior's components on t: the encoder's
// μ and clamped log σ² at the pseudo-inputs, K×Latent each.
func (m *Model) priorComponents(t *autodiff.Tape) (mu, logvar *autodiff.Node) {
	L := m.cfg.Latent
	h := m.encNet(t, m.pseudoOnTape(t))
	return t.SliceCols(h, 0, L), t.Clamp(t.SliceCols(h, L, 2*L), LogVarMin, LogVarMax)
}

// vampLogPrior records log p(z) of each row of z (n×Latent) under the
// mixture (1/K) Σ_k N(μ_k, diag e^{v_k}) with components mu, logvar
// (K×Latent), n×1:
//
//	log N(z; μ_k, e^{v_k}) = −½ [L log 2π + Σ_j v_kj + Σ_j (z_j − μ_kj)² e^{−v_kj}],
//
// the quadratic expanded as z²·e^{−v} − 2 z·(μ e^{−v}) + Σ μ² e^{−v},
// matrix products over the K components, then a log-sum-exp over k.
func vampLogPrior(t *autodiff.Tape, z, mu, logvar *autodiff.Node) *autodiff.Node {
	K, L := mu.Shape()
	prec := t.Exp(t.Neg(logvar))
	quad := t.Sub(t.MatMulTrans(t.Square(z), false, prec, true), t.Scale(t.MatMulTrans(z, false, t.Mul(mu, prec), true), 2))
	cst := t.Reshape(t.Add(t.RowSums(t.Mul(t.Square(mu), prec)), t.RowSums(logvar)), 1, K)
	logN := t.Scale(t.AddScalar(t.AddRow(quad, cst), float64(L)*log2Pi), -0.5)
	return t.AddScalar(t.LogSumExpRows(logN), -math.Log(float64(K)))
}

// priorConsts returns the VampPrior's components as values (K×Latent
// each), computed once for evaluation and sampling.
func (m *Model) priorConsts() (mu, logvar *mat.Dense) {
	t := autodiff.NewForwardTape()
	mn, lv := m.priorComponents(t)
	return mat.DenseCopyOf(mn.Dense()), mat.DenseCopyOf(lv.Dense())
}

// logPriorRows returns log p(z) of each row of z under the VampPrior with
// the components mu, logvar (from priorConsts), on the forward tape t.
func logPriorRows(t *autodiff.Tape, z []float64, n int, mu, logvar *mat.Dense) []float64 {
	_, L := mu.Dims()
	zc := t.NewConst(n, L)
	copy(zc.Value, z)
	return vampLogPrior(t, zc, t.Const(mu), t.Const(logvar)).Value
}

// PseudoInputs returns the VampPrior's pseudo-inputs u_k, one per row, in
// the data's units (clamped to [0, 1] for a Bernoulli decoder, as the
// encoder sees them), or nil for the normal prior.
func (m *Model) PseudoInputs() *mat.Dense {
	if !m.Vamp() {
		return nil
	}
	u := mat.DenseCopyOf(m.pseudo.Dense())
	if m.cfg.Likelihood == Bernoulli {
		raw := u.RawMatrix().Data
		for i, v := range raw {
			raw[i] = min(max(v, 0), 1)
		}
	}
	m.fromNet(u)
	return u
}
