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

// Progress counts up to every round, from the calling goroutine; in a
// sweep it counts over the whole sweep and names the setting running.
func TestProgress(t *testing.T) {
	for _, c := range []struct {
		name               string
		run                func(biasvar.Options) error
		wantTotal, wantPts int
	}{
		{"decompose", func(o biasvar.Options) error {
			_, err := biasvar.Decompose(bg, biasvar.Sine(20, 0.3), biasvar.KNN{K: 3}, o)
			return err
		}, 123, 1},
		{"sweep", func(o biasvar.Options) error {
			knob, err := biasvar.NewKnob("knn", nil, "k", []float64{1, 2, 3})
			if err != nil {
				return err
			}
			_, err = biasvar.Sweep(bg, biasvar.Sine(20, 0.3), knob, o)
			return err
		}, 3 * 123, 3},
	} {
		var last biasvar.Progress
		points := map[int]bool{}
		calls := 0
		err := c.run(biasvar.Options{Rounds: 123, Workers: 3, Progress: func(p biasvar.Progress) {
			calls++
			if p.Done <= last.Done || p.Total != c.wantTotal || p.Point < last.Point {
				t.Errorf("%s: progress %+v after %+v", c.name, p, last)
			}
			last = p
			points[p.Point] = true
		}})
		if err != nil {
			t.Fatal(err)
		}
		if last.Done != c.wantTotal || len(points) != c.wantPts || calls == 0 {
			t.Errorf("%s: got last progress %+v over %d points, want %d done over %d", c.name, last, len(points), c.wantTotal, c.wantPts)
		}
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
	var oe *biasvar.OptionError
	if _, err := biasvar.NewProblem("sine", 10, -1); !errors.As(err, &oe) || oe.Option != "sigma" {
		t.Errorf("negative σ: got %v, want an *OptionError on sigma", err)
	}
}

// A training design or test set of the wrong shape is the programmer's
// mistake: a panic naming the sizes (the API contract's size rule).
func TestProblemShapePanics(t *testing.T) {
	for _, c := range []struct {
		mod  func(p *biasvar.Problem)
		want string
	}{
		{func(p *biasvar.Problem) { p.Design = biasvar.Fixed; p.TrainX = mat.NewDense(3, 1, nil) }, "TrainX is 3×1, want NTrain×Dim = 10×1"},
		{func(p *biasvar.Problem) { p.Test = mat.NewDense(2, 2, nil) }, "Test has 2 columns, want Dim = 1"},
	} {
		p := biasvar.Sine(10, 0.3)
		c.mod(p)
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("got panic %v, want %q", r, c.want)
				}
			}()
			biasvar.Decompose(bg, p, biasvar.KNN{K: 1}, biasvar.Options{Rounds: 2})
		}()
	}
}
