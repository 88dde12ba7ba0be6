package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Series is a named curve: Y over X. A nil X means 1, 2, …, len(Y), the
// iterations or epochs of a trace.
type Series struct {
	// Name is the legend entry; "" adds none.
	Name string
	// X and Y are the coordinates; X nil means 1, 2, …, len(Y).
	X, Y []float64
}

// xs returns the series' x values.
func (s Series) xs() []float64 {
	if s.X != nil {
		return s.X
	}
	x := make([]float64, len(s.Y))
	for i := range x {
		x[i] = float64(i + 1)
	}
	return x
}

// check validates the series for drawing, naming it by s.Name or i.
func (s Series) check(i int, logX, logY bool) error {
	name := seriesName(s.Name, i)
	if s.X != nil {
		mustLen(name+": x and y", len(s.X), len(s.Y))
	}
	if err := checkFinite(name+": y", s.Y); err != nil {
		return err
	}
	if s.X != nil {
		if err := checkFinite(name+": x", s.X); err != nil {
			return err
		}
	}
	if logY {
		if err := checkPositive(name+": y", s.Y); err != nil {
			return err
		}
	}
	if logX {
		if err := checkPositive(name+": x", s.xs()); err != nil {
			return err
		}
	}
	return nil
}

// LineOptions are the options of Lines. The zero value draws linear
// axes, markers only on one-point series, the legend outside on the
// right, and thins lines longer than DefaultMaxLinePoints.
type LineOptions struct {
	// Title, XLabel and YLabel label the chart.
	Title, XLabel, YLabel string
	// LogX and LogY put an axis on a log scale; a value ≤ 0 is then an
	// error wrapping ErrLogScale naming the series and index (P-04).
	LogX, LogY bool
	// Markers draws a marker at every point. A series of one point always
	// gets one, so that it is visible (P-06).
	Markers bool
	// LegendInside keeps the legend in the top-right corner of the data
	// area instead of outside on the right.
	LegendInside bool
	// MaxPoints is the most points drawn per series (see thinLine): zero
	// means DefaultMaxLinePoints, negative means no thinning.
	MaxPoints int
}

// Lines returns a chart of several named series, such as the traces of
// a fit (log-likelihood per EM iteration, loss per epoch for train and
// test). Series i is drawn in LineStyle(i) and listed in the legend
// under its name.
//
// It returns an error wrapping ErrNoData for no series or an empty one,
// ErrNaN or ErrInf naming the series and index of a non-finite value,
// and ErrLogScale for a value ≤ 0 on a log axis. It panics if a series'
// X and Y lengths differ.
func Lines(series []Series, opts LineOptions) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: line chart %q has no series: %w", opts.Title, ErrNoData)
	}
	for i, s := range series {
		if err := s.check(i, opts.LogX, opts.LogY); err != nil {
			return nil, err
		}
	}
	p := New(opts.Title, opts.XLabel, opts.YLabel)
	named := false
	for i, s := range series {
		addLine(p, s, i, opts.Markers, opts.MaxPoints)
		named = named || s.Name != ""
	}
	if err := setAxes(p, opts.LogX, opts.LogY); err != nil {
		return nil, err
	}
	if named && !opts.LegendInside {
		LegendOutside(p)
	}
	return p, nil
}

// setAxes puts the requested axes on a log scale.
func setAxes(p *plot.Plot, logX, logY bool) error {
	if logX {
		if err := SetLogX(p); err != nil {
			return err
		}
	}
	if logY {
		if err := SetLogY(p); err != nil {
			return err
		}
	}
	return nil
}

// AddLine adds series s to p as a line in LineStyle(style), with a
// legend entry when s.Name is not "", thinned above
// DefaultMaxLinePoints. A one-point series is drawn as a marker (P-06),
// returned as the second value (nil otherwise). Errors are as Lines's.
func AddLine(p *plot.Plot, s Series, style int) (*plotter.Line, *plotter.Scatter, error) {
	if err := s.check(style, false, false); err != nil {
		return nil, nil, err
	}
	l, m := addLine(p, s, style, false, 0)
	return l, m, nil
}

// addLine adds a checked series.
func addLine(p *plot.Plot, s Series, style int, markers bool, maxPoints int) (*plotter.Line, *plotter.Scatter) {
	x := s.xs()
	if maxPoints == 0 {
		maxPoints = DefaultMaxLinePoints
	}
	var keep []int
	if maxPoints > 0 {
		keep = thinLine(s.Y, maxPoints)
	}
	var xy plotter.XYs
	if keep == nil {
		xy = make(plotter.XYs, len(x))
		for i := range x {
			xy[i].X, xy[i].Y = x[i], s.Y[i]
		}
	} else {
		xy = make(plotter.XYs, len(keep))
		for k, i := range keep {
			xy[k].X, xy[k].Y = x[i], s.Y[i]
		}
	}
	l := &plotter.Line{XYs: xy, LineStyle: LineStyle(style)}
	p.Add(l)
	thumbs := []plot.Thumbnailer{l}
	var m *plotter.Scatter
	if markers || len(xy) == 1 {
		m = &plotter.Scatter{XYs: xy, GlyphStyle: GlyphStyle(style)}
		p.Add(m)
		thumbs = append(thumbs, m)
	}
	if s.Name != "" {
		p.Legend.Add(s.Name, thumbs...)
	}
	return l, m
}
