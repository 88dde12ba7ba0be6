package summary

import (
	"testing"

	"gonum.org/v1/gonum/mat"

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
