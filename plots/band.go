package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// bandAlpha is the opacity of band fills: lines and points under a band
// stay visible, and overlapping bands stay readable.
const bandAlpha = 0.25

// Band is a plotter that fills the region between two curves over the
// same x values, lo(x) ≤ hi(x): an error band such as mean ± sd. Its
// points are sorted by x.
type Band struct {
	// X, Lo and Hi are the x values and the lower and upper edges,
	// sorted by X.
	X, Lo, Hi []float64

	// FillColor fills the band; nil fills nothing.
	FillColor color.Color
	// LineStyle outlines the two edges; a zero Width (the default) draws
	// no outline.
	LineStyle draw.LineStyle
}

// NewBand returns a band between lo and hi over x, filled with a
// translucent Color(0). The slices are copied and sorted by x (ties keep
// their order).
//
// It returns an error wrapping ErrNoData for empty slices, ErrNaN or
// ErrInf for a non-finite value, and an error naming i when lo[i] >
// hi[i]. It panics if the lengths differ.
func NewBand(x, lo, hi []float64) (*Band, error) {
	mustLen("band x, lo, hi", len(x), len(lo), len(hi))
	for _, s := range []struct {
		name string
		v    []float64
	}{{"band x", x}, {"band lo", lo}, {"band hi", hi}} {
		if err := checkFinite(s.name, s.v); err != nil {
			return nil, err
		}
	}
	for i := range lo {
		if lo[i] > hi[i] {
			return nil, fmt.Errorf("plots: band edge lo[%d] = %v is above hi[%d] = %v", i, lo[i], i, hi[i])
		}
	}
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	b := &Band{
		X:         make([]float64, len(x)),
		Lo:        make([]float64, len(x)),
		Hi:        make([]float64, len(x)),
		FillColor: Translucent(Color(0), bandAlpha),
	}
	for k, i := range idx {
		b.X[k], b.Lo[k], b.Hi[k] = x[i], lo[i], hi[i]
	}
	return b, nil
}

// NewSpreadBand returns the band mean ± k·sd over x (k = 1 for one
// standard deviation, 1.96 for a 95% normal interval). It returns an
// error for a negative or non-finite sd[i] or k, and as NewBand.
func NewSpreadBand(x, mean, sd []float64, k float64) (*Band, error) {
	mustLen("band x, mean, sd", len(x), len(mean), len(sd))
	if !(k >= 0) || math.IsInf(k, 0) {
		return nil, fmt.Errorf("plots: band width %v standard deviations: want a finite k ≥ 0", k)
	}
	if err := checkFinite("band mean", mean); err != nil {
		return nil, err
	}
	if err := checkFinite("band sd", sd); err != nil {
		return nil, err
	}
	lo := make([]float64, len(x))
	hi := make([]float64, len(x))
	for i := range x {
		if sd[i] < 0 {
			return nil, fmt.Errorf("plots: band sd[%d] = %v is negative", i, sd[i])
		}
		lo[i] = mean[i] - k*sd[i]
		hi[i] = mean[i] + k*sd[i]
	}
	return NewBand(x, lo, hi)
}

// Plot draws the band, implementing plot.Plotter. A band over a single
// x is drawn as a vertical bar, so that it stays visible (P-06).
func (b *Band) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	n := len(b.X)
	if n == 1 {
		if b.FillColor != nil {
			x := trX(b.X[0])
			w := vg.Points(3)
			pts := []vg.Point{{X: x - w, Y: trY(b.Lo[0])}, {X: x + w, Y: trY(b.Lo[0])}, {X: x + w, Y: trY(b.Hi[0])}, {X: x - w, Y: trY(b.Hi[0])}}
			c.FillPolygon(b.FillColor, c.ClipPolygonXY(pts))
		}
		return
	}
	poly := make([]vg.Point, 0, 2*n)
	lower := make([]vg.Point, n)
	upper := make([]vg.Point, n)
	for i := range n {
		x := trX(b.X[i])
		lower[i] = vg.Point{X: x, Y: trY(b.Lo[i])}
		upper[i] = vg.Point{X: x, Y: trY(b.Hi[i])}
	}
	poly = append(poly, upper...)
	for i := n - 1; i >= 0; i-- {
		poly = append(poly, lower[i])
	}
	if b.FillColor != nil {
		c.FillPolygon(b.FillColor, c.ClipPolygonXY(poly))
	}
	if b.LineStyle.Width > 0 {
		c.StrokeLines(b.LineStyle, c.ClipLinesXY(lower, upper)...)
	}
}

// DataRange returns the range of X and of both edges, implementing
// plot.DataRanger.
func (b *Band) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = b.X[0], b.X[len(b.X)-1]
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for i := range b.Lo {
		ymin = math.Min(ymin, b.Lo[i])
		ymax = math.Max(ymax, b.Hi[i])
	}
	return xmin, xmax, ymin, ymax
}

// Thumbnail draws a filled rectangle, implementing plot.Thumbnailer.
func (b *Band) Thumbnail(c *draw.Canvas) {
	h := (c.Max.Y - c.Min.Y) / 4
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y + h}, {X: c.Max.X, Y: c.Min.Y + h},
		{X: c.Max.X, Y: c.Max.Y - h}, {X: c.Min.X, Y: c.Max.Y - h},
	}
	if b.FillColor != nil {
		c.FillPolygon(b.FillColor, pts)
	}
	if b.LineStyle.Width > 0 {
		c.StrokeLines(b.LineStyle, pts[:2], pts[2:])
	}
}
