package plots

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/latentgo/latent/internal/fileio"
)

// Figure is anything Save and Encode can draw: a *plot.Plot, a *Grid of
// plots, an *ImageChart, or a figure wrapped by Sized.
type Figure interface {
	Draw(draw.Canvas)
}

// Sizer is implemented by figures that know their natural size (Grid,
// ImageChart, Sized). Save and Encode draw other figures at DefaultWidth
// × DefaultHeight.
type Sizer interface {
	Size() (width, height vg.Length)
}

// plotLister is implemented by the package's composite figures so that
// Encode can check every plot in them before drawing.
type plotLister interface {
	plotList() []*plot.Plot
}

// Size returns the size at which Save and Encode draw fig: its own size
// if it is a Sizer, DefaultWidth × DefaultHeight otherwise.
func Size(fig Figure) (width, height vg.Length) {
	if s, ok := fig.(Sizer); ok {
		return s.Size()
	}
	return DefaultWidth, DefaultHeight
}

// Sized returns fig drawn at width × height instead of its natural size.
func Sized(fig Figure, width, height vg.Length) Figure {
	return sized{fig: fig, w: width, h: height}
}

type sized struct {
	fig  Figure
	w, h vg.Length
}

func (s sized) Draw(c draw.Canvas)              { s.fig.Draw(c) }
func (s sized) Size() (width, height vg.Length) { return s.w, s.h }
func (s sized) plotList() []*plot.Plot          { return plotsOf(s.fig) }

// plotsOf lists the plots a figure draws, for the checks before drawing.
func plotsOf(fig Figure) []*plot.Plot {
	switch f := fig.(type) {
	case *plot.Plot:
		return []*plot.Plot{f}
	case plotLister:
		return f.plotList()
	}
	return nil
}

// Formats are the image formats Save and Encode write, by file extension.
var formats = []string{"png", "svg", "pdf"}

// FormatOf returns the image format named by path's extension ("png",
// "svg" or "pdf", case-insensitive), or an error naming the extensions
// that work.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	for _, f := range formats {
		if ext == f {
			return f, nil
		}
	}
	if ext == "" {
		return "", fmt.Errorf("plots: %s has no extension; name it .png, .svg or .pdf", path)
	}
	return "", fmt.Errorf("plots: cannot write %s: unknown image format %q; use .png, .svg or .pdf", path, "."+ext)
}

// SaveOptions controls Save: it is internal/fileio's Options, so that a
// command's output options pass straight through. Its fields:
//
//	Force  bool        // replace an existing file (the CLI's --force)
//	Inputs []string    // files the command reads; never written over, even with Force
//	Perm   fs.FileMode // permissions of a new file; zero means 0644
//
// The zero value refuses to replace an existing file.
type SaveOptions = fileio.Options

// Save writes fig to path as a PNG (DPI pixels per inch), SVG or PDF
// image, chosen by path's extension, at Size(fig). The file is written
// atomically through internal/fileio: never over one of opts.Inputs,
// over an existing file only with opts.Force, and an error leaves no
// partial file. Errors from drawing (see Encode) are returned the same way.
func Save(path string, fig Figure, opts SaveOptions) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return fileio.WriteFile(path, func(w io.Writer) error {
		return Encode(w, format, fig)
	}, opts)
}

// Encode draws fig at Size(fig) and writes it to w as format ("png",
// "svg" or "pdf"). Before drawing it checks every plot of fig: an axis
// whose range is NaN (a plotter holds NaN data, P-01) or a log axis
// whose range reaches 0 or below (P-04) is an error rather than a blank
// image or gonum/plot's panic. A panic while drawing is returned as an
// error as well, so that a CLI never shows a stack trace for a chart.
func Encode(w io.Writer, format string, fig Figure) (err error) {
	if fig == nil {
		return errNoFigure
	}
	width, height := Size(fig)
	if !(width > 0 && height > 0) || math.IsInf(float64(width), 0) || math.IsInf(float64(height), 0) {
		return fmt.Errorf("plots: figure size %v × %v points: both must be finite and > 0", width, height)
	}
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI))}
	case "svg":
		c = vgsvg.New(width, height)
	case "pdf":
		c = vgpdf.New(width, height)
	default:
		return fmt.Errorf("plots: unknown image format %q; use png, svg or pdf", format)
	}
	for _, p := range plotsOf(fig) {
		if err := checkAxes(p); err != nil {
			return err
		}
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing failed: %v", r)
		}
	}()
	fig.Draw(draw.New(c))
	_, err = c.WriteTo(w)
	return err
}

// checkAxes finds, before drawing, the data that would make gonum/plot
// draw nothing or panic.
func checkAxes(p *plot.Plot) error {
	for _, ax := range []struct {
		name string
		a    *plot.Axis
	}{{"x", &p.X}, {"y", &p.Y}} {
		if math.IsNaN(ax.a.Min) || math.IsNaN(ax.a.Max) {
			return fmt.Errorf("plots: %q: the %s axis range is NaN because a plotter holds NaN data: %w", p.Title.Text, ax.name, ErrNaN)
		}
		if lo, hi := ax.a.Min, ax.a.Max; lo <= hi && math.IsInf(hi-lo, 0) {
			return fmt.Errorf("plots: %q: the %s axis range [%v, %v] is wider than float64 can hold: %w", p.Title.Text, ax.name, lo, hi, ErrInf)
		}
		// A range of subnormal width (values such as 1e-317 apart) has no
		// precision left to place points on: gonum/plot then draws glyphs
		// at coordinates far off the canvas, and rasterising them does not
		// end (found by FuzzHistogramScatter).
		if lo, hi := ax.a.Min, ax.a.Max; hi > lo && hi-lo < minAxisWidth {
			return fmt.Errorf("plots: %q: the %s axis range [%v, %v] is too narrow to draw (width %v); rescale the data", p.Title.Text, ax.name, lo, hi, hi-lo)
		}
		if _, ok := ax.a.Scale.(plot.LogScale); ok {
			lo, _ := sanitizedRange(ax.a.Min, ax.a.Max)
			if !(lo > 0) {
				return fmt.Errorf("plots: %q: the %s axis is logarithmic but its data reach %v: %w", p.Title.Text, ax.name, lo, ErrLogScale)
			}
		}
	}
	return nil
}

// minAxisWidth is the narrowest non-empty axis range Encode draws: about
// the smallest normal float64.
const minAxisWidth = 0x1p-1000

// sanitizedRange is the axis range gonum/plot draws for data range
// [lo, hi]: infinite limits become 0, a reversed range is swapped, and
// an empty one is widened by ±1 (P-03).
func sanitizedRange(lo, hi float64) (float64, float64) {
	if math.IsInf(lo, 0) {
		lo = 0
	}
	if math.IsInf(hi, 0) {
		hi = 0
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		lo--
		hi++
	}
	return lo, hi
}

// errNoFigure is returned for a nil figure.
var errNoFigure = errors.New("plots: nil figure")
