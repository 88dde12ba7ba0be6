package biasvar_test

import (
	"bytes"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/testutil"
)

// WriteText renders what `latent biasvar run` and `sweep` print; the
// golden files were checked against the command's output for the same
// settings (the command line is in each case's comment), and are
// refreshed with -update. k-NN and trees only: their arithmetic uses no
// matrix products, so the digits do not depend on the BLAS kernel.
func TestWriteTextGolden(t *testing.T) {
	fixed := biasvar.Sine(50, 0.3)
	fixed.Design = biasvar.Fixed
	knob := func(name, param string, values ...float64) biasvar.Knob {
		k, err := biasvar.NewKnob(name, nil, param, values)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	for _, c := range []struct {
		name string
		// report returns the report to render.
		report func() (func(*bytes.Buffer) error, error)
	}{
		// latent biasvar run --learner knn --param k=5 --rounds 30 --design fixed --seed 3
		{"run_knn_fixed", func() (func(*bytes.Buffer) error, error) {
			r, err := biasvar.Decompose(bg, fixed, biasvar.KNN{K: 5}, biasvar.Options{Rounds: 30, Seed: 3})
			return func(b *bytes.Buffer) error { return r.WriteText(b) }, err
		}},
		// latent biasvar run --problem gauss2 --learner knnc --param k=9 --rounds 20
		{"run_knnc_01", func() (func(*bytes.Buffer) error, error) {
			r, err := biasvar.Decompose(bg, biasvar.TwoGaussians(50), biasvar.KNNClassifier{K: 9}, biasvar.Options{Rounds: 20, Seed: 1})
			return func(b *bytes.Buffer) error { return r.WriteText(b) }, err
		}},
		// latent biasvar run --rounds 1
		{"run_one_round", func() (func(*bytes.Buffer) error, error) {
			r, err := biasvar.Decompose(bg, biasvar.Sine(50, 0.3), biasvar.KNN{K: 5}, biasvar.Options{Rounds: 1, Seed: 1})
			return func(b *bytes.Buffer) error { return r.WriteText(b) }, err
		}},
		// latent biasvar run --data classes.csv --test classes.csv --target kind --learner knnc --param k=1 --loss 01 --rounds 20
		{"run_bootstrap_01", func() (func(*bytes.Buffer) error, error) {
			x := mat.NewDense(8, 2, []float64{0, 0, 0.1, 0.2, 0.2, 0.1, 1, 1, 0.9, 1.1, 1.1, 0.8, 0.15, 0.05, 0.95, 0.95})
			y := []float64{0, 0, 0, 1, 1, 1, 0, 1}
			d := biasvar.Data{Name: "classes.csv", XTrain: x, YTrain: y, XTest: x, YTest: y}
			r, err := biasvar.Bootstrap(bg, d, biasvar.KNNClassifier{K: 1}, biasvar.Options{Rounds: 20, Seed: 1, Loss: biasvar.ZeroOne})
			return func(b *bytes.Buffer) error { return r.WriteText(b) }, err
		}},
		// latent biasvar sweep --learner knn --param k=2,50 --rounds 5 --n-train 10
		{"sweep_failed_setting", func() (func(*bytes.Buffer) error, error) {
			s, err := biasvar.Sweep(bg, biasvar.Sine(10, 0.3), knob("knn", "k", 2, 50), biasvar.Options{Rounds: 5, Seed: 1})
			return func(b *bytes.Buffer) error { return s.WriteText(b) }, err
		}},
		// latent biasvar sweep --learner knn --param k=50,60 --rounds 5 --n-train 10
		{"sweep_all_failed", func() (func(*bytes.Buffer) error, error) {
			s, err := biasvar.Sweep(bg, biasvar.Sine(10, 0.3), knob("knn", "k", 50, 60), biasvar.Options{Rounds: 5, Seed: 1})
			return func(b *bytes.Buffer) error { return s.WriteText(b) }, err
		}},
		// latent biasvar list
		{"builtins", func() (func(*bytes.Buffer) error, error) {
			return func(b *bytes.Buffer) error { return biasvar.WriteBuiltins(b) }, nil
		}},
		// latent biasvar sweep --learner tree --param depth=1:3 --rounds 20 --design fixed
		{"sweep_tree", func() (func(*bytes.Buffer) error, error) {
			s, err := biasvar.Sweep(bg, fixed, knob("tree", "depth", 1, 2, 3), biasvar.Options{Rounds: 20, Seed: 1})
			return func(b *bytes.Buffer) error { return s.WriteText(b) }, err
		}},
	} {
		write, err := c.report()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		testutil.Golden(t, "text/"+c.name+".txt", b.Bytes())
	}
}

// Status follows the rounds: complete, partial, failed.
func TestStatus(t *testing.T) {
	knob, err := biasvar.NewKnob("knn", nil, "k", []float64{2, 50})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := biasvar.Sweep(bg, biasvar.Sine(10, 0.3), knob, biasvar.Options{Rounds: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, want biasvar.Status
	}{
		{"k = 2", sr.Points[0].Status(), biasvar.Complete},
		{"k = 50", sr.Points[1].Status(), biasvar.Failed},
		{"sweep", sr.Status(), biasvar.Partial},
		{"partial report", (&biasvar.Report{Rounds: biasvar.Rounds{Attempted: 3, Succeeded: 2, Failed: 1}}).Status(), biasvar.Partial},
	} {
		if c.got != c.want {
			t.Errorf("%s: got status %v, want %v", c.what, c.got, c.want)
		}
	}
	if got := biasvar.Partial.String(); got != "partial" {
		t.Errorf("got %q, want partial", got)
	}
	if got, want := sr.Best(), 0; got != want {
		t.Errorf("best setting: got %d, want %d", got, want)
	}
}
