package plots

import (
	"errors"

	"gonum.org/v1/plot"

	"github.com/latentgo/latent/nn"
)

// NNLoss returns the chart of a classifier's mean training log-loss per
// epoch and, when the report has a validation set, its held-out log-loss
// after each epoch, as `latent nn train --plot` draws it: a Lines chart
// over epochs 1, 2, …, n. An empty report or a loss that is not finite is
// an error.
func NNLoss(rep *nn.Report, title string) (*plot.Plot, error) {
	if rep == nil || len(rep.Epochs) == 0 {
		return nil, errors.New("plots: NNLoss: the report has no epochs")
	}
	train := make([]float64, len(rep.Epochs))
	var val []float64
	for i, e := range rep.Epochs {
		train[i] = e.TrainLoss
		if e.ValLoss != nil {
			val = append(val, *e.ValLoss)
		}
	}
	series := []Series{{Name: "training", Y: train}}
	if len(val) == len(train) {
		series = append(series, Series{Name: "held out", Y: val})
	}
	return Lines(series, LineOptions{Title: title, XLabel: "epoch", YLabel: "log-loss (nats)"})
}

// NNTrace returns the chart of one loss per gradient step, steps numbered
// from 0, such as the loss of full-batch gradient descent. With logY the
// loss axis is logarithmic (every value must then be positive). An empty
// trace or a value that is not finite is an error.
func NNTrace(loss []float64, title, xLabel, yLabel string, logY bool) (*plot.Plot, error) {
	x := make([]float64, len(loss))
	for i := range x {
		x[i] = float64(i)
	}
	return Lines([]Series{{X: x, Y: loss}}, LineOptions{Title: title, XLabel: xLabel, YLabel: yLabel, LogY: logY})
}
