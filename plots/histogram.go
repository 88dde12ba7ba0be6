package plots

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/latentgo/latent/internal/summary"
)

// MaxBins caps the automatic number of histogram bins: beyond it bars
// are thinner than a pixel of a default chart.
const MaxBins = 256

// HistOptions are the options of Histogram. The zero value draws a
// density histogram with automatic bins and the legend outside.
type HistOptions struct {
	// Title, XLabel and YLabel label the chart; YLabel "" means "density"
	// (or "count" with Counts).
	Title, XLabel, YLabel string
	// Bins is the number of bins; zero means numpy's "auto" rule (see
	// AutoBins).
	Bins int
	// Counts draws counts instead of a density. Curves are then not
	// comparable with the bars; leave it false to overlay densities.
	Counts bool
	// Name is the legend entry of the bars; "" adds none.
	Name string
	// LegendInside keeps the legend in the top-right corner of the data
	// area instead of outside on the right.
	LegendInside bool
}

// histFill is the colour of histogram bars: a neutral grey, so that the
// curves drawn over them in palette colours stand out.
var histFill = color.Gray{Y: 0xC8}

// Histogram returns a histogram of x, normalised as a density (bar
// areas sum to 1) so that density curves can be overlaid: curves[i] is
// drawn in LineStyle(i) over the bars, a fitted mixture's density and
// its components for instance. Constant data make one bin of width 1
// centred on the value (P-03).
//
// It returns an error wrapping ErrNoData for an empty x or curve, and
// ErrNaN or ErrInf naming the index of a non-finite value.
func Histogram(x []float64, curves []Series, opts HistOptions) (*plot.Plot, error) {
	if err := checkFinite("histogram data", x); err != nil {
		return nil, err
	}
	if err := checkSpan("histogram data", x); err != nil {
		return nil, err
	}
	for i, c := range curves {
		if err := c.check(i, false, false); err != nil {
			return nil, err
		}
	}
	ylabel := opts.YLabel
	if ylabel == "" {
		ylabel = "density"
		if opts.Counts {
			ylabel = "count"
		}
	}
	p := New(opts.Title, opts.XLabel, ylabel)
	h := histogramOf(x, opts.Bins, !opts.Counts)
	p.Add(h)
	named := opts.Name != ""
	if named {
		p.Legend.Add(opts.Name, h)
	}
	for i, c := range curves {
		addLine(p, c, i, false, 0)
		named = named || c.Name != ""
	}
	if named && !opts.LegendInside {
		LegendOutside(p)
	}
	return p, nil
}

// histogramOf bins checked data into a grey histogram.
func histogramOf(x []float64, bins int, density bool) *plotter.Histogram {
	lo, hi := extent(x)
	if bins <= 0 {
		bins = AutoBins(x)
	}
	width := (hi - lo) / float64(bins)
	if lo == hi {
		bins, width = 1, 1
		lo -= 0.5
	}
	h := &plotter.Histogram{
		Bins:      make([]plotter.HistogramBin, bins),
		Width:     width,
		FillColor: histFill,
		LineStyle: draw.LineStyle{Color: color.White, Width: vg.Points(0.5)},
	}
	for i := range h.Bins {
		h.Bins[i].Min = lo + float64(i)*width
		h.Bins[i].Max = lo + float64(i+1)*width
	}
	h.Bins[bins-1].Max = max(hi, h.Bins[bins-1].Max)
	for _, v := range x {
		b := min(int((v-lo)/width), bins-1)
		h.Bins[b].Weight++
	}
	if density {
		for i := range h.Bins {
			h.Bins[i].Weight /= float64(len(x)) * width
		}
	}
	return h
}

// AutoBins returns the number of histogram bins numpy's "auto" rule
// gives for x (numpy.histogram_bin_edges): the bin width is the smaller
// of Sturges' range/(log₂n + 1) and Freedman–Diaconis' 2·IQR·n^(−1/3)
// (Sturges' alone when the IQR is 0), and the number of bins is
// ⌈range/width⌉, at least 1 and at most MaxBins. Constant or empty data
// give 1. NaN values make the result meaningless; check first.
func AutoBins(x []float64) int {
	n := len(x)
	if n == 0 {
		return 1
	}
	lo, hi := extent(x)
	r := hi - lo
	if !(r > 0) {
		return 1
	}
	w := r / (math.Log2(float64(n)) + 1)
	s := slices.Clone(x)
	slices.Sort(s)
	if iqr := summary.Quantile7(s, 0.75) - summary.Quantile7(s, 0.25); iqr > 0 {
		w = math.Min(w, 2*iqr*math.Pow(float64(n), -1.0/3))
	}
	return min(max(int(math.Ceil(r/w)), 1), MaxBins)
}
