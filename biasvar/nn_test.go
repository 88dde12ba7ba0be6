package biasvar_test

import (
	"testing"

	"github.com/latentgo/latent/biasvar"
)

// The MLP regressor from package nn fits the sine with little bias: its
// bias² is a small fraction of the straight line's (about 0.19, the
// squared distance from sin 2πx to its best line).
func TestMLPRegression(t *testing.T) {
	p := biasvar.Sine(40, 0.3)
	p.Design = biasvar.Fixed
	rep, err := biasvar.Decompose(bg, p, biasvar.MLP{Hidden: 8, Epochs: 600}, biasvar.Options{Rounds: 24, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rounds.Failed != 0 || rep.Totals.Bias2.Value > 0.03 || !rep.Check.OK {
		t.Errorf("mlp: %+v, bias² %v, check %+v", rep.Rounds, rep.Totals.Bias2.Value, rep.Check)
	}
	// An underfitting linear model has the squared bias of the best line.
	lin, _ := biasvar.Decompose(bg, p, biasvar.Poly{Degree: 1}, biasvar.Options{Rounds: 24, Seed: 1})
	if !(rep.Totals.Error.Value < lin.Totals.Error.Value) {
		t.Errorf("mlp error %v not below the line's %v", rep.Totals.Error.Value, lin.Totals.Error.Value)
	}
}

// Logistic regression on TwoGaussians, whose Bayes boundary is linear: the
// zero-one bias is near 0 (the main prediction is Bayes-optimal almost
// everywhere) and Domingos' and Heskes' identities hold.
func TestLogisticAndMLPClassifier(t *testing.T) {
	p := biasvar.TwoGaussians(60)
	for _, l := range []biasvar.Learner{biasvar.Logistic{}, biasvar.MLPClassifier{Hidden: 6, Epochs: 150}} {
		for _, loss := range []biasvar.Loss{biasvar.ZeroOne, biasvar.LogLoss} {
			rep, err := biasvar.Decompose(bg, p, l, biasvar.Options{Rounds: 30, Seed: 2, Loss: loss})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Check.OK || rep.Rounds.Failed != 0 {
				t.Errorf("%s %s: check %+v, rounds %+v", rep.Learner, loss, rep.Check, rep.Rounds)
			}
			if _, ok := l.(biasvar.Logistic); ok && loss == biasvar.ZeroOne && rep.Totals.Bias.Value > 0.05 {
				t.Errorf("logistic: 0-1 bias %v on a linear Bayes boundary", rep.Totals.Bias.Value)
			}
		}
	}
}
