package plots

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

var (
	nan = math.NaN()
	inf = math.Inf(1)
)

// builders run every builder of the package on one series of values y,
// so that the input-safety cases are checked against all of them.
var builders = []struct {
	name  string
	build func(y []float64) (Figure, error)
}{
	{"Lines", func(y []float64) (Figure, error) {
		return Lines([]Series{{Name: "s", Y: y}}, LineOptions{})
	}},
	{"Lines log y", func(y []float64) (Figure, error) {
		return Lines([]Series{{Name: "s", Y: y}}, LineOptions{LogY: true})
	}},
	{"Scatter", func(y []float64) (Figure, error) {
		x := &mat.Dense{}
		if len(y) > 0 {
			x = mat.NewDense(len(y), 2, nil)
			for i, v := range y {
				x.Set(i, 0, float64(i))
				x.Set(i, 1, v)
			}
		}
		return Scatter(x, nil, ScatterOptions{})
	}},
	{"Histogram", func(y []float64) (Figure, error) {
		return Histogram(y, nil, HistOptions{})
	}},
	{"Bands", func(y []float64) (Figure, error) {
		sd := make([]float64, len(y))
		for i := range sd {
			sd[i] = 0.1
		}
		return Bands([]BandSeries{{Name: "b", Mean: y, SD: sd}}, BandOptions{})
	}},
	{"Images", func(y []float64) (Figure, error) {
		x := &mat.Dense{}
		if len(y) > 0 {
			x = mat.NewDense(1, len(y), y)
		}
		return Images(x, 1, max(len(y), 1), ImageOptions{})
	}},
	{"HeatMap", func(y []float64) (Figure, error) {
		if len(y) < 2 {
			z := &mat.Dense{}
			if len(y) == 1 {
				z = mat.NewDense(1, 1, y)
			}
			f, err := NewField(y, y, z)
			if err != nil {
				return nil, err
			}
			return HeatMap(f, FieldOptions{})
		}
		z := mat.NewDense(2, len(y), nil)
		z.SetRow(0, y)
		z.SetRow(1, y)
		f, err := NewField(Linspace(0, 1, len(y)), []float64{0, 1}, z)
		if err != nil {
			return nil, err
		}
		return HeatMap(f, FieldOptions{})
	}},
}

// P-01: a NaN or an infinity is an error naming where it is, from every
// builder — never a blank or garbled image.
func TestP01NonFinite(t *testing.T) {
	for _, b := range builders {
		for _, c := range []struct {
			name string
			y    []float64
			want error
		}{
			{"NaN", []float64{1, 2, nan, 4}, ErrNaN},
			{"+Inf", []float64{1, inf, 3, 4}, ErrInf},
			{"-Inf", []float64{1, 2, 3, -inf}, ErrInf},
		} {
			fig, err := b.build(c.y)
			if !errors.Is(err, c.want) {
				t.Errorf("%s, %s: got (%v, %v), want an error wrapping %v", b.name, c.name, fig != nil, err, c.want)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, "[") && !strings.Contains(msg, "pixel (") {
				t.Errorf("%s, %s: %q does not say where", b.name, c.name, err)
			}
		}
	}
}

// P-01: a plotter of gonum/plot's that holds NaN, added by hand, is
// caught when drawing.
func TestP01NaNPlotterCaughtByEncode(t *testing.T) {
	p := New("by hand", "", "")
	p.Add(&plotter.Scatter{XYs: plotter.XYs{{X: 0, Y: 1}, {X: nan, Y: 2}}, GlyphStyle: GlyphStyle(0)})
	err := Encode(&bytes.Buffer{}, "png", p)
	if !errors.Is(err, ErrNaN) {
		t.Errorf("got %v, want an error wrapping ErrNaN", err)
	}
}

// P-02: empty data is ErrNoData, from every builder and for no series.
func TestP02Empty(t *testing.T) {
	for _, b := range builders {
		if _, err := b.build(nil); !errors.Is(err, ErrNoData) {
			t.Errorf("%s: got %v, want an error wrapping ErrNoData", b.name, err)
		}
	}
	if _, err := Lines(nil, LineOptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("Lines of no series: got %v", err)
	}
	if _, err := Bands(nil, BandOptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("Bands of no series: got %v", err)
	}
	if _, err := CompareImages(nil, 8, 8, ImageOptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("CompareImages of no set: got %v", err)
	}
	if _, err := HeatMap(nil, FieldOptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("HeatMap of nil: got %v", err)
	}
	if err := Encode(&bytes.Buffer{}, "png", nil); err == nil {
		t.Error("Encode of a nil figure: no error")
	}
}

// P-03: constant data render (every builder), with a non-empty axis
// range: gonum/plot widens an empty range by ±1, the package does the
// same for colour ranges, grey ranges and log axes (half a decade).
func TestP03Constant(t *testing.T) {
	for _, b := range builders {
		fig, err := b.build([]float64{3, 3, 3, 3})
		if err != nil {
			t.Errorf("%s: %v", b.name, err)
			continue
		}
		_, img := renderPNG(t, fig)
		if nonWhite(img) == 0 {
			t.Errorf("%s: blank image", b.name)
		}
	}
	// The colour of a constant field is the middle of the colour map.
	f, err := NewField([]float64{0, 1}, []float64{0, 1}, mat.NewDense(2, 2, []float64{5, 5, 5, 5}))
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := f.valueRange()
	if lo != 4 || hi != 6 {
		t.Errorf("constant field colour range [%v, %v], want [4, 6]", lo, hi)
	}
	// A constant series on a log axis gets half a decade each side.
	p, err := Lines([]Series{{Y: []float64{10, 10}}}, LineOptions{LogY: true})
	if err != nil {
		t.Fatal(err)
	}
	if !closeRel(p.Y.Min, 10/math.Sqrt(10)) || !closeRel(p.Y.Max, 10*math.Sqrt(10)) {
		t.Errorf("log axis of a constant: [%v, %v], want [√10, 10√10]", p.Y.Min, p.Y.Max)
	}
	// Infinite axis limits (nothing added) are reset to 0 and widened.
	if lo, hi := sanitizedRange(math.Inf(1), math.Inf(-1)); lo != -1 || hi != 1 {
		t.Errorf("sanitizedRange(+Inf, -Inf) = [%v, %v], want [-1, 1]", lo, hi)
	}
}

func closeRel(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Abs(b) }

// P-04: values ≤ 0 never reach a log axis: the builders return
// ErrLogScale naming the series and index, SetLogY refuses, and a log
// scale set by hand on such data is an error from Encode, not gonum's
// panic.
func TestP04LogAxisGuard(t *testing.T) {
	elbo := []float64{-310.5, -250.2, -240.9} // an ELBO trace: negative
	_, err := Lines([]Series{{Name: "ELBO", Y: elbo}}, LineOptions{LogY: true})
	if !errors.Is(err, ErrLogScale) || !strings.Contains(err.Error(), `"ELBO"`) || !strings.Contains(err.Error(), "y[0]") {
		t.Errorf("Lines: got %v, want ErrLogScale naming series \"ELBO\" and y[0]", err)
	}
	_, err = Lines([]Series{{Y: []float64{1, 0, 2}}}, LineOptions{LogY: true})
	if !errors.Is(err, ErrLogScale) || !strings.Contains(err.Error(), "y[1]") {
		t.Errorf("Lines with a zero: got %v", err)
	}
	_, err = Lines([]Series{{X: []float64{0, 1}, Y: []float64{1, 2}}}, LineOptions{LogX: true})
	if !errors.Is(err, ErrLogScale) {
		t.Errorf("Lines log x with x = 0: got %v", err)
	}
	// A band whose lower edge crosses 0 on a log axis.
	_, err = Bands([]BandSeries{{Mean: []float64{1, 2}, SD: []float64{2, 0.1}}}, BandOptions{LogY: true})
	if !errors.Is(err, ErrLogScale) {
		t.Errorf("Bands: got %v", err)
	}

	p := New("", "", "")
	if _, _, err := AddLine(p, Series{Y: elbo}, 0); err != nil {
		t.Fatal(err)
	}
	if err := SetLogY(p); !errors.Is(err, ErrLogScale) {
		t.Errorf("SetLogY: got %v", err)
	}
	if _, ok := p.Y.Scale.(plot.LogScale); ok {
		t.Error("SetLogY changed the scale although it refused")
	}
	if err := SetLogY(New("", "", "")); !errors.Is(err, ErrNoData) {
		t.Errorf("SetLogY of an empty plot: got %v", err)
	}

	// By hand, the way gonum/plot users do it: Encode refuses.
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{}
	var buf bytes.Buffer
	if err := Encode(&buf, "png", p); !errors.Is(err, ErrLogScale) {
		t.Errorf("Encode of a log axis over negative data: got %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Encode wrote %d bytes before failing", buf.Len())
	}
	// And if gonum/plot panics anyway, Encode returns an error.
	q := New("", "", "")
	q.Add(panicker{})
	if err := Encode(&buf, "png", q); err == nil || !strings.Contains(err.Error(), "drawing failed") {
		t.Errorf("a panicking plotter: got %v", err)
	}
}

type panicker struct{}

func (panicker) Plot(draw.Canvas, *plot.Plot) { panic("boom") }

// P-06: a one-point curve (EM converged at iteration 1) renders, with a
// marker so that it is visible.
func TestP06OnePointCurve(t *testing.T) {
	for _, logY := range []bool{false, true} {
		p, err := Lines([]Series{{Name: "log-likelihood", Y: []float64{2.5}}}, LineOptions{LogY: logY})
		if err != nil {
			t.Fatal(err)
		}
		_, img := renderPNG(t, p)
		// Color(0) is #0072B2: the marker (and the legend) show it.
		if n := countColor(img, 0x00, 0x72, 0xB2, 8); n < 20 {
			t.Errorf("log y %v: %d pixels of the series colour: the point is not visible", logY, n)
		}
	}
	b, err := Bands([]BandSeries{{Name: "one", Mean: []float64{1}, SD: []float64{0.5}}}, BandOptions{})
	if err != nil {
		t.Fatal(err)
	}
	renderPNG(t, b)
}
