package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/latentgo/latent/mixture"
)

// Charts of mixtures fitted to partly observed data (mixture's
// Options.Missing) and of Gaussian-mixture regression (Model.Regress).

// GMMFitImputed is GMMFit for rows with missing values (NaN cells): each
// missing cell is replaced by its conditional mean under m
// (Model.Impute), the completed rows are drawn as GMMFit draws them, and
// the points with an imputed coordinate are marked with a black ring (in
// a pairs view, in the panels of the coordinates that were imputed), with
// a legend entry. Without a NaN it is GMMFit.
//
// It returns an error as GMMFit does, and for an infinity or a row that
// Impute refuses.
func GMMFitImputed(x mat.Matrix, m *mixture.Model, opts GMMOptions) (Figure, error) {
	if m == nil || m.K() == 0 {
		return nil, fmt.Errorf("plots: mixture chart of an unfitted model: %w", ErrNoData)
	}
	n, d := x.Dims()
	if d != m.Dim() {
		return nil, fmt.Errorf("plots: mixture chart: the data have %d columns, the model %d features", d, m.Dim())
	}
	miss := make([][]bool, n)
	holes := false
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			v := x.At(i, j)
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: mixture data: row %d, column %d: %w", i, j, ErrInf)
			}
			if math.IsNaN(v) {
				if miss[i] == nil {
					miss[i] = make([]bool, d)
				}
				miss[i][j] = true
				holes = true
			}
		}
	}
	if !holes {
		return GMMFit(x, m, opts)
	}
	filled, err := m.Impute(nil, nil, x)
	if err != nil {
		return nil, err
	}
	fig, err := GMMFit(filled, m, opts)
	if err != nil {
		return nil, err
	}
	mark := func(p *plot.Plot, cx, cy int, legend bool) error {
		var pts plotter.XYs
		for i, mr := range miss {
			if mr != nil && (mr[cx] || mr[cy]) {
				pts = append(pts, plotter.XY{X: filled.At(i, cx), Y: filled.At(i, cy)})
			}
		}
		if len(pts) == 0 {
			return nil
		}
		if opts.MaxPoints > 0 && len(pts) > opts.MaxPoints {
			pts = pts[:opts.MaxPoints]
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: Color(6), Shape: draw.RingGlyph{}, Radius: vg.Points(4)}
		p.Add(s)
		if legend {
			p.Legend.Add("imputed (conditional mean)", s)
		}
		return nil
	}
	switch f := fig.(type) {
	case *plot.Plot:
		if err := mark(f, 0, 1, true); err != nil {
			return nil, err
		}
	case *Grid:
		for r := 0; r < d; r++ {
			for c := 0; c < d; c++ {
				if r != c {
					if err := mark(f.At(r, c), c, r, false); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return fig, nil
}

// GMROptions are the options of GMR. The zero value draws the band
// mean ± 2 sd over 200 points spanning the data.
type GMROptions struct {
	// Title is drawn above the chart; XLabel and YLabel label the axes
	// ("" means the model's feature names).
	Title, XLabel, YLabel string
	// K is the half-width of the band in conditional standard
	// deviations; 0 means 2.
	K float64
	// Points is the number of x values of the curve; 0 means 200.
	Points int
	// Lo and Hi bound the curve's x range; both 0 means the data's range
	// (padded by 5%), or μ ± 3σ of the given coordinate's marginal when no
	// data are drawn.
	Lo, Hi float64
	// MaxPoints is the most data points drawn (see Scatter).
	MaxPoints int
}

// GMR returns the chart of Gaussian-mixture regression of coordinate
// target on coordinate given of m: the conditional mean E[x_target |
// x_given = v] (Model.Regress, the other coordinates marginalised) as a
// line over v, in a translucent band of ± K conditional standard
// deviations, over the data's points (x[:, given], x[:, target]) when x
// is not nil. It returns an error for a zero model, coordinates out of
// range or equal, x of other than D columns or with a non-finite value,
// and as Regress.
func GMR(m *mixture.Model, given, target int, x mat.Matrix, opts GMROptions) (*plot.Plot, error) {
	if m == nil || m.K() == 0 {
		return nil, fmt.Errorf("plots: regression chart of an unfitted model: %w", ErrNoData)
	}
	d := m.Dim()
	if given < 0 || given >= d || target < 0 || target >= d || given == target {
		return nil, fmt.Errorf("plots: regression chart: coordinates %d (given) and %d (target) of a %d-dimensional model", given, target, d)
	}
	names := GMMOptions{}.names(m)
	if opts.XLabel == "" {
		opts.XLabel = names[given]
	}
	if opts.YLabel == "" {
		opts.YLabel = names[target]
	}
	k := opts.K
	if k == 0 {
		k = 2
	}
	npts := opts.Points
	if npts == 0 {
		npts = 200
	}
	if npts < 2 {
		return nil, fmt.Errorf("plots: regression chart: %d points on the curve; give at least 2", npts)
	}
	lo, hi := opts.Lo, opts.Hi
	var xs, ys []float64
	if x != nil {
		n, c := x.Dims()
		if c != d {
			return nil, fmt.Errorf("plots: regression chart: the data have %d columns, the model %d features", c, d)
		}
		if err := checkMatrix("regression data", x); err != nil {
			return nil, err
		}
		xs, ys = make([]float64, n), make([]float64, n)
		for i := 0; i < n; i++ {
			xs[i], ys[i] = x.At(i, given), x.At(i, target)
		}
	}
	if lo == 0 && hi == 0 {
		if xs != nil && len(xs) > 0 {
			lo, hi = math.Inf(1), math.Inf(-1)
			for _, v := range xs {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			pad := 0.05 * (hi - lo)
			if pad == 0 {
				pad = 1
			}
			lo, hi = lo-pad, hi+pad
		} else {
			mu, sd := marginal1(m, given)
			lo, hi = mu-3*sd, mu+3*sd
		}
	}
	if !(lo < hi) {
		return nil, fmt.Errorf("plots: regression chart: x range [%v, %v] is empty", lo, hi)
	}
	grid := Linspace(lo, hi, npts)
	mean := mat.NewDense(npts, d-1, nil)
	sd := mat.NewDense(npts, d-1, nil)
	if _, err := m.Regress(mean, sd, []int{given}, mat.NewDense(npts, 1, grid)); err != nil {
		return nil, err
	}
	col := target
	if target > given {
		col-- // Regress's columns are the coordinates not given, in order
	}
	mv, sv := mat.Col(nil, col, mean), mat.Col(nil, col, sd)
	p := New(opts.Title, opts.XLabel, opts.YLabel)
	if xs != nil {
		pts := make(plotter.XYs, 0, len(xs))
		for i := range xs {
			if opts.MaxPoints > 0 && len(pts) >= opts.MaxPoints {
				break
			}
			pts = append(pts, plotter.XY{X: xs[i], Y: ys[i]})
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: Translucent(Color(6), 0.35), Shape: draw.CircleGlyph{}, Radius: vg.Points(1.5)}
		p.Add(s)
		p.Legend.Add("data", s)
	}
	band, err := NewSpreadBand(grid, mv, sv, k)
	if err != nil {
		return nil, err
	}
	band.FillColor = Translucent(Color(0), bandAlpha)
	line, err := plotter.NewLine(xyOf(grid, mv))
	if err != nil {
		return nil, err
	}
	line.LineStyle = LineStyle(0)
	p.Add(band, line)
	p.Legend.Add("E[y | x], the GMR mean", line)
	p.Legend.Add(fmt.Sprintf("± %g conditional sd", k), band)
	LegendOutside(p)
	return p, nil
}

// marginal1 returns the mean and standard deviation of coordinate j under
// the mixture.
func marginal1(m *mixture.Model, j int) (float64, float64) {
	w := m.Weights(nil)
	means := m.Means(nil)
	mu := 0.0
	for k := range w {
		mu += w[k] * means.At(k, j)
	}
	v := 0.0
	for k := range w {
		dm := means.At(k, j) - mu
		v += w[k] * (m.Covariance(nil, k).At(j, j) + dm*dm)
	}
	return mu, math.Sqrt(v)
}

func xyOf(x, y []float64) plotter.XYs {
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return pts
}
