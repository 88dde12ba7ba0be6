package plots

import (
	"fmt"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// ScatterOptions are the options of Scatter. The zero value names groups
// by their numbers, puts the legend outside on the right and thins
// above DefaultMaxScatterPoints.
type ScatterOptions struct {
	// Title, XLabel and YLabel label the chart.
	Title, XLabel, YLabel string
	// GroupNames[g] names group g in the legend; a missing or empty name
	// is the group's number.
	GroupNames []string
	// LegendInside keeps the legend in the top-right corner of the data
	// area instead of outside on the right.
	LegendInside bool
	// MaxPoints is the most points drawn (see thinScatter): zero means
	// DefaultMaxScatterPoints, negative means no thinning.
	MaxPoints int
}

// Scatter returns a chart of the rows of x (n × 2: x then y), coloured by
// group: group g is drawn in GlyphStyle(g), Color(g) with Glyph(g), so a
// mixture's component k, its ellipse and its points share a colour.
// Groups nil puts every point in group 0 and draws no legend. Group ids
// must lie in [0, MaxGroups); use GroupsOf for text labels.
//
// It returns an error wrapping ErrNoData for no rows, ErrNaN or ErrInf
// naming the row of a non-finite value, and an error naming the row of an
// id out of range. It panics if x does not have 2 columns or groups does
// not have one id per row.
func Scatter(x mat.Matrix, groups []int, opts ScatterOptions) (*plot.Plot, error) {
	p := New(opts.Title, opts.XLabel, opts.YLabel)
	if _, err := addScatter(p, x, groups, opts.GroupNames, opts.MaxPoints, true); err != nil {
		return nil, err
	}
	if groups != nil && !opts.LegendInside {
		LegendOutside(p)
	}
	return p, nil
}

// AddScatter adds the rows of x (n × 2) to p as points coloured by group,
// with a legend entry per group when groups is not nil (names as
// ScatterOptions.GroupNames), thinned above DefaultMaxScatterPoints. It
// returns one plotter per group present, in increasing id order. Errors
// and panics are Scatter's.
func AddScatter(p *plot.Plot, x mat.Matrix, groups []int, names []string) ([]*plotter.Scatter, error) {
	return addScatter(p, x, groups, names, 0, true)
}

// addScatter adds points by group, with legend entries when legend is
// true and groups is not nil.
func addScatter(p *plot.Plot, x mat.Matrix, groups []int, names []string, maxPoints int, legend bool) ([]*plotter.Scatter, error) {
	n, d := x.Dims()
	if d != 2 && n > 0 {
		panic(fmt.Sprintf("plots: scatter of a matrix with %d columns, want 2 (use Pairs for more)", d))
	}
	if groups != nil {
		mustLen("scatter rows and groups", n, len(groups))
	}
	if err := checkMatrix("scatter data", x); err != nil {
		return nil, err
	}
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range n {
		xs[i], ys[i] = x.At(i, 0), x.At(i, 1)
	}
	if err := checkGroups(groups); err != nil {
		return nil, err
	}
	if maxPoints == 0 {
		maxPoints = DefaultMaxScatterPoints
	}
	var keep []int
	if maxPoints > 0 {
		keep = thinScatter(xs, ys, groups, maxPoints)
	}
	if keep == nil {
		keep = make([]int, n)
		for i := range keep {
			keep[i] = i
		}
	}
	byGroup := map[int]plotter.XYs{}
	for _, i := range keep {
		g := 0
		if groups != nil {
			g = groups[i]
		}
		byGroup[g] = append(byGroup[g], plotter.XY{X: xs[i], Y: ys[i]})
	}
	var out []*plotter.Scatter
	for g := range MaxGroups {
		xy, ok := byGroup[g]
		if !ok {
			continue
		}
		s := &plotter.Scatter{XYs: xy, GlyphStyle: GlyphStyle(g)}
		p.Add(s)
		out = append(out, s)
		if legend && groups != nil {
			p.Legend.Add(groupName(names, g), s)
		}
	}
	return out, nil
}

// checkGroups returns an error naming the first id out of [0, MaxGroups).
func checkGroups(groups []int) error {
	for i, g := range groups {
		if g < 0 || g >= MaxGroups {
			return fmt.Errorf("plots: group id %d at row %d: ids must lie in [0, %d), the groups that colour and marker tell apart", g, i, MaxGroups)
		}
	}
	return nil
}

// groupName is names[g], or g's number when that is missing or empty.
func groupName(names []string, g int) string {
	if g < len(names) && names[g] != "" {
		return names[g]
	}
	return strconv.Itoa(g)
}

// GroupsOf turns text labels (a CSV label column, iris species) into
// group ids, numbered in order of first appearance, and the names of the
// ids: names[ids[i]] == labels[i].
func GroupsOf(labels []string) (ids []int, names []string) {
	seen := map[string]int{}
	ids = make([]int, len(labels))
	for i, l := range labels {
		g, ok := seen[l]
		if !ok {
			g = len(names)
			seen[l] = g
			names = append(names, l)
		}
		ids[i] = g
	}
	return ids, names
}
