package plots

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Default cell size of a Grid: small multiples stay readable at this size.
const (
	GridCellWidth  = 2.6 * vg.Inch
	GridCellHeight = 2.2 * vg.Inch
)

// Grid is a figure of subplots in rows and columns whose data areas are
// aligned: every cell's data area has the same size and cells in a row
// (column) start at the same height (left edge), whatever their tick
// labels, by gonum/plot's plot.Align. With ShareX (ShareY) the plots of
// a column (row) also share one x (y) range, the union of their data, so
// that the axes line up in value too — a pairs view uses both.
//
// Cells are ordinary *plot.Plot values: draw into them with p.Add and
// the Add* functions. Draw sets the shared ranges on the cells.
type Grid struct {
	// Title is drawn above the grid; "" draws none.
	Title string
	// Plots are the cells, Plots[row][col]; a nil cell is left empty.
	Plots [][]*plot.Plot
	// ShareX gives the plots of each column their union x range; ShareY
	// gives the plots of each row their union y range.
	ShareX, ShareY bool
	// CellWidth and CellHeight size the figure (Size): zero means
	// GridCellWidth × GridCellHeight.
	CellWidth, CellHeight vg.Length
	// PadX and PadY are the space between cells.
	PadX, PadY vg.Length
}

// NewGrid returns a rows × cols grid whose cells are New("", "", "")
// plots. It panics if rows or cols < 1.
func NewGrid(rows, cols int) *Grid {
	if rows < 1 || cols < 1 {
		panic("plots: a grid needs at least one row and one column")
	}
	g := &Grid{Plots: make([][]*plot.Plot, rows), PadX: vg.Points(6), PadY: vg.Points(6)}
	for r := range g.Plots {
		g.Plots[r] = make([]*plot.Plot, cols)
		for c := range g.Plots[r] {
			g.Plots[r][c] = New("", "", "")
		}
	}
	return g
}

// At returns the plot in row r, column c.
func (g *Grid) At(r, c int) *plot.Plot { return g.Plots[r][c] }

// dims returns the number of rows and of columns (the longest row).
func (g *Grid) dims() (rows, cols int) {
	for _, row := range g.Plots {
		cols = max(cols, len(row))
	}
	return len(g.Plots), cols
}

// Size returns cols·CellWidth × rows·CellHeight (plus the title),
// implementing Sizer.
func (g *Grid) Size() (width, height vg.Length) {
	rows, cols := g.dims()
	cw, ch := g.CellWidth, g.CellHeight
	if cw <= 0 {
		cw = GridCellWidth
	}
	if ch <= 0 {
		ch = GridCellHeight
	}
	width, height = vg.Length(cols)*cw, vg.Length(rows)*ch
	if g.Title != "" {
		height += g.titleStyle().Height(g.Title) + vg.Points(6)
	}
	return width, height
}

func (g *Grid) titleStyle() text.Style {
	sty := TextStyle(TitleFontSize)
	sty.XAlign = draw.XCenter
	sty.YAlign = draw.YTop
	return sty
}

func (g *Grid) plotList() []*plot.Plot {
	var out []*plot.Plot
	for _, row := range g.Plots {
		for _, p := range row {
			if p != nil {
				out = append(out, p)
			}
		}
	}
	return out
}

// share sets the shared ranges.
func (g *Grid) share() {
	rows, cols := g.dims()
	at := func(r, c int) *plot.Plot {
		if c < len(g.Plots[r]) {
			return g.Plots[r][c]
		}
		return nil
	}
	union := func(axes []*plot.Axis) {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, a := range axes {
			lo, hi = math.Min(lo, a.Min), math.Max(hi, a.Max)
		}
		for _, a := range axes {
			a.Min, a.Max = lo, hi
		}
	}
	if g.ShareX {
		for c := range cols {
			var axes []*plot.Axis
			for r := range rows {
				if p := at(r, c); p != nil {
					axes = append(axes, &p.X)
				}
			}
			union(axes)
		}
	}
	if g.ShareY {
		for r := range rows {
			var axes []*plot.Axis
			for c := range cols {
				if p := at(r, c); p != nil {
					axes = append(axes, &p.Y)
				}
			}
			union(axes)
		}
	}
}

// Draw draws the title and the cells, with aligned data areas,
// implementing Figure.
func (g *Grid) Draw(c draw.Canvas) {
	if g.Title != "" {
		sty := g.titleStyle()
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, g.Title)
		c.Max.Y -= sty.Height(g.Title) + vg.Points(6)
	}
	rows, cols := g.dims()
	if rows == 0 || cols == 0 {
		return
	}
	g.share()
	cells := make([][]*plot.Plot, rows)
	for r := range cells {
		cells[r] = make([]*plot.Plot, cols)
		copy(cells[r], g.Plots[r])
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: g.PadX, PadY: g.PadY}
	canvases := plot.Align(cells, tiles, c)
	for r := range cells {
		for k, p := range cells[r] {
			if p != nil {
				p.Draw(canvases[r][k])
			}
		}
	}
}
