package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Field is a scalar function sampled on a rectangular lattice, the input
// of heat maps and contour charts: Z(i, j) = f(X(i), Y(j)). It
// implements gonum/plot's plotter.GridXYZ. Build it with NewField or
// Evaluate; it is immutable.
type Field struct {
	x, y     []float64
	z        *mat.Dense // len(y) × len(x)
	min, max float64
}

// NewField returns the field with values z over the lattice x × y: z has
// one row per y value and one column per x value, z.At(j, i) = f(x[i],
// y[j]) (numpy's meshgrid "xy" order). The inputs are copied.
//
// It returns an error when x or y has fewer than 2 values or is not
// strictly increasing, or when a value is NaN or infinite (P-01; clip a
// log-density to a floor rather than passing −Inf). It panics if z is not
// len(y) × len(x).
func NewField(x, y []float64, z mat.Matrix) (*Field, error) {
	r, c := z.Dims()
	if r != len(y) || c != len(x) {
		panic(fmt.Sprintf("plots: field values are %d×%d, want len(y)×len(x) = %d×%d", r, c, len(y), len(x)))
	}
	for _, a := range []struct {
		name string
		v    []float64
	}{{"field x", x}, {"field y", y}} {
		if err := checkFinite(a.name, a.v); err != nil {
			return nil, err
		}
		if len(a.v) < 2 {
			return nil, fmt.Errorf("plots: %s has %d value; a field needs at least 2 in each direction: %w", a.name, len(a.v), ErrNoData)
		}
		for i := 1; i < len(a.v); i++ {
			if !(a.v[i] > a.v[i-1]) {
				return nil, fmt.Errorf("plots: %s is not strictly increasing at %d (%v after %v)", a.name, i, a.v[i], a.v[i-1])
			}
		}
	}
	if err := checkMatrix("field values", z); err != nil {
		return nil, err
	}
	f := &Field{x: slices.Clone(x), y: slices.Clone(y), z: mat.DenseCopyOf(z), min: math.Inf(1), max: math.Inf(-1)}
	for j := range r {
		for i := range c {
			v := f.z.At(j, i)
			f.min = math.Min(f.min, v)
			f.max = math.Max(f.max, v)
		}
	}
	return f, nil
}

// Evaluate samples f on an nx × ny lattice evenly spaced over [xmin,
// xmax] × [ymin, ymax], ends included. It returns an error for bounds
// that are not finite or not increasing, for nx or ny < 2, and, naming
// the point, for a value of f that is NaN or infinite.
func Evaluate(f func(x, y float64) float64, xmin, xmax, ymin, ymax float64, nx, ny int) (*Field, error) {
	for _, b := range [][2]float64{{xmin, xmax}, {ymin, ymax}} {
		if finite(b[0]) != nil || finite(b[1]) != nil || !(b[0] < b[1]) {
			return nil, fmt.Errorf("plots: field bounds [%v, %v]: want finite lower < upper", b[0], b[1])
		}
	}
	if nx < 2 || ny < 2 {
		return nil, fmt.Errorf("plots: field lattice %d×%d: want at least 2×2: %w", nx, ny, ErrNoData)
	}
	x, y := Linspace(xmin, xmax, nx), Linspace(ymin, ymax, ny)
	z := mat.NewDense(ny, nx, nil)
	for j, yj := range y {
		for i, xi := range x {
			v := f(xi, yj)
			if err := finite(v); err != nil {
				return nil, fmt.Errorf("plots: field value at (%v, %v) = %v: %w", xi, yj, v, err)
			}
			z.Set(j, i, v)
		}
	}
	return NewField(x, y, z)
}

// Linspace returns n evenly spaced values from a to b, ends included
// (numpy.linspace). It panics if n < 2.
func Linspace(a, b float64, n int) []float64 {
	if n < 2 {
		panic("plots: Linspace needs n ≥ 2")
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	v[n-1] = b
	return v
}

// Dims returns the number of x and y values, implementing plotter.GridXYZ.
func (f *Field) Dims() (c, r int) { return len(f.x), len(f.y) }

// Z returns the value at (X(c), Y(r)), implementing plotter.GridXYZ.
func (f *Field) Z(c, r int) float64 { return f.z.At(r, c) }

// X returns the c-th x value, implementing plotter.GridXYZ.
func (f *Field) X(c int) float64 { return f.x[c] }

// Y returns the r-th y value, implementing plotter.GridXYZ.
func (f *Field) Y(r int) float64 { return f.y[r] }

// Min returns the smallest value of the field.
func (f *Field) Min() float64 { return f.min }

// Max returns the largest value of the field.
func (f *Field) Max() float64 { return f.max }

// valueRange is the colour range of the field: its own range, widened by
// ±1 when constant, as gonum/plot widens an axis (P-03).
func (f *Field) valueRange() (float64, float64) {
	return sanitizedRange(f.min, f.max)
}

// evenlySpaced reports whether v is evenly spaced to 1e-9 relative.
func evenlySpaced(v []float64) bool {
	d := (v[len(v)-1] - v[0]) / float64(len(v)-1)
	for i := 1; i < len(v); i++ {
		if math.Abs(v[i]-v[i-1]-d) > 1e-9*math.Abs(d) {
			return false
		}
	}
	return true
}

// FieldOptions are the options of HeatMap and Contour. The zero value
// draws with Viridis over the field's range, about 8 round contour
// levels, no titles.
type FieldOptions struct {
	// Title, XLabel and YLabel label the chart.
	Title, XLabel, YLabel string
	// ColorMap maps values to colours; nil means Viridis(). The builder
	// sets its range (see Min, Max).
	ColorMap palette.ColorMap
	// Min and Max are the colour range; both zero means the field's
	// range, widened by ±1 when the field is constant.
	Min, Max float64
	// Label labels the colour bar (say what the colour measures: "log
	// density"); "" draws none.
	Label string
	// Levels are the contour levels; nil means round values evenly
	// spaced inside the colour range (about 8).
	Levels []float64
	// Lines asks HeatMap to draw the contour lines at Levels over the
	// heat map, in white.
	Lines bool
}

// colorMap returns the options' colour map with its range set.
func (o FieldOptions) colorMap(f *Field) (palette.ColorMap, error) {
	cm := o.ColorMap
	if cm == nil {
		cm = Viridis()
	}
	lo, hi := o.Min, o.Max
	if lo == 0 && hi == 0 {
		lo, hi = f.valueRange()
	}
	if finite(lo) != nil || finite(hi) != nil || !(lo < hi) {
		return nil, fmt.Errorf("plots: colour range [%v, %v]: want finite Min < Max", lo, hi)
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	return cm, nil
}

// HeatMap returns a chart of f as a heat map, coloured by opts.ColorMap
// (Viridis by default), with a colour bar on the right, and contour
// lines when opts.Lines. Add points on top with AddScatter. It returns an
// error for a nil field and for an empty colour range.
func HeatMap(f *Field, opts FieldOptions) (*plot.Plot, error) {
	if f == nil {
		return nil, fmt.Errorf("plots: heat map of a nil field: %w", ErrNoData)
	}
	cm, err := opts.colorMap(f)
	if err != nil {
		return nil, err
	}
	p := bare(opts.Title)
	p.X.Label.Text, p.Y.Label.Text = opts.XLabel, opts.YLabel
	p.X.Padding, p.Y.Padding = 0, 0
	AddHeatMap(p, f, cm)
	levels := opts.Levels
	if levels == nil {
		levels = niceLevels(cm.Min(), cm.Max(), 8)
	}
	if opts.Lines {
		c := addContour(p, f, levels, nil)
		for i := range c.LineStyles {
			c.LineStyles[i] = draw.LineStyle{Color: Translucent(color.White, 0.8), Width: vg.Points(0.75)}
		}
	}
	cb, err := AddColorBar(p, cm, opts.Label)
	if err != nil {
		return nil, err
	}
	if opts.Lines {
		cb.Marks = levels
	}
	return p, nil
}

// Contour returns a chart of f as contour lines at opts.Levels, each
// coloured by opts.ColorMap at its level, over light grid lines, with a
// colour bar on the right whose strip marks the levels. It returns an
// error for a nil field and for an empty colour range.
func Contour(f *Field, opts FieldOptions) (*plot.Plot, error) {
	if f == nil {
		return nil, fmt.Errorf("plots: contour of a nil field: %w", ErrNoData)
	}
	cm, err := opts.colorMap(f)
	if err != nil {
		return nil, err
	}
	p := New(opts.Title, opts.XLabel, opts.YLabel)
	levels := opts.Levels
	if levels == nil {
		levels = niceLevels(cm.Min(), cm.Max(), 8)
	}
	c := AddContour(p, f, levels, cm)
	cb, err := AddColorBar(p, cm, opts.Label)
	if err != nil {
		return nil, err
	}
	cb.Marks = c.Levels
	return p, nil
}

// AddHeatMap adds a heat map of f to p, coloured by cm over cm's range
// (values outside it take the end colours). A field on an evenly spaced
// lattice is drawn as one image (smooth, small files); another as one
// rectangle per cell.
func AddHeatMap(p *plot.Plot, f *Field, cm palette.ColorMap) *plotter.HeatMap {
	pal := cm.Palette(colorBarSteps)
	cs := pal.Colors()
	h := &plotter.HeatMap{
		GridXYZ:    f,
		Palette:    pal,
		Underflow:  cs[0],
		Overflow:   cs[len(cs)-1],
		Min:        cm.Min(),
		Max:        cm.Max(),
		Rasterized: evenlySpaced(f.x) && evenlySpaced(f.y),
	}
	p.Add(heatMap{h})
	return h
}

// heatMap is gonum/plot's heat map without its glyph boxes, which pad
// the data area by 5 points around every lattice point and so leave a
// white frame between the heat map and the axes. Cells are data, not
// glyphs: the heat map fills its data range exactly.
type heatMap struct{ *plotter.HeatMap }

// GlyphBoxes returns none.
func (heatMap) GlyphBoxes(*plot.Plot) []plot.GlyphBox { return nil }

// contour is gonum/plot's contour without its glyph boxes (see heatMap).
type contour struct{ *plotter.Contour }

// GlyphBoxes returns none.
func (contour) GlyphBoxes(*plot.Plot) []plot.GlyphBox { return nil }

// AddContour adds contour lines of f at levels to p, each coloured by cm
// at its level (cm nil: LineStyle(0) for all). Levels are copied and
// sorted; levels outside the field's range draw nothing.
func AddContour(p *plot.Plot, f *Field, levels []float64, cm palette.ColorMap) *plotter.Contour {
	return addContour(p, f, levels, cm)
}

func addContour(p *plot.Plot, f *Field, levels []float64, cm palette.ColorMap) *plotter.Contour {
	lv := slices.Clone(levels)
	slices.Sort(lv)
	styles := make([]draw.LineStyle, max(len(lv), 1))
	for i := range styles {
		styles[i] = draw.LineStyle{Color: Color(0), Width: vg.Points(1.25)}
		if cm != nil && i < len(lv) {
			v := min(max(lv[i], cm.Min()), cm.Max())
			if col, err := cm.At(v); err == nil {
				styles[i].Color = col
			}
		}
	}
	c := &plotter.Contour{
		GridXYZ:    f,
		Levels:     lv,
		LineStyles: styles,
		Min:        math.Inf(-1),
		Max:        math.Inf(1),
	}
	if len(lv) > 0 {
		p.Add(contour{c})
	} else {
		// gonum/plot's Contour indexes Levels; with none it has nothing
		// to draw but its data range.
		p.Add(dataRange{f.x[0], f.x[len(f.x)-1], f.y[0], f.y[len(f.y)-1]})
	}
	return c
}

// niceLevels returns round values evenly spaced strictly inside (lo, hi),
// about n of them, with a step of 1, 2 or 5 times a power of ten.
func niceLevels(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		return nil
	}
	step := niceStep((hi - lo) / float64(n))
	if math.IsInf(step, 0) || math.Max(math.Abs(lo), math.Abs(hi))/step > 1e14 {
		return nil // the step is lost in the magnitude of the values
	}
	var out []float64
	for k := math.Floor(lo/step) + 1; ; k++ {
		v := k * step
		if v >= hi {
			break
		}
		if v > lo {
			out = append(out, v)
		}
	}
	return out
}

// niceStep rounds d up to 1, 2 or 5 times a power of ten.
func niceStep(d float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(d)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= d {
			return m * p
		}
	}
	return 10 * p
}

// ColumnRange returns the range of column j of x widened by margin times
// its width on each side (margin 0.1 adds 10% each way): the bounds to
// Evaluate a density or a decision function over, so that contours
// close around the data. A constant column is widened by ±1, as an axis
// is (P-03). It returns an error for an empty column or a non-finite
// value; it panics if j is out of range.
func ColumnRange(x mat.Matrix, j int, margin float64) (lo, hi float64, err error) {
	n, d := x.Dims()
	if j < 0 || j >= d {
		panic(fmt.Sprintf("plots: column %d of a matrix with %d columns", j, d))
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = x.At(i, j)
	}
	what := fmt.Sprintf("column %d", j)
	if err := checkFinite(what, v); err != nil {
		return 0, 0, err
	}
	if err := checkSpan(what, v); err != nil {
		return 0, 0, err
	}
	lo, hi = sanitizedRange(extent(v))
	w := hi - lo
	return lo - margin*w, hi + margin*w, nil
}
