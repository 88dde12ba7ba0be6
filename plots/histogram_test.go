package plots

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/testutil"
)

// TestAutoBinsMatchesNumpy: the bin counts numpy's (1.24.2)
// histogram_bin_edges(x, "auto") gives for the embedded data sets
// (reference run: len(np.histogram_bin_edges(col, "auto")) − 1).
func TestAutoBinsMatchesNumpy(t *testing.T) {
	for _, c := range []struct {
		name string
		x    *mat.Dense
		want []int
	}{
		{"faithful", datasets.Faithful().X, []int{10, 10}},
		{"iris", datasets.Iris().X, []int{9, 13, 9, 9}},
	} {
		for j, want := range c.want {
			if got := AutoBins(mat.Col(nil, j, c.x)); got != want {
				t.Errorf("%s column %d: %d bins, numpy gives %d", c.name, j, got, want)
			}
		}
	}
	if AutoBins(nil) != 1 || AutoBins([]float64{2, 2, 2}) != 1 {
		t.Error("empty or constant data should give 1 bin")
	}
}

// TestHistogramDensity: bar areas sum to 1, counts add up to n.
func TestHistogramDensity(t *testing.T) {
	x := mat.Col(nil, 1, datasets.Faithful().X)
	h := histogramOf(x, 0, true)
	area := 0.0
	for _, b := range h.Bins {
		area += b.Weight * (b.Max - b.Min)
	}
	testutil.AssertClose(t, "density area", area, 1, 1e-12, 0)
	c := histogramOf(x, 7, false)
	total := 0.0
	for _, b := range c.Bins {
		total += b.Weight
	}
	if len(c.Bins) != 7 || total != float64(len(x)) {
		t.Errorf("%d bins holding %v values, want 7 holding %d", len(c.Bins), total, len(x))
	}
	// P-03: constant data make one bin of width 1 centred on the value.
	k := histogramOf([]float64{4, 4, 4}, 0, true)
	if len(k.Bins) != 1 || k.Bins[0].Min != 3.5 || k.Bins[0].Max != 4.5 || k.Bins[0].Weight != 1 {
		t.Errorf("constant data: %+v", k.Bins)
	}
}
