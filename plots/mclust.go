package plots

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/latentgo/latent/mixture"
)

// The charts of R's mclust (plot.Mclust, plot.mclustBIC; Scrucca et al.
// 2016): the BIC of every model against K, the classification with the
// components' ellipses, and the classification uncertainty.

// MclustBIC returns mclust's BIC chart of a selection: mclust's criterion
// (2 log L − p ln n, higher is better; the ICL with Criterion ICL) against
// K, one line per covariance model with its own colour and marker, the
// chosen cell ringed. A failed cell (mclust's NA) is a gap in its line.
func MclustBIC(sel *mixture.Selection) (*plot.Plot, error) {
	if sel == nil || len(sel.Candidates) == 0 {
		return nil, fmt.Errorf("plots: mclust BIC chart: %w", ErrNoData)
	}
	crit, val := "BIC", func(c mixture.Candidate) float64 { return c.MclustBIC }
	if sel.Criterion == mixture.ICL {
		crit, val = "ICL", func(c mixture.Candidate) float64 { return c.MclustICL }
	}
	p := New(crit+" of every model (mclust's sign)", "number of components", crit+" (higher is better)")
	var models []string
	for _, c := range sel.Candidates {
		if !slices.Contains(models, c.Model) {
			models = append(models, c.Model)
		}
	}
	drawn := false
	for i, name := range models {
		// Runs of successful cells, so that a failed K breaks the line.
		var runs [][2][]float64
		var xs, ys []float64
		flush := func() {
			if len(xs) > 0 {
				runs = append(runs, [2][]float64{xs, ys})
			}
			xs, ys = nil, nil
		}
		for _, c := range sel.Candidates {
			if c.Model != name {
				continue
			}
			if c.Status == "failed" {
				flush()
				continue
			}
			xs = append(xs, float64(c.K))
			ys = append(ys, val(c))
		}
		flush()
		for r, run := range runs {
			s := Series{X: run[0], Y: run[1]}
			if r == 0 {
				s.Name = name
			}
			if err := s.check(i, false, false); err != nil {
				return nil, err
			}
			_, pts := addLine(p, s, i, true, 0)
			if pts != nil {
				pts.GlyphStyle = GlyphStyle(i)
			}
			drawn = true
		}
	}
	if !drawn {
		return nil, fmt.Errorf("plots: mclust BIC chart: every fit failed: %w", ErrNoData)
	}
	if sel.Best >= 0 {
		b := sel.Candidates[sel.Best]
		ring, err := plotter.NewScatter(plotter.XYs{{X: float64(b.K), Y: val(b)}})
		if err != nil {
			return nil, err
		}
		ring.GlyphStyle = draw.GlyphStyle{Color: Color(6), Shape: draw.RingGlyph{}, Radius: vg.Points(8)}
		p.Add(ring)
		p.Legend.Add(fmt.Sprintf("best: %s,%d", b.Model, b.K), ring)
	}
	p.X.Tick.Marker = integerTicks{}
	LegendOutside(p)
	return p, nil
}

// MclustClassification returns mclust's classification chart: the rows
// coloured and marked by their most probable component, each component's
// ellipse holding opts.Coverage of its probability and its mean, without
// the density's contours (GMMFit with NoContours); a pairs view for more
// than two features.
func MclustClassification(x mat.Matrix, m *mixture.Model, opts GMMOptions) (Figure, error) {
	opts.NoContours = true
	if opts.Title == "" {
		opts.Title = "Classification"
	}
	return GMMFit(x, m, opts)
}

// Uncertainty radii: a point's marker grows from uncertaintyMin points
// (certain) to uncertaintyMax (the largest uncertainty possible, 1 − 1/K).
const (
	uncertaintyMin = 1.0
	uncertaintyMax = 6.0
)

// MclustUncertainty returns mclust's uncertainty chart: every row in the
// colour of its most probable component, the marker's size growing with
// its classification uncertainty 1 − max_k p(k | x) (mclust's
// uncertainty; a linear scale from certain to 1 − 1/K), the components'
// ellipses over them. For more than two features it draws the first two,
// or the pair opts.Names names first. One feature is refused.
func MclustUncertainty(x mat.Matrix, m *mixture.Model, opts GMMOptions) (*plot.Plot, error) {
	if m == nil || m.K() == 0 {
		return nil, fmt.Errorf("plots: uncertainty chart of an unfitted model: %w", ErrNoData)
	}
	n, d := x.Dims()
	if d != m.Dim() {
		return nil, fmt.Errorf("plots: uncertainty chart: the data have %d columns, the model %d features", d, m.Dim())
	}
	if d < 2 {
		return nil, fmt.Errorf("plots: uncertainty chart: it needs two features; the model has %d", d)
	}
	if err := checkMatrix("mixture data", x); err != nil {
		return nil, err
	}
	if m.K() > MaxGroups {
		return nil, fmt.Errorf("plots: uncertainty chart: %d components; at most %d can be told apart", m.K(), MaxGroups)
	}
	if n == 0 {
		return nil, fmt.Errorf("plots: uncertainty chart: %w", ErrNoData)
	}
	proba, err := m.PredictProba(nil, x)
	if err != nil {
		return nil, err
	}
	unc := mixture.UncertaintyOf(nil, proba)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = argmaxRow(proba.RawRowView(i))
	}
	names := opts.names(m)
	title := opts.Title
	if title == "" {
		title = "Classification uncertainty"
	}
	p := New(title, names[0], names[1])
	top := 1 - 1/float64(m.K())
	if top <= 0 {
		top = 1
	}
	comps := componentNames(m)
	for k := 0; k < m.K(); k++ {
		var xy plotter.XYs
		var r []float64
		for i := 0; i < n; i++ {
			if labels[i] == k {
				xy = append(xy, plotter.XY{X: x.At(i, 0), Y: x.At(i, 1)})
				r = append(r, uncertaintyRadius(unc[i], top))
			}
		}
		if len(xy) == 0 {
			continue
		}
		s, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		col := Color(k)
		s.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			return draw.GlyphStyle{Color: col, Shape: draw.CircleGlyph{}, Radius: vg.Points(r[i])}
		}
		s.GlyphStyle = draw.GlyphStyle{Color: col, Shape: draw.CircleGlyph{}, Radius: vg.Points(3)}
		p.Add(s)
		p.Legend.Add(comps[k], s)
	}
	means := m.Means(nil)
	for k := 0; k < m.K(); k++ {
		mu, cv := Marginal2(means.RawRowView(k), m.Covariance(nil, k), 0, 1)
		if err := addComponentEllipse(p, mu, cv, opts.coverage(), k, k == 0); err != nil {
			return nil, err
		}
	}
	p.Legend.Add(fmt.Sprintf("marker size: uncertainty 0 … %.2g", top))
	LegendOutside(p)
	return p, nil
}

// uncertaintyRadius is the marker radius, in points, of uncertainty u when
// the largest possible is top: linear from uncertaintyMin to
// uncertaintyMax.
func uncertaintyRadius(u, top float64) float64 {
	return uncertaintyMin + (uncertaintyMax-uncertaintyMin)*math.Min(math.Max(u/top, 0), 1)
}

func argmaxRow(v []float64) int {
	b := 0
	for i, x := range v {
		if x > v[b] {
			b = i
		}
	}
	return b
}
