package plots

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/latentgo/latent/nn"
)

func f(v float64) *float64 { return &v }

// NNLoss draws one line per loss (the axes cover both) and encodes.
func TestNNLoss(t *testing.T) {
	rep := &nn.Report{Epochs: []nn.EpochStats{
		{Epoch: 1, TrainLoss: 1.0, ValLoss: f(1.1)},
		{Epoch: 2, TrainLoss: 0.5, ValLoss: f(0.7)},
		{Epoch: 3, TrainLoss: 0.3, ValLoss: f(0.6)},
	}}
	p, err := NNLoss(rep, "test")
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 1 || p.X.Max != 3 || p.Y.Min != 0.3 || p.Y.Max != 1.1 {
		t.Errorf("axes [%v, %v] × [%v, %v], want [1, 3] × [0.3, 1.1]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	wt, err := p.WriterTo(4*vg.Inch, 3*vg.Inch, "png")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil || !bytes.HasPrefix(b.Bytes(), []byte("\x89PNG")) {
		t.Errorf("PNG: %v, %d bytes", err, b.Len())
	}
	// Without a validation set, the training line alone sets the axes.
	for i := range rep.Epochs {
		rep.Epochs[i].ValLoss = nil
	}
	if p, err := NNLoss(rep, "test"); err != nil || p.Y.Max != 1.0 {
		t.Errorf("training only: %v, y up to %v, want 1", err, p.Y.Max)
	}
}

// Empty or non-finite data are errors, not blank charts.
func TestNNLossErrors(t *testing.T) {
	if _, err := NNLoss(&nn.Report{}, "empty"); err == nil {
		t.Error("no epochs: no error")
	}
	if _, err := NNTrace(nil, "t", "x", "y"); err == nil {
		t.Error("empty trace: no error")
	}
	_, err := NNTrace([]float64{1, math.NaN()}, "t", "x", "y")
	if err == nil || !strings.Contains(err.Error(), "value 1 is NaN") {
		t.Errorf("NaN: got %v", err)
	}
}
