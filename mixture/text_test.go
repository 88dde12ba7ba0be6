package mixture_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/mixture"
)

// The text of reports and selections, against golden files that hold what
// `latent gmm fit` printed before the printers moved here (less the file
// name the command puts before the report).
func TestWriteTextGolden(t *testing.T) {
	f := datasets.Faithful()
	dup := mat.NewDense(9, 2, []float64{0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1})
	ctx := context.Background()
	cases := []struct {
		golden string
		x      *mat.Dense
		names  []string
		o      mixture.Options
		sel    *mixture.SelectOptions
	}{
		{"fit_faithful_k2.txt", f.X, f.Columns, mixture.Options{K: 2}, nil},
		{"fit_long_trace.txt", f.X, f.Columns, mixture.Options{K: 3, Covariance: mixture.Spherical, Init: mixture.InitRandom, Seed: 2, Tol: em.NoTol, MaxIter: 30}, nil},
		{"fit_no_iterations.txt", f.X, f.Columns, mixture.Options{K: 3, MaxIter: em.NoIterations}, nil},
		{"select_faithful.txt", f.X, f.Columns, mixture.Options{NInit: 3, Seed: 5},
			&mixture.SelectOptions{Ks: []int{2, 4}, Covariances: []mixture.CovarianceType{mixture.Diag, mixture.Tied}}},
		{"select_failed.txt", dup, []string{"a", "b"}, mixture.Options{RegCovar: mixture.NoRegCovar},
			&mixture.SelectOptions{Ks: []int{1, 2, 3}, Covariances: []mixture.CovarianceType{mixture.Full}}},
	}
	for _, c := range cases {
		c.o.FeatureNames = c.names
		var b bytes.Buffer
		if c.sel == nil {
			_, rep, err := mixture.Fit(ctx, c.x, c.o)
			if err != nil {
				t.Fatalf("%s: %v", c.golden, err)
			}
			if err := rep.WriteText(&b); err != nil {
				t.Fatal(err)
			}
		} else {
			c.sel.Options = c.o
			_, rep, sel, err := mixture.Select(ctx, c.x, *c.sel)
			if err != nil {
				t.Fatalf("%s: %v", c.golden, err)
			}
			if err := sel.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteText(&b); err != nil {
				t.Fatal(err)
			}
		}
		testutil.Golden(t, "text/"+c.golden, b.Bytes())
	}
}

// A report decoded from JSON has no model: its text leaves the components'
// table out and names the columns x1, x2, ….
func TestWriteTextWithoutModel(t *testing.T) {
	f := datasets.Faithful()
	_, rep, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, FeatureNames: f.Columns})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back mixture.Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	var full, bare bytes.Buffer
	rep.WriteText(&full)
	back.WriteText(&bare)
	if !bytes.Contains(full.Bytes(), []byte("mean eruptions")) || bytes.Contains(bare.Bytes(), []byte("weight")) || bytes.Contains(bare.Bytes(), []byte("\n\n\n")) ||
		!bytes.HasPrefix(bare.Bytes(), []byte("272 rows × 2 columns (x1, x2)\n")) || !bytes.Contains(bare.Bytes(), []byte("KL gap")) {
		t.Errorf("got\n%s\nwant the report without its components' table", bare.String())
	}
}

// The Markdown table of a selection: one row per K, one column per
// covariance type, the best in bold, failed and untried cells marked.
func TestSelectionWriteMarkdown(t *testing.T) {
	sel := &mixture.Selection{Criterion: mixture.AIC, Best: 2, Candidates: []mixture.Candidate{
		{K: 1, Covariance: mixture.Full, BIC: 10, AIC: 9.04},
		{K: 2, Covariance: mixture.Full, Error: "collapsed"},
		{K: 1, Covariance: mixture.Diag, BIC: 8, AIC: 7.96},
	}}
	var b bytes.Buffer
	if err := sel.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	want := "| K | full | diag |\n|---|---|---|\n| 1 | 9.0 | **8.0** |\n| 2 | failed | – |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
