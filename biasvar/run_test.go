package biasvar_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
)

// Progress reports every round once, from the calling goroutine.
func TestProgress(t *testing.T) {
	total := 0
	_, err := biasvar.Decompose(bg, biasvar.Sine(20, 0.3), biasvar.KNN{K: 3}, biasvar.Options{Rounds: 123, Workers: 3, Progress: func(n int) { total += n }})
	if err != nil {
		t.Fatal(err)
	}
	if total != 123 {
		t.Errorf("progress summed to %d, want 123", total)
	}
}

// A cancelled context stops the run with an error wrapping context.Canceled.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(bg)
	calls := 0
	slow := biasvar.LearnerFunc(func(x *mat.Dense, y []float64, _ *rand.Rand) (biasvar.Model, error) {
		calls++
		if calls == 5 {
			cancel()
		}
		return biasvar.ModelFunc(func([]float64) float64 { return 0 }), nil
	})
	p := biasvar.Sine(5, 0.1)
	p.Test = mat.NewDense(1, 1, []float64{0.5})
	_, err := biasvar.Decompose(ctx, p, slow, biasvar.Options{Rounds: 100000, Workers: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if calls >= 100000 {
		t.Errorf("all rounds ran")
	}
}

// A learner that panics is a programmer error: the panic reaches the
// caller's goroutine, naming the round.
func TestLearnerPanic(t *testing.T) {
	bad := biasvar.LearnerFunc(func(x *mat.Dense, y []float64, _ *rand.Rand) (biasvar.Model, error) {
		panic("boom")
	})
	defer func() {
		p := recover()
		if p == nil || !strings.Contains(fmt.Sprint(p), "round") || !strings.Contains(fmt.Sprint(p), "boom") {
			t.Errorf("recovered %v", p)
		}
	}()
	biasvar.Decompose(bg, biasvar.Sine(5, 0.1), bad, biasvar.Options{Rounds: 10, Workers: 2})
	t.Error("no panic")
}

// Problems are validated with clear errors.
func TestProblemValidation(t *testing.T) {
	base := func() *biasvar.Problem { return biasvar.Sine(10, 0.3) }
	for _, c := range []struct {
		mod  func(p *biasvar.Problem)
		want string
	}{
		{func(p *biasvar.Problem) { p.F = nil }, "set F (regression) or Posterior"},
		{func(p *biasvar.Problem) { p.NTrain = 0 }, "NTrain = 0"},
		{func(p *biasvar.Problem) { p.Design = "both" }, `Design "both"`},
		{func(p *biasvar.Problem) { p.Design = biasvar.Fixed; p.TrainX = mat.NewDense(3, 1, nil) }, "TrainX is 3×1, want NTrain×Dim = 10×1"},
		{func(p *biasvar.Problem) { p.Test = mat.NewDense(2, 2, nil) }, "Test has 2 columns"},
		{func(p *biasvar.Problem) { p.F = func([]float64) float64 { return 1 / p.Test.At(0, 0) * 0 / 0 } }, "f = NaN at test point 0"},
		{func(p *biasvar.Problem) { p.SampleX = nil }, "SampleX is nil"},
	} {
		p := base()
		c.mod(p)
		_, err := biasvar.Decompose(bg, p, biasvar.KNN{K: 1}, biasvar.Options{Rounds: 2})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	if _, err := biasvar.NewProblem("sine", 10, -1); err == nil {
		t.Error("negative σ accepted")
	}
}
