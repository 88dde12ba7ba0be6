package nn

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/latentgo/latent/internal/numfmt"
)

// Status says how a training run ended. Not converging is a status, not
// an error.
type Status string

// The statuses of a run.
const (
	// StatusConverged: the early-stopping rule fired (the training loss
	// did not improve by ClassifierOptions.Tol for Patience epochs).
	StatusConverged Status = "converged"
	// StatusMaxEpochs: ClassifierOptions.Epochs epochs ran.
	StatusMaxEpochs Status = "max-epochs"
)

// String returns the status as the report's JSON has it.
func (s Status) String() string { return string(s) }

// EpochStats describe one epoch of training.
type EpochStats struct {
	Epoch     int     `json:"epoch"`      // 1-based
	TrainLoss float64 `json:"train_loss"` // mean log-loss over the epoch's minibatches, weighted by batch size
	// ValLoss and ValAccuracy are measured after the epoch on the
	// validation rows; absent without a validation set.
	ValLoss     *float64 `json:"val_loss,omitempty"`
	ValAccuracy *float64 `json:"val_accuracy,omitempty"`
	Seconds     float64  `json:"seconds"` // wall time of the epoch's training steps
}

// Progress is passed to ClassifierOptions.Progress after every epoch.
type Progress struct {
	EpochStats               // the epoch just finished, as Report.Epochs records it
	MaxEpochs  int           // ClassifierOptions.Epochs after defaults: the run ends there at the latest
	Elapsed    time.Duration // since TrainClassifier began
}

// Metrics are a classifier's scores on labelled rows.
type Metrics struct {
	Rows     int     `json:"rows"`
	Accuracy float64 `json:"accuracy"` // share of rows whose most probable class is the label
	// LogLoss is the mean of −log p(label | x) in nats, computed from the
	// logits in log space (no clipping of probabilities).
	LogLoss float64  `json:"log_loss"`
	Classes []string `json:"classes"`
	// Confusion[i][j] counts rows of true class i predicted as class j
	// (scikit-learn's confusion_matrix layout).
	Confusion [][]int `json:"confusion"`
}

// Line returns the scores in one line, as latent's command prints them:
// "accuracy 0.9667 (29/30), log-loss 0.1234".
func (m *Metrics) Line() string {
	correct := 0
	for i := range m.Confusion {
		correct += m.Confusion[i][i]
	}
	return fmt.Sprintf("accuracy %s (%d/%d), log-loss %s", numfmt.Fixed(m.Accuracy, 4), correct, m.Rows, numfmt.Fixed(m.LogLoss, 4))
}

// WriteText writes the confusion matrix as a right-aligned table under a
// heading, true classes down and predicted classes across.
func (m *Metrics) WriteText(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("confusion matrix (rows: true class, columns: predicted)\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, c := range m.Classes {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw)
	for i, row := range m.Confusion {
		fmt.Fprintf(tw, "%s\t", m.Classes[i])
		for _, v := range row {
			fmt.Fprintf(tw, "%d\t", v)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	_, err := w.Write(b.Bytes())
	return err
}

// Report describes a training run.
type Report struct {
	Status     Status       `json:"status"`
	Epochs     []EpochStats `json:"epochs"`
	Sizes      []int        `json:"sizes"` // layer widths, input first
	Params     int          `json:"params"`
	Optimizer  string       `json:"optimizer"`
	LR         float64      `json:"lr"`
	BatchSize  int          `json:"batch_size"`
	Seed       uint64       `json:"seed"`
	Scaling    string       `json:"scaling"`
	Train      Metrics      `json:"train"`                // after the last epoch
	Validation *Metrics     `json:"validation,omitempty"` // absent without a validation set
	Seconds    float64      `json:"seconds"`              // whole run
	// Activation of the hidden layers (Linear without any) and
	// ValFraction, the share held out by a split (0 when the validation
	// set was given or there was none), for WriteText. The model file's
	// training record keeps both; they stay out of the report's JSON,
	// which is the one `latent nn train --json` has always printed.
	Activation  Activation `json:"-"`
	ValFraction float64    `json:"-"`
}

// textEpochs is the most epochs WriteText lists (first and last included).
const textEpochs = 10

// WriteText writes the report as `latent nn train` prints it after the
// line naming the data: the network, the training settings, the rows, up
// to 10 epochs of losses, the training and validation scores and the
// validation confusion matrix.
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	sizes := make([]string, len(r.Sizes))
	for i, s := range r.Sizes {
		sizes[i] = strconv.Itoa(s)
	}
	fmt.Fprintf(&b, "network   %s %s, %d parameters; scaling %s\n", strings.Join(sizes, "-"), r.Activation, r.Params, r.Scaling)
	fmt.Fprintf(&b, "training  %s lr %g, batch %d, seed %d: %d epochs in %.1fs (%s)\n", r.Optimizer, r.LR, r.BatchSize, r.Seed, len(r.Epochs), r.Seconds, r.Status)
	fmt.Fprintf(&b, "rows      %d training", r.Train.Rows)
	if r.Validation != nil {
		how := "given"
		if r.ValFraction > 0 {
			how = fmt.Sprintf("stratified %g%%", 100*r.ValFraction)
		}
		fmt.Fprintf(&b, ", %d validation (%s)", r.Validation.Rows, how)
	}
	b.WriteString("\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if r.Validation != nil {
		fmt.Fprintln(tw, "epoch\ttrain loss\tval loss\tval accuracy\t")
	} else {
		fmt.Fprintln(tw, "epoch\ttrain loss\t")
	}
	for _, k := range spread(len(r.Epochs), textEpochs) {
		s := r.Epochs[k]
		if s.ValLoss != nil {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\n", s.Epoch, numfmt.Fixed(s.TrainLoss, 4), numfmt.Fixed(*s.ValLoss, 4), numfmt.Fixed(*s.ValAccuracy, 4))
		} else {
			fmt.Fprintf(tw, "%d\t%s\t\n", s.Epoch, numfmt.Fixed(s.TrainLoss, 4))
		}
	}
	tw.Flush()
	fmt.Fprintf(&b, "\n%-11s %s\n", "training", r.Train.Line())
	if r.Validation != nil {
		fmt.Fprintf(&b, "%-11s %s\n\n", "validation", r.Validation.Line())
		r.Validation.WriteText(&b)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// spread picks at most max of the indices 0…n−1, evenly spread, first and
// last included.
func spread(n, max int) []int {
	if n <= max {
		return seq(n)
	}
	out := make([]int, 0, max)
	for i := 0; i < max; i++ {
		out = append(out, i*(n-1)/(max-1))
	}
	return out
}
