package vae

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/nn"
)

// Likelihood names the decoder's observation model p(x | z).
type Likelihood string

// The decoders.
const (
	// Bernoulli models each value x_j ∈ [0, 1] as Bernoulli(σ(ℓ_j)) from
	// the decoder's logits ℓ; its log-likelihood is minus the binary
	// cross-entropy with logits. Grey levels in [0, 1] are accepted as
	// targets (the PyTorch example's "continuous" use; see the package
	// doc).
	Bernoulli Likelihood = "bernoulli"
	// Gaussian models x_j as N(μ_j(z), σ_j²) with the decoder's output as
	// the mean and a variance that is fixed (Config.Variance) or learned
	// per column (Config.LearnVariance).
	Gaussian Likelihood = "gaussian"
)

// ParseLikelihood returns the likelihood named s: bernoulli or gaussian.
func ParseLikelihood(s string) (Likelihood, error) {
	switch l := Likelihood(s); l {
	case Bernoulli, Gaussian:
		return l, nil
	}
	return "", fmt.Errorf("vae: unknown decoder %q; use bernoulli or gaussian", s)
}

// Log-variance bounds (catalog N-10): the encoder's log σ² (and a learned
// decoder log-variance) is clamped to [LogVarMin, LogVarMax] before it is
// exponentiated, so that σ² = e^{log σ²} stays in [9.4e-14, 4.9e8] and
// neither the KL term nor the sample z overflows, whatever the weights.
// These are the bounds of the widely copied DiagonalGaussianDistribution
// (CompVis latent diffusion).
const (
	LogVarMin = -30.0
	LogVarMax = 20.0
)

// Config describes a model. The zero value, with Inputs set, is the
// classic MNIST VAE of Kingma & Welling and of the PyTorch example: one
// hidden layer of 400 ReLU units on each side, 20 latent dimensions, a
// Bernoulli decoder.
type Config struct {
	// Inputs is the number of columns of the data (784 for MNIST); it
	// must be at least 1.
	Inputs int `json:"inputs"`
	// Latent is the number of latent dimensions; 0 means 20.
	Latent int `json:"latent"`
	// Hidden are the widths of the encoder's hidden layers, input side
	// first; the decoder mirrors them. nil means {400}; an empty non-nil
	// slice means none (linear maps).
	Hidden []int `json:"hidden"`
	// Activation of the hidden layers; "" means ReLU.
	Activation nn.Activation `json:"activation"`
	// Init is the weight initialisation. The zero value is PyTorch's
	// default for torch.nn.Linear, weights and biases alike drawn from
	// U(−1/√fan_in, 1/√fan_in) (kaiming_uniform_ with a = √5), so that
	// training follows the PyTorch example's; nn.HeNormal and
	// nn.GlorotUniform draw the weights by those schemes and start the
	// biases at 0.
	Init nn.Init `json:"init"`
	// Likelihood is the decoder; "" means Bernoulli.
	Likelihood Likelihood `json:"likelihood"`
	// Variance is the fixed σ² of a Gaussian decoder, in the units the
	// network sees (standardised units by default); 0 means 1. Ignored by
	// the Bernoulli decoder and when LearnVariance is set.
	Variance float64 `json:"variance"`
	// LearnVariance makes a Gaussian decoder learn one log σ²_j per
	// column, shared by all observations, clamped to
	// [LogVarMin, LogVarMax]; its starting value is log Variance.
	LearnVariance bool `json:"learn_variance"`
	// Autoencoder makes the model a plain deterministic autoencoder (the
	// baseline): the encoder gives the code z = f(x) directly, and the
	// loss is the reconstruction term alone, with no KL term and no
	// sampling. Its codes follow no prior, so Sample and IWAE do not
	// apply.
	Autoencoder bool `json:"autoencoder"`
	// Classes, when not empty, makes the model a conditional VAE (Sohn,
	// Lee & Yan 2015): the encoder sees [x | onehot(y)] and the decoder
	// [z | onehot(y)], with y one of these class names (at least 2,
	// distinct; the one-hot columns follow this order). nil means an
	// unconditional model.
	Classes []string `json:"classes,omitempty"`
	// Prior is p(z): "" or PriorNormal for N(0, I), PriorVamp for the
	// VampPrior (Tomczak & Welling 2018), a mixture of the encoder's
	// posteriors at PseudoInputs learned pseudo-inputs (0 means 500, the
	// paper's figure for MNIST).
	Prior        Prior `json:"prior,omitempty"`
	PseudoInputs int   `json:"pseudo_inputs,omitempty"`
	// Arch is the architecture: "" or ArchMLP for fully connected
	// networks, ArchConv for convolutions on ImageH × ImageW grey images
	// (ImageH·ImageW = Inputs) with Channels channels per stride-2 layer
	// (nil means {32, 64}), before Hidden's fully connected layers.
	Arch     Arch  `json:"arch,omitempty"`
	ImageH   int   `json:"image_h,omitempty"`
	ImageW   int   `json:"image_w,omitempty"`
	Channels []int `json:"channels,omitempty"`
	// Seed seeds the initial weights; the same seed gives the same bits.
	Seed uint64
}

func (c Config) withDefaults() (Config, error) {
	if c.Inputs < 1 {
		return c, optionError("Config.Inputs", c.Inputs, "the data need at least 1 column")
	}
	if c.Latent == 0 {
		c.Latent = 20
	}
	if c.Latent < 1 {
		return c, optionError("Config.Latent", c.Latent, "give at least 1 latent dimension")
	}
	if c.Hidden == nil {
		c.Hidden = []int{400}
	} else {
		c.Hidden = append([]int{}, c.Hidden...)
	}
	for i, h := range c.Hidden {
		if h < 1 {
			return c, optionError(fmt.Sprintf("Config.Hidden[%d]", i), h, "layer widths must be at least 1")
		}
	}
	if err := checkClasses(c.Classes); err != nil {
		return c, err
	}
	if len(c.Classes) == 0 {
		c.Classes = nil
	} else {
		c.Classes = append([]string(nil), c.Classes...)
	}
	if c.Autoencoder && c.Classes != nil {
		return c, optionError("Config.Classes", c.Classes, "a plain autoencoder is not conditional; train a VAE")
	}
	if err := c.checkPrior(); err != nil {
		return c, err
	}
	if err := c.checkArch(); err != nil {
		return c, err
	}
	if c.Activation == "" {
		c.Activation = nn.ReLU
	}
	a, err := nn.ParseActivation(string(c.Activation))
	if err != nil {
		return c, fmt.Errorf("vae: %w", err)
	}
	c.Activation = a
	switch c.Init {
	case InitPyTorch, nn.HeNormal, nn.GlorotUniform:
	default:
		return c, optionError("Config.Init", fmt.Sprintf("%q", string(c.Init)), "unknown initialisation; use %q (PyTorch's default), %q or %q", InitPyTorch, nn.HeNormal, nn.GlorotUniform)
	}
	if c.Likelihood == "" {
		c.Likelihood = Bernoulli
	}
	if _, err := ParseLikelihood(string(c.Likelihood)); err != nil {
		return c, err
	}
	if c.Likelihood == Bernoulli {
		c.Variance, c.LearnVariance = 0, false
	} else {
		if c.Variance == 0 {
			c.Variance = 1
		}
		if !(c.Variance > 0) || math.IsInf(c.Variance, 0) {
			return c, optionError("Config.Variance", c.Variance, "a Gaussian decoder's variance must be positive and finite")
		}
		if lv := math.Log(c.Variance); lv < LogVarMin || lv > LogVarMax {
			return c, optionError("Config.Variance", c.Variance, "log σ² = %.3g is outside [%v, %v]", lv, LogVarMin, LogVarMax)
		}
	}
	return c, nil
}

// Model is a variational autoencoder (or, with Config.Autoencoder, a plain
// autoencoder): an encoder network from data to the parameters of
// q(z | x) = N(μ(x), diag σ²(x)), and a decoder network from a code z to the
// parameters of p(x | z).
//
// The networks see the data after the scaling x̃ = (x − shift) / scale
// (Scaling; none for a Bernoulli decoder by default); every method takes
// and returns data in the original units. A Model is opaque: New, Train,
// Resume, Load and Read make one, and its accessors return copies. Its
// methods never modify it (Params, for an optimiser of one's own, is the
// exception the name says), so one model serves many goroutines.
type Model struct {
	// cfg is the model's configuration with defaults filled in.
	cfg Config
	// enc maps x̃ (n×Inputs) to [μ | log σ²] (n×2·Latent), or to z
	// (n×Latent) for an autoencoder. Its last layer is linear.
	enc *nn.MLP
	// dec maps z (n×Latent) to the logits (Bernoulli) or means (Gaussian)
	// of p(x̃ | z), n×Inputs. Its last layer is linear.
	dec *nn.MLP
	// logVar is the learned 1×Inputs log σ² of a Gaussian decoder with
	// LearnVariance, before clamping; nil otherwise.
	logVar *autodiff.Node
	// columns are the names of the data columns (may be empty strings);
	// nil when unknown.
	columns []string
	// shift and scale standardise the data for the networks,
	// x̃_j = (x_j − shift_j) / scale_j; both nil means no scaling.
	shift, scale []float64
	// encConv and decConv are the convolutional layers of ArchConv: the
	// encoder's before enc, the decoder's transposed ones after dec (nil
	// for ArchMLP).
	encConv, decConv []*nn.Conv
	// pseudo are the VampPrior's pseudo-inputs (K×Inputs, in the
	// networks' units, before the clamp of a Bernoulli decoder); nil for
	// the normal prior.
	pseudo *autodiff.Node
	// trained records how the model was trained (informative).
	trained TrainedWith
}

// Config returns the model's configuration, defaults filled in (a copy).
func (m *Model) Config() Config {
	c := m.cfg
	c.Hidden = append([]int{}, m.cfg.Hidden...)
	c.Classes = m.Classes()
	if m.cfg.Channels != nil {
		c.Channels = append([]int(nil), m.cfg.Channels...)
	}
	return c
}

// Columns returns the names of the data columns the model was trained on
// (a copy; names may be empty strings), or nil when they are unknown.
func (m *Model) Columns() []string {
	if m.columns == nil {
		return nil
	}
	return append([]string(nil), m.columns...)
}

// Scaling returns the standardisation the networks see the data through,
// x̃_j = (x_j − shift_j) / scale_j (copies), or nil, nil for none.
func (m *Model) Scaling() (shift, scale []float64) {
	if m.shift == nil {
		return nil, nil
	}
	return append([]float64(nil), m.shift...), append([]float64(nil), m.scale...)
}

// Trained returns how the model was trained (informative: the data's
// name, the rows, the settings and the seed of the run).
func (m *Model) Trained() TrainedWith { return m.trained }

// Autoencoder reports whether the model is a plain deterministic
// autoencoder (Config.Autoencoder), which has no prior to sample from.
func (m *Model) Autoencoder() bool { return m.cfg.Autoencoder }

// ErrAutoencoder is wrapped by the errors of methods that need a
// probabilistic encoder or prior (Sample, IWAE), called on a plain
// autoencoder.
var ErrAutoencoder = errors.New("vae: a plain autoencoder has no prior or posterior")

// InitPyTorch names PyTorch's default initialisation of a linear layer,
// Config.Init's zero value: weights and biases from U(±1/√fan_in).
const InitPyTorch nn.Init = ""

// New returns a model with freshly initialised weights (Config.Init), all
// drawn from one seeded stream, encoder first.
func New(cfg Config) (*Model, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkModelMemory(c); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(c.Seed, streamInit))
	encSizes, decSizes := networkSizes(c)
	enc := mlp(encSizes, c.Activation, c.Init, rng)
	dec := mlp(decSizes, c.Activation, c.Init, rng)
	m := &Model{cfg: c, enc: enc, dec: dec}
	if c.Arch == ArchConv {
		// The decoder's MLP feeds the transposed convolutions: its last
		// layer has the hidden activation.
		dec.Layers[len(dec.Layers)-1].Act = c.Activation
		m.encConv, m.decConv = newConvNets(c, rng)
	}
	if c.Prior == PriorVamp {
		m.pseudo = newPseudoInputs(c, rng)
	}
	if c.Likelihood == Gaussian && c.LearnVariance {
		lv := make([]float64, c.Inputs)
		for i := range lv {
			lv[i] = math.Log(c.Variance)
		}
		m.logVar = autodiff.NewParam(1, c.Inputs, lv)
	}
	return m, nil
}

func mlp(sizes []int, act nn.Activation, init nn.Init, rng *rand.Rand) *nn.MLP {
	m := &nn.MLP{}
	for i := 0; i+1 < len(sizes); i++ {
		a := act
		if i+2 == len(sizes) {
			a = nn.Linear
		}
		in, out := sizes[i], sizes[i+1]
		if init != InitPyTorch {
			m.Layers = append(m.Layers, nn.NewDense(in, out, a, init, rng))
			continue
		}
		bound := 1 / math.Sqrt(float64(in))
		w, b := make([]float64, in*out), make([]float64, out)
		for _, v := range [][]float64{w, b} {
			for k := range v {
				v[k] = bound * (2*rng.Float64() - 1)
			}
		}
		m.Layers = append(m.Layers, &nn.Dense{W: autodiff.NewParam(in, out, w), B: autodiff.NewParam(1, out, b), Act: a})
	}
	return m
}

func reversed(s []int) []int {
	r := make([]int, len(s))
	for i, v := range s {
		r[len(s)-1-i] = v
	}
	return r
}

// Params returns the trainable parameters: the encoder's, the decoder's,
// then the learned decoder log-variance and the VampPrior's pseudo-inputs
// if any, in a fixed order. They are
// the model's own nodes, not copies, for use with Objective and an
// optimiser of one's own (a gradient check, say): changing them changes
// the model.
func (m *Model) Params() []*autodiff.Node {
	ps := append(convParams(m.encConv), m.enc.Params()...)
	ps = append(append(ps, m.dec.Params()...), convParams(m.decConv)...)
	if m.logVar != nil {
		ps = append(ps, m.logVar)
	}
	if m.pseudo != nil {
		ps = append(ps, m.pseudo)
	}
	return ps
}

// NumParams returns the number of trainable values.
func (m *Model) NumParams() int {
	n := 0
	for _, p := range m.Params() {
		n += len(p.Value)
	}
	return n
}

// Inputs returns the number of data columns.
func (m *Model) Inputs() int { return m.cfg.Inputs }

// Latent returns the number of latent dimensions.
func (m *Model) Latent() int { return m.cfg.Latent }

// paramName names parameter k of Params for messages ("encoder layer 0
// weights").
func (m *Model) paramName(k int) string {
	if nc := 2 * len(m.encConv); k < nc {
		return fmt.Sprintf("encoder convolution %d parameters", k/2)
	} else {
		k -= nc
	}
	ne := 2 * len(m.enc.Layers)
	nd := 2 * len(m.dec.Layers)
	if nc := 2 * len(m.decConv); k >= ne+nd && k < ne+nd+nc {
		return fmt.Sprintf("decoder convolution %d parameters", (k-ne-nd)/2)
	} else if k >= ne+nd {
		k -= nc
	}
	what := func(i int) string {
		if i%2 == 0 {
			return "weights"
		}
		return "biases"
	}
	switch {
	case k < ne:
		return fmt.Sprintf("encoder layer %d %s", k/2, what(k))
	case k < ne+nd:
		return fmt.Sprintf("decoder layer %d %s", (k-ne)/2, what(k-ne))
	case k == ne+nd && m.logVar != nil:
		return "decoder log-variance"
	default:
		return "pseudo-inputs"
	}
}

// logJacobian is Σ_j log Scale_j: the log-density of x in data units is
// that of x̃ minus it.
func (m *Model) logJacobian() float64 {
	s := 0.0
	for _, v := range m.scale {
		s += math.Log(v)
	}
	return s
}
