package plots

import (
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ImageGrid is a plotter that draws grey images (digits, MNIST, a VAE's
// reconstructions or samples) in a grid of Rows × Cols cells, row by
// row from the top left. Data coordinates are image pixels: a cell is
// W × H units, cells are Gap units apart, and the grid spans
// [0, Cols·(W+Gap)−Gap] × [0, Rows·(H+Gap)−Gap], so a chart whose data
// area has that aspect ratio shows square pixels (ImageChart sizes itself
// so). Pixels are drawn without smoothing, snapped to the device pixel
// grid of raster output.
//
// A value v is drawn as grey t = (v−Min)/(Max−Min), clamped to [0, 1]:
// t = 0 is white paper and t = 1 black ink, or the reverse with Invert.
type ImageGrid struct {
	// Rows and Cols are the number of cells down and across.
	Rows, Cols int
	// H and W are the image height and width in pixels.
	H, W int
	// Gap is the space between cells, in image pixels.
	Gap int
	// Min and Max are the values drawn white and black.
	Min, Max float64
	// Invert draws Min black and Max white.
	Invert bool

	// cells are the images, row-major, each H·W values row by row; a nil
	// cell is left empty.
	cells [][]float64
}

// NewImageGrid returns a grid of the images in the rows of x, each row
// holding one h × w image row by row (MNIST and the digits data set are
// stored so), cols images across (cols ≤ 0: min(n, 10)), with a gap of 1
// pixel. The grey range is [0, 1] when the data lie in it, the data's
// range otherwise (for example [0, 16] for the digits).
//
// It returns an error wrapping ErrNoData when x has no rows, and ErrNaN
// or ErrInf naming the image and pixel for a non-finite value. It panics
// if h or w < 1 or x does not have h·w columns.
func NewImageGrid(x mat.Matrix, h, w, cols int) (*ImageGrid, error) {
	n, err := checkImages("images", x, h, w)
	if err != nil {
		return nil, err
	}
	if cols <= 0 {
		cols = min(n, 10)
	}
	g := &ImageGrid{Rows: (n + cols - 1) / cols, Cols: cols, H: h, W: w, Gap: 1}
	g.cells = make([][]float64, g.Rows*g.Cols)
	for i := range n {
		g.cells[i] = imageRow(x, i)
	}
	g.Min, g.Max = greyRange(g.cells)
	return g, nil
}

// checkImages checks the shape and values of a matrix of images and
// returns the number of images.
func checkImages(what string, x mat.Matrix, h, w int) (int, error) {
	if h < 1 || w < 1 {
		panic(fmt.Sprintf("plots: image size %d×%d: both must be ≥ 1", h, w))
	}
	n, d := x.Dims()
	if n > 0 && d != h*w {
		panic(fmt.Sprintf("plots: %s have %d columns, want h·w = %d·%d = %d", what, d, h, w, h*w))
	}
	if n == 0 {
		return 0, fmt.Errorf("plots: %s: no images: %w", what, ErrNoData)
	}
	for i := range n {
		for j := range d {
			if err := finite(x.At(i, j)); err != nil {
				return 0, fmt.Errorf("plots: %s: image %d, pixel (%d, %d) = %v: %w", what, i, j/w, j%w, x.At(i, j), err)
			}
		}
	}
	return n, nil
}

// imageRow copies row i of x.
func imageRow(x mat.Matrix, i int) []float64 {
	_, d := x.Dims()
	v := make([]float64, d)
	for j := range v {
		v[j] = x.At(i, j)
	}
	return v
}

// greyRange is [0, 1] when every value lies in it, the values' range
// otherwise (widened by ±1 when constant).
func greyRange(cells [][]float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range cells {
		for _, v := range c {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo >= 0 && hi <= 1 {
		return 0, 1
	}
	return sanitizedRange(lo, hi)
}

// Size returns the grid's extent in image pixels, gaps included.
func (g *ImageGrid) Size() (width, height int) {
	return g.Cols*(g.W+g.Gap) - g.Gap, g.Rows*(g.H+g.Gap) - g.Gap
}

// DataRange returns the grid's extent in image pixels, implementing
// plot.DataRanger.
func (g *ImageGrid) DataRange() (xmin, xmax, ymin, ymax float64) {
	w, h := g.Size()
	return 0, float64(w), 0, float64(h)
}

// cellOrigin returns the data coordinates of the bottom-left corner of
// cell k.
func (g *ImageGrid) cellOrigin(k int) (x, y float64) {
	_, h := g.Size()
	r, c := k/g.Cols, k%g.Cols
	return float64(c * (g.W + g.Gap)), float64(h - r*(g.H+g.Gap) - g.H)
}

// grey returns the grey level of value v.
func (g *ImageGrid) grey(v float64) uint8 {
	t := 0.5
	if g.Max > g.Min {
		t = (v - g.Min) / (g.Max - g.Min)
	}
	t = min(max(t, 0), 1)
	if !g.Invert {
		t = 1 - t
	}
	return uint8(math.Round(255 * t))
}

// render returns image k scaled by nearest neighbour to pw × ph pixels.
func (g *ImageGrid) render(k, pw, ph int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, pw, ph))
	cell := g.cells[k]
	for y := range ph {
		sy := min(y*g.H/ph, g.H-1)
		for x := range pw {
			sx := min(x*g.W/pw, g.W-1)
			img.Pix[y*img.Stride+x] = g.grey(cell[sy*g.W+sx])
		}
	}
	return img
}

// vectorDPI is the resolution at which images are rasterised for
// vector output (SVG, PDF), which has no pixel grid of its own.
const vectorDPI = 300

// rasterCanvas is what Plot needs of a raster canvas (gonum/plot's
// vgimg canvases, PNG included) to copy pixels into it directly.
type rasterCanvas interface {
	Image() stddraw.Image
	DPI() float64
}

// unwrap returns the canvas under gonum/plot's wrappers: plot.Draw pads
// the data area by wrapping the draw.Canvas in another one.
func unwrap(c vg.Canvas) vg.Canvas {
	for {
		switch w := c.(type) {
		case draw.Canvas:
			c = w.Canvas
		case *draw.Canvas:
			c = w.Canvas
		default:
			return c
		}
	}
}

// Plot draws the images, implementing plot.Plotter. On a raster canvas
// each image is resampled by nearest neighbour to its size in device
// pixels and copied onto whole pixels of the canvas's image: the drawing
// library would otherwise smooth it bilinearly, blurring every pixel
// edge. On a vector canvas each image is embedded at vectorDPI.
func (g *ImageGrid) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	rc, raster := unwrap(c.Canvas).(rasterCanvas)
	dpi := float64(vectorDPI)
	if raster {
		dpi = rc.DPI()
	}
	dots := func(l vg.Length) float64 { return l.Dots(dpi) }
	// One pixel size for every cell, so that all images come out alike.
	pw := max(int(math.Round(dots(trX(float64(g.W))-trX(0)))), 1)
	ph := max(int(math.Round(dots(trY(float64(g.H))-trY(0)))), 1)
	for k, cell := range g.cells {
		if cell == nil {
			continue
		}
		x0, y0 := g.cellOrigin(k)
		img := g.render(k, pw, ph)
		if raster {
			dst := rc.Image()
			b := dst.Bounds()
			// Device rows count down from the top of the image.
			left := b.Min.X + int(math.Round(dots(trX(x0))))
			top := b.Min.Y + int(math.Round(float64(b.Dy())-dots(trY(y0+float64(g.H)))))
			stddraw.Draw(dst, image.Rect(left, top, left+pw, top+ph), img, image.Point{}, stddraw.Src)
			continue
		}
		lo := vg.Point{X: trX(x0), Y: trY(y0)}
		hi := vg.Point{X: trX(x0 + float64(g.W)), Y: trY(y0 + float64(g.H))}
		c.DrawImage(vg.Rectangle{Min: lo, Max: hi}, img)
	}
}

// Thumbnail draws the first image, implementing plot.Thumbnailer.
func (g *ImageGrid) Thumbnail(c *draw.Canvas) {
	for k, cell := range g.cells {
		if cell != nil {
			side := min(c.Max.X-c.Min.X, c.Max.Y-c.Min.Y)
			ctr := c.Center()
			r := vg.Rectangle{Min: vg.Point{X: ctr.X - side/2, Y: ctr.Y - side/2}, Max: vg.Point{X: ctr.X + side/2, Y: ctr.Y + side/2}}
			c.DrawImage(r, g.render(k, g.W, g.H))
			return
		}
	}
}

// Color returns the colour of value v, for keys and tests.
func (g *ImageGrid) Color(v float64) color.Gray { return color.Gray{Y: g.grey(v)} }
