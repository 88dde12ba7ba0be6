package nn

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/csvio"
)

// Predictions are a classifier's predictions for a set of rows, with its
// scores when the rows' labels were given (Classifier.Classify).
type Predictions struct {
	Classes   []string `json:"classes"`     // the classifier's classes, the columns of Proba
	Predicted []string `json:"predictions"` // the most probable class of each row
	// Proba holds the class probabilities, one row per input row (empty
	// for no rows).
	Proba *mat.Dense `json:"-"`
	// Metrics are the scores against the labels; nil without labels.
	Metrics *Metrics `json:"metrics,omitempty"`
}

// Classify predicts the class of every row of x with its probabilities
// and, when labels is not nil, scores the predictions against them (as
// Evaluate does). It panics when x does not have Inputs columns or labels
// is neither nil nor one label per row; a value that is not finite, or a
// label that is not one of Classes, is an error.
func (c *Classifier) Classify(x mat.Matrix, labels []string) (*Predictions, error) {
	n, _ := x.Dims()
	if labels != nil && len(labels) != n {
		panic(fmt.Sprintf("nn: Classify: %d labels for %d rows", len(labels), n))
	}
	xs, err := c.prepare("Classify", x)
	if err != nil {
		return nil, err
	}
	proba := c.proba(xs)
	p := &Predictions{Classes: c.Classes(), Predicted: c.classesOf(proba), Proba: proba}
	if labels != nil {
		y, err := c.indices(labels)
		if err != nil {
			return nil, err
		}
		m := c.evaluate(xs, y)
		p.Metrics = &m
	}
	return p, nil
}

// WriteText writes how many rows went to each class and, with labels, the
// scores and the confusion matrix, as `latent nn predict` prints them
// after the line naming the data.
func (p *Predictions) WriteText(w io.Writer) error {
	var b bytes.Buffer
	counts := make(map[string]int)
	for _, c := range p.Predicted {
		counts[c]++
	}
	parts := make([]string, len(p.Classes))
	for i, c := range p.Classes {
		parts[i] = fmt.Sprintf("%s %d", c, counts[c])
	}
	fmt.Fprintf(&b, "predicted %s\n", strings.Join(parts, ", "))
	if p.Metrics != nil {
		fmt.Fprintf(&b, "\n%-11s %s\n\n", "labels", p.Metrics.Line())
		p.Metrics.WriteText(&b)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteCSV writes one row per input row: the probability of each class,
// in columns p_<class>, then the predicted class, in a column "predicted".
func (p *Predictions) WriteCSV(w io.Writer) error {
	cols := make([]string, len(p.Classes))
	for i, c := range p.Classes {
		cols[i] = "p_" + c
	}
	return csvio.Write(w, cols, p.Proba, "predicted", p.Predicted)
}
