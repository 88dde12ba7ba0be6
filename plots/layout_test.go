package plots

import (
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// fullCanvas is a canvas of the default chart size with no drawing
// surface, for layout computations.
func fullCanvas() draw.Canvas {
	return draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: DefaultWidth, Y: DefaultHeight}}}
}

func threeLines(t *testing.T, inside bool) *plot.Plot {
	t.Helper()
	var series []Series
	for k := range 3 {
		series = append(series, Series{Name: "a fairly long series name " + string(rune('A'+k)), Y: []float64{1, 2, float64(k)}})
	}
	p, err := Lines(series, LineOptions{LegendInside: inside})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLegendOutside: the legend gets its own room right of the data
// area, as wide as the legend, and entries added later are counted.
func TestLegendOutside(t *testing.T) {
	in := threeLines(t, true).DataCanvas(fullCanvas())
	p := threeLines(t, false)
	out := p.DataCanvas(fullCanvas())
	lw := p.Legend.Rectangle(fullCanvas())
	width := lw.Max.X - lw.Min.X
	if width <= 0 {
		t.Fatal("empty legend")
	}
	// The data area ends a gap before the legend, which ends at the
	// right edge of the canvas.
	if got, want := out.Max.X, DefaultWidth-width-vg.Points(legendGap); math.Abs(float64(got-want)) > 1e-9 {
		t.Errorf("data area ends at %v, want %v (legend width %v)", got, want, width)
	}
	if !(out.Max.X < in.Max.X) {
		t.Errorf("outside legend did not narrow the data area: %v vs %v", out.Max.X, in.Max.X)
	}
	// A longer entry added afterwards widens the room.
	p.Legend.Add("an even longer series name added after LegendOutside", &glyphThumb{GlyphStyle(3)})
	later := p.DataCanvas(fullCanvas())
	if !(later.Max.X < out.Max.X) {
		t.Errorf("a later, longer entry did not widen the room: %v vs %v", later.Max.X, out.Max.X)
	}
}

// TestColorBarRoomAndColours: the colour bar takes room right of the
// data area, and its strip shows the colour map: Max at the top, Min at
// the bottom.
func TestColorBarRoomAndColours(t *testing.T) {
	f, err := Evaluate(func(x, y float64) float64 { return x + y }, 0, 1, 0, 1, 20, 20)
	if err != nil {
		t.Fatal(err)
	}
	p, err := HeatMap(f, FieldOptions{Label: "x + y"})
	if err != nil {
		t.Fatal(err)
	}
	dc := p.DataCanvas(fullCanvas())
	// The room a bar with HeatMap's settings needs.
	cb, err := NewColorBar(Viridis(), "x + y")
	if err != nil {
		t.Fatal(err)
	}
	_, _, room := cb.layout(p)
	if got := DefaultWidth - dc.Max.X; got < room-1e-9 {
		t.Errorf("room right of the data area %v < the bar's width %v", got, room)
	}
	_, img := renderPNG(t, p)
	// Sample the strip's centre line just inside its top and bottom.
	scale := float64(DPI) / 72
	x := int(float64(dc.Max.X+vg.Points(legendGap)+vg.Points(6)) * scale)
	top := int(float64(DefaultHeight-dc.Max.Y)*scale) + 2
	bottom := int(float64(DefaultHeight-dc.Min.Y)*scale) - 3
	cm := Viridis()
	cm.SetMin(f.Min())
	cm.SetMax(f.Max())
	for _, c := range []struct {
		y int
		v float64
	}{{top, f.Max()}, {bottom, f.Min()}} {
		want, _ := cm.At(c.v)
		if d := colorDist(img.At(x, c.y), want); d > 12 {
			t.Errorf("strip at row %d: %v, want about %v (distance %d)", c.y, img.At(x, c.y), want, d)
		}
	}
}

// colorDist is the largest channel difference, 0…255.
func colorDist(a, b color.Color) int {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return max(abs(int(ar>>8)-int(br>>8)), abs(int(ag>>8)-int(bg>>8)), abs(int(ab>>8)-int(bb>>8)))
}

func TestColorBarErrors(t *testing.T) {
	cm := Viridis()
	cm.SetMin(1)
	cm.SetMax(1)
	if _, err := NewColorBar(cm, ""); err == nil {
		t.Error("empty range: no error")
	}
	cm.SetMax(math.Inf(1))
	if _, err := NewColorBar(cm, ""); err == nil {
		t.Error("infinite range: no error")
	}
}

// TestGridAligned: the cells of a grid get data areas of one size, in
// line along rows and columns, although their tick labels differ in
// width; shared axes get the union range.
func TestGridAligned(t *testing.T) {
	g := NewGrid(2, 2)
	g.ShareX, g.ShareY = true, true
	data := [][]float64{{1, 2}, {1000000, 2000000}, {-5, 5}, {0.001, 0.002}}
	for k, y := range data {
		if _, _, err := AddLine(g.Plots[k/2][k%2], Series{X: []float64{float64(k), float64(k + 1)}, Y: y}, k); err != nil {
			t.Fatal(err)
		}
	}
	c := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 8 * vg.Inch, Y: 6 * vg.Inch}}}
	g.share()
	cells := plot.Align(g.Plots, draw.Tiles{Rows: 2, Cols: 2, PadX: g.PadX, PadY: g.PadY}, c)
	var dcs [2][2]draw.Canvas
	for r := range 2 {
		for k := range 2 {
			dcs[r][k] = g.Plots[r][k].DataCanvas(cells[r][k])
		}
	}
	size := func(d draw.Canvas) vg.Point { return d.Max.Sub(d.Min) }
	eq := func(a, b vg.Length) bool { return math.Abs(float64(a-b)) < 1e-6 }
	for r := range 2 {
		for k := range 2 {
			s, s0 := size(dcs[r][k]), size(dcs[0][0])
			if !eq(s.X, s0.X) || !eq(s.Y, s0.Y) {
				t.Errorf("cell (%d, %d) data area %v, cell (0, 0) %v", r, k, s, s0)
			}
		}
	}
	if !eq(dcs[0][0].Min.X, dcs[1][0].Min.X) || !eq(dcs[0][1].Min.X, dcs[1][1].Min.X) {
		t.Error("columns do not start at one x")
	}
	if !eq(dcs[0][0].Min.Y, dcs[0][1].Min.Y) || !eq(dcs[1][0].Min.Y, dcs[1][1].Min.Y) {
		t.Error("rows do not start at one y")
	}
	// Shared ranges: column 0 holds x in [0, 1] and [2, 3].
	for r := range 2 {
		if x := g.Plots[r][0].X; x.Min != 0 || x.Max != 3 {
			t.Errorf("cell (%d, 0) x range [%v, %v], want [0, 3]", r, x.Min, x.Max)
		}
	}
	if y := g.Plots[1][1].Y; y.Min != -5 || y.Max != 5 {
		t.Errorf("cell (1, 1) y range [%v, %v], want the row's [-5, 5]", y.Min, y.Max)
	}
	w, h := g.Size()
	if w != 2*GridCellWidth || h != 2*GridCellHeight {
		t.Errorf("Size %v × %v, want 2 cells each way", w, h)
	}
	renderPNG(t, g)
}

// TestMovedLabelsMatchGonum: the labels the package draws for log axes
// (yLabel, xLabel) land where gonum/plot draws its own: on a linear axis
// the two images are identical.
func TestMovedLabelsMatchGonum(t *testing.T) {
	build := func(moved bool) *plot.Plot {
		p, err := Lines([]Series{{Name: "s", Y: []float64{3, 1, 4, 1, 5, 9, 2, 6}}}, LineOptions{
			Title: "labels", XLabel: "iteration", YLabel: "a long y label (nats)", Markers: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		if moved {
			p.Add(yLabel{p.Y.Label.Text}, xLabel{p.X.Label.Text})
			p.Y.Label.Text, p.X.Label.Text = placeholder, placeholder
		}
		return p
	}
	_, want := renderPNG(t, build(false))
	_, got := renderPNG(t, build(true))
	b := want.Bounds()
	diff := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if colorDist(got.At(x, y), want.At(x, y)) > 0 {
				diff++
			}
		}
	}
	if diff != 0 {
		t.Errorf("%d pixels differ between gonum's labels and the package's", diff)
	}
}

// TestLogAxisKeepsDataArea: with a log y axis the data area is as tall
// as with a linear one (gonum/plot alone would pad for a misplaced label
// box).
func TestLogAxisKeepsDataArea(t *testing.T) {
	y := []float64{1.05, 0.5, 0.1, 0.01, 1.2e-5}
	heights := map[bool]vg.Length{}
	for _, logY := range []bool{false, true} {
		p, err := Lines([]Series{{Y: y}}, LineOptions{LogY: logY, YLabel: "excess mean NLL (nats)", Title: "T"})
		if err != nil {
			t.Fatal(err)
		}
		dc := p.DataCanvas(fullCanvas())
		heights[logY] = dc.Max.Y - dc.Min.Y
	}
	if math.Abs(float64(heights[true]-heights[false])) > 3 {
		t.Errorf("data area height %v on a log axis, %v on a linear one", heights[true], heights[false])
	}
}

func TestTicks(t *testing.T) {
	labels := func(ts []plot.Tick) []string {
		var out []string
		for _, t := range ts {
			if t.Label != "" {
				out = append(out, t.Label)
			}
		}
		return out
	}
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 1, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{1, 40, []string{"10", "20", "30", "40"}},
		{-12, -3.8, []string{"-12", "-10", "-8", "-6", "-4"}},
		{0.001, 0.002, []string{"0.0010", "0.0012", "0.0014", "0.0016", "0.0018", "0.0020"}},
		// 1.46/6 rounds up to 0.5, which labels only 2: step down to 0.2.
		{-0.47, 0.99, []string{"-0.4", "-0.2", "0.0", "0.2", "0.4", "0.6", "0.8"}},
		{-3.05, 3.05, []string{"-3", "-2", "-1", "0", "1", "2", "3"}},
	} {
		got := labels(linearTicks{}.Ticks(c.lo, c.hi))
		if len(got) != len(c.want) {
			t.Errorf("linear [%v, %v]: got %v, want %v", c.lo, c.hi, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("linear [%v, %v]: got %v, want %v", c.lo, c.hi, got, c.want)
				break
			}
		}
	}
	// gonum's LogTicks would label from 1e-4 for this range (it truncates
	// log10(1.2e-5) towards zero); logTicks labels every decade in range.
	got := labels(logTicks{}.Ticks(1.2e-5, 1.05))
	want := []string{"0.0001", "0.001", "0.01", "0.1", "1"}
	if len(got) != len(want) {
		t.Fatalf("log ticks: got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("log ticks: got %v, want %v", got, want)
		}
	}
	if got := labels(logTicks{}.Ticks(3, 8)); len(got) != 1 || got[0] != "5" {
		t.Errorf("log ticks within a decade: got %v, want [5]", got)
	}
}
