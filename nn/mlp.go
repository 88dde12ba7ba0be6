package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/memlimit"
)

// Random streams drawn from one seed: each use gets its own PCG stream, so
// changing how many numbers one use draws never shifts another.
const (
	streamInit    = 1 // weight initialisation
	streamShuffle = 2 // minibatch order
	streamSplit   = 3 // validation split
)

// MLPConfig describes a multilayer perceptron.
type MLPConfig struct {
	// Sizes are the layer widths, input first: {784, 128, 10} is a network
	// with 784 inputs, one hidden layer of 128 units and 10 outputs. It
	// needs at least two entries, each at least 1.
	Sizes []int
	// Hidden is the activation of every hidden layer; "" means ReLU.
	Hidden Activation
	// Output is the activation of the last layer; "" means Linear (the
	// network returns logits or unbounded values).
	Output Activation
	// Init is the weight initialisation; InitAuto (the zero value) is He
	// for ReLU layers and Glorot for the others.
	Init Init
	// Seed seeds the initial weights; the same seed gives the same bits.
	Seed uint64
}

// MLP is a stack of Dense layers.
type MLP struct {
	Layers []*Dense
}

// NewMLP returns a network with freshly initialised weights, or an error
// naming the field of cfg that is invalid. Sizes whose weights cannot fit
// in memory are a *MemoryError, before anything is allocated.
func NewMLP(cfg MLPConfig) (*MLP, error) {
	if len(cfg.Sizes) < 2 {
		return nil, fmt.Errorf("nn: MLPConfig.Sizes = %v: an MLP needs at least 2 sizes (inputs and outputs)", cfg.Sizes)
	}
	for i, s := range cfg.Sizes {
		if s < 1 {
			return nil, fmt.Errorf("nn: MLPConfig.Sizes[%d] = %d: a layer has at least 1 unit", i, s)
		}
	}
	hidden, output := cfg.Hidden, cfg.Output.orLinear()
	if hidden == "" {
		hidden = ReLU
	}
	for _, a := range []struct {
		field string
		act   Activation
	}{{"Hidden", hidden}, {"Output", output}} {
		if _, err := ParseActivation(string(a.act)); err != nil {
			return nil, fmt.Errorf("nn: MLPConfig.%s = %q: unknown; use relu, tanh, sigmoid or linear", a.field, string(a.act))
		}
	}
	switch cfg.Init {
	case InitAuto, GlorotUniform, HeNormal:
	default:
		return nil, fmt.Errorf("nn: MLPConfig.Init = %q: unknown; use %q or %q", string(cfg.Init), GlorotUniform, HeNormal)
	}
	params := 0.0
	for i := 1; i < len(cfg.Sizes); i++ {
		params += float64(cfg.Sizes[i-1])*float64(cfg.Sizes[i]) + float64(cfg.Sizes[i])
	}
	// The memory guard: a value and a gradient per parameter.
	if err := memlimit.Check("a network of "+widthsText(cfg.Sizes)+" units", memlimit.Floats(2, params), "MLPConfig.Sizes"); err != nil {
		return nil, fmt.Errorf("nn: %w", err)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, streamInit))
	m := &MLP{}
	for i := 0; i+1 < len(cfg.Sizes); i++ {
		act := hidden
		if i+2 == len(cfg.Sizes) {
			act = output
		}
		m.Layers = append(m.Layers, NewDense(cfg.Sizes[i], cfg.Sizes[i+1], act, cfg.Init, rng))
	}
	return m, nil
}

// Forward records the network applied to the batch x (one observation per
// row) on t.
func (m *MLP) Forward(t *autodiff.Tape, x *autodiff.Node) *autodiff.Node {
	for _, l := range m.Layers {
		x = l.Forward(t, x)
	}
	return x
}

// Params returns every layer's W and B, layer by layer.
func (m *MLP) Params() []*autodiff.Node {
	var ps []*autodiff.Node
	for _, l := range m.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Sizes returns the layer widths, input first.
func (m *MLP) Sizes() []int {
	s := []int{m.Layers[0].In()}
	for _, l := range m.Layers {
		s = append(s, l.Out())
	}
	return s
}

// NumParams returns the number of weights and biases.
func (m *MLP) NumParams() int {
	n := 0
	for _, p := range m.Params() {
		n += len(p.Value)
	}
	return n
}

// LayerState is one dense layer as stored in a model file.
type LayerState struct {
	Activation Activation  `json:"activation"`
	W          [][]float64 `json:"w"` // In rows of Out weights
	B          []float64   `json:"b"` // Out biases
}

// MLPState is an MLP as stored in a model file: plain slices, so that any
// model embedding a network (a classifier, a VAE's encoder) can marshal it.
type MLPState struct {
	Layers []LayerState `json:"layers"`
}

// State returns a copy of the network's parameters.
func (m *MLP) State() MLPState {
	s := MLPState{Layers: make([]LayerState, len(m.Layers))}
	for k, l := range m.Layers {
		w := make([][]float64, l.In())
		for i := range w {
			w[i] = append([]float64(nil), l.W.Value[i*l.Out():(i+1)*l.Out()]...)
		}
		s.Layers[k] = LayerState{Activation: l.Act, W: w, B: append([]float64(nil), l.B.Value...)}
	}
	return s
}

// MLPFromState rebuilds a network from s, checking that every layer is a
// rectangular In×Out weight matrix with Out finite biases, that each
// layer's In is the previous layer's Out, and that activations are known.
// Errors name the field under prefix (as "body.network.layers[1].w[3]").
func MLPFromState(s MLPState, prefix string) (*MLP, error) {
	if len(s.Layers) == 0 {
		return nil, fmt.Errorf("%s.layers: no layers", prefix)
	}
	m := &MLP{}
	for k, ls := range s.Layers {
		at := fmt.Sprintf("%s.layers[%d]", prefix, k)
		act, err := ParseActivation(string(ls.Activation))
		if err != nil {
			return nil, fmt.Errorf("%s.activation: %w", at, err)
		}
		in := len(ls.W)
		if in == 0 {
			return nil, fmt.Errorf("%s.w: no rows", at)
		}
		out := len(ls.W[0])
		if out == 0 {
			return nil, fmt.Errorf("%s.w[0]: no weights", at)
		}
		if k > 0 {
			if prev := m.Layers[k-1].Out(); in != prev {
				return nil, fmt.Errorf("%s.w: %d rows, but layer %d has %d units: each layer takes the previous layer's outputs", at, in, k-1, prev)
			}
		}
		w := make([]float64, 0, in*out)
		for i, r := range ls.W {
			if len(r) != out {
				return nil, fmt.Errorf("%s.w[%d]: %d weights, want %d (as row 0; the layer is %d→%d)", at, i, len(r), out, in, out)
			}
			for j, v := range r {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("%s.w[%d][%d]: %v is not finite", at, i, j, v)
				}
			}
			w = append(w, r...)
		}
		if len(ls.B) != out {
			return nil, fmt.Errorf("%s.b: %d biases, want %d (the layer is %d→%d)", at, len(ls.B), out, in, out)
		}
		for j, v := range ls.B {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s.b[%d]: %v is not finite", at, j, v)
			}
		}
		m.Layers = append(m.Layers, &Dense{W: autodiff.NewParam(in, out, w), B: autodiff.NewParam(1, out, ls.B), Act: act})
	}
	return m, nil
}
