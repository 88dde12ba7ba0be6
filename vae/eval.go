package vae

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/memlimit"
)

// ActiveThreshold is the variance above which a latent dimension counts as
// active: dimension j is active when Cov_x(E_q[z_j | x]) > 0.01 (Burda,
// Grosse & Salakhutdinov 2016, §5.2).
const ActiveThreshold = 0.01

// EvalOptions configure Evaluate. The zero value draws one code per row
// from a stream of seed 0.
type EvalOptions struct {
	// Samples is the number of codes drawn per row to estimate the
	// reconstruction term; 0 means 1 (the PyTorch example's test loss).
	Samples int
	// Seed seeds the codes; the same seed gives the same numbers, whatever
	// the number of rows evaluated at once.
	Seed uint64
	// Labels are the classes of the rows, one per row, for a conditional
	// model (required there); ignored by an unconditional one.
	Labels []string
}

// Eval is a model's score on a set of rows: the evidence lower bound
//
//	ELBO(x) = E_q(z|x)[log p(x | z)] − KL(q(z | x) ‖ N(0, I)) ≤ log p(x),
//
// averaged over the rows, with its two terms apart, and the posterior-
// collapse monitor: the KL per latent dimension and the active units.
// Everything is in nats per row, in the data's units (the log-Jacobian of
// the model's scaling included).
type Eval struct {
	Rows int `json:"rows"`
	// ELBO is the mean ELBO; −ELBO is the PyTorch example's test loss.
	// For a plain autoencoder, which has no KL term, it is
	// −Reconstruction and bounds nothing.
	ELBO float64 `json:"elbo"`
	// Reconstruction is the mean of −log p(x | z), z ~ q(z | x), estimated
	// with Samples codes per row.
	Reconstruction float64 `json:"reconstruction"`
	// KL is the mean KL(q(z | x) ‖ N(0, I)), exact (closed form); under
	// the VampPrior, KL(q(z | x) ‖ p(z)) estimated by Monte Carlo with the
	// Samples codes of each row.
	KL float64 `json:"kl"`
	// KLPerDim is the mean KL of each latent dimension; they sum to KL.
	// nil under the VampPrior, whose KL does not split by dimension.
	KLPerDim []float64 `json:"kl_per_dim,omitempty"`
	// UnitVariance is Cov_x(E_q[z_j | x]) per dimension: the variance over
	// rows of μ_j(x) (ColumnVariance: divisor n − 1, as numpy.cov), the
	// code itself for an autoencoder.
	UnitVariance []float64 `json:"unit_variance"`
	// ActiveUnits counts the dimensions whose UnitVariance exceeds
	// ActiveThreshold.
	ActiveUnits int `json:"active_units"`
	// Collapsed reports posterior collapse: no active unit, so the decoder
	// ignores the code (every x gets the same q(z | x)).
	Collapsed bool `json:"collapsed"`
	// Samples is the number of codes drawn per row.
	Samples int `json:"samples"`

	autoencoder bool // scored a plain autoencoder (for WriteText)
}

// Evaluate scores the rows of x: the mean ELBO, its reconstruction and KL
// terms, the KL per latent dimension and the active units. The noise is
// drawn row by row from a stream of opts.Seed, so the result does not
// depend on how many rows are processed at once (catalog V-09). It returns
// an error for data that do not fit the model (columns, non-finite values,
// values outside [0, 1] for a Bernoulli decoder).
func (m *Model) Evaluate(x mat.Matrix, opts EvalOptions) (*Eval, error) {
	return m.evaluate(x, opts, chunkRows)
}

// evaluate is Evaluate pushing chunk rows through the networks at a time.
func (m *Model) evaluate(x mat.Matrix, opts EvalOptions, chunk int) (*Eval, error) {
	if err := checkData(x, m.cfg.Inputs, m.cfg.Likelihood, m.columns, "data"); err != nil {
		return nil, err
	}
	S := opts.Samples
	if S == 0 {
		S = 1
	}
	if S < 0 {
		return nil, optionError("EvalOptions.Samples", S, "give at least 1")
	}
	if m.cfg.Autoencoder {
		S = 1
	}
	n, d := x.Dims()
	cls, err := m.classIndex(opts.Labels, n, "the scored rows")
	if err != nil {
		return nil, err
	}
	L := m.cfg.Latent
	// The memory guard: a chunk's S codes per row, through the decoder.
	_, w := counts(m.dec.Sizes())
	if err := memlimit.Check(fmt.Sprintf("scoring with %d codes per row", S), memlimit.Floats(float64(min(chunk, max(n, 1))), float64(S), float64(L)+2*w), "EvalOptions.Samples"); err != nil {
		return nil, fmt.Errorf("vae: %w", err)
	}
	xn := m.toNet(x)
	mu := mat.NewDense(n, L, nil)
	var lv *mat.Dense
	if !m.cfg.Autoencoder {
		lv = mat.NewDense(n, L, nil)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, streamEval))
	et := autodiff.NewForwardTape()
	dt := autodiff.NewForwardTape()
	e := &Eval{Rows: n, Samples: S, KLPerDim: make([]float64, L), autoencoder: m.cfg.Autoencoder}
	eps := make([]float64, 0, chunk*S*L)
	recon, kl := 0.0, 0.0
	var muU, lvU *mat.Dense
	if m.Vamp() {
		muU, lvU = m.priorConsts()
	}
	raw := xn.RawMatrix()
	for i0 := 0; i0 < n; i0 += chunk {
		i1 := min(i0+chunk, n)
		c := i1 - i0
		m.encodeChunk(et, xn, cls, i0, i1, mu, lv)
		if !m.cfg.Autoencoder {
			eps = eps[:c*S*L] // row by row: S codes of L values each
			for k := range eps {
				eps[k] = rng.NormFloat64()
			}
		}
		rowRecon, rowKL := make([]float64, c), make([]float64, c)
		for s := 0; s < S; s++ {
			dt.Reset()
			z := dt.NewConst(c, L)
			for i := i0; i < i1; i++ {
				zr := z.Value[(i-i0)*L : (i-i0+1)*L]
				copy(zr, mu.RawRowView(i))
				if lv != nil {
					noise := eps[((i-i0)*S+s)*L:]
					for j, v := range lv.RawRowView(i) {
						zr[j] += math.Exp(0.5*v) * noise[j]
					}
				}
			}
			if muU != nil {
				// The VampPrior's KL by Monte Carlo, with the same codes:
				// log q(z | x) − log p(z).
				lp := logPriorRows(dt, z.Value, c, muU, lvU)
				for i := i0; i < i1; i++ {
					lq := 0.0
					noise := eps[((i-i0)*S+s)*L:]
					for j, v := range lv.RawRowView(i) {
						lq -= 0.5 * (log2Pi + v + noise[j]*noise[j])
					}
					rowKL[i-i0] += lq - lp[i-i0]
				}
			}
			out := m.decNet(dt, given(dt, z, m.oneHot(dt, cls, i0, i1, 1)))
			for i := i0; i < i1; i++ {
				rowRecon[i-i0] -= m.logLik(out.Value[(i-i0)*d:(i-i0+1)*d], raw.Data[i*raw.Stride:i*raw.Stride+d])
			}
		}
		for i := i0; i < i1; i++ {
			recon += rowRecon[i-i0] / float64(S)
			switch {
			case muU != nil:
				kl += rowKL[i-i0] / float64(S)
			case lv != nil:
				kl += klRow(mu.RawRowView(i), lv.RawRowView(i), e.KLPerDim)
			}
		}
	}
	fn := float64(n)
	e.Reconstruction = recon/fn + m.logJacobian()
	e.KL = kl / fn
	for j := range e.KLPerDim {
		e.KLPerDim[j] /= fn
	}
	e.ELBO = -(e.Reconstruction + e.KL)
	if muU != nil {
		e.KLPerDim = nil // a mixture prior's KL does not split by dimension
	}
	e.UnitVariance = ColumnVariance(mu)
	for _, v := range e.UnitVariance {
		if v > ActiveThreshold {
			e.ActiveUnits++
		}
	}
	e.Collapsed = e.ActiveUnits == 0
	return e, nil
}

// ColumnVariance returns the variance of each column of x, with divisor
// n − 1 as numpy.cov and gonum's stat.Variance (0 for a single row),
// computed around the column mean. It is the one definition of the
// variance of codes in this package: Eval.UnitVariance is ColumnVariance
// of the posterior means, and the active units are those above
// ActiveThreshold; latent's CLI picks the two dimensions it draws by it.
func ColumnVariance(x mat.Matrix) []float64 {
	n, d := x.Dims()
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += x.At(i, j)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	out := make([]float64, d)
	if n < 2 {
		return out
	}
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			r := x.At(i, j) - mean[j]
			out[j] += r * r
		}
	}
	for j := range out {
		out[j] /= float64(n - 1)
	}
	return out
}
