package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MahalanobisRadius returns r = √(−2 ln(1−p)), the Mahalanobis radius of
// the ellipse that holds probability p of a bivariate normal: r² is the
// p-quantile of the χ² distribution with 2 degrees of freedom, whose
// CDF is 1 − exp(−r²/2). For p = 0.95, r² = 5.991. It returns NaN for p
// outside [0, 1) and +Inf for p = 1.
func MahalanobisRadius(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return math.Sqrt(-2 * math.Log1p(-p))
}

// ellipseSegments is the number of straight segments of a drawn ellipse:
// at chart sizes the polygon is indistinguishable from the curve.
const ellipseSegments = 128

// Ellipse is a plotter that draws the covariance ellipse
//
//	{x : (x−μ)ᵀ Σ⁻¹ (x−μ) = r²},  r² = χ²₂ quantile at Coverage,
//
// the boundary of the region that holds probability Coverage of the
// bivariate normal N(μ, Σ): the usual picture of a Gaussian mixture
// component. Its fields other than the styles are set by NewEllipse.
type Ellipse struct {
	// Mean is the centre μ, in data coordinates.
	Mean [2]float64
	// Cov is the covariance Σ, symmetric positive definite.
	Cov [2][2]float64
	// Coverage is the probability p inside the ellipse, in (0, 1).
	Coverage float64
	// Radius is the Mahalanobis radius r = MahalanobisRadius(Coverage).
	Radius float64

	// LineStyle is the style of the outline; a zero Width draws none.
	draw.LineStyle
	// FillColor fills the inside when not nil (use Translucent).
	FillColor color.Color

	// l11, l21, l22 are the Cholesky factor L of Σ = L Lᵀ.
	l11, l21, l22 float64
}

// NewEllipse returns the ellipse that holds probability coverage of the
// normal with the given mean (length 2) and covariance (2×2), outlined
// in LineStyle(0) and not filled. The ellipse is the image of the circle
// of radius r under the Cholesky factor L of Σ: x = μ + r·L·(cos t, sin t).
//
// It returns an error when a value is NaN or infinite, when cov is not
// symmetric (to 1e-10 relative) or not positive definite, or when
// coverage is not in (0, 1). It panics if mean does not have length 2 or
// cov is not 2×2.
func NewEllipse(mean []float64, cov mat.Matrix, coverage float64) (*Ellipse, error) {
	if len(mean) != 2 {
		panic(fmt.Sprintf("plots: ellipse mean has length %d, want 2", len(mean)))
	}
	if r, c := cov.Dims(); r != 2 || c != 2 {
		panic(fmt.Sprintf("plots: ellipse covariance is %d×%d, want 2×2", r, c))
	}
	if err := checkFinite("ellipse mean", mean); err != nil {
		return nil, err
	}
	if err := checkMatrix("ellipse covariance", cov); err != nil {
		return nil, err
	}
	if !(coverage > 0 && coverage < 1) {
		return nil, fmt.Errorf("plots: ellipse coverage %v is not in (0, 1); give a probability such as 0.95", coverage)
	}
	a, b, c, d := cov.At(0, 0), cov.At(0, 1), cov.At(1, 0), cov.At(1, 1)
	if math.Abs(b-c) > 1e-10*math.Max(math.Abs(a), math.Abs(d)) {
		return nil, fmt.Errorf("plots: ellipse covariance is not symmetric: [0][1] = %v, [1][0] = %v", b, c)
	}
	s := (b + c) / 2
	if !(a > 0) || !(a*d-s*s > 0) {
		return nil, fmt.Errorf("plots: ellipse covariance [[%v %v] [%v %v]] is not positive definite", a, s, s, d)
	}
	e := &Ellipse{
		Mean:      [2]float64{mean[0], mean[1]},
		Cov:       [2][2]float64{{a, s}, {s, d}},
		Coverage:  coverage,
		Radius:    MahalanobisRadius(coverage),
		LineStyle: LineStyle(0),
	}
	e.l11 = math.Sqrt(a)
	e.l21 = s / e.l11
	e.l22 = math.Sqrt(d - e.l21*e.l21)
	return e, nil
}

// Boundary returns n points on the ellipse, at angles 2πk/n of the
// underlying circle, in data coordinates. It panics if n < 1.
func (e *Ellipse) Boundary(n int) plotter.XYs {
	if n < 1 {
		panic("plots: ellipse boundary needs n ≥ 1 points")
	}
	xy := make(plotter.XYs, n)
	for k := range xy {
		sin, cos := math.Sincos(2 * math.Pi * float64(k) / float64(n))
		u, v := e.Radius*cos, e.Radius*sin
		xy[k].X = e.Mean[0] + e.l11*u
		xy[k].Y = e.Mean[1] + e.l21*u + e.l22*v
	}
	return xy
}

// Plot draws the ellipse, implementing plot.Plotter.
func (e *Ellipse) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	b := e.Boundary(ellipseSegments)
	pts := make([]vg.Point, len(b), len(b)+1)
	for i, p := range b {
		pts[i] = vg.Point{X: trX(p.X), Y: trY(p.Y)}
	}
	if e.FillColor != nil {
		c.FillPolygon(e.FillColor, c.ClipPolygonXY(pts))
	}
	if e.LineStyle.Width > 0 {
		pts = append(pts, pts[0])
		c.StrokeLines(e.LineStyle, c.ClipLinesXY(pts)...)
	}
}

// DataRange returns the ellipse's bounding box, μᵢ ± r·√Σᵢᵢ,
// implementing plot.DataRanger.
func (e *Ellipse) DataRange() (xmin, xmax, ymin, ymax float64) {
	hx := e.Radius * math.Sqrt(e.Cov[0][0])
	hy := e.Radius * math.Sqrt(e.Cov[1][1])
	return e.Mean[0] - hx, e.Mean[0] + hx, e.Mean[1] - hy, e.Mean[1] + hy
}

// Thumbnail draws a small upright ellipse in the ellipse's styles,
// implementing plot.Thumbnailer.
func (e *Ellipse) Thumbnail(c *draw.Canvas) {
	ctr := c.Center()
	rx := (c.Max.X-c.Min.X)/2 - e.LineStyle.Width
	ry := (c.Max.Y-c.Min.Y)/2 - e.LineStyle.Width
	const n = 32
	pts := make([]vg.Point, n+1)
	for k := range pts {
		sin, cos := math.Sincos(2 * math.Pi * float64(k) / n)
		pts[k] = vg.Point{X: ctr.X + rx*vg.Length(cos), Y: ctr.Y + ry*vg.Length(sin)}
	}
	if e.FillColor != nil {
		c.FillPolygon(e.FillColor, pts[:n])
	}
	if e.LineStyle.Width > 0 {
		c.StrokeLines(e.LineStyle, pts)
	}
}

// Marginal2 returns the mean and covariance of the two-dimensional
// marginal (xᵢ, xⱼ) of a normal with the given mean and covariance: the
// entries i and j of the mean and the 2×2 block of rows and columns i, j
// of the covariance. A pairs view draws component ellipses with it. It
// panics if i or j is out of range or the shapes disagree.
func Marginal2(mean []float64, cov mat.Matrix, i, j int) ([]float64, *mat.Dense) {
	r, c := cov.Dims()
	if r != len(mean) || c != len(mean) {
		panic(fmt.Sprintf("plots: marginal of a mean of length %d and a %d×%d covariance", len(mean), r, c))
	}
	if i < 0 || j < 0 || i >= len(mean) || j >= len(mean) {
		panic(fmt.Sprintf("plots: marginal (%d, %d) of a %d-dimensional normal", i, j, len(mean)))
	}
	return []float64{mean[i], mean[j]}, mat.NewDense(2, 2, []float64{
		cov.At(i, i), cov.At(i, j),
		cov.At(j, i), cov.At(j, j),
	})
}
