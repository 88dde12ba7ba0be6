package summary

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/testutil"
)

// Reference: R 4.x, summary(faithful) and sd(): eruptions min 1.600, 1st
// qu. 2.163, median 4.000, mean 3.488, 3rd qu. 4.454, max 5.100, sd
// 1.141371; waiting 43.0, 58.0, 76.0, 70.9, 82.0, 96.0, sd 13.59497. The
// quartiles printed by R are rounded; the unrounded type-7 values are
// 2.16275 and 4.45425 (numpy.percentile gives the same).
func TestDescribeFaithful(t *testing.T) {
	d := datasets.Faithful()
	s := Describe(d.X, d.Columns)
	e, w := s[0], s[1]
	if e.Count != 272 || e.Name != "eruptions" {
		t.Errorf("got %+v", e)
	}
	for _, c := range []struct {
		what      string
		got, want float64
		atol      float64
	}{
		{"eruptions min", e.Min, 1.6, 0},
		{"eruptions q25", e.Q25, 2.16275, 1e-12},
		{"eruptions median", e.Q50, 4.0, 1e-12},
		{"eruptions q75", e.Q75, 4.45425, 1e-12},
		{"eruptions max", e.Max, 5.1, 0},
		{"eruptions sd", e.SD, 1.141371, 1e-6},
		{"waiting q25", w.Q25, 58, 1e-12},
		{"waiting median", w.Q50, 76, 1e-12},
		{"waiting q75", w.Q75, 82, 1e-12},
		{"waiting sd", w.SD, 13.59497, 1e-5},
	} {
		testutil.AssertClose(t, c.what, c.got, c.want, c.atol, 0)
	}
}

func TestQuantile7(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	// numpy.percentile([1,2,3,4], [0,25,50,75,100]) = 1, 1.75, 2.5, 3.25, 4.
	for p, want := range map[float64]float64{0: 1, 0.25: 1.75, 0.5: 2.5, 0.75: 3.25, 1: 4} {
		testutil.AssertClose(t, "q", Quantile7(x, p), want, 1e-15, 0)
	}
	s := Describe(mat.NewDense(1, 1, []float64{7}), []string{"a"})
	if s[0].SD != 0 || s[0].Q25 != 7 || s[0].Max != 7 {
		t.Errorf("one row: %+v", s[0])
	}
}

// Finite data whose moments overflow as computed: the mean stays finite and
// the sd is +Inf only when it exceeds the largest float64 (issue 22, item 8).
func TestDescribeOverflow(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		name     string
		col      []float64
		mean, sd float64
		q25      float64
	}{
		{"squares overflow", []float64{1e200, 2e200, 3e200}, 2e200, 1e200, 1.5e200},
		{"sum overflows", []float64{1.7e308, 1.7e308, 1.7e308, 1.7e308}, 1.7e308, 0, 1.7e308},
		{"sd beyond float64", []float64{1.7e308, -1.7e308, 1.7e308, -1.7e308}, 0, inf, -1.7e308},
		{"quartile between extremes", []float64{-1.7e308, 1.7e308}, 0, inf, -0.85e308},
	} {
		x := mat.NewDense(len(c.col), 1, c.col)
		s := Describe(x, []string{"a"})[0]
		testutil.AssertClose(t, c.name+" mean", s.Mean, c.mean, 0, 1e-15)
		testutil.AssertClose(t, c.name+" sd", s.SD, c.sd, 0, 1e-15)
		testutil.AssertClose(t, c.name+" q25", s.Q25, c.q25, 0, 1e-15)
	}
}

// Data that do not overflow keep gonum's bits exactly.
func TestDescribeKeepsGonumBits(t *testing.T) {
	d := datasets.Iris()
	s := Describe(d.X, d.Columns)
	r, _ := d.X.Dims()
	for j, c := range s {
		col := mat.Col(nil, j, d.X)
		mean, sd := stat.MeanStdDev(col, nil)
		if math.Float64bits(c.Mean) != math.Float64bits(mean) || math.Float64bits(c.SD) != math.Float64bits(sd) || c.Count != r {
			t.Errorf("%s: got mean %v sd %v, want gonum's %v %v", c.Name, c.Mean, c.SD, mean, sd)
		}
	}
}

func TestClassesAndText(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 10, 2, 20, 3, 30, 4, 1e150})
	rep := DescribeTable("f.csv", x, []string{"a", "b"}, "kind", []string{"b", "a", "b", "b"})
	if got := fmt.Sprint(rep.Classes); got != "[{b 3} {a 1}]" {
		t.Errorf("classes: got %s, want [{b 3} {a 1}] (order of first appearance)", got)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `  column  count      mean       sd  min   25%  50%       75%     max
       a      4       2.5  1.29099    1  1.75  2.5      3.25       4
       b      4  2.5e+149   5e+149   10  17.5   25  2.5e+149  1e+150

label "kind": 2 classes: b 3, a 1
`
	if b.String() != want {
		t.Errorf("text: got\n%s\nwant\n%s", b.String(), want)
	}
	if rep.Rows != 4 || rep.File != "f.csv" || rep.Label != "kind" {
		t.Errorf("report: got %+v", rep)
	}
	if noLabel := DescribeTable("f.csv", x, []string{"a", "b"}, "", nil); noLabel.Classes != nil {
		t.Errorf("no label column: got classes %v, want nil", noLabel.Classes)
	}
}
