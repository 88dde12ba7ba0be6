package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Spread says how a BandSeries shows its spread.
type Spread int

const (
	// SpreadBand fills the band mean ± K·sd (the default).
	SpreadBand Spread = iota
	// SpreadBars draws an error bar mean ± K·sd at each x.
	SpreadBars
	// SpreadBoth draws the band and the error bars.
	SpreadBoth
	// SpreadNone draws the mean only.
	SpreadNone
)

// BandSeries is a mean curve with its spread: Mean[i] ± K·SD[i] at X[i],
// for example a bias–variance sweep's error against model complexity, or
// a learner's mean prediction with its Monte Carlo standard deviation.
type BandSeries struct {
	// Name is the legend entry; "" adds none.
	Name string
	// X, Mean and SD have one value per point; X nil means 1, 2, …,
	// len(Mean); SD nil draws the mean only.
	X, Mean, SD []float64
	// K is the half-width of the band in SDs; zero means 1 (1.96 gives a
	// 95% normal interval when SD is a standard error).
	K float64
	// Spread chooses band, error bars, both or neither.
	Spread Spread
}

// BandOptions are the options of Bands. The zero value draws linear
// axes, markers at the means, the legend outside.
type BandOptions struct {
	// Title, XLabel and YLabel label the chart.
	Title, XLabel, YLabel string
	// LogX and LogY put an axis on a log scale; a value ≤ 0, band edges
	// included, is then an error wrapping ErrLogScale (P-04).
	LogX, LogY bool
	// NoMarkers draws the means as lines only. Otherwise a series of at
	// most MarkerLimit points gets a marker at each mean.
	NoMarkers bool
	// LegendInside keeps the legend in the top-right corner of the data
	// area instead of outside on the right.
	LegendInside bool
}

// MarkerLimit is the most points a band series may have and still get
// a marker at each mean: beyond it markers merge into a thick line.
const MarkerLimit = 30

// Bands returns a chart of mean curves with their spread, series i in
// Color(i): a line through the means (with markers up to MarkerLimit
// points), over a translucent band of ±K·SD and/or error bars.
//
// It returns an error wrapping ErrNoData for no series or an empty one,
// ErrNaN or ErrInf naming the series and index of a non-finite value, an
// error for a negative SD, and ErrLogScale for a band reaching 0 or below
// on a log axis. It panics if a series' slices have different lengths.
func Bands(series []BandSeries, opts BandOptions) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: band chart %q has no series: %w", opts.Title, ErrNoData)
	}
	p := New(opts.Title, opts.XLabel, opts.YLabel)
	named := false
	for i, s := range series {
		if err := addBandSeries(p, s, i, !opts.NoMarkers && len(s.Mean) <= MarkerLimit, opts.LogX, opts.LogY); err != nil {
			return nil, err
		}
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

// AddBandSeries adds s to p in Color(style) as Bands draws it. Errors
// are Bands's.
func AddBandSeries(p *plot.Plot, s BandSeries, style int) error {
	return addBandSeries(p, s, style, len(s.Mean) <= MarkerLimit, false, false)
}

func addBandSeries(p *plot.Plot, s BandSeries, style int, markers, logX, logY bool) error {
	name := seriesName(s.Name, style)
	line := Series{Name: s.Name, X: s.X, Y: s.Mean}
	if err := line.check(style, logX, logY); err != nil {
		return err
	}
	x := line.xs()
	if s.SD != nil {
		mustLen(name+": mean and sd", len(s.Mean), len(s.SD))
	}
	k := s.K
	if k == 0 {
		k = 1
	}
	if !(k > 0) || math.IsInf(k, 0) {
		return fmt.Errorf("plots: %s: band width K = %v: want a finite K > 0", name, s.K)
	}
	var thumbs []plot.Thumbnailer
	if s.SD != nil && s.Spread != SpreadNone {
		if err := checkFinite(name+": sd", s.SD); err != nil {
			return err
		}
		lo := make([]float64, len(s.SD))
		for i, sd := range s.SD {
			if sd < 0 {
				return fmt.Errorf("plots: %s: sd[%d] = %v is negative", name, i, sd)
			}
			lo[i] = s.Mean[i] - k*sd
		}
		if logY {
			if err := checkPositive(name+": mean − K·sd", lo); err != nil {
				return err
			}
		}
		if s.Spread == SpreadBand || s.Spread == SpreadBoth {
			b, err := NewSpreadBand(x, s.Mean, s.SD, k)
			if err != nil {
				return fmt.Errorf("%w (%s)", err, name)
			}
			b.FillColor = Translucent(Color(style), bandAlpha)
			p.Add(b)
			thumbs = append(thumbs, b)
		}
		if s.Spread == SpreadBars || s.Spread == SpreadBoth {
			e := &plotter.YErrorBars{
				XYs:       make(plotter.XYs, len(x)),
				YErrors:   make(plotter.YErrors, len(x)),
				LineStyle: LineStyle(style),
				CapWidth:  vg.Points(6),
			}
			e.LineStyle.Width = vg.Points(1)
			for i := range x {
				e.XYs[i] = plotter.XY{X: x[i], Y: s.Mean[i]}
				e.YErrors[i].Low, e.YErrors[i].High = k*s.SD[i], k*s.SD[i]
			}
			p.Add(e)
		}
	}
	l, m := addLine(p, Series{X: x, Y: s.Mean}, style, markers, -1)
	thumbs = append(thumbs, l)
	if m != nil {
		thumbs = append(thumbs, m)
	}
	if s.Name != "" {
		p.Legend.Add(s.Name, thumbs...)
	}
	return nil
}
