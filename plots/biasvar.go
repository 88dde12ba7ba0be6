package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/latentgo/latent/biasvar"
)

// Scale chooses an axis scale of the bias–variance charts.
type Scale int

const (
	// AutoScale (the zero value) picks a log scale when the positive
	// values span more than MaxLinearSpan (a double-descent peak), a
	// linear one otherwise.
	AutoScale Scale = iota
	// LinearScale forces a linear axis.
	LinearScale
	// LogScale forces a log axis.
	LogScale
)

// MaxLinearSpan is the ratio max/min of positive values beyond which
// AutoScale draws a log axis.
const MaxLinearSpan = 1000

// BiasVarianceOptions are the options of the bias–variance charts. The
// zero value titles the chart from the report and picks the scales.
type BiasVarianceOptions struct {
	// Title titles the chart; "" makes one from the report.
	Title string
	// XScale and YScale choose the axes' scales (sweeps only).
	XScale, YScale Scale
}

// sweepTerms are the terms a sweep chart shows, by report kind, in the
// order drawn: the error first.
func sweepTerms(r *biasvar.Report) []string {
	switch {
	case r.Mode == biasvar.ModeBootstrap && r.Loss == biasvar.Squared:
		return []string{"error", "bias2_plus_noise", "variance"}
	case r.Mode == biasvar.ModeBootstrap:
		return []string{"error", "bias", "variance"}
	case r.Loss == biasvar.ZeroOne:
		return []string{"error", "noise_term", "bias", "net_variance"}
	case r.Loss == biasvar.LogLoss:
		return []string{"error", "noise", "bias", "variance"}
	}
	return []string{"error", "noise", "bias2", "variance"}
}

func useLog(s Scale, values []float64) bool {
	switch s {
	case LinearScale:
		return false
	case LogScale:
		return true
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if v <= 0 {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return hi/lo > MaxLinearSpan
}

// BiasVarianceSweep draws a sweep: each term of the decomposition (error,
// noise, bias², variance for the squared loss; the report's own terms for
// the others) against the knob, with ±1 standard-error bars. Settings that
// failed are left out. On a log y axis, points at or below 0 (a corrected
// bias² can be slightly negative) are left out and error bars are cut at
// the axis; the caption should say so.
func BiasVarianceSweep(s *biasvar.SweepReport, opts BiasVarianceOptions) (*plot.Plot, error) {
	var first *biasvar.Report
	for _, p := range s.Points {
		if p.Report != nil {
			first = p.Report
			break
		}
	}
	if first == nil {
		return nil, fmt.Errorf("plots: bias–variance sweep over %q: no setting succeeded: %w", s.Param, ErrNoData)
	}
	keys := sweepTerms(first)
	type col struct {
		label    string
		x, m, sd []float64
		exact    bool
	}
	cols := make([]col, len(keys))
	var all, xs []float64
	for _, p := range s.Points {
		if p.Report == nil {
			continue
		}
		xs = append(xs, p.Value)
		for _, t := range p.Report.Terms() {
			for k, key := range keys {
				if t.Key == key {
					c := &cols[k]
					c.label, c.exact = t.Label, t.Exact
					c.x, c.m = append(c.x, p.Value), append(c.m, t.Value.Value)
					se := t.Value.StdErr
					if math.IsNaN(se) || t.Exact {
						se = 0
					}
					c.sd = append(c.sd, se)
					all = append(all, t.Value.Value)
				}
			}
		}
	}
	logY := useLog(opts.YScale, all)
	logX := useLog(opts.XScale, xs)
	title := opts.Title
	if title == "" {
		title = fmt.Sprintf("%s: decomposition against %s", first.Problem, s.Param)
	}
	var series []BandSeries
	for _, c := range cols {
		bs := BandSeries{Name: c.label, Spread: SpreadBars}
		for i := range c.x {
			m, sd := c.m[i], c.sd[i]
			if logY {
				if m <= 0 {
					continue
				}
				sd = math.Min(sd, 0.9*m) // cut the bar at the axis
			}
			bs.X, bs.Mean, bs.SD = append(bs.X, c.x[i]), append(bs.Mean, m), append(bs.SD, sd)
		}
		if c.exact {
			bs.SD, bs.Spread = nil, SpreadNone
		}
		if len(bs.Mean) > 0 {
			series = append(series, bs)
		}
	}
	ylabel := string(first.Loss) + " loss"
	if first.Loss == biasvar.Squared {
		ylabel = "squared error"
	}
	return Bands(series, BandOptions{Title: title, XLabel: s.Param, YLabel: ylabel + " (± 1 s.e.)", LogX: logX, LogY: logY})
}

// BiasVarianceFit draws the per-point view of a report with one input:
// the true f (or, in bootstrap mode, the test targets as points), the mean
// prediction with a band of ±1 standard deviation of the single
// predictions, and the first few single fits.
func BiasVarianceFit(r *biasvar.Report, opts BiasVarianceOptions) (*plot.Plot, error) {
	m := len(r.X)
	if m == 0 || len(r.MeanPrediction) != m {
		return nil, fmt.Errorf("plots: bias–variance fit of %s: no per-point predictions (squared loss only): %w", r.Learner, ErrNoData)
	}
	if len(r.X[0]) != 1 {
		return nil, fmt.Errorf("plots: bias–variance fit of %s: %d inputs; this view needs one", r.Learner, len(r.X[0]))
	}
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return r.X[order[a]][0] < r.X[order[b]][0] })
	pick := func(v []float64) []float64 {
		out := make([]float64, m)
		for k, i := range order {
			out[k] = v[i]
		}
		return out
	}
	x := make([]float64, m)
	for k, i := range order {
		x[k] = r.X[i][0]
	}
	title := opts.Title
	if title == "" {
		title = fmt.Sprintf("%s on %s: %d fits", r.Learner, r.Problem, r.Rounds.Succeeded)
	}
	p := New(title, "x", "y")
	band, err := NewSpreadBand(x, pick(r.MeanPrediction), pick(r.SDPrediction), 1)
	if err != nil {
		return nil, err
	}
	// The mean prediction, its band and the single fits share one colour
	// (Color(1)); the truth keeps Color(0).
	band.FillColor = Translucent(Color(1), bandAlpha)
	p.Add(band)
	p.Legend.Add("mean ± 1 sd", band)
	for k, f := range r.Fits {
		l, _, err := AddLine(p, Series{X: x, Y: pick(f)}, 1)
		if err != nil {
			return nil, err
		}
		l.LineStyle.Width = vg.Points(0.5)
		l.LineStyle.Color = Translucent(color.Gray{Y: 90}, 0.7)
		if k == 0 {
			p.Legend.Add("single fits", l)
		}
	}
	if _, _, err := AddLine(p, Series{Name: "mean prediction", X: x, Y: pick(r.MeanPrediction)}, 1); err != nil {
		return nil, err
	}
	if r.F != nil {
		if _, _, err := AddLine(p, Series{Name: "true f", X: x, Y: pick(r.F)}, 0); err != nil {
			return nil, err
		}
	} else if r.Target != nil {
		pts := make(plotter.XYs, m)
		for k := range pts {
			pts[k].X, pts[k].Y = x[k], r.Target[order[k]]
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = GlyphStyle(0)
		p.Add(sc)
		p.Legend.Add("test targets", sc)
	}
	LegendOutside(p)
	return p, nil
}

// gridXYZ is one term of a GridReport as a heat map's grid: column c is
// the knob's value c, row r the training-set size r (cell centres at the
// indices; the ticks name the values).
type gridXYZ struct{ z [][]float64 }

func (g gridXYZ) Dims() (c, r int)   { return len(g.z[0]), len(g.z) }
func (g gridXYZ) Z(c, r int) float64 { return g.z[r][c] }
func (g gridXYZ) X(c int) float64    { return float64(c) }
func (g gridXYZ) Y(r int) float64    { return float64(r) }

type indexTicks []string

func (t indexTicks) Ticks(_, _ float64) []plot.Tick {
	step := max(1, len(t)/8)
	var out []plot.Tick
	for i, s := range t {
		if i%step == 0 {
			out = append(out, plot.Tick{Value: float64(i), Label: s})
		}
	}
	return out
}

// GridTerms are the terms BiasVarianceGrid draws for a grid of the given
// loss (the noise does not vary over the grid and is left out).
func GridTerms(loss biasvar.Loss) []string {
	switch loss {
	case biasvar.ZeroOne:
		return []string{"error", "bias", "net_variance"}
	case biasvar.LogLoss:
		return []string{"error", "bias", "variance"}
	}
	return []string{"error", "bias2", "variance"}
}

// BiasVarianceGrid draws one term of a grid (n_train × knob) as a heat
// map: the knob across, the training-set size up, the term's value in
// colour (Moreland's cool–warm scale from its minimum to its maximum),
// failed settings in grey.
func BiasVarianceGrid(g *biasvar.GridReport, key string, opts BiasVarianceOptions) (*plot.Plot, error) {
	z := g.Term(key)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range z {
		for _, v := range row {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if len(z) == 0 || len(z[0]) == 0 || lo > hi {
		return nil, fmt.Errorf("plots: bias–variance grid, term %q: no setting has it: %w", key, ErrNoData)
	}
	if hi == lo {
		hi = lo + 1
	}
	pal := moreland.SmoothBlueRed()
	pal.SetMin(lo)
	pal.SetMax(hi)
	h := plotter.NewHeatMap(gridXYZ{z}, pal.Palette(64))
	h.Min, h.Max = lo, hi
	h.NaN = color.Gray{Y: 200}
	p := plot.New()
	p.Title.Text = opts.Title
	if p.Title.Text == "" {
		p.Title.Text = fmt.Sprintf("%s over n_train × %s (from %.3g to %.3g)", key, g.Param, lo, hi)
	}
	xs := make(indexTicks, len(g.Values))
	for i, v := range g.Values {
		xs[i] = fmt.Sprintf("%g", v)
	}
	ys := make(indexTicks, len(g.NTrain))
	for i, n := range g.NTrain {
		ys[i] = fmt.Sprint(n)
	}
	p.X.Label.Text, p.Y.Label.Text = g.Param, "n_train"
	p.X.Tick.Marker, p.Y.Tick.Marker = xs, ys
	p.Add(h)
	p.X.Min, p.X.Max = -0.5, float64(len(xs))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(ys))-0.5
	return p, nil
}

// DensitySweep draws the decomposition of a density estimator's log-loss
// against K (error − noise, bias, variance, ± 1 standard error; the noise,
// the truth's entropy, is in the title) with a dashed line at BIC's most
// frequent choice per training set.
func DensitySweep(s *biasvar.DensitySweep, opts BiasVarianceOptions) (*plot.Plot, error) {
	type col struct {
		label string
		get   func(*biasvar.DensityReport) biasvar.Estimate
	}
	cols := []col{
		{"error − noise", func(r *biasvar.DensityReport) biasvar.Estimate {
			return biasvar.Estimate{Value: r.Error.Value - r.Noise.Value, StdErr: r.Error.StdErr}
		}},
		{"bias KL(p‖q̄)", func(r *biasvar.DensityReport) biasvar.Estimate { return r.Bias }},
		{"variance −log Z", func(r *biasvar.DensityReport) biasvar.Estimate { return r.Variance }},
	}
	p := plot.New()
	var noise float64
	hi := 0.0
	for ci, c := range cols {
		var pts plotter.XYs
		var errs plotter.YErrors
		for _, pt := range s.Points {
			if pt.Report == nil {
				continue
			}
			e := c.get(pt.Report)
			noise = pt.Report.Noise.Value
			pts = append(pts, plotter.XY{X: float64(pt.K), Y: e.Value})
			se := e.StdErr
			if math.IsNaN(se) {
				se = 0
			}
			errs = append(errs, struct{ Low, High float64 }{se, se})
			hi = math.Max(hi, e.Value+se)
		}
		if len(pts) == 0 {
			return nil, fmt.Errorf("plots: density sweep: no K succeeded: %w", ErrNoData)
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = plotutilColor(ci)
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{pts, errs})
		if err != nil {
			return nil, err
		}
		eb.Color = l.Color
		p.Add(l, eb)
		p.Legend.Add(c.label, l)
	}
	if s.BICModeK > 0 {
		v, err := plotter.NewLine(plotter.XYs{{X: float64(s.BICModeK), Y: 0}, {X: float64(s.BICModeK), Y: hi}})
		if err != nil {
			return nil, err
		}
		v.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		v.Color = color.Gray{Y: 90}
		p.Add(v)
		p.Legend.Add(fmt.Sprintf("BIC's choice (K = %d)", s.BICModeK), v)
	}
	p.Title.Text = opts.Title
	if p.Title.Text == "" {
		p.Title.Text = fmt.Sprintf("%s, n = %d: log-loss above the entropy %.4f nats", s.Problem, s.NTrain, noise)
	}
	p.X.Label.Text, p.Y.Label.Text = "K (components)", "nats (± 1 s.e.)"
	p.Legend.Top = true
	return p, nil
}

func plotutilColor(i int) color.Color {
	c := []color.Color{color.RGBA{0, 90, 181, 255}, color.RGBA{0, 150, 100, 255}, color.RGBA{200, 90, 0, 255}}
	return c[i%len(c)]
}
