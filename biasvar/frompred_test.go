package biasvar_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/latentgo/latent/biasvar"
)

// samePoints compares what a decomposition computed (not who ran it).
func samePoints(t *testing.T, got, want *biasvar.Report) {
	t.Helper()
	pairs := []struct {
		name     string
		got, wnt any
	}{
		{"totals", got.Totals, want.Totals}, {"check", got.Check, want.Check},
		{"mean prediction", got.MeanPrediction, want.MeanPrediction}, {"bias2", got.Bias2, want.Bias2},
		{"bias2 stderr", got.Bias2StdErr, want.Bias2StdErr}, {"variance", got.Variance, want.Variance},
		{"variance stderr", got.VarianceStdErr, want.VarianceStdErr}, {"error", got.Error, want.Error},
		{"error stderr", got.ErrorStdErr, want.ErrorStdErr}, {"noise", got.Noise, want.Noise},
		{"bias", got.Bias, want.Bias}, {"main", got.MainPrediction, want.MainPrediction},
		{"kw variance", got.KWVariance, want.KWVariance}, {"variance effect", got.VarianceEffect, want.VarianceEffect},
		{"fits", got.Fits, want.Fits}, {"mode", got.Mode, want.Mode},
	}
	for _, p := range pairs {
		if !reflect.DeepEqual(p.got, p.wnt) {
			t.Errorf("%s differs:\n got %v\nwant %v", p.name, p.got, p.wnt)
		}
	}
}

// The predictions a built-in run dumps, decomposed by FromPredictions,
// give its report to the bit: squared loss (with the fresh targets and the
// truth) and zero-one loss (with the posterior).
func TestFromPredictionsReproduces(t *testing.T) {
	opts := biasvar.Options{Rounds: 30, Seed: 4, KeepPredictions: true}
	p := biasvar.Sine(25, 0.4)
	rep, err := biasvar.Decompose(context.Background(), p, biasvar.KNN{K: 4}, opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := biasvar.FromPredictions(biasvar.Predictions{Pred: rep.Predictions, Target: rep.Targets, F: rep.F, NoiseVar: rep.Noise}, biasvar.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	samePoints(t, got, rep)

	c := biasvar.TwoGaussians(40)
	crep, err := biasvar.Decompose(context.Background(), c, biasvar.KNNClassifier{K: 7}, opts)
	if err != nil {
		t.Fatal(err)
	}
	cgot, err := biasvar.FromPredictions(biasvar.Predictions{Loss: biasvar.ZeroOne, Pred: crep.Predictions, Posterior: crep.Posterior}, biasvar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	samePoints(t, cgot, crep)
}

// Without the truth: the bootstrap mode's definitions, and bad shapes
// named by field.
func TestFromPredictionsNoTruth(t *testing.T) {
	pred := [][]float64{{1, 2}, {3, 2}, {2, 5}}
	rep, err := biasvar.FromPredictions(biasvar.Predictions{Pred: pred, Target: [][]float64{{2, 3}}}, biasvar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// point 0: mean 2, bias²+noise 0, variance (1+1+0)/3; point 1: mean 3, (3−3)², (1+1+4)/3.
	if rep.Mode != biasvar.ModeBootstrap || rep.Totals.Variance.Value != (2.0/3+2)/2 || rep.Totals.Bias2PlusNoise.Value != 0 {
		t.Errorf("mode %s, totals %+v", rep.Mode, rep.Totals)
	}
	var oe *biasvar.OptionError
	for _, bad := range []biasvar.Predictions{
		{},
		{Pred: [][]float64{{1, 2}, {1}}, Target: [][]float64{{1, 2}}},
		{Pred: pred, Target: [][]float64{{1}}},
		{Pred: pred},
		{Pred: pred, Loss: biasvar.ZeroOne, Posterior: [][]float64{{.5, .5}}},
		{Pred: [][]float64{{0.5}}, Loss: biasvar.ZeroOne, Target: [][]float64{{0}}},
	} {
		if _, err := biasvar.FromPredictions(bad, biasvar.Options{}); !errors.As(err, &oe) {
			t.Errorf("%+v: %v, want an *OptionError", bad, err)
		}
	}
}
