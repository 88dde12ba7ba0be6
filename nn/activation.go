package nn

import (
	"fmt"

	"github.com/latentgo/latent/autodiff"
)

// Activation names the function a layer applies to its pre-activations
// elementwise. Its zero value "" means Linear in a layer.
type Activation string

// The activations.
const (
	Linear  Activation = "linear"  // identity: a = z
	ReLU    Activation = "relu"    // max(z, 0), subgradient 0 at 0
	Tanh    Activation = "tanh"    // tanh z
	Sigmoid Activation = "sigmoid" // σ(z) = 1/(1 + e^−z)
)

// ParseActivation returns the activation named s (relu, tanh, sigmoid,
// linear; "identity" is accepted for linear).
func ParseActivation(s string) (Activation, error) {
	switch a := Activation(s); a {
	case Linear, ReLU, Tanh, Sigmoid:
		return a, nil
	case "identity":
		return Linear, nil
	}
	return "", fmt.Errorf("nn: unknown activation %q; use relu, tanh, sigmoid or linear", s)
}

// Apply records the activation of z on t. It panics on an unknown
// activation (ParseActivation validates user input).
func (a Activation) Apply(t *autodiff.Tape, z *autodiff.Node) *autodiff.Node {
	switch a {
	case Linear, "":
		return z
	case ReLU:
		return t.ReLU(z)
	case Tanh:
		return t.Tanh(z)
	case Sigmoid:
		return t.Sigmoid(z)
	}
	panic(fmt.Sprintf("nn: unknown activation %q", string(a)))
}

func (a Activation) orLinear() Activation {
	if a == "" {
		return Linear
	}
	return a
}
