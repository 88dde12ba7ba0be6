package biasvar_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/nn"
)

// B-40 (issue 22, item 4): a parameter value of 0 is that value or an
// error, never the default (k = 0 used to run k = 5 labelled k = 0);
// negative values are errors before any round, for run and sweep alike.
func TestZeroIsAValue(t *testing.T) {
	for _, info := range biasvar.Learners() {
		for _, p := range info.Params {
			l, err := biasvar.NewLearner(info.Name, map[string]float64{p.Name: 0})
			var oe *biasvar.OptionError
			switch {
			case err != nil && !errors.As(err, &oe):
				t.Errorf("%s %s=0: got %v, want an *OptionError", info.Name, p.Name, err)
			case err == nil && p.Name == "depth":
				// depth 0 is documented as unlimited ("tree(depth=inf)").
			case err == nil && strings.Contains(fmt.Sprint(l), p.Name+"=") && !strings.Contains(fmt.Sprint(l), p.Name+"=0"):
				// A learner whose name shows the parameter shows the 0.
				t.Errorf("%s %s=0: runs as %v", info.Name, p.Name, l)
			}
			if _, err := biasvar.NewLearner(info.Name, map[string]float64{p.Name: -1}); !errors.As(err, &oe) {
				t.Errorf("%s %s=-1: got %v, want an *OptionError", info.Name, p.Name, err)
			}
		}
	}
	for _, c := range []struct {
		learner string
		params  map[string]float64
		want    string // "" for valid
	}{
		{"knn", map[string]float64{"k": 0}, `learner "knn": parameter k = 0: give a value ≥ 1`},
		{"rff", map[string]float64{"features": 0}, "parameter features = 0: give a value ≥ 1"},
		{"rff", map[string]float64{"scale": 0}, "parameter scale = 0: give a value > 0"},
		{"mlp", map[string]float64{"lr": 0}, "parameter lr = 0: give a value > 0"},
		{"mlp", map[string]float64{"hidden": 0}, "parameter hidden = 0: give a value ≥ 1"},
		{"mlp", map[string]float64{"epochs": 0}, "parameter epochs = 0: give a value ≥ 1"},
		{"tree", map[string]float64{"min_leaf": 0}, "parameter min_leaf = 0: give a value ≥ 1"},
		{"ridge", map[string]float64{"lambda": -1e-3}, "parameter lambda = -0.001: give a value ≥ 0"},
		{"poly", map[string]float64{"degree": 0}, ""},
		{"tree", map[string]float64{"depth": 0}, ""},
		{"knnc", map[string]float64{"alpha": 0}, ""},
	} {
		_, err := biasvar.NewLearner(c.learner, c.params)
		if (c.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: got %v, want %q", c.learner, c.params, err, c.want)
		}
	}
	// A sweep through 0 is refused before any round.
	if _, err := biasvar.NewKnob("knn", nil, "k", []float64{0, 1, 5}); err == nil || !strings.Contains(err.Error(), "k = 0") {
		t.Errorf("sweep k=0,1,5: got %v, want an error naming k = 0", err)
	}
	if _, err := biasvar.NewKnob("knn", map[string]float64{"k": 0}, "", []float64{1, 5}); err != nil {
		t.Errorf("sweep over k with a fixed k=0 that the sweep replaces: %v", err)
	}
}

// N-40: the network learners go through the divergence rule every trainer
// shares: at a learning rate of 1e10 each round fails with a DivergedError
// (it used to report an error of 5.6e18 and a negative bias²).
func TestNetworksDiverge(t *testing.T) {
	p, err := biasvar.NewProblem("sine", 30, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []biasvar.Learner{biasvar.MLP{Hidden: 8, Epochs: 50, LR: 1e10}} {
		rep, err := biasvar.Decompose(context.Background(), p, l, biasvar.Options{Rounds: 3, Seed: 1})
		if !errors.Is(err, biasvar.ErrAllRoundsFailed) || rep != nil {
			t.Fatalf("%v: got report %v, error %v; want every round failed", l, rep, err)
		}
		if !strings.Contains(err.Error(), "mlp: training diverged at step ") || !strings.Contains(err.Error(), "lower the learning rate lr (1e+10)") {
			t.Errorf("%v: message %q", l, err)
		}
	}
	g, err := biasvar.NewProblem("gauss2", 40, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = biasvar.Decompose(context.Background(), g, biasvar.MLPClassifier{Hidden: 8, Epochs: 50, LR: 1e10}, biasvar.Options{Rounds: 2, Seed: 1, Loss: biasvar.ZeroOne})
	if !errors.Is(err, biasvar.ErrAllRoundsFailed) || !strings.Contains(err.Error(), "mlpc: training diverged") || !errors.Is(errors.Unwrap(err), biasvar.ErrAllRoundsFailed) {
		t.Errorf("mlpc lr 1e10: got %v", err)
	}
}

// C-45: a run whose arrays cannot fit is refused before any round, naming
// what to lower.
func TestMemoryGuard(t *testing.T) {
	p, err := biasvar.NewProblem("sine", 30, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		l     biasvar.Learner
		r     int
		lower string
	}{
		{biasvar.KNN{K: 5}, 1 << 40, "lower Options.Rounds, Problem.NTest or Problem.NTrain"},
		{biasvar.MLP{Hidden: 1 << 40}, 2, "lower Options.Rounds, Problem.NTest, Problem.NTrain or MLP.Hidden"},
	} {
		_, err := biasvar.Decompose(context.Background(), p, c.l, biasvar.Options{Rounds: c.r, Seed: 1})
		var me *biasvar.MemoryError
		if !errors.As(err, &me) || !errors.Is(err, nn.ErrMemory) || !strings.HasSuffix(err.Error(), c.lower) {
			t.Errorf("%v, %d rounds: got %v, want a *MemoryError ending %q", c.l, c.r, err, c.lower)
		}
	}
}
