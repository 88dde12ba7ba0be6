package plots

import (
	"context"
	"errors"
	"testing"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// faithfulMclust is Mclust on Old Faithful over K = 1…4 and four models:
// a selection with mclust's table, and its best model (EEE,3).
func faithfulMclust(t *testing.T) (*mixture.Model, *mixture.Selection) {
	t.Helper()
	f := datasets.Faithful()
	o := mixture.MclustDefaults()
	o.Ks = []int{1, 2, 3, 4}
	o.Covariances = []mixture.CovarianceType{mixture.EII, mixture.VVI, mixture.EEE, mixture.VVV}
	o.Options.FeatureNames = f.Columns
	m, _, sel, err := mixture.Select(context.Background(), f.X, o)
	if err != nil {
		t.Fatal(err)
	}
	return m, sel
}

// The three mclust charts match their goldens (P-05) and draw at their
// natural size; a failed cell is a gap, not an error.
func TestGoldenMclust(t *testing.T) {
	f := datasets.Faithful()
	m, sel := faithfulMclust(t)
	b, err := MclustBIC(sel)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "mclust_bic", b)
	c, err := MclustClassification(f.X, m, GMMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "mclust_classification", c)
	u, err := MclustUncertainty(f.X, m, GMMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "mclust_uncertainty", u)

	sel.Candidates[1].Status, sel.Candidates[1].Error = "failed", "singular covariance"
	if _, err := MclustBIC(sel); err != nil {
		t.Errorf("a failed cell: %v", err)
	}
	if _, err := MclustBIC(&mixture.Selection{}); !errors.Is(err, ErrNoData) {
		t.Errorf("empty selection: %v", err)
	}
}

// The uncertainty chart's markers grow with the uncertainty, from the
// smallest (certain) to the largest (1 − 1/K); one feature is refused.
func TestMclustUncertaintySizes(t *testing.T) {
	f := datasets.Faithful()
	m, _ := faithfulMclust(t)
	if _, err := MclustUncertainty(f.X.Slice(0, 272, 0, 1), m, GMMOptions{}); err == nil {
		t.Error("one column drew")
	}
	if _, err := MclustUncertainty(f.X, m, GMMOptions{}); err != nil {
		t.Fatal(err)
	}
	top := 1 - 1/float64(m.K())
	prev := 0.0
	for u := 0.0; u <= top+1e-12; u += top / 50 {
		r := uncertaintyRadius(u, top)
		if r < prev || r < uncertaintyMin || r > uncertaintyMax+1e-12 {
			t.Fatalf("radius %g at uncertainty %g (previous %g)", r, u, prev)
		}
		prev = r
	}
	if uncertaintyRadius(0, top) != uncertaintyMin || uncertaintyRadius(top, top) != uncertaintyMax {
		t.Error("the radii do not span the scale")
	}
}
