package vae

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/logmath"
)

// chunkRows is how many rows the inference methods push through the
// networks at once: large enough for efficient matrix products, small
// enough to keep the tape's buffers a few MB.
const chunkRows = 1000

// encodeChunk records the encoder on rows [i0, i1) of xn (network units)
// and copies μ and the clamped log σ² (or the code, for an autoencoder,
// with lv left alone) into rows i0… of mu and lv.
//
// cls holds the class of every row of xn for a conditional model (nil
// otherwise).
func (m *Model) encodeChunk(t *autodiff.Tape, xn *mat.Dense, cls []int, i0, i1 int, mu, lv *mat.Dense) {
	d, L := m.cfg.Inputs, m.cfg.Latent
	t.Reset()
	x := t.NewConst(i1-i0, d)
	raw := xn.RawMatrix()
	for i := i0; i < i1; i++ {
		copy(x.Value[(i-i0)*d:(i-i0+1)*d], raw.Data[i*raw.Stride:i*raw.Stride+d])
	}
	h := m.encNet(t, given(t, x, m.oneHot(t, cls, i0, i1, 1)))
	w := h.Cols()
	for i := i0; i < i1; i++ {
		row := h.Value[(i-i0)*w : (i-i0+1)*w]
		copy(mu.RawRowView(i), row[:L])
		if lv != nil && !m.cfg.Autoencoder {
			dst := lv.RawRowView(i)
			for j, v := range row[L:] {
				dst[j] = min(max(v, LogVarMin), LogVarMax)
			}
		}
	}
}

// Encode returns the parameters of q(z | x) for each row of x: the means
// μ and the log-variances log σ² (clamped to [LogVarMin, LogVarMax]), both
// n×Latent. For a plain autoencoder mu holds the codes and logvar is nil.
// It returns an error when x has the wrong number of columns or holds a
// value that is not finite.
func (m *Model) Encode(x mat.Matrix) (mu, logvar *mat.Dense, err error) {
	if err := m.refuseConditional("Encode", "EncodeGiven"); err != nil {
		return nil, nil, err
	}
	return m.encode(x, nil)
}

// EncodeGiven is Encode for a conditional model: labels[i] is the class
// of row i (one of Classes()). On an unconditional model the labels are
// ignored. It returns an error for a label that is not a class.
func (m *Model) EncodeGiven(x mat.Matrix, labels []string) (mu, logvar *mat.Dense, err error) {
	n, _ := x.Dims()
	cls, err := m.classIndex(labels, n, "data")
	if err != nil {
		return nil, nil, err
	}
	return m.encode(x, cls)
}

func (m *Model) encode(x mat.Matrix, cls []int) (mu, logvar *mat.Dense, err error) {
	if err := m.checkInput(x, "data"); err != nil {
		return nil, nil, err
	}
	n, _ := x.Dims()
	xn := m.toNet(x)
	mu = mat.NewDense(n, m.cfg.Latent, nil)
	if !m.cfg.Autoencoder {
		logvar = mat.NewDense(n, m.cfg.Latent, nil)
	}
	t := autodiff.NewForwardTape()
	for i0 := 0; i0 < n; i0 += chunkRows {
		m.encodeChunk(t, xn, cls, i0, min(i0+chunkRows, n), mu, logvar)
	}
	return mu, logvar, nil
}

// checkInput checks x against the model (columns, finiteness). The range
// of a Bernoulli decoder is not checked: encoding values outside [0, 1]
// is well defined, only their likelihood is not.
func (m *Model) checkInput(x mat.Matrix, what string) error {
	return checkData(x, m.cfg.Inputs, Gaussian, m.columns, what)
}

// Decode returns the mean of p(x | z) for each row of z (n×Latent), in
// data units: probabilities σ(ℓ) for a Bernoulli decoder, means for a
// Gaussian one. It panics when z does not have Latent columns and returns
// an error when z holds a value that is not finite.
func (m *Model) Decode(z mat.Matrix) (*mat.Dense, error) {
	if err := m.refuseConditional("Decode", "SampleClass"); err != nil {
		return nil, err
	}
	n, c := z.Dims()
	if c != m.cfg.Latent {
		panic(fmt.Sprintf("vae: Decode: z has %d columns, the model has %d latent dimensions", c, m.cfg.Latent))
	}
	if n == 0 {
		return &mat.Dense{}, nil
	}
	if err := checkData(z, c, Gaussian, nil, "codes"); err != nil {
		return nil, err
	}
	out := mat.NewDense(n, m.cfg.Inputs, nil)
	m.decode(out, z, nil)
	return out, nil
}

// decode writes the decoded means of the rows of z (finite, n×Latent) into
// the rows of dst (n×Inputs); cls holds each row's class for a
// conditional model (nil otherwise).
func (m *Model) decode(dst *mat.Dense, z mat.Matrix, cls []int) {
	n, c := z.Dims()
	d := m.cfg.Inputs
	t := autodiff.NewForwardTape()
	for i0 := 0; i0 < n; i0 += chunkRows {
		i1 := min(i0+chunkRows, n)
		t.Reset()
		zc := t.NewConst(i1-i0, c)
		for i := i0; i < i1; i++ {
			for j := 0; j < c; j++ {
				zc.Value[(i-i0)*c+j] = z.At(i, j)
			}
		}
		o := m.decNet(t, given(t, zc, m.oneHot(t, cls, i0, i1, 1)))
		for i := i0; i < i1; i++ {
			row := dst.RawRowView(i)
			copy(row, o.Value[(i-i0)*d:(i-i0+1)*d])
			if m.cfg.Likelihood == Bernoulli {
				for j, v := range row {
					row[j] = logmath.Sigmoid(v)
				}
			}
		}
	}
	m.fromNet(dst)
}

// SampleStream is the PCG stream of the codes that Sample and
// SampleLatent drew from a seed before they took a generator:
// rand.New(rand.NewPCG(seed, SampleStream)) gives those draws again, and
// is what latent's CLI and demo pass.
const SampleStream = 6

// Sample fills every row of dst with the generator's output: a code drawn
// from the prior, z ~ N(0, I), by SampleLatent with rng, decoded (Decode).
// The number of samples is dst's row count; the same generator state gives
// the same samples. For an autoencoder, whose codes follow no prior, it
// returns an error wrapping ErrAutoencoder and leaves dst alone (fit a
// density to its codes, a Gaussian mixture for instance, and decode draws
// from it instead: package vaemix). It panics when dst is empty or does
// not have Inputs columns, or rng is nil.
func (m *Model) Sample(dst *mat.Dense, rng *rand.Rand) error {
	if dst == nil || dst.IsEmpty() {
		panic("vae: Sample: empty dst; its rows are the samples")
	}
	n, c := dst.Dims()
	if c != m.cfg.Inputs {
		panic(fmt.Sprintf("vae: Sample: dst has %d columns, the model takes %d", c, m.cfg.Inputs))
	}
	if m.cfg.Autoencoder {
		return fmt.Errorf("%w: Sample needs the N(0, I) prior of a VAE; decode codes drawn from a density fitted to the autoencoder's codes", ErrAutoencoder)
	}
	if err := m.refuseConditional("Sample", "SampleClass"); err != nil {
		return err
	}
	z := mat.NewDense(n, m.cfg.Latent, nil)
	m.SampleLatent(z, rng)
	m.decode(dst, z, nil)
	return nil
}

// SampleClass fills every row of dst with the output of a conditional
// model's generator for the class named class: a code drawn from the
// prior by SampleLatent with rng, decoded with that class,
// x ~ p(x | z, y). It returns an error wrapping ErrConditional for an
// unconditional model and an error for a class the model does not have,
// leaving dst alone. It panics as Sample does.
func (m *Model) SampleClass(dst *mat.Dense, class string, rng *rand.Rand) error {
	if dst == nil || dst.IsEmpty() {
		panic("vae: SampleClass: empty dst; its rows are the samples")
	}
	n, c := dst.Dims()
	if c != m.cfg.Inputs {
		panic(fmt.Sprintf("vae: SampleClass: dst has %d columns, the model takes %d", c, m.cfg.Inputs))
	}
	if !m.Conditional() {
		return fmt.Errorf("%w: SampleClass needs a conditional model (trained with labels); use Sample", ErrConditional)
	}
	k := slices.Index(m.cfg.Classes, class)
	if k < 0 {
		return fmt.Errorf("vae: SampleClass: %q is not a class of the model (%v)", class, m.cfg.Classes)
	}
	z := mat.NewDense(n, m.cfg.Latent, nil)
	m.SampleLatent(z, rng)
	cls := make([]int, n)
	for i := range cls {
		cls[i] = k
	}
	m.decode(dst, z, cls)
	return nil
}

// SampleLatent fills dst (n×Latent) with draws from the prior, row by
// row, from rng: N(0, I), or under the VampPrior a component k drawn
// uniformly (rng.IntN) and then z ~ q(z | u_k). These are the codes
// Sample decodes, so that Decode of them equals Sample with a generator
// in the same state. It panics when dst is empty or does not have Latent
// columns, or rng is nil.
func (m *Model) SampleLatent(dst *mat.Dense, rng *rand.Rand) {
	if dst == nil || dst.IsEmpty() {
		panic("vae: SampleLatent: empty dst; its rows are the codes")
	}
	n, c := dst.Dims()
	if c != m.cfg.Latent {
		panic(fmt.Sprintf("vae: SampleLatent: dst has %d columns, the model has %d latent dimensions", c, m.cfg.Latent))
	}
	if rng == nil {
		panic("vae: SampleLatent: nil rng")
	}
	var muU, lvU *mat.Dense
	if m.Vamp() {
		muU, lvU = m.priorConsts()
	}
	for i := 0; i < n; i++ {
		row := dst.RawRowView(i)
		if muU == nil {
			for j := range row {
				row[j] = rng.NormFloat64()
			}
			continue
		}
		k := rng.IntN(m.cfg.PseudoInputs)
		for j := range row {
			row[j] = muU.At(k, j) + math.Exp(0.5*lvU.At(k, j))*rng.NormFloat64()
		}
	}
}

// Reconstruct returns the decoded mean at the posterior mean,
// Decode(μ(x)), for each row of x: the deterministic reconstruction (the
// code itself for an autoencoder).
func (m *Model) Reconstruct(x mat.Matrix) (*mat.Dense, error) {
	if err := m.refuseConditional("Reconstruct", "ReconstructGiven"); err != nil {
		return nil, err
	}
	mu, _, err := m.Encode(x)
	if err != nil {
		return nil, err
	}
	return m.Decode(mu)
}

// ReconstructGiven is Reconstruct for a conditional model: each row is
// encoded and decoded given its label, Decode(μ(x, y), y). On an
// unconditional model the labels are ignored.
func (m *Model) ReconstructGiven(x mat.Matrix, labels []string) (*mat.Dense, error) {
	n, _ := x.Dims()
	cls, err := m.classIndex(labels, n, "data")
	if err != nil {
		return nil, err
	}
	mu, _, err := m.encode(x, cls)
	if err != nil {
		return nil, err
	}
	out := mat.NewDense(n, m.cfg.Inputs, nil)
	if n > 0 {
		m.decode(out, mu, cls)
	}
	return out, nil
}

// ReconstructionTerm returns the mean over the rows of x of
// −log p(x | z = μ(x)): the ELBO's reconstruction term at the posterior
// mean (no noise drawn), in nats per row in data units, as Eval's
// Reconstruction is. It returns an error for data that do not fit the
// model (columns, non-finite values, values outside [0, 1] for a Bernoulli
// decoder) and for an empty x.
func (m *Model) ReconstructionTerm(x mat.Matrix) (float64, error) {
	if err := m.refuseConditional("ReconstructionTerm", "ReconstructionTermGiven"); err != nil {
		return 0, err
	}
	return m.reconstructionTerm(x, nil)
}

// ReconstructionTermGiven is ReconstructionTerm for a conditional model,
// each row encoded and decoded given its label; the labels are ignored by
// an unconditional model.
func (m *Model) ReconstructionTermGiven(x mat.Matrix, labels []string) (float64, error) {
	n, _ := x.Dims()
	cls, err := m.classIndex(labels, n, "data")
	if err != nil {
		return 0, err
	}
	return m.reconstructionTerm(x, cls)
}

func (m *Model) reconstructionTerm(x mat.Matrix, cls []int) (float64, error) {
	if err := checkData(x, m.cfg.Inputs, m.cfg.Likelihood, m.columns, "data"); err != nil {
		return 0, err
	}
	n, d := x.Dims()
	if n == 0 {
		return 0, fmt.Errorf("%w: no rows to reconstruct", ErrNoData)
	}
	L := m.cfg.Latent
	xn := m.toNet(x)
	mu := mat.NewDense(n, L, nil)
	var lv *mat.Dense
	if !m.cfg.Autoencoder {
		lv = mat.NewDense(n, L, nil)
	}
	et, dt := autodiff.NewForwardTape(), autodiff.NewForwardTape()
	sum := 0.0
	for i0 := 0; i0 < n; i0 += chunkRows {
		i1 := min(i0+chunkRows, n)
		m.encodeChunk(et, xn, cls, i0, i1, mu, lv)
		dt.Reset()
		z := dt.NewConst(i1-i0, L)
		for i := i0; i < i1; i++ {
			copy(z.Value[(i-i0)*L:(i-i0+1)*L], mu.RawRowView(i))
		}
		out := m.decNet(dt, given(dt, z, m.oneHot(dt, cls, i0, i1, 1)))
		for i := i0; i < i1; i++ {
			sum -= m.logLik(out.Value[(i-i0)*d:(i-i0+1)*d], xn.RawRowView(i))
		}
	}
	return sum/float64(n) + m.logJacobian(), nil
}

// Interpolate returns steps decoded images along the straight line between
// the posterior means of a and b (one row of data each):
// Decode((1 − t)·μ(a) + t·μ(b)) for t = 0, 1/(steps−1), …, 1. It returns an
// error when steps < 2 or a row does not fit the model.
func (m *Model) Interpolate(a, b []float64, steps int) (*mat.Dense, error) {
	if err := m.refuseConditional("Interpolate", "EncodeGiven and SampleClass"); err != nil {
		return nil, err
	}
	if steps < 2 {
		return nil, fmt.Errorf("vae: Interpolate: %d steps; give at least 2 (the two ends)", steps)
	}
	d := m.cfg.Inputs
	if len(a) != d || len(b) != d {
		return nil, fmt.Errorf("vae: Interpolate: rows of %d and %d values, the model takes %d", len(a), len(b), d)
	}
	ends := mat.NewDense(2, d, nil)
	ends.SetRow(0, a)
	ends.SetRow(1, b)
	mu, _, err := m.Encode(ends)
	if err != nil {
		return nil, err
	}
	L := m.cfg.Latent
	z := mat.NewDense(steps, L, nil)
	for s := 0; s < steps; s++ {
		t := float64(s) / float64(steps-1)
		for j := 0; j < L; j++ {
			z.Set(s, j, (1-t)*mu.At(0, j)+t*mu.At(1, j))
		}
	}
	return m.Decode(z)
}
