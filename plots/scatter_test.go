package plots

import (
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestGroupsOf(t *testing.T) {
	ids, names := GroupsOf([]string{"b", "a", "b", "c", "a"})
	if !slices.Equal(ids, []int{0, 1, 0, 2, 1}) || !slices.Equal(names, []string{"b", "a", "c"}) {
		t.Errorf("got %v %v", ids, names)
	}
}

func TestScatterGroups(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{0, 0, 1, 1, 2, 2, 3, 3})
	for _, bad := range [][]int{{0, 1, -1, 0}, {0, MaxGroups, 1, 1}} {
		if _, err := Scatter(x, bad, ScatterOptions{}); err == nil || !strings.Contains(err.Error(), "at row") {
			t.Errorf("groups %v: got %v, want an error naming the row", bad, err)
		}
	}
	p := New("", "", "")
	pts, err := AddScatter(p, x, []int{3, 0, 3, 0}, []string{"zero", "", "", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 || len(pts[0].XYs) != 2 || pts[0].GlyphStyle.Color != Color(0) || pts[1].GlyphStyle.Color != Color(3) {
		t.Errorf("plotters %d: want group 0 then group 3, two points each, in their colours", len(pts))
	}
	// The legend names group 0 "zero" and group 3 by its number.
	r := p.Legend.Rectangle(fullCanvas())
	if r.Max.X-r.Min.X <= 0 {
		t.Error("no legend entries")
	}
	defer func() {
		if recover() == nil {
			t.Error("3 columns: no panic")
		}
	}()
	Scatter(mat.NewDense(2, 3, nil), nil, ScatterOptions{})
}
