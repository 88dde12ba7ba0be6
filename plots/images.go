package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ImageOptions are the options of Images and CompareImages. The zero
// value draws 10 images a row, 1 pixel apart, as large as fits in
// DefaultWidth, dark ink on white.
type ImageOptions struct {
	// Title is drawn above the images; "" draws none.
	Title string
	// Cols is the number of images across; zero means min(n, 10).
	Cols int
	// Scale is the number of screen pixels per image pixel; zero means
	// the largest whole number that keeps the chart within DefaultWidth
	// (at least 1).
	Scale int
	// Gap is the space between images, in image pixels; zero means 1,
	// negative means none.
	Gap int
	// Min and Max are the values drawn white and black; both zero means
	// [0, 1] when the data lie in it, the data's range otherwise.
	Min, Max float64
	// Invert draws light ink on black.
	Invert bool
}

// ImageChart is a chart of an ImageGrid: the plot (axes hidden, row
// labels on the left when given) inside a white border one gap wide,
// and the size at which each image pixel covers Scale × Scale screen
// pixels. Save and Encode draw it at that size; Sized overrides it.
type ImageChart struct {
	// Plot holds the grid; add titles or annotations to it.
	*plot.Plot
	// Grid is the plotter that draws the images.
	Grid *ImageGrid
	// Scale is the number of screen pixels per image pixel at DPI.
	Scale int
}

// Images returns a chart of the images in the rows of x, each h × w
// pixels stored row by row, in rows of opts.Cols. Errors and panics are
// NewImageGrid's.
func Images(x mat.Matrix, h, w int, opts ImageOptions) (*ImageChart, error) {
	g, err := NewImageGrid(x, h, w, opts.Cols)
	if err != nil {
		return nil, err
	}
	return newImageChart(g, nil, opts), nil
}

// ImageSet is a named matrix of images, one of the sets CompareImages
// lays side by side.
type ImageSet struct {
	// Name labels the set's rows ("input", "reconstruction"); "" for none.
	Name string
	// X holds one image per row.
	X mat.Matrix
}

// CompareImages returns a chart that lays several sets of images out
// band by band: for each block of opts.Cols images, one row per set, in
// the order given, so that image i of every set is in the same column —
// a VAE's inputs directly above their reconstructions. Rows are labelled
// with the sets' names.
//
// It returns an error when there is no set, when the sets hold different
// numbers of images, and as NewImageGrid. It panics on a wrong number of
// columns.
func CompareImages(sets []ImageSet, h, w int, opts ImageOptions) (*ImageChart, error) {
	if len(sets) == 0 {
		return nil, fmt.Errorf("plots: no image sets to compare: %w", ErrNoData)
	}
	n := -1
	for s, set := range sets {
		what := fmt.Sprintf("image set %d (%q)", s, set.Name)
		m, err := checkImages(what, set.X, h, w)
		if err != nil {
			return nil, err
		}
		if n >= 0 && m != n {
			return nil, fmt.Errorf("plots: %s has %d images, set 0 (%q) has %d; compare sets of equal size", what, m, sets[0].Name, n)
		}
		n = m
	}
	cols := opts.Cols
	if cols <= 0 {
		cols = min(n, 10)
	}
	blocks := (n + cols - 1) / cols
	g := &ImageGrid{Rows: blocks * len(sets), Cols: cols, H: h, W: w, Gap: 1}
	g.cells = make([][]float64, g.Rows*g.Cols)
	labels := make([]string, g.Rows)
	for b := range blocks {
		for s, set := range sets {
			row := b*len(sets) + s
			labels[row] = set.Name
			for c := range cols {
				if i := b*cols + c; i < n {
					g.cells[row*cols+c] = imageRow(set.X, i)
				}
			}
		}
	}
	g.Min, g.Max = greyRange(g.cells)
	return newImageChart(g, labels, opts), nil
}

// newImageChart applies the options to g and wraps it in a chart.
func newImageChart(g *ImageGrid, rowLabels []string, opts ImageOptions) *ImageChart {
	switch {
	case opts.Gap < 0:
		g.Gap = 0
	case opts.Gap > 0:
		g.Gap = opts.Gap
	}
	if opts.Min != 0 || opts.Max != 0 {
		g.Min, g.Max = opts.Min, opts.Max
	}
	g.Invert = opts.Invert
	p := bare(opts.Title)
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	p.Add(g)
	gw, gh := g.Size()
	ch := &ImageChart{Plot: p, Grid: g, Scale: opts.Scale}
	labelled := false
	for _, l := range rowLabels {
		labelled = labelled || l != ""
	}
	if labelled {
		ticks := make([]plot.Tick, len(rowLabels))
		for r, l := range rowLabels {
			ticks[r] = plot.Tick{Value: float64(gh) - float64(r*(g.H+g.Gap)) - float64(g.H)/2, Label: l}
		}
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	}
	if ch.Scale <= 0 {
		// The largest scale at which images and row labels fit in
		// DefaultWidth.
		mx, _ := ch.margins()
		avail := int(math.Floor((DefaultWidth - mx).Dots(DPI)))
		ch.Scale = max(avail/(gw+2*g.Gap), 1)
	}
	return ch
}

// margins returns the room the chart takes around its data area.
func (c *ImageChart) margins() (mx, my vg.Length) {
	const probe = 10000
	full := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: probe, Y: probe}}}
	dc := c.Plot.DataCanvas(full)
	return probe - (dc.Max.X - dc.Min.X), probe - (dc.Max.Y - dc.Min.Y)
}

// pixels converts n device pixels at DPI to a length.
func pixels(n int) vg.Length { return vg.Length(float64(n) / DPI * vg.Inch.Points()) }

// border is the width of the white border: one gap.
func (c *ImageChart) border() vg.Length { return pixels(c.Grid.Gap * c.Scale) }

// Draw draws the chart inside its border, implementing Figure.
func (c *ImageChart) Draw(dc draw.Canvas) {
	b := c.border()
	c.Plot.Draw(draw.Crop(dc, b, -b, b, -b))
}

// Size returns the size at which each image pixel covers Scale × Scale
// screen pixels at DPI, margins and border included, rounded up to
// whole pixels, implementing Sizer.
func (c *ImageChart) Size() (width, height vg.Length) {
	gw, gh := c.Grid.Size()
	mx, my := c.margins()
	b := 2 * c.border()
	round := func(l vg.Length) vg.Length {
		return pixels(int(math.Ceil(l.Dots(DPI) - 1e-6)))
	}
	return round(pixels(gw*c.Scale) + mx + b), round(pixels(gh*c.Scale) + my + b)
}

func (c *ImageChart) plotList() []*plot.Plot { return []*plot.Plot{c.Plot} }

// dataRange is a plotter that draws nothing and claims a data range.
type dataRange struct{ xmin, xmax, ymin, ymax float64 }

func (dataRange) Plot(draw.Canvas, *plot.Plot) {}

// DataRange returns the claimed range, implementing plot.DataRanger.
func (r dataRange) DataRange() (xmin, xmax, ymin, ymax float64) {
	return r.xmin, r.xmax, r.ymin, r.ymax
}
