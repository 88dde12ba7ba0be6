package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/latentgo/latent/mixture"
)

// GMMBootstrap returns the chart of a mixture bootstrap's replicates
// (mixture.Bootstrap, mclust's plot.MclustBootstrap): one panel for the
// weights, one per feature for the means and one per feature for the
// variances, each with every component's histogram of its replicates in
// the component's colour (density-scaled, translucent), a solid line at
// the fitted value and dashed lines at the interval's ends. A covariance
// the components share (tied) is drawn once, in grey. Up to three panels
// per row.
//
// It returns an error wrapping ErrNoData for a report without replicates,
// ErrNaN or ErrInf for a non-finite replicate, and for more than
// MaxGroups components.
func GMMBootstrap(rep *mixture.BootstrapReport) (*Grid, error) {
	if rep == nil || len(rep.Replicates) == 0 {
		return nil, fmt.Errorf("plots: bootstrap chart: %w", ErrNoData)
	}
	k, d := rep.K, rep.Dim
	if k > MaxGroups {
		return nil, fmt.Errorf("plots: bootstrap chart: %d components; at most %d can be told apart", k, MaxGroups)
	}
	cols := rep.Columns
	for j := len(cols); j < d; j++ {
		cols = append(cols, fmt.Sprintf("x%d", j+1))
	}
	shared := true
	for c := 1; c < k; c++ {
		for j := 0; j < d; j++ {
			if rep.Fitted.Covariances[c][j][j] != rep.Fitted.Covariances[0][j][j] {
				shared = false
			}
		}
	}
	shared = shared && k > 1
	type panel struct {
		title string
		get   func(p *mixture.ParameterSet, c int) float64
	}
	panels := []panel{{"weights", func(p *mixture.ParameterSet, c int) float64 { return p.Weights[c] }}}
	for j := 0; j < d; j++ {
		panels = append(panels, panel{"mean " + cols[j], func(p *mixture.ParameterSet, c int) float64 { return p.Means[c][j] }})
	}
	for j := 0; j < d; j++ {
		panels = append(panels, panel{"variance " + cols[j], func(p *mixture.ParameterSet, c int) float64 { return p.Covariances[c][j][j] }})
	}
	ncol := min(3, len(panels))
	g := NewGrid((len(panels)+ncol-1)/ncol, ncol)
	g.Title = fmt.Sprintf("%s: %d replicates, %s, K = %d", bootTitle(rep.Type), len(rep.Replicates), rep.Covariance, k)
	vals := make([]float64, len(rep.Replicates))
	for i, pn := range panels {
		p := g.At(i/ncol, i%ncol)
		p.Title.Text = pn.title
		p.Y.Label.Text = "density"
		variance := i > d
		for c := 0; c < k; c++ {
			if variance && shared && c > 0 {
				continue
			}
			for b := range rep.Replicates {
				vals[b] = pn.get(&rep.Replicates[b].Parameters, c)
			}
			if err := checkFinite(fmt.Sprintf("bootstrap replicates of %s, component %d", pn.title, c), vals); err != nil {
				return nil, err
			}
			col := Color(c)
			if variance && shared {
				col = histFill
			}
			h := histogramOf(vals, 0, true)
			h.FillColor = Translucent(col, 0.45)
			h.LineStyle = draw.LineStyle{Color: Translucent(col, 0.9), Width: vg.Points(0.5)}
			p.Add(h)
			top := 0.0
			for _, bin := range h.Bins {
				top = math.Max(top, bin.Weight)
			}
			for _, v := range []struct {
				x      float64
				dashes []vg.Length
			}{
				{pn.get(&rep.Fitted, c), nil},
				{pn.get(&rep.Lower, c), []vg.Length{vg.Points(3), vg.Points(2)}},
				{pn.get(&rep.Upper, c), []vg.Length{vg.Points(3), vg.Points(2)}},
			} {
				l, err := plotter.NewLine(plotter.XYs{{X: v.x, Y: 0}, {X: v.x, Y: 1.05 * top}})
				if err != nil {
					return nil, err
				}
				l.LineStyle = draw.LineStyle{Color: darker(col), Width: vg.Points(1.2), Dashes: v.dashes}
				p.Add(l)
				if i == 0 && v.dashes == nil {
					p.Legend.Add(fmt.Sprintf("component %d", c), h)
				}
			}
		}
		if i == 0 {
			p.Legend.Top = true
			p.Legend.TextStyle.Font.Size = vg.Points(7)
		}
	}
	for i := len(panels); i < len(g.Plots)*ncol; i++ {
		g.Plots[i/ncol][i%ncol] = nil
	}
	return g, nil
}

// darker returns c at full opacity, for lines over its translucent fill.
func darker(c color.Color) color.Color { return Translucent(c, 1) }

func bootTitle(t mixture.BootstrapType) string {
	switch t {
	case mixture.WeightedLikelihood:
		return "Weighted likelihood bootstrap"
	case mixture.Parametric:
		return "Parametric bootstrap"
	case mixture.Jackknife:
		return "Jackknife"
	}
	return "Nonparametric bootstrap"
}

// GMMBootstrapLRT returns the chart of a bootstrap likelihood ratio test
// for the number of components (mixture.BootstrapLRT, mclust's
// plot.mclustBootstrapLRT): per test of K vs K + 1, the histogram of the
// bootstrap statistics under H0 and a line at the observed statistic,
// with the p-value in the panel's title. Up to three panels per row.
//
// It returns an error wrapping ErrNoData for a report without tests, and
// ErrNaN or ErrInf for a non-finite statistic.
func GMMBootstrapLRT(rep *mixture.LRTReport) (Figure, error) {
	if rep == nil || len(rep.Tests) == 0 {
		return nil, fmt.Errorf("plots: LRT chart: %w", ErrNoData)
	}
	n := len(rep.Tests)
	ncol := min(3, n)
	build := func(p *plot.Plot, t mixture.LRTTest) error {
		if err := checkFinite(fmt.Sprintf("bootstrap LRTS of %d vs %d", t.K, t.K+1), t.Boot); err != nil {
			return err
		}
		if err := checkFinite("observed LRTS", []float64{t.Statistic}); err != nil {
			return err
		}
		p.Title.Text = fmt.Sprintf("%d vs %d: p = %.3g", t.K, t.K+1, t.PValue)
		p.X.Label.Text = "LRTS"
		p.Y.Label.Text = "density"
		h := histogramOf(t.Boot, 0, true)
		p.Add(h)
		top := 0.0
		for _, bin := range h.Bins {
			top = math.Max(top, bin.Weight)
		}
		l, err := plotter.NewLine(plotter.XYs{{X: t.Statistic, Y: 0}, {X: t.Statistic, Y: 1.05 * top}})
		if err != nil {
			return err
		}
		l.LineStyle = draw.LineStyle{Color: Color(2), Width: vg.Points(2), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}
		p.Add(l)
		p.Legend.Add("bootstrap under H0", h)
		p.Legend.Add("observed", l)
		p.Legend.Top = true
		p.Legend.TextStyle.Font.Size = vg.Points(7)
		return nil
	}
	title := fmt.Sprintf("Bootstrap LRT for the number of components, %s, %d replicates", rep.Covariance, rep.NBoot)
	if n == 1 {
		p := New(title, "", "")
		if err := build(p, rep.Tests[0]); err != nil {
			return nil, err
		}
		p.Title.Text = strings.Replace(title, ", ", fmt.Sprintf(", %s components, %s, ", strings.SplitN(p.Title.Text, ":", 2)[0], strings.TrimSpace(strings.SplitN(p.Title.Text, ":", 2)[1])), 1)
		return p, nil
	}
	g := NewGrid((n+ncol-1)/ncol, ncol)
	g.Title = title
	for i, t := range rep.Tests {
		if err := build(g.At(i/ncol, i%ncol), t); err != nil {
			return nil, err
		}
	}
	for i := n; i < len(g.Plots)*ncol; i++ {
		g.Plots[i/ncol][i%ncol] = nil
	}
	return g, nil
}
