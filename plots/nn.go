package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"

	"github.com/latentgo/latent/nn"
)

// NNLoss returns the chart of a classifier's training log-loss per epoch
// and, when the report has a validation set, its validation log-loss, as
// `latent nn train --plot` draws it. It returns an error when the report
// has no epochs or a loss is not finite.
func NNLoss(rep *nn.Report, title string) (*plot.Plot, error) {
	if rep == nil || len(rep.Epochs) == 0 {
		return nil, errors.New("plots: NNLoss: the report has no epochs")
	}
	train := make(plotter.XYs, len(rep.Epochs))
	var val plotter.XYs
	for i, e := range rep.Epochs {
		train[i] = plotter.XY{X: float64(e.Epoch), Y: e.TrainLoss}
		if e.ValLoss != nil {
			val = append(val, plotter.XY{X: float64(e.Epoch), Y: *e.ValLoss})
		}
	}
	curves := []nnCurve{{"training", train}}
	if len(val) > 0 {
		curves = append(curves, nnCurve{"validation (held out)", val})
	}
	return nnLines(title, "epoch", "log-loss (nats)", curves)
}

// NNTrace returns the chart of one loss per step, steps numbered from 0,
// such as full-batch gradient descent's loss. It returns an error when the
// trace is empty or holds a value that is not finite.
func NNTrace(loss []float64, title, xLabel, yLabel string) (*plot.Plot, error) {
	if len(loss) == 0 {
		return nil, errors.New("plots: NNTrace: no values")
	}
	xy := make(plotter.XYs, len(loss))
	for i, v := range loss {
		xy[i] = plotter.XY{X: float64(i), Y: v}
	}
	return nnLines(title, xLabel, yLabel, []nnCurve{{"training loss", xy}})
}

type nnCurve struct {
	name string
	xy   plotter.XYs
}

func nnLines(title, xLabel, yLabel string, curves []nnCurve) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Add(plotter.NewGrid())
	for i, c := range curves {
		for k, pt := range c.xy {
			if math.IsNaN(pt.Y) || math.IsInf(pt.Y, 0) {
				return nil, fmt.Errorf("plots: %s: %s: value %d is %v", title, c.name, k, pt.Y)
			}
		}
		l, err := plotter.NewLine(c.xy)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", title, err)
		}
		l.Color = plotutil.Color(i)
		l.Width = 1.5
		l.Dashes = plotutil.Dashes(i)
		p.Add(l)
		if len(curves) > 1 {
			p.Legend.Add(c.name, l)
		}
	}
	p.Legend.Top = true
	return p, nil
}
