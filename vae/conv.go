package vae

import (
	"fmt"
	"math/rand/v2"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/nn"
)

// Arch names the networks' architecture.
type Arch string

// The architectures of Config.Arch.
const (
	// ArchMLP: fully connected encoder and decoder (the default).
	ArchMLP Arch = "mlp"
	// ArchConv: a convolutional encoder, stride-2 convolutions of 4×4
	// kernels with padding 1 (each halves the image) with Config.Channels
	// channels, then the fully connected layers of Config.Hidden; the
	// decoder mirrors it with transposed convolutions (each doubles the
	// image), its last one linear with one channel. The rows are
	// ImageH × ImageW grey images.
	ArchConv Arch = "conv"
)

// ParseArch returns the architecture named s: mlp or conv.
func ParseArch(s string) (Arch, error) {
	switch a := Arch(s); a {
	case ArchMLP, ArchConv:
		return a, nil
	}
	return "", fmt.Errorf("vae: unknown architecture %q; use mlp or conv", s)
}

// checkArch fills in and checks a convolutional architecture.
func (c *Config) checkArch() error {
	switch c.Arch {
	case "", ArchMLP:
		c.Arch = ""
		if c.ImageH != 0 || c.ImageW != 0 || c.Channels != nil {
			return optionError("Config.Arch", `"mlp"`, "ImageH, ImageW and Channels describe the convolutional architecture; set Arch to %q", ArchConv)
		}
		return nil
	case ArchConv:
	default:
		return optionError("Config.Arch", fmt.Sprintf("%q", string(c.Arch)), "use %q or %q", ArchMLP, ArchConv)
	}
	if c.Channels == nil {
		c.Channels = []int{32, 64}
	} else {
		c.Channels = append([]int(nil), c.Channels...)
	}
	f := 1 << len(c.Channels)
	switch {
	case len(c.Channels) < 1 || len(c.Channels) > 4:
		return optionError("Config.Channels", c.Channels, "give 1 to 4 convolutional layers")
	case c.ImageH < 1 || c.ImageW < 1 || c.ImageH*c.ImageW != c.Inputs:
		return optionError("Config.ImageH", fmt.Sprintf("%d×%d", c.ImageH, c.ImageW), "the images must have the data's %d values", c.Inputs)
	case c.ImageH%f != 0 || c.ImageW%f != 0:
		return optionError("Config.ImageH", fmt.Sprintf("%d×%d", c.ImageH, c.ImageW), "%d stride-2 layers need sides divisible by %d", len(c.Channels), f)
	case len(c.Classes) > 0:
		return optionError("Config.Arch", `"conv"`, "a conditional convolutional VAE is not supported; use the mlp architecture")
	}
	for i, ch := range c.Channels {
		if ch < 1 {
			return optionError(fmt.Sprintf("Config.Channels[%d]", i), ch, "a layer has at least 1 channel")
		}
	}
	return nil
}

// convShapes returns the shapes of the encoder's convolutions, input
// side first; the decoder's transposed layers use them in reverse.
func convShapes(c Config) []autodiff.ConvShape {
	if c.Arch != ArchConv {
		return nil
	}
	var out []autodiff.ConvShape
	in, h, w := 1, c.ImageH, c.ImageW
	for _, ch := range c.Channels {
		out = append(out, autodiff.ConvShape{InC: in, H: h, W: w, OutC: ch, KH: 4, KW: 4, Stride: 2, Pad: 1})
		in, h, w = ch, h/2, w/2
	}
	return out
}

// convOut is the size of the convolutional front's output (the MLP's
// input), or inputs without one.
func convOut(c Config) int {
	s := convShapes(c)
	if s == nil {
		return c.Inputs
	}
	return s[len(s)-1].OutSize()
}

// newConvNets draws the encoder's convolutions (ReLU) and the decoder's
// transposed ones (ReLU, the last linear), from rng.
func newConvNets(c Config, rng *rand.Rand) (enc, dec []*nn.Conv) {
	shapes := convShapes(c)
	for _, s := range shapes {
		enc = append(enc, nn.NewConv(s, false, c.Activation, rng))
	}
	for i := len(shapes) - 1; i >= 0; i-- {
		act := c.Activation
		if i == 0 {
			act = nn.Linear
		}
		dec = append(dec, nn.NewConv(shapes[i], true, act, rng))
	}
	return enc, dec
}

// encNet records the encoder on x: the convolutions, then the MLP.
func (m *Model) encNet(t *autodiff.Tape, x *autodiff.Node) *autodiff.Node {
	for _, l := range m.encConv {
		x = l.Forward(t, x)
	}
	return m.enc.Forward(t, x)
}

// decNet records the decoder on z: the MLP, then the transposed
// convolutions.
func (m *Model) decNet(t *autodiff.Tape, z *autodiff.Node) *autodiff.Node {
	h := m.dec.Forward(t, z)
	for _, l := range m.decConv {
		h = l.Forward(t, h)
	}
	return h
}

// convParams returns the parameters of a list of conv layers.
func convParams(ls []*nn.Conv) []*autodiff.Node {
	var ps []*autodiff.Node
	for _, l := range ls {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// ConvState is a conv layer as stored in a model file: its weights, one
// row per filter, and its biases; the shapes follow from the model's
// configuration.
type ConvState struct {
	W [][]float64 `json:"w"`
	B []float64   `json:"b"`
}

func convState(ls []*nn.Conv) []ConvState {
	var out []ConvState
	for _, l := range ls {
		r, c := l.W.Rows(), l.W.Cols()
		w := make([][]float64, r)
		for i := range w {
			w[i] = append([]float64(nil), l.W.Value[i*c:(i+1)*c]...)
		}
		out = append(out, ConvState{W: w, B: append([]float64(nil), l.B.Value...)})
	}
	return out
}

// convFromState checks stored conv layers against the fresh layers of the
// configuration (their shapes) and copies the values in.
func convFromState(st []ConvState, fresh []*nn.Conv, at string) error {
	if len(st) != len(fresh) {
		return fmt.Errorf("%s: %d layers, the architecture has %d", at, len(st), len(fresh))
	}
	for k, l := range fresh {
		r, c := l.W.Rows(), l.W.Cols()
		if len(st[k].W) != r || len(st[k].B) != len(l.B.Value) {
			return fmt.Errorf("%s[%d]: %d filters and %d biases, want %d and %d", at, k, len(st[k].W), len(st[k].B), r, len(l.B.Value))
		}
		for i, row := range st[k].W {
			if len(row) != c {
				return fmt.Errorf("%s[%d].w[%d]: %d values, want %d", at, k, i, len(row), c)
			}
			for j, v := range row {
				if !finite(v) {
					return fmt.Errorf("%s[%d].w[%d][%d]: %v is not finite", at, k, i, j, v)
				}
			}
			copy(l.W.Value[i*c:], row)
		}
		for j, v := range st[k].B {
			if !finite(v) {
				return fmt.Errorf("%s[%d].b[%d]: %v is not finite", at, k, j, v)
			}
		}
		copy(l.B.Value, st[k].B)
	}
	return nil
}
