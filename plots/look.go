package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The one look: every chart of the package is drawn at this size and
// resolution, with these fonts, unless the caller asks otherwise (Sized).
const (
	// DPI is the resolution of PNG output, in pixels per inch. With the
	// default size it gives a 640×480 pixel image, matplotlib's default.
	DPI = 100

	// DefaultWidth and DefaultHeight are the size of a single chart
	// (6.4 × 4.8 in, matplotlib's default figure size).
	DefaultWidth  = 6.4 * vg.Inch
	DefaultHeight = 4.8 * vg.Inch

	// TitleFontSize, LabelFontSize, TickFontSize and LegendFontSize are
	// the text sizes of the title, the axis labels, the tick labels and
	// the legend entries, in points.
	TitleFontSize  = 13
	LabelFontSize  = 11
	TickFontSize   = 9
	LegendFontSize = 10

	// LineWidth is the width of data lines; GlyphRadius the radius of
	// scatter glyphs (both in points).
	LineWidth   = 1.5
	GlyphRadius = 2.5
)

// sans is the typeface of every text: Liberation Sans, embedded by
// gonum/plot (go-fonts/liberation), so text renders identically on every
// machine without system fonts.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// okabeIto is the colour-blind-safe qualitative palette of Okabe & Ito
// (2008), reordered so that the colours most distinct on white come
// first: blue, orange, bluish green, vermillion, reddish purple, sky blue,
// black, yellow. It is read, never written.
var okabeIto = [...]color.NRGBA{
	{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}, // blue
	{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF}, // orange
	{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}, // bluish green
	{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}, // vermillion
	{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}, // reddish purple
	{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF}, // sky blue
	{R: 0x00, G: 0x00, B: 0x00, A: 0xFF}, // black
	{R: 0xF0, G: 0xE4, B: 0x42, A: 0xFF}, // yellow
}

// glyphs are the marker shapes, cycled with a period (7) prime to the
// palette's (8), so that colour and shape together tell apart
// MaxGroups groups.
var glyphs = [...]draw.GlyphDrawer{
	draw.CircleGlyph{},
	draw.BoxGlyph{},
	draw.PyramidGlyph{},
	draw.CrossGlyph{},
	draw.PlusGlyph{},
	draw.RingGlyph{},
	draw.SquareGlyph{},
}

// NumColors is the number of colours in the palette; Color cycles after it.
const NumColors = len(okabeIto)

// MaxGroups is the number of groups that Color and Glyph tell apart
// (8 colours × 7 shapes, cycled independently). Builders refuse more.
const MaxGroups = NumColors * len(glyphs)

// Color returns the i-th colour of the palette (Okabe & Ito 2008),
// cycling after NumColors. Series, groups and mixture components with
// the same index get the same colour in every chart. It panics if i < 0.
func Color(i int) color.Color {
	if i < 0 {
		panic("plots: negative colour index")
	}
	return okabeIto[i%NumColors]
}

// Colors returns a fresh copy of the palette.
func Colors() []color.Color {
	out := make([]color.Color, NumColors)
	for i := range out {
		out[i] = okabeIto[i]
	}
	return out
}

// Glyph returns the i-th marker shape, cycling after 7. It panics if i < 0.
func Glyph(i int) draw.GlyphDrawer {
	if i < 0 {
		panic("plots: negative glyph index")
	}
	return glyphs[i%len(glyphs)]
}

// LineStyle returns the style of the i-th data line: Color(i), LineWidth
// points, solid. It panics if i < 0.
func LineStyle(i int) draw.LineStyle {
	return draw.LineStyle{Color: Color(i), Width: vg.Points(LineWidth)}
}

// GlyphStyle returns the style of the i-th group's markers: Color(i),
// Glyph(i), GlyphRadius points. It panics if i < 0.
func GlyphStyle(i int) draw.GlyphStyle {
	return draw.GlyphStyle{Color: Color(i), Shape: Glyph(i), Radius: vg.Points(GlyphRadius)}
}

// Translucent returns c with its opacity multiplied by alpha in [0, 1]
// (used for bands and ellipse fills, so that data under them stays
// visible).
func Translucent(c color.Color, alpha float64) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(float64(n.A)*min(max(alpha, 0), 1) + 0.5)
	return n
}

// TextStyle returns the package's text style at size points (black
// Liberation Sans, left and bottom aligned), for annotations such as
// plotter.Labels.
func TextStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(sans, size),
		Handler: plot.DefaultTextHandler,
	}
}

// gridLineColor is the colour of the background grid: light enough to
// stay behind the data.
var gridLineColor = color.Gray{Y: 0xE0}

// New returns an empty plot in the package's look: title and axis labels
// as given ("" for none), Liberation Sans text, light grid lines at the
// major ticks, the legend in the top-right corner of the data area (call
// LegendOutside to move it out). Add data with p.Add or the Add*
// functions; save it with Save.
func New(title, xlabel, ylabel string) *plot.Plot {
	p := bare(title)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: gridLineColor, Width: vg.Points(0.5)}
	g.Horizontal = g.Vertical
	p.Add(g)
	return p
}

// bare is New without grid lines.
func bare(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, TitleFontSize)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, LabelFontSize)
		a.Label.Padding = vg.Points(3)
		a.Tick.Label.Font = font.From(sans, TickFontSize)
		a.Tick.Length = vg.Points(5)
		a.Padding = vg.Points(4)
		a.Tick.Marker = linearTicks{}
	}
	p.Legend.TextStyle.Font = font.From(sans, LegendFontSize)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = vg.Points(18)
	p.Legend.Padding = vg.Points(2)
	return p
}
