package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/latentgo/latent/autodiff"
)

// Layer is a differentiable map from a batch (one observation per row) to
// a batch, with its parameters. Dense and MLP are Layers; layers compose by
// feeding one's output to the next.
type Layer interface {
	// Forward records the layer applied to x on t and returns the output.
	Forward(t *autodiff.Tape, x *autodiff.Node) *autodiff.Node
	// Params returns the layer's parameters, in a fixed order.
	Params() []*autodiff.Node
}

// Init names a weight initialisation scheme. Biases start at zero.
type Init string

// The initialisations.
const (
	// InitAuto is He for ReLU layers and Glorot for the others.
	InitAuto Init = ""
	// GlorotUniform draws w ~ U(−a, a) with a = √(6 / (fan_in + fan_out)),
	// so that the variance of activations and of gradients is kept across
	// layers of tanh or sigmoid units (Glorot & Bengio, AISTATS 2010,
	// eq. 16; Keras' glorot_uniform, PyTorch's xavier_uniform_ with gain 1).
	GlorotUniform Init = "glorot-uniform"
	// HeNormal draws w ~ N(0, 2/fan_in), which keeps the variance of ReLU
	// activations across layers (He et al., ICCV 2015, eq. 10; PyTorch's
	// kaiming_normal_ with its defaults).
	HeNormal Init = "he-normal"
)

// Dense is a fully connected layer a = act(x·W + b): x is n×In, W is In×Out
// (W[i][j] weighs input i into unit j), b is the 1×Out bias.
type Dense struct {
	W, B *autodiff.Node
	Act  Activation
}

// NewDense returns an in→out layer with weights drawn from rng by init and
// zero biases. It panics when in or out is below 1, or init is unknown.
func NewDense(in, out int, act Activation, init Init, rng *rand.Rand) *Dense {
	if in < 1 || out < 1 {
		panic(fmt.Sprintf("nn: NewDense: %d→%d units", in, out))
	}
	if init == InitAuto {
		init = GlorotUniform
		if act == ReLU {
			init = HeNormal
		}
	}
	w := make([]float64, in*out)
	switch init {
	case GlorotUniform:
		a := math.Sqrt(6 / float64(in+out))
		for i := range w {
			w[i] = a * (2*rng.Float64() - 1)
		}
	case HeNormal:
		sd := math.Sqrt(2 / float64(in))
		for i := range w {
			w[i] = sd * rng.NormFloat64()
		}
	default:
		panic(fmt.Sprintf("nn: NewDense: unknown initialisation %q", string(init)))
	}
	return &Dense{W: autodiff.NewParam(in, out, w), B: autodiff.NewParam(1, out, nil), Act: act.orLinear()}
}

// In returns the number of inputs.
func (d *Dense) In() int { return d.W.Rows() }

// Out returns the number of units.
func (d *Dense) Out() int { return d.W.Cols() }

// Forward records act(x·W + b). It panics when x does not have In columns.
func (d *Dense) Forward(t *autodiff.Tape, x *autodiff.Node) *autodiff.Node {
	if x.Cols() != d.In() {
		panic(fmt.Sprintf("nn: Dense %d→%d given %d columns", d.In(), d.Out(), x.Cols()))
	}
	return d.Act.Apply(t, t.AddRow(t.MatMul(x, d.W), d.B))
}

// Params returns W and B.
func (d *Dense) Params() []*autodiff.Node { return []*autodiff.Node{d.W, d.B} }
