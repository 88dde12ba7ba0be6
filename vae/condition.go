package vae

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
)

// ErrConditional is wrapped by the errors of methods that need no label
// (Sample, Encode, Decode, Reconstruct, …) called on a conditional model
// (Config.Classes), whose networks need the class of every row: use
// SampleClass, EncodeGiven, and the Labels of EvalOptions and IWAEOptions.
var ErrConditional = errors.New("vae: a conditional VAE needs the class of every row")

// Conditional reports whether the model is a conditional VAE
// (Config.Classes): its encoder and decoder take a one-hot class label
// beside their input.
func (m *Model) Conditional() bool { return len(m.cfg.Classes) > 0 }

// Classes returns the class names of a conditional model, in the order of
// its one-hot columns (a copy), or nil.
func (m *Model) Classes() []string {
	if len(m.cfg.Classes) == 0 {
		return nil
	}
	return append([]string(nil), m.cfg.Classes...)
}

// checkClasses validates Config.Classes: none, or at least 2 distinct
// names.
func checkClasses(classes []string) error {
	if len(classes) == 0 {
		return nil
	}
	if len(classes) < 2 {
		return optionError("Config.Classes", classes, "a conditional VAE needs at least 2 classes")
	}
	seen := map[string]bool{}
	for _, c := range classes {
		if seen[c] {
			return optionError("Config.Classes", classes, "class %q is listed twice", c)
		}
		seen[c] = true
	}
	return nil
}

// ClassesOf returns the distinct labels of a training set in the order
// a conditional model keeps them: sorted as strings ("0" … "9").
func ClassesOf(labels []string) []string {
	c := slices.Clone(labels)
	slices.Sort(c)
	return slices.Compact(c)
}

// classIndex returns the class index of each label, for a conditional
// model; nil for an unconditional one (labels are then ignored). what
// names the rows in errors.
func (m *Model) classIndex(labels []string, n int, what string) ([]int, error) {
	if !m.Conditional() {
		return nil, nil
	}
	if labels == nil {
		return nil, fmt.Errorf("%w: give the labels of the %s (the model's classes are %v)", ErrConditional, what, m.cfg.Classes)
	}
	if len(labels) != n {
		return nil, fmt.Errorf("vae: %d labels for %d rows of %s", len(labels), n, what)
	}
	idx := make(map[string]int, len(m.cfg.Classes))
	for k, c := range m.cfg.Classes {
		idx[c] = k
	}
	out := make([]int, n)
	for i, l := range labels {
		k, ok := idx[l]
		if !ok {
			return nil, fmt.Errorf("vae: %s row %d: label %q is not a class of the model (%v)", what, i+1, l, m.cfg.Classes)
		}
		out[i] = k
	}
	return out, nil
}

// oneHot records the one-hot rows of classes cls[i0:i1] on t, each
// repeated rep times; nil when cls is nil (an unconditional model).
func (m *Model) oneHot(t *autodiff.Tape, cls []int, i0, i1, rep int) *autodiff.Node {
	if cls == nil {
		return nil
	}
	C := len(m.cfg.Classes)
	n := t.NewConst((i1-i0)*rep, C)
	clear(n.Value)
	for i := i0; i < i1; i++ {
		for s := 0; s < rep; s++ {
			n.Value[((i-i0)*rep+s)*C+cls[i]] = 1
		}
	}
	return n
}

// given returns the network input x, or [x | cond] with a condition.
func given(t *autodiff.Tape, x, cond *autodiff.Node) *autodiff.Node {
	if cond == nil {
		return x
	}
	return t.ConcatCols(x, cond)
}

// refuseConditional is the error of a method without labels on a
// conditional model.
func (m *Model) refuseConditional(method, instead string) error {
	if !m.Conditional() {
		return nil
	}
	return fmt.Errorf("%w: %s takes no labels; use %s", ErrConditional, method, instead)
}

// SampleClasses draws perClass samples of each class of a conditional
// model (SampleClass, class by class, from rng in that order) into the
// rows of one matrix, and returns it with the class of each row: the
// samples behind a chart with a row per class. It returns an error
// wrapping ErrConditional for an unconditional model, and panics when
// perClass < 1 or rng is nil.
func (m *Model) SampleClasses(perClass int, rng *rand.Rand) (*mat.Dense, []string, error) {
	if perClass < 1 {
		panic(fmt.Sprintf("vae: SampleClasses: %d samples per class", perClass))
	}
	if !m.Conditional() {
		return nil, nil, fmt.Errorf("%w: SampleClasses needs a conditional model (trained with labels); use Sample", ErrConditional)
	}
	C := len(m.cfg.Classes)
	out := mat.NewDense(C*perClass, m.cfg.Inputs, nil)
	labels := make([]string, 0, C*perClass)
	for c, name := range m.cfg.Classes {
		if err := m.SampleClass(out.Slice(c*perClass, (c+1)*perClass, 0, m.cfg.Inputs).(*mat.Dense), name, rng); err != nil {
			return nil, nil, err
		}
		for range perClass {
			labels = append(labels, name)
		}
	}
	return out, labels, nil
}
