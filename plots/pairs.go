package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MaxPairs is the most columns a pairs view draws: beyond it cells are
// too small to read.
const MaxPairs = 12

// pairsGlyphRadius is the marker radius of a pairs view, whose cells
// are smaller than a chart.
const pairsGlyphRadius = 1.8

// PairsOptions are the options of Pairs.
type PairsOptions struct {
	// Title is drawn above the grid.
	Title string
	// Names[j] labels column j; a missing name is "x<j+1>".
	Names []string
	// GroupNames[g] names group g in the legend (see ScatterOptions).
	GroupNames []string
	// Bins is the number of bins of the diagonal histograms; zero means
	// AutoBins.
	Bins int
	// MaxPoints is the most points drawn per cell (see Scatter).
	MaxPoints int
}

// Pairs returns a pairs view (scatter-plot matrix) of the d columns of x,
// for data with more than two dimensions: cell (r, c) shows column c
// across and column r up, coloured by group as Scatter does; diagonal
// cell (j, j) shows the histogram of column j (grey bars for all rows,
// one outline per group), drawn in column j's units so that every row
// and column of the grid shares one range (Grid.ShareX, ShareY). Tick
// labels are drawn on the bottom row and the left column only; the
// legend is outside the top-right cell.
//
// Draw more into a cell with g.At(r, c) — a mixture's component
// ellipses, from Marginal2(mean, cov, c, r), for instance.
//
// It returns an error for more than MaxPairs columns, and as Scatter.
// It panics if groups does not have one id per row.
func Pairs(x mat.Matrix, groups []int, opts PairsOptions) (*Grid, error) {
	n, d := x.Dims()
	if err := checkMatrix("pairs data", x); err != nil {
		return nil, err
	}
	if d > MaxPairs {
		return nil, fmt.Errorf("plots: pairs view of %d columns: at most %d fit; give x fewer columns", d, MaxPairs)
	}
	if groups != nil {
		mustLen("pairs rows and groups", n, len(groups))
	}
	if err := checkGroups(groups); err != nil {
		return nil, err
	}
	name := func(j int) string {
		if j < len(opts.Names) && opts.Names[j] != "" {
			return opts.Names[j]
		}
		return fmt.Sprintf("x%d", j+1)
	}
	g := NewGrid(d, d)
	g.Title = opts.Title
	g.ShareX, g.ShareY = true, true
	col := func(j int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = x.At(i, j)
		}
		return v
	}
	cols := make([][]float64, d)
	for j := range cols {
		cols[j] = col(j)
		if err := checkSpan(fmt.Sprintf("pairs column %d", j), cols[j]); err != nil {
			return nil, err
		}
	}
	for r := range d {
		for c := range d {
			p := g.Plots[r][c]
			if r == c {
				p.Add(newDiagHist(cols[c], groups, opts.Bins))
			} else {
				xy := mat.NewDense(n, 2, nil)
				xy.SetCol(0, cols[c])
				xy.SetCol(1, cols[r])
				pts, err := addScatter(p, xy, groups, nil, opts.MaxPoints, false)
				if err != nil {
					return nil, err
				}
				for _, s := range pts {
					s.GlyphStyle.Radius = vg.Points(pairsGlyphRadius)
				}
			}
			if r == d-1 {
				p.X.Label.Text = name(c)
			} else {
				p.X.Tick.Marker = unlabelled{linearTicks{}}
			}
			if c == 0 {
				p.Y.Label.Text = name(r)
			} else {
				p.Y.Tick.Marker = unlabelled{linearTicks{}}
			}
		}
	}
	if groups != nil {
		p := g.Plots[0][d-1]
		present := map[int]bool{}
		for _, id := range groups {
			present[id] = true
		}
		for id := range MaxGroups {
			if present[id] {
				m := &glyphThumb{GlyphStyle(id)}
				m.Radius = vg.Points(pairsGlyphRadius)
				p.Legend.Add(groupName(opts.GroupNames, id), m)
			}
		}
		LegendOutside(p)
	}
	return g, nil
}

// unlabelled is a ticker whose ticks carry no labels: inner cells of a
// pairs view keep their ticks and grid lines but leave the numbers to
// the outer cells.
type unlabelled struct{ plot.Ticker }

// Ticks returns the wrapped ticker's ticks without labels.
func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	t := u.Ticker.Ticks(lo, hi)
	for i := range t {
		t[i].Label = ""
	}
	return t
}

// glyphThumb is a legend thumbnail of one marker.
type glyphThumb struct{ draw.GlyphStyle }

// Thumbnail draws the marker at the centre.
func (g *glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(g.GlyphStyle, c.Center()) }

// diagHist is the histogram of a pairs view's diagonal, drawn in the
// column's own units on both axes: bar heights are scaled so that the
// tallest bar spans the column's range.
type diagHist struct {
	edges  []float64
	total  []float64   // counts of all rows per bin
	groups [][]float64 // counts per group id (nil for absent groups)
	lo, hi float64     // the column's y range
}

func newDiagHist(v []float64, groups []int, bins int) *diagHist {
	lo, hi := extent(v)
	if bins <= 0 {
		bins = AutoBins(v)
	}
	width := (hi - lo) / float64(bins)
	start := lo
	if lo == hi {
		bins, width, start = 1, 1, lo-0.5
	}
	h := &diagHist{edges: make([]float64, bins+1), total: make([]float64, bins)}
	for i := range h.edges {
		h.edges[i] = start + float64(i)*width
	}
	h.lo, h.hi = sanitizedRange(lo, hi)
	if groups != nil {
		h.groups = make([][]float64, MaxGroups)
	}
	for i, x := range v {
		b := min(int((x-start)/width), bins-1)
		h.total[b]++
		if groups != nil {
			g := groups[i]
			if h.groups[g] == nil {
				h.groups[g] = make([]float64, bins)
			}
			h.groups[g][b]++
		}
	}
	return h
}

// height maps a count to the y axis.
func (h *diagHist) height(count, peak float64) float64 {
	return h.lo + (h.hi-h.lo)*count/peak
}

// Plot draws the bars and the group outlines, implementing plot.Plotter.
func (h *diagHist) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	peak := 0.0
	for _, t := range h.total {
		peak = math.Max(peak, t)
	}
	base := trY(h.lo)
	for b, t := range h.total {
		if t == 0 {
			continue
		}
		x0, x1, y := trX(h.edges[b]), trX(h.edges[b+1]), trY(h.height(t, peak))
		pts := []vg.Point{{X: x0, Y: base}, {X: x1, Y: base}, {X: x1, Y: y}, {X: x0, Y: y}}
		c.FillPolygon(histFill, c.ClipPolygonXY(pts))
		c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}, c.ClipLinesXY(append(pts, pts[0]))...)
	}
	for g, counts := range h.groups {
		if counts == nil {
			continue
		}
		var pts []vg.Point
		pts = append(pts, vg.Point{X: trX(h.edges[0]), Y: base})
		for b, k := range counts {
			y := trY(h.height(k, peak))
			pts = append(pts, vg.Point{X: trX(h.edges[b]), Y: y}, vg.Point{X: trX(h.edges[b+1]), Y: y})
		}
		pts = append(pts, vg.Point{X: trX(h.edges[len(h.edges)-1]), Y: base})
		sty := LineStyle(g)
		sty.Width = vg.Points(1)
		c.StrokeLines(sty, c.ClipLinesXY(pts)...)
	}
}

// DataRange returns the bins' extent across and the column's range up,
// implementing plot.DataRanger.
func (h *diagHist) DataRange() (xmin, xmax, ymin, ymax float64) {
	return h.edges[0], h.edges[len(h.edges)-1], h.lo, h.hi
}
