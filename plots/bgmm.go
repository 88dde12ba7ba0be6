package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/latentgo/latent/mixture"
)

// BGMMOptions are the options of BGMMWeights. The zero value draws the
// threshold of mixture.DefaultEffectiveThreshold.
type BGMMOptions struct {
	// Title is drawn above the chart; "" means "Component weights per
	// iteration".
	Title string
	// Threshold is the weight from which a component counts as effective,
	// drawn as a dashed line; 0 means mixture.DefaultEffectiveThreshold.
	Threshold float64
}

// BGMMWeights returns the chart of a Bayesian mixture's component weights
// E_q[π_k] over the iterations of its fit, on a log axis: trace[n] holds
// the K weights after iteration n, trace[0] those after the
// initialisation (mixture.BayesReport.WeightTrace). With a
// Dirichlet-process prior the weights of the components the data do not
// need fall by orders of magnitude: the pruning made visible. Each
// component keeps its colour of the other mixture charts; the legend gives
// its final weight, and a dashed line marks the threshold.
//
// It returns an error wrapping ErrNoData for an empty trace, ErrNaN or
// ErrInf for a non-finite weight and ErrLogScale for a weight ≤ 0, naming
// the component and iteration, and an error for more than MaxGroups
// components. It panics when the rows of trace differ in length.
func BGMMWeights(trace [][]float64, opts BGMMOptions) (*plot.Plot, error) {
	if len(trace) == 0 || len(trace[0]) == 0 {
		return nil, fmt.Errorf("plots: weight chart of no iterations: %w", ErrNoData)
	}
	k := len(trace[0])
	for n, row := range trace {
		mustLen(fmt.Sprintf("weights of iteration %d", n), k, len(row))
	}
	if k > MaxGroups {
		return nil, fmt.Errorf("plots: weight chart of %d components; at most %d can be told apart", k, MaxGroups)
	}
	threshold := opts.Threshold
	if threshold == 0 {
		threshold = mixture.DefaultEffectiveThreshold
	}
	if err := finite(threshold); err != nil || !(threshold > 0) {
		return nil, fmt.Errorf("plots: weight threshold %v: want a positive number: %w", threshold, ErrLogScale)
	}
	title := opts.Title
	if title == "" {
		title = "Component weights per iteration"
	}
	series := make([]Series, k)
	x := make([]float64, len(trace))
	for n := range x {
		x[n] = float64(n)
	}
	for c := 0; c < k; c++ {
		y := make([]float64, len(trace))
		for n, row := range trace {
			y[n] = row[c]
		}
		last := y[len(y)-1]
		series[c] = Series{Name: fmt.Sprintf("component %d: %s", c, percent(last)), X: x, Y: y}
		if err := series[c].check(c, false, true); err != nil {
			return nil, err
		}
	}
	p := New(title, "iteration (0: the initialisation)", "weight E[π_k]")
	for c, s := range series {
		l, pts := addLine(p, s, c, false, 0)
		if l != nil && s.Y[len(s.Y)-1] < threshold {
			l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		}
		if pts != nil {
			pts.GlyphStyle = GlyphStyle(c)
		}
	}
	th, err := plotter.NewLine(plotter.XYs{{X: 0, Y: threshold}, {X: x[len(x)-1], Y: threshold}})
	if err != nil {
		return nil, err
	}
	th.LineStyle.Color = color.Gray{Y: 0x80}
	th.LineStyle.Width = vg.Points(1)
	th.LineStyle.Dashes = []vg.Length{vg.Points(2), vg.Points(3)}
	p.Add(th)
	p.Legend.Add(fmt.Sprintf("threshold %s", percent(threshold)), th)
	if err := SetLogY(p); err != nil {
		return nil, err
	}
	p.X.Tick.Marker = iterationTicks{}
	LegendOutside(p)
	return p, nil
}

// percent formats a weight as a percentage with enough digits to tell a
// switched-off component from 0.
func percent(w float64) string {
	switch {
	case w >= 0.1:
		return fmt.Sprintf("%.0f%%", 100*w)
	case w >= 0.01:
		return fmt.Sprintf("%.1f%%", 100*w)
	default:
		return fmt.Sprintf("%.1e", w)
	}
}

// iterationTicks are integerTicks, and for longer ranges gonum/plot's
// default ticks labelled as whole numbers when they are.
type iterationTicks struct{}

func (iterationTicks) Ticks(lo, hi float64) []plot.Tick {
	t := integerTicks{}.Ticks(lo, hi)
	for i := range t {
		if v := t[i].Value; t[i].Label != "" && v == math.Trunc(v) {
			t[i].Label = fmt.Sprintf("%.0f", v)
		}
	}
	return t
}
