package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/latentgo/latent/autodiff"
)

// Conv is a convolutional layer on images stored one per row (C×H×W
// order, autodiff.ConvShape): a = act(Conv2D(x, W) + b), or with
// Transpose, a = act(ConvTranspose2D(x, W) + b), which maps the
// convolution's output geometry back onto its input geometry (an
// upsampling layer for decoders). W is Shape.OutC × Shape.KernelSize(); b
// has one value per output channel (Shape.OutC, or Shape.InC when
// transposed).
type Conv struct {
	W, B      *autodiff.Node
	Shape     autodiff.ConvShape
	Transpose bool
	Act       Activation
}

// NewConv returns a convolutional layer of shape s with PyTorch's default
// initialisation of Conv2d and ConvTranspose2d, weights and biases from
// U(±1/√fan_in) with fan_in = InC·KH·KW (for ConvTranspose2d PyTorch's
// fan_in is computed from the same dimensions of its weight), drawn from
// rng, weights first. It panics when s is invalid.
func NewConv(s autodiff.ConvShape, transpose bool, act Activation, rng *rand.Rand) *Conv {
	if err := s.Check(); err != nil {
		panic("nn: NewConv: " + err.Error())
	}
	bound := 1 / math.Sqrt(float64(s.KernelSize()))
	w := make([]float64, s.OutC*s.KernelSize())
	nb := s.OutC
	if transpose {
		nb = s.InC
	}
	b := make([]float64, nb)
	for _, v := range [][]float64{w, b} {
		for i := range v {
			v[i] = bound * (2*rng.Float64() - 1)
		}
	}
	return &Conv{W: autodiff.NewParam(s.OutC, s.KernelSize(), w), B: autodiff.NewParam(1, nb, b), Shape: s, Transpose: transpose, Act: act.orLinear()}
}

// In returns the values of one input image; Out those of one output.
func (c *Conv) In() int {
	if c.Transpose {
		return c.Shape.OutSize()
	}
	return c.Shape.InSize()
}

// Out returns the values of one output image.
func (c *Conv) Out() int {
	if c.Transpose {
		return c.Shape.InSize()
	}
	return c.Shape.OutSize()
}

// Forward records the layer on x (n × In()). It panics when x does not
// have In() columns.
func (c *Conv) Forward(t *autodiff.Tape, x *autodiff.Node) *autodiff.Node {
	if x.Cols() != c.In() {
		panic(fmt.Sprintf("nn: Conv %+v given %d columns, want %d", c.Shape, x.Cols(), c.In()))
	}
	if c.Transpose {
		return c.Act.Apply(t, t.ConvTranspose2D(x, c.W, c.B, c.Shape))
	}
	return c.Act.Apply(t, t.Conv2D(x, c.W, c.B, c.Shape))
}

// Params returns W and B.
func (c *Conv) Params() []*autodiff.Node { return []*autodiff.Node{c.W, c.B} }
