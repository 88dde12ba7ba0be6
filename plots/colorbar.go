package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// colorBarSteps is the number of colours in the drawn gradient: more
// than the eye tells apart over a chart's height.
const colorBarSteps = 256

// ColorBar is a plotter that draws a continuous colour bar for a colour
// map to the right of the data area, with ticks and an optional label,
// the key to a heat map or coloured contours. Unlike gonum/plot's
// plotter.ColorBar, which needs a plot of its own, it lives in the plot
// it explains: its glyph box reserves room on the right, so that
// gonum/plot shrinks the data area to fit it (and plot.Align keeps
// aligned grids aligned).
//
// It has no DataRange: it claims no room inside the data area. A plot has
// one right margin: keep its legend inside (see LegendOutside).
type ColorBar struct {
	// ColorMap maps values to colours, over [ColorMap.Min(), ColorMap.Max()].
	ColorMap palette.ColorMap
	// Label is drawn along the bar's right side; "" draws none.
	Label string
	// Width is the width of the coloured strip.
	Width vg.Length
	// Gap is the space between the data area and the strip.
	Gap vg.Length
	// Marks are values marked by a line across the strip (the levels of
	// the contours the bar explains); values outside the range are skipped.
	Marks []float64
}

// NewColorBar returns a colour bar for cm, 12 points wide, with the given
// label. It returns an error when cm's range is not finite or empty (a
// heat map of a constant field should widen it first, as HeatMap does).
// It panics if cm is nil.
func NewColorBar(cm palette.ColorMap, label string) (*ColorBar, error) {
	if cm == nil {
		panic("plots: nil colour map")
	}
	lo, hi := cm.Min(), cm.Max()
	if finite(lo) != nil || finite(hi) != nil || !(lo < hi) {
		return nil, fmt.Errorf("plots: colour bar range [%v, %v]: want finite Min < Max", lo, hi)
	}
	return &ColorBar{ColorMap: cm, Label: label, Width: vg.Points(12), Gap: vg.Points(legendGap)}, nil
}

// AddColorBar adds a colour bar for cm to p (see NewColorBar).
func AddColorBar(p *plot.Plot, cm palette.ColorMap, label string) (*ColorBar, error) {
	cb, err := NewColorBar(cm, label)
	if err != nil {
		return nil, err
	}
	p.Add(cb)
	return cb, nil
}

// tickLength is the length of the bar's major ticks.
const colorBarTick = 4

// layout returns the bar's tick style, its ticks and the width it needs
// to the right of the data area.
func (cb *ColorBar) layout(plt *plot.Plot) (text.Style, []plot.Tick, vg.Length) {
	sty := plt.Y.Tick.Label
	sty.XAlign = draw.XLeft
	sty.YAlign = draw.YCenter
	ticks := linearTicks{}.Ticks(cb.ColorMap.Min(), cb.ColorMap.Max())
	var lw vg.Length
	for _, t := range ticks {
		if t.Label != "" {
			lw = max(lw, sty.Width(t.Label))
		}
	}
	w := cb.Gap + cb.Width + vg.Points(colorBarTick) + sty.Width(" ") + lw
	if cb.Label != "" {
		ls := plt.Y.Label.TextStyle
		w += plt.Y.Label.Padding + ls.Height(cb.Label)
	}
	return sty, ticks, w
}

// Plot draws the bar to the right of the data canvas c, implementing
// plot.Plotter.
func (cb *ColorBar) Plot(c draw.Canvas, plt *plot.Plot) {
	lo, hi := cb.ColorMap.Min(), cb.ColorMap.Max()
	sty, ticks, _ := cb.layout(plt)
	x0 := c.Max.X + cb.Gap
	x1 := x0 + cb.Width
	y0, y1 := c.Min.Y, c.Max.Y

	img := image.NewNRGBA(image.Rect(0, 0, 1, colorBarSteps))
	for i := range colorBarSteps {
		v := lo + (hi-lo)*(float64(i)+0.5)/colorBarSteps
		col, err := cb.ColorMap.At(v)
		if err != nil {
			col = color.Transparent
		}
		img.Set(0, colorBarSteps-1-i, col)
	}
	c.DrawImage(vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}, img)
	mark := draw.LineStyle{Color: color.White, Width: vg.Points(1)}
	for _, v := range cb.Marks {
		if v >= lo && v <= hi {
			y := y0 + vg.Length((v-lo)/(hi-lo))*(y1-y0)
			c.StrokeLine2(mark, x0, y, x1, y)
		}
	}
	c.StrokeLines(plt.Y.LineStyle, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})

	tl := vg.Points(colorBarTick)
	descent := sty.FontExtents().Descent
	for _, t := range ticks {
		if t.Value < lo || t.Value > hi {
			continue
		}
		y := y0 + vg.Length((t.Value-lo)/(hi-lo))*(y1-y0)
		if t.IsMinor() {
			c.StrokeLine2(plt.Y.Tick.LineStyle, x1, y, x1+tl/2, y)
			continue
		}
		c.StrokeLine2(plt.Y.Tick.LineStyle, x1, y, x1+tl, y)
		c.FillText(sty, vg.Point{X: x1 + tl + sty.Width(" "), Y: y + descent}, t.Label)
	}
	if cb.Label != "" {
		_, _, w := cb.layout(plt)
		ls := plt.Y.Label.TextStyle
		ls.Rotation += math.Pi / 2
		ls.XAlign = draw.XCenter
		ls.YAlign = draw.YTop
		c.FillText(ls, vg.Point{X: c.Max.X + w - ls.Height(cb.Label), Y: (y0 + y1) / 2}, cb.Label)
	}
}

// GlyphBoxes reserves the bar's width on the right of the data area and
// half a tick label above and below it, implementing plot.GlyphBoxer.
func (cb *ColorBar) GlyphBoxes(plt *plot.Plot) []plot.GlyphBox {
	sty, _, w := cb.layout(plt)
	h := sty.Height("0") / 2
	return []plot.GlyphBox{
		{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: w}}},
		{X: 1, Y: 1, Rectangle: vg.Rectangle{Min: vg.Point{Y: -h}, Max: vg.Point{Y: h}}},
		{X: 1, Y: 0, Rectangle: vg.Rectangle{Min: vg.Point{Y: -h}, Max: vg.Point{Y: h}}},
	}
}

// Thumbnail draws the colour map as a horizontal gradient, implementing
// plot.Thumbnailer.
func (cb *ColorBar) Thumbnail(c *draw.Canvas) {
	const n = 32
	lo, hi := cb.ColorMap.Min(), cb.ColorMap.Max()
	img := image.NewNRGBA(image.Rect(0, 0, n, 1))
	for i := range n {
		col, err := cb.ColorMap.At(lo + (hi-lo)*(float64(i)+0.5)/n)
		if err != nil {
			col = color.Transparent
		}
		img.Set(i, 0, col)
	}
	c.DrawImage(c.Rectangle, img)
}
