package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendGap is the space between the data area and what is drawn to its
// right (an outside legend or a colour bar).
const legendGap = 10

// LegendOutside moves p's legend out of the data area to its right,
// top-aligned, so that it never hides data. Entries are still added with
// p.Legend.Add, before or after the call: the room is measured when the
// plot is drawn. It works by adding a plotter that draws nothing and
// whose glyph box reserves the legend's width on the right of the data
// area (gonum/plot pads the data area so that every glyph box fits);
// gonum/plot then draws the legend, right-aligned, in that room.
//
// A plot has one right margin: do not combine LegendOutside with a
// ColorBar, whose room it would share; keep the legend inside then.
func LegendOutside(p *plot.Plot) {
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.XOffs = 0
	p.Add(legendMargin{})
}

// legendMargin reserves room on the right of the data area for the
// plot's legend.
type legendMargin struct{}

// Plot draws nothing: gonum/plot draws the legend itself.
func (legendMargin) Plot(draw.Canvas, *plot.Plot) {}

// GlyphBoxes returns one box on the right edge of the data area, as
// wide as the legend plus a gap, with no height, so that only the
// horizontal padding changes.
func (legendMargin) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	r := p.Legend.Rectangle(draw.Canvas{})
	w := r.Max.X - r.Min.X
	if w <= 0 {
		return nil
	}
	return []plot.GlyphBox{{
		X: 1, Y: 0.5,
		Rectangle: vg.Rectangle{Max: vg.Point{X: w + vg.Points(legendGap)}},
	}}
}
