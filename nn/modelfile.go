package nn

import (
	"fmt"
	"io"
	"math"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/modelfile"
)

// ModelKind is the kind of a classifier's model file ("latent.nn").
const ModelKind = "nn"

// modelSchema is the schema version this package writes and reads up to.
const modelSchema = 1

type scalerBody struct {
	Mean  []float64 `json:"mean"`
	Scale []float64 `json:"scale"`
}

type classifierBody struct {
	Classes  []string    `json:"classes"`
	Columns  []string    `json:"columns"`
	Label    string      `json:"label"`
	Scaler   scalerBody  `json:"scaler"`
	Network  MLPState    `json:"network"`
	Training TrainedWith `json:"training"`
}

func (c *Classifier) body() classifierBody {
	return classifierBody{Classes: c.classes, Columns: c.Columns(), Label: c.label,
		Scaler: scalerBody{Mean: c.mean, Scale: c.scale}, Network: c.net.State(), Training: c.trained}
}

// SaveOptions controls Save. It is the options type of latent's atomic
// writer: Force replaces an existing file (otherwise Save refuses it), and
// Inputs lists files Save must never replace (the data the model was read
// from, say). The zero value refuses to replace anything.
type SaveOptions = fileio.Options

// Save writes the classifier to path as a "latent.nn" model file,
// atomically: a temporary file in the same folder, synced, then renamed.
func (c *Classifier) Save(path string, opts SaveOptions) error {
	return modelfile.Save(path, ModelKind, modelSchema, c.body(), opts)
}

// Marshal returns the classifier's model file as bytes.
func (c *Classifier) Marshal() ([]byte, error) {
	return modelfile.Marshal(ModelKind, modelSchema, c.body())
}

// LoadClassifier reads a classifier written by Save, checking the
// envelope strictly and then the model: at least two distinct classes, one
// scaler entry and one column name per input, positive finite scales, and
// a network whose layers chain from the inputs to one logit per class.
// Errors name the file and the field.
func LoadClassifier(path string) (*Classifier, error) {
	var b classifierBody
	if _, err := modelfile.Load(path, ModelKind, modelSchema, &b); err != nil {
		return nil, err
	}
	c, err := b.classifier()
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w", path, err)
	}
	return c, nil
}

// ReadClassifier is LoadClassifier from a reader; name is used in errors.
func ReadClassifier(r io.Reader, name string) (*Classifier, error) {
	var b classifierBody
	if _, err := modelfile.Read(r, name, ModelKind, modelSchema, &b); err != nil {
		return nil, err
	}
	c, err := b.classifier()
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w", name, err)
	}
	return c, nil
}

func (b classifierBody) classifier() (*Classifier, error) {
	if len(b.Classes) < 2 {
		return nil, fmt.Errorf("body.classes: %d classes; a classifier has at least 2", len(b.Classes))
	}
	seen := map[string]int{}
	for i, c := range b.Classes {
		if j, dup := seen[c]; dup {
			return nil, fmt.Errorf("body.classes[%d]: %q repeats body.classes[%d]", i, c, j)
		}
		seen[c] = i
	}
	net, err := MLPFromState(b.Network, "body.network")
	if err != nil {
		return nil, err
	}
	d := net.Layers[0].In()
	if out := net.Layers[len(net.Layers)-1].Out(); out != len(b.Classes) {
		return nil, fmt.Errorf("body.network.layers[%d]: %d outputs, but there are %d classes", len(net.Layers)-1, out, len(b.Classes))
	}
	if last := net.Layers[len(net.Layers)-1].Act; last != Linear {
		return nil, fmt.Errorf("body.network.layers[%d].activation: %q; the last layer of a classifier gives logits and must be linear", len(net.Layers)-1, last)
	}
	if len(b.Columns) != d {
		return nil, fmt.Errorf("body.columns: %d names, but the network takes %d inputs", len(b.Columns), d)
	}
	if len(b.Scaler.Mean) != d {
		return nil, fmt.Errorf("body.scaler.mean: %d values, but the network takes %d inputs", len(b.Scaler.Mean), d)
	}
	if len(b.Scaler.Scale) != d {
		return nil, fmt.Errorf("body.scaler.scale: %d values, but the network takes %d inputs", len(b.Scaler.Scale), d)
	}
	for j, s := range b.Scaler.Scale {
		if !(s > 0) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("body.scaler.scale[%d]: %v; scales are positive and finite", j, s)
		}
	}
	return &Classifier{classes: b.Classes, columns: b.Columns, label: b.Label, mean: b.Scaler.Mean, scale: b.Scaler.Scale, net: net, trained: b.Training}, nil
}
