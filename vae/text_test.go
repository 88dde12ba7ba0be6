package vae

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/testutil"
)

var datasetsSplit = datasets.Split

// fixedReport is a report with round numbers, for the text golden files.
func fixedReport(autoencoder, test bool, active int) *Report {
	cfg := Config{Inputs: 64, Latent: 2, Hidden: []int{32}, Activation: "relu", Likelihood: Bernoulli, Autoencoder: autoencoder}
	r := &Report{Status: StatusCompleted, Encoder: []int{64, 32, 4}, Decoder: []int{2, 32, 64}, Params: 4420, Steps: 46, Seconds: 0.25,
		Settings: TrainedWith{Kind: "vae", LR: 0.001, BatchSize: 64, Seed: 4, Beta: 0.5, Warmup: 1, Scaling: "none"}, cfg: cfg}
	for e := 1; e <= 2; e++ {
		es := EpochStats{Epoch: e, ELBO: -40 + float64(e), Reconstruction: 38, KL: 1, ActiveUnits: active, KLPerDim: []float64{0.75, 0.25}, Seconds: 0.1}
		if test {
			es.Test = &Eval{Rows: 360, ELBO: -41 + float64(e), Reconstruction: 39, KL: 1.5, KLPerDim: []float64{1, 0.5}}
		}
		r.Epochs = append(r.Epochs, es)
	}
	return r
}

// WriteText prints what `latent vae train` prints after its data line.
func TestReportWriteText(t *testing.T) {
	for _, c := range []struct {
		name              string
		autoencoder, test bool
		active            int
	}{
		{"train_vae.txt", false, true, 1},
		{"train_collapsed.txt", false, false, 0},
		{"train_autoencoder.txt", true, true, 2},
	} {
		var b bytes.Buffer
		if err := fixedReport(c.autoencoder, c.test, c.active).WriteText(&b); err != nil {
			t.Fatal(err)
		}
		testutil.Golden(t, c.name, b.Bytes())
	}
}

// Assess is Evaluate plus the IWAE bound on the first rows with their own
// ELBO; its text is what `latent vae eval` prints after its first line.
func TestAssess(t *testing.T) {
	models, x := trainedModels(t)
	m := models["bernoulli"]
	rows := x.Slice(0, 30, 0, 64)
	a, err := m.Assess(context.Background(), rows, AssessOptions{Seed: 2, IWAEK: 5, IWAERows: 10})
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := m.Evaluate(rows, EvalOptions{Seed: 2})
	sub, _ := m.Evaluate(x.Slice(0, 10, 0, 64), EvalOptions{Seed: 2})
	ll, _ := m.LogLikelihood(context.Background(), x.Slice(0, 10, 0, 64), IWAEOptions{K: 5, Seed: 2})
	if want := Summarise(ll, 5); a.Eval.ELBO != ev.ELBO || *a.IWAE != want || *a.IWAEELBO != sub.ELBO {
		t.Errorf("got ELBO %v, IWAE %+v on rows of ELBO %v; want %v, %+v, %v", a.Eval.ELBO, *a.IWAE, *a.IWAEELBO, ev.ELBO, want, sub.ELBO)
	}
	var b bytes.Buffer
	if err := a.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ELBO            -", "KL              ", "active units    ", "IWAE            log p(x) ≥ ", "(k = 5, 10 rows; their ELBO "} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	bin, err := m.Assess(context.Background(), rows, AssessOptions{Seed: 2, Binarize: true})
	binRows, _ := Binarize(rows, 2)
	evBin, _ := m.Evaluate(binRows, EvalOptions{Seed: 2})
	if err != nil || !bin.Binarized || bin.IWAE != nil || bin.Eval.ELBO != evBin.ELBO {
		t.Errorf("binarised: %v, %+v; want the ELBO %v of Binarize(x, 2), no IWAE", err, bin, evBin.ELBO)
	}
	ae := models["autoencoder"]
	aa, err := ae.Assess(context.Background(), rows, AssessOptions{})
	b.Reset()
	aa.WriteText(&b)
	if err != nil || !strings.HasPrefix(b.String(), "reconstruction  ") || !strings.Contains(b.String(), "no bound on log p(x)") {
		t.Errorf("autoencoder: %v, text %q", err, b.String())
	}
	if _, err := ae.Assess(context.Background(), rows, AssessOptions{IWAEK: 3}); !errors.Is(err, ErrAutoencoder) {
		t.Errorf("autoencoder IWAE: got %v, want ErrAutoencoder", err)
	}
}

// MatchColumns and CheckColumns: the count, then names where both have
// one; the messages name the data.
func TestCheckColumns(t *testing.T) {
	m, _ := New(Config{Inputs: 3, Latent: 1, Hidden: []int{}})
	if err := m.CheckColumns("a.csv", []string{"x", "y", "z"}); err != nil {
		t.Errorf("a model without names: %v", err)
	}
	m.columns = []string{"a", "", "c"}
	for _, c := range []struct {
		have  []string
		index int
		msg   string
	}{
		{[]string{"a", "b", "c"}, 0, ""},
		{[]string{"", "b", "c"}, 0, ""},
		{[]string{"a", "b"}, -1, `d.csv: 2 numeric columns, but the model takes 3 ("a", "", "c")`},
		{[]string{"a", "b", "x"}, 2, `d.csv: column 3 is "x", but the model's column 3 is "c"; give the columns in the model's order ("a", "", "c")`},
	} {
		err := m.CheckColumns("d.csv", c.have)
		var ce *ColumnError
		switch {
		case c.msg == "" && err != nil:
			t.Errorf("%v: got %v, want no error", c.have, err)
		case c.msg != "" && (!errors.As(err, &ce) || ce.Index != c.index || err.Error() != c.msg):
			t.Errorf("%v: got %v, want a ColumnError at %d: %s", c.have, err, c.index, c.msg)
		}
	}
	long := []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7"}
	if err := MatchColumns("", long[:2], long); err == nil || err.Error() != `vae: 2 numeric columns, but the model takes 7 ("p1", "p2", "p3", "p4", "p5", …)` {
		t.Errorf("got %v", err)
	}
}

// ColumnVariance divides by n − 1, as gonum's stat.Variance, and is the
// unit variance of Evaluate.
func TestColumnVariance(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 10, 2, 10, 3, 10, 6, 10})
	got := ColumnVariance(x)
	testutil.AssertCloseSlice(t, "variance", got, []float64{14.0 / 3, 0}, 1e-15, 0)
	if v := ColumnVariance(mat.NewDense(1, 2, []float64{1, 2})); v[0] != 0 || v[1] != 0 {
		t.Errorf("one row: got %v, want zeros", v)
	}
	models, digits := trainedModels(t)
	m := models["bernoulli"]
	ev, _ := m.Evaluate(digits, EvalOptions{})
	mu, _, _ := m.Encode(digits)
	testutil.AssertCloseSlice(t, "unit variance", ev.UnitVariance, ColumnVariance(mu), 0, 0)
}

// Data: the digits in [0, 1], the hold-out of datasets.Split, test rows
// read apart, and all rows stacked.
func TestData(t *testing.T) {
	d := Digits()
	if mat.Max(d.Train) != 1 || d.Height != 8 || d.Test != nil || d.Split != "no held-out rows" {
		t.Fatalf("digits: max %v, %d×%d images, split %q", mat.Max(d.Train), d.Height, d.Width, d.Split)
	}
	all := mat.DenseCopyOf(d.Train)
	labels := append([]string(nil), d.TrainLabels...)
	d.HoldOut(0.2, 4)
	if n, _ := d.Test.Dims(); n != 360 || len(d.TestLabels) != 360 || d.Split != "20% held out by a shuffle of seed 4" {
		t.Fatalf("held out %d rows (%d labels), split %q; want 360", n, len(d.TestLabels), d.Split)
	}
	stacked, l := d.All()
	if r, _ := stacked.Dims(); r != 1797 || len(l) != 1797 {
		t.Fatalf("All: %d rows, %d labels", r, len(l))
	}
	// The held-out rows are the rows Split names, in their order.
	_, test := datasetsSplit(1797, 0.2, 4)
	for k, i := range test {
		if !mat.Equal(d.Test.RowView(k), all.RowView(i)) || d.TestLabels[k] != labels[i] {
			t.Fatalf("held-out row %d is not row %d of the data", k, i)
		}
	}
	if d.HoldOut(0.5, 1); rowsOf(d.Test) != 360 {
		t.Error("a second HoldOut changed the held-out rows")
	}
	f := NewData("f.csv", mat.NewDense(3, 16, nil), nil, make([]string, 16), "")
	if f.Height != 4 || f.Width != 4 {
		t.Errorf("16 values: %d×%d, want a 4×4 image", f.Height, f.Width)
	}
	if err := f.SetTest("t.csv", mat.NewDense(2, 3, nil), nil); err == nil || !strings.Contains(err.Error(), "t.csv has 3 columns, f.csv has 16") {
		t.Errorf("test rows of other columns: %v", err)
	}
	if g := NewData("g.csv", mat.NewDense(3, 9, nil), nil, make([]string, 9), ""); g.Height != 0 {
		t.Errorf("9 values: %d×%d, want no image shape below 16 values", g.Height, g.Width)
	}
}

func rowsOf(x *mat.Dense) int {
	n, _ := x.Dims()
	return n
}

// C-48 (issue 22, item 19): huge values print in exponent form.
func TestHugeNumbersInText(t *testing.T) {
	var b bytes.Buffer
	e := &Eval{Rows: 2, Samples: 1, ELBO: -3.9e31, Reconstruction: 3.9e31, KL: 1e150, KLPerDim: []float64{1e150, 0}}
	if err := e.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ELBO            -3.900e+31 nats per row (−ELBO 3.900e+31; 1 code(s) per row)", "KL              1.000e+150 nats per row; per dimension [1.00e+150 0.00]"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("got\n%s\nwant a line with %q", b.String(), want)
		}
	}
}
