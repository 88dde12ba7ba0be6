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

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
)

// GMMOptions are the options of GMMFit and GMMDensity1D. The zero value
// draws 95% ellipses and the density's contours on a 100 × 100 lattice.
type GMMOptions struct {
	// Title is drawn above the chart.
	Title string
	// Names label the features; nil means the model's feature names, or
	// x1, x2, ….
	Names []string
	// Coverage is the probability each component's ellipse holds: the
	// ellipse {x : (x − μ)ᵀ Σ⁻¹ (x − μ) ≤ r²} with r² the Coverage quantile
	// of χ² with 2 degrees of freedom, −2 ln(1 − Coverage). 0 means 0.95.
	Coverage float64
	// NoContours leaves out the contour lines of the log density (D = 2).
	NoContours bool
	// Lattice is the number of points per axis at which the density is
	// evaluated for the contours; 0 means 100.
	Lattice int
	// MaxPoints is the most points drawn (see Scatter).
	MaxPoints int
}

func (o GMMOptions) coverage() float64 {
	if o.Coverage == 0 {
		return 0.95
	}
	return o.Coverage
}

func (o GMMOptions) names(m *mixture.Model) []string {
	names := slices.Clone(o.Names)
	if names == nil {
		names = m.FeatureNames()
	}
	for j := len(names); j < m.Dim(); j++ {
		names = append(names, fmt.Sprintf("x%d", j+1))
	}
	return names
}

// componentNames are the legend entries of the components.
func componentNames(m *mixture.Model) []string {
	w := m.Weights(nil)
	names := make([]string, m.K())
	for k := range names {
		names[k] = fmt.Sprintf("component %d (%.0f%%)", k, 100*w[k])
	}
	return names
}

// GMMFit returns the chart of the mixture m fitted to the rows of x. For
// two features: the rows coloured by their most probable component
// (m.Predict), each component's covariance ellipse holding
// opts.Coverage of its probability in its colour, and the contour lines
// of the mixture's log density, log p(x) = log Σ_k π_k N(x | μ_k, Σ_k).
// For more features: a pairs view (Pairs) with each component's ellipse
// of every two-dimensional marginal. For one feature: GMMDensity1D.
//
// It returns an error when x's columns are not the model's, when x holds
// NaN or infinity, for more than MaxGroups components or MaxPairs
// features, and as the builders it uses.
func GMMFit(x mat.Matrix, m *mixture.Model, opts GMMOptions) (Figure, error) {
	if m == nil || m.K() == 0 {
		return nil, fmt.Errorf("plots: mixture chart of an unfitted model: %w", ErrNoData)
	}
	n, d := x.Dims()
	if d != m.Dim() {
		return nil, fmt.Errorf("plots: mixture chart: the data have %d columns, the model %d features", d, m.Dim())
	}
	if err := checkMatrix("mixture data", x); err != nil {
		return nil, err
	}
	if m.K() > MaxGroups {
		return nil, fmt.Errorf("plots: mixture chart: %d components; at most %d can be told apart", m.K(), MaxGroups)
	}
	if d == 1 {
		return GMMDensity1D(mat.Col(nil, 0, x), m, 0, opts)
	}
	labels, err := m.Predict(make([]int, n), x)
	if err != nil {
		return nil, err
	}
	names := opts.names(m)
	comps := componentNames(m)
	means := m.Means(nil)
	cover := opts.coverage()
	if d > 2 {
		g, err := Pairs(x, labels, PairsOptions{Title: opts.Title, Names: names, GroupNames: comps, MaxPoints: opts.MaxPoints})
		if err != nil {
			return nil, err
		}
		for r := 0; r < d; r++ {
			for c := 0; c < d; c++ {
				if r == c {
					continue
				}
				for k := 0; k < m.K(); k++ {
					mu, cv := Marginal2(means.RawRowView(k), m.Covariance(nil, k), c, r)
					if err := addComponentEllipse(g.At(r, c), mu, cv, cover, k, false); err != nil {
						return nil, err
					}
				}
			}
		}
		return g, nil
	}
	p := New(opts.Title, names[0], names[1])
	if !opts.NoContours {
		if err := addLogDensity(p, x, m, opts.Lattice); err != nil {
			return nil, err
		}
	}
	if _, err := addScatter(p, x, labels, comps, opts.MaxPoints, true); err != nil {
		return nil, err
	}
	for k := 0; k < m.K(); k++ {
		if err := addComponentEllipse(p, means.RawRowView(k), m.Covariance(nil, k), cover, k, k == 0); err != nil {
			return nil, err
		}
	}
	LegendOutside(p)
	return p, nil
}

// addComponentEllipse draws component k's ellipse in its colour, with a
// translucent fill and a cross at the mean; legend adds one entry for
// all ellipses.
func addComponentEllipse(p *plot.Plot, mean []float64, cov mat.Matrix, coverage float64, k int, legend bool) error {
	e, err := NewEllipse(mean, cov, coverage)
	if err != nil {
		return fmt.Errorf("plots: component %d: %w", k, err)
	}
	e.LineStyle = LineStyle(k)
	e.FillColor = Translucent(Color(k), 0.12)
	c, err := plotter.NewScatter(plotter.XYs{{X: mean[0], Y: mean[1]}})
	if err != nil {
		return err
	}
	c.GlyphStyle = draw.GlyphStyle{Color: Color(6), Shape: draw.CrossGlyph{}, Radius: vg.Points(4)}
	p.Add(e, c)
	if legend {
		p.Legend.Add(fmt.Sprintf("%.0f%% ellipses", 100*coverage), e)
	}
	return nil
}

// addLogDensity adds the contour lines of the mixture's log density over
// the data's range (padded by 10%), in grey, with a legend entry.
func addLogDensity(p *plot.Plot, x mat.Matrix, m *mixture.Model, lattice int) error {
	if lattice == 0 {
		lattice = 100
	}
	if lattice < 2 {
		return fmt.Errorf("plots: mixture chart: a lattice of %d points per axis; give at least 2", lattice)
	}
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		for j := 0; j < 2; j++ {
			v := x.At(i, j)
			lo[j], hi[j] = math.Min(lo[j], v), math.Max(hi[j], v)
		}
	}
	for j := 0; j < 2; j++ {
		pad := 0.1 * (hi[j] - lo[j])
		if pad == 0 {
			pad = 1
		}
		lo[j], hi[j] = lo[j]-pad, hi[j]+pad
	}
	xs, ys := Linspace(lo[0], hi[0], lattice), Linspace(lo[1], hi[1], lattice)
	pts := mat.NewDense(lattice*lattice, 2, nil)
	for r, y := range ys {
		for c, xv := range xs {
			pts.SetRow(r*lattice+c, []float64{xv, y})
		}
	}
	ll, err := m.ScoreSamples(nil, pts)
	if err != nil {
		return err
	}
	z := mat.NewDense(lattice, lattice, ll)
	f, err := NewField(xs, ys, z)
	if err != nil {
		return err
	}
	// Levels: round values between the highest density and 12 nats below
	// it, where the mass of every component lies.
	top := f.Max()
	levels := niceLevels(top-12, top, 8)
	c := AddContour(p, f, levels, nil)
	for i := range c.LineStyles {
		c.LineStyles[i] = draw.LineStyle{Color: Translucent(Color(6), 0.35), Width: vg.Points(0.75)}
	}
	name := "log density"
	if len(levels) > 1 {
		name = fmt.Sprintf("log density, every %g", levels[1]-levels[0])
	}
	p.Legend.Add(name, contourThumb{c.LineStyles[0]})
	return nil
}

type contourThumb struct{ draw.LineStyle }

// Thumbnail draws a short line in the contours' style.
func (t contourThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(t.LineStyle, c.Min.X, y, c.Max.X, y)
}

// GMMDensity1D returns the histogram of x (one feature, column col of the
// model's data) with the mixture's density over it, Σ_k π_k N(x | μ_k,
// σ_k²) along feature col (the marginal), and each weighted component
// π_k N(x | μ_k, σ_k²) in its colour.
func GMMDensity1D(x []float64, m *mixture.Model, col int, opts GMMOptions) (*plot.Plot, error) {
	if m == nil || m.K() == 0 {
		return nil, fmt.Errorf("plots: mixture density of an unfitted model: %w", ErrNoData)
	}
	if col < 0 || col >= m.Dim() {
		return nil, fmt.Errorf("plots: mixture density: feature %d of a %d-feature model", col, m.Dim())
	}
	if err := checkFinite("mixture density data", x); err != nil {
		return nil, err
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("plots: mixture density: %w", ErrNoData)
	}
	lo, hi := slices.Min(x), slices.Max(x)
	pad := 0.1 * (hi - lo)
	if pad == 0 {
		pad = 1
	}
	grid := Linspace(lo-pad, hi+pad, 400)
	w := m.Weights(nil)
	means := m.Means(nil)
	total := make([]float64, len(grid))
	comps := make([]Series, m.K())
	names := componentNames(m)
	for k := 0; k < m.K(); k++ {
		mu, v := means.At(k, col), m.Covariance(nil, k).At(col, col)
		y := make([]float64, len(grid))
		for i, g := range grid {
			z := (g - mu) / math.Sqrt(v)
			y[i] = w[k] * math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi*v)
			total[i] += y[i]
		}
		comps[k] = Series{Name: names[k], X: grid, Y: y}
	}
	p, err := Histogram(x, nil, HistOptions{Title: opts.Title, XLabel: opts.names(m)[col], Name: "data"})
	if err != nil {
		return nil, err
	}
	// The components in their colours, the mixture over them in black,
	// dashed, so that both show where one component dominates.
	for k, s := range comps {
		if _, _, err := AddLine(p, s, k); err != nil {
			return nil, err
		}
	}
	l, _, err := AddLine(p, Series{Name: "mixture", X: grid, Y: total}, 6)
	if err != nil {
		return nil, err
	}
	l.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	return p, nil
}

// GMMSelection returns the selection criterion of every fit of a
// mixture.Select against K, one line per covariance type, with the chosen
// fit ringed. Failed fits are gaps in their line.
func GMMSelection(sel *mixture.Selection) (*plot.Plot, error) {
	if sel == nil || len(sel.Candidates) == 0 {
		return nil, fmt.Errorf("plots: selection chart: %w", ErrNoData)
	}
	crit := "BIC"
	if sel.Criterion == mixture.AIC {
		crit = "AIC"
	}
	p := New(crit+" against the number of components", "components K", crit+" (lower is better)")
	var types []mixture.CovarianceType
	for _, c := range sel.Candidates {
		if !slices.Contains(types, c.Covariance) {
			types = append(types, c.Covariance)
		}
	}
	any := false
	for i, t := range types {
		var xs, ys []float64
		for _, c := range sel.Candidates {
			if c.Covariance != t || c.Error != "" {
				continue
			}
			v := c.BIC
			if sel.Criterion == mixture.AIC {
				v = c.AIC
			}
			xs = append(xs, float64(c.K))
			ys = append(ys, v)
		}
		if len(xs) == 0 {
			continue
		}
		any = true
		s := Series{Name: string(t), X: xs, Y: ys}
		if err := s.check(i, false, false); err != nil {
			return nil, err
		}
		l, pts := addLine(p, s, i, true, 0)
		_ = l
		if pts != nil {
			pts.GlyphStyle = GlyphStyle(i)
		}
	}
	if !any {
		return nil, fmt.Errorf("plots: selection chart: every fit failed: %w", ErrNoData)
	}
	if sel.Best >= 0 {
		b := sel.Candidates[sel.Best]
		v := b.BIC
		if sel.Criterion == mixture.AIC {
			v = b.AIC
		}
		ring, err := plotter.NewScatter(plotter.XYs{{X: float64(b.K), Y: v}})
		if err != nil {
			return nil, err
		}
		ring.GlyphStyle = draw.GlyphStyle{Color: Color(6), Shape: draw.RingGlyph{}, Radius: vg.Points(7)}
		p.Add(ring)
		p.Legend.Add(fmt.Sprintf("chosen: K=%d %s", b.K, b.Covariance), ring)
	}
	p.X.Tick.Marker = integerTicks{}
	LegendOutside(p)
	return p, nil
}

// integerTicks marks the integers of the range (the values of K).
type integerTicks struct{}

// Ticks returns a tick at every integer, labelled, when there are at most
// 20 of them; otherwise gonum/plot's default ticks.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	a, b := math.Ceil(lo), math.Floor(hi)
	if b-a > 20 || b < a {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	var t []plot.Tick
	for v := a; v <= b; v++ {
		t = append(t, plot.Tick{Value: v, Label: fmt.Sprintf("%.0f", v)})
	}
	return t
}

// GMMConvergence returns EM's convergence chart of one start (the Trace
// of an em.StartReport), two panels over the iterations:
//
//	top:    the mean log-likelihood log p(x | θ_n) for n = 0…N, and the
//	        ELBO(q_{n−1}, θ_n) each M-step reaches, just below it;
//	bottom: on a log axis, what each half-step gains: the M-step's
//	        ELBO(q_{n−1}, θ_n) − log p(x | θ_{n−1}) and the E-step's KL gap
//	        log p(x | θ_n) − ELBO(q_{n−1}, θ_n) = KL(q_{n−1} ‖ p(z | x, θ_n)).
//
// Gains of 0 or below (rounding, or a converged fit) cannot be drawn on a
// log axis and are left out; the panel says so in its title.
func GMMConvergence(trace []em.Iteration, title string) (*Grid, error) {
	if len(trace) == 0 {
		return nil, fmt.Errorf("plots: convergence chart of no iterations: %w", ErrNoData)
	}
	n := len(trace)
	llx, lly := make([]float64, n+1), make([]float64, n+1)
	ex, ey := make([]float64, n), make([]float64, n)
	llx[0], lly[0] = 0, trace[0].LogLik
	var mx, my, kx, ky []float64
	dropped := 0
	for i, it := range trace {
		llx[i+1], lly[i+1] = float64(it.Iter), it.Next
		ex[i], ey[i] = float64(it.Iter), it.ELBO
		if g := it.ELBO - it.LogLik; g > 0 {
			mx, my = append(mx, float64(it.Iter)), append(my, g)
		} else {
			dropped++
		}
		if it.KL > 0 {
			kx, ky = append(kx, float64(it.Iter)), append(ky, it.KL)
		} else {
			dropped++
		}
	}
	g := NewGrid(2, 1)
	g.Title = title
	g.CellWidth, g.CellHeight = DefaultWidth, DefaultHeight*0.6
	g.ShareX = true
	top := g.At(0, 0)
	top.Y.Label.Text = "mean log-likelihood (nats)"
	for i, s := range []Series{{Name: "log p(x | θ)", X: llx, Y: lly}, {Name: "ELBO after the M-step", X: ex, Y: ey}} {
		if err := s.check(i, false, false); err != nil {
			return nil, err
		}
		_, pts := addLine(top, s, i, true, 0)
		if pts != nil {
			pts.GlyphStyle = GlyphStyle(i)
			pts.GlyphStyle.Radius = vg.Points(2)
		}
	}
	LegendOutside(top)
	bot := g.At(1, 0)
	bot.X.Label.Text = "iteration"
	bot.Y.Label.Text = "gain (nats)"
	if dropped > 0 {
		bot.Title.Text = fmt.Sprintf("%d gains ≤ 0 (rounding) not drawn", dropped)
	}
	drawn := false
	for i, s := range []Series{{Name: "M-step: ELBO gain", X: mx, Y: my}, {Name: "E-step: KL gap", X: kx, Y: ky}} {
		if len(s.Y) == 0 {
			continue
		}
		if err := s.check(i, false, true); err != nil {
			return nil, err
		}
		_, pts := addLine(bot, s, i, true, 0)
		if pts != nil {
			pts.GlyphStyle = GlyphStyle(i)
			pts.GlyphStyle.Radius = vg.Points(2)
		}
		drawn = true
	}
	if drawn {
		if err := SetLogY(bot); err != nil {
			return nil, err
		}
	}
	LegendOutside(bot)
	for _, p := range []*plot.Plot{top, bot} {
		p.X.Tick.Marker = integerTicks{}
	}
	return g, nil
}
