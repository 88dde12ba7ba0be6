package plots

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/latentgo/latent/nn"
)

func ptr(v float64) *float64 { return &v }

// NNLoss draws the training and validation losses over the epochs (the
// axes cover both lines) and encodes.
func TestNNLoss(t *testing.T) {
	rep := &nn.Report{Epochs: []nn.EpochStats{
		{Epoch: 1, TrainLoss: 1.0, ValLoss: ptr(1.1)},
		{Epoch: 2, TrainLoss: 0.5, ValLoss: ptr(0.7)},
		{Epoch: 3, TrainLoss: 0.3, ValLoss: ptr(0.6)},
	}}
	p, err := NNLoss(rep, "test")
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min > 1 || p.X.Max < 3 || p.Y.Min > 0.3 || p.Y.Max < 1.1 {
		t.Errorf("axes [%v, %v] × [%v, %v] do not cover [1, 3] × [0.3, 1.1]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	var b bytes.Buffer
	if err := Encode(&b, "png", p); err != nil || !bytes.HasPrefix(b.Bytes(), []byte("\x89PNG")) {
		t.Errorf("PNG: %v, %d bytes", err, b.Len())
	}
	// Without a validation set, the training line alone sets the axes.
	for i := range rep.Epochs {
		rep.Epochs[i].ValLoss = nil
	}
	if p, err := NNLoss(rep, "test"); err != nil || p.Y.Max >= 1.1 {
		t.Errorf("training only: %v, y up to %v, want below 1.1", err, p.Y.Max)
	}
}

// Empty or non-finite data are errors, not blank charts (P-01, P-02);
// a loss of 0 on a log axis is refused (P-04).
func TestNNLossErrors(t *testing.T) {
	if _, err := NNLoss(&nn.Report{}, "empty"); err == nil {
		t.Error("no epochs: no error")
	}
	if _, err := NNTrace(nil, "t", "x", "y", false); !errors.Is(err, ErrNoData) {
		t.Errorf("empty trace: got %v, want ErrNoData", err)
	}
	if _, err := NNTrace([]float64{1, math.NaN()}, "t", "x", "y", false); err == nil {
		t.Error("NaN: no error")
	}
	if _, err := NNTrace([]float64{1, 0}, "t", "x", "y", true); !errors.Is(err, ErrLogScale) {
		t.Errorf("0 on a log axis: got %v, want ErrLogScale", err)
	}
}
