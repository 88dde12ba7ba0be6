package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SetLogY puts p's y axis on a base-10 log scale with decade ticks. Call
// it after adding the data: it returns an error wrapping ErrLogScale,
// and leaves the axis linear, when the data added so far reach 0 or
// below, instead of letting gonum/plot panic when the plot is drawn
// (P-04); and ErrNoData when nothing has been added. Constant data are
// given half a decade of room on each side. Plotters added later are
// checked again by Encode and Save.
//
// The axis label is then drawn by the package rather than by
// gonum/plot, which pads the data area for the label as if it were
// centred on the arithmetic middle of the range: on a log axis that is
// near the top, and the data area would shrink for nothing. Set the
// label before calling SetLogY.
func SetLogY(p *plot.Plot) error {
	if err := setLog(p, &p.Y, "y"); err != nil {
		return err
	}
	if t := p.Y.Label.Text; t != "" && t != placeholder {
		p.Y.Label.Text = placeholder
		p.Add(yLabel{t})
	}
	return nil
}

// SetLogX is SetLogY for the x axis.
func SetLogX(p *plot.Plot) error {
	if err := setLog(p, &p.X, "x"); err != nil {
		return err
	}
	if t := p.X.Label.Text; t != "" && t != placeholder {
		p.X.Label.Text = placeholder
		p.Add(xLabel{t})
	}
	return nil
}

func setLog(p *plot.Plot, a *plot.Axis, name string) error {
	if a.Min > a.Max {
		return fmt.Errorf("plots: %q: cannot put the %s axis on a log scale before data are added: %w", p.Title.Text, name, ErrNoData)
	}
	if !(a.Min > 0) {
		return fmt.Errorf("plots: %q: the %s data reach %v: %w; use a linear axis, or plot a positive quantity (for a log-likelihood or ELBO, its negative)", p.Title.Text, name, a.Min, ErrLogScale)
	}
	if a.Min == a.Max {
		a.Min /= math.Sqrt(10)
		a.Max *= math.Sqrt(10)
	}
	a.Scale = plot.LogScale{}
	a.Tick.Marker = logTicks{}
	return nil
}

// placeholder stands in for a label that the package draws itself:
// gonum/plot still reserves a label's room (the room depends on the
// font, not the text) but its misplaced glyph box is one space wide.
const placeholder = " "

// yLabel draws a y axis label where gonum/plot would: rotated a quarter
// turn, centred on the data area, against the left edge of the plot's
// canvas. That edge is found from the data canvas: gonum/plot crops the
// y axis's width off the left of the plot's canvas, then pads the data
// area so that the leftmost glyph box (of the plotters only) touches
// the cropped edge.
type yLabel struct{ text string }

func (l yLabel) Plot(c draw.Canvas, plt *plot.Plot) {
	left := c.Min.X
	for _, b := range plt.GlyphBoxes(plt) {
		if b.Size().X <= 0 || b.X < 0 {
			continue
		}
		left = min(left, c.X(b.X)+b.Min.X)
	}
	left -= yAxisWidth(&plt.Y)
	sty := plt.Y.Label.TextStyle
	descent := sty.FontExtents().Descent
	x := left + sty.Height(l.text) - descent
	sty.Rotation += math.Pi / 2
	c.FillText(sty, vg.Point{X: x, Y: c.Center().Y}, l.text)
}

// xLabel draws an x axis label where gonum/plot would: centred under the
// data area, against the bottom edge of the plot's canvas (found as
// yLabel finds the left edge).
type xLabel struct{ text string }

func (l xLabel) Plot(c draw.Canvas, plt *plot.Plot) {
	bottom := c.Min.Y
	for _, b := range plt.GlyphBoxes(plt) {
		if b.Size().Y <= 0 || b.Y < 0 {
			continue
		}
		bottom = min(bottom, c.Y(b.Y)+b.Min.Y)
	}
	bottom -= xAxisHeight(&plt.X)
	sty := plt.X.Label.TextStyle
	descent := sty.FontExtents().Descent
	c.FillText(sty, vg.Point{X: c.Center().X, Y: bottom + descent}, l.text)
}

// yAxisWidth is the width gonum/plot gives a vertical axis (axis.go,
// verticalAxis.size in v0.17.0).
func yAxisWidth(a *plot.Axis) vg.Length {
	var w vg.Length
	if a.Label.Text != "" {
		w += a.Label.TextStyle.FontExtents().Descent
		w += a.Label.TextStyle.Height(a.Label.Text)
		w += a.Label.Padding
	}
	if marks := a.Tick.Marker.Ticks(a.Min, a.Max); len(marks) > 0 {
		var lw vg.Length
		for _, t := range marks {
			if !t.IsMinor() {
				r := a.Tick.Label.Rectangle(t.Label)
				lw = max(lw, r.Max.X-r.Min.X)
			}
		}
		if lw > 0 {
			w += lw + a.Label.TextStyle.Width(" ")
		}
		if a.Tick.Width > 0 && a.Tick.Length > 0 {
			w += a.Tick.Length
		}
	}
	return w + a.Width/2 + a.Padding
}

// xAxisHeight is the height gonum/plot gives a horizontal axis (axis.go,
// horizontalAxis.size in v0.17.0).
func xAxisHeight(a *plot.Axis) vg.Length {
	var h vg.Length
	if a.Label.Text != "" {
		h += a.Label.TextStyle.Height(a.Label.Text)
		h += a.Label.Padding
	}
	if marks := a.Tick.Marker.Ticks(a.Min, a.Max); len(marks) > 0 {
		if a.Tick.Width > 0 && a.Tick.Length > 0 {
			h += a.Tick.Length
		}
		var lh vg.Length
		for _, t := range marks {
			if !t.IsMinor() {
				r := a.Tick.Label.Rectangle(t.Label)
				lh = max(lh, r.Max.Y-r.Min.Y)
			}
		}
		h += lh
	}
	return h + a.Width/2 + a.Padding
}
