package biasvar_test

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/latentgo/latent/biasvar"
)

func TestParseLoss(t *testing.T) {
	for _, c := range []struct {
		in   string
		want biasvar.Loss
		err  string
	}{
		{"", "", ""},
		{"squared", biasvar.Squared, ""},
		{"01", biasvar.ZeroOne, ""},
		{"0-1", biasvar.ZeroOne, ""},
		{"zero-one", biasvar.ZeroOne, ""},
		{"log", biasvar.LogLoss, ""},
		{"hinge", "", `biasvar: Options.Loss "hinge": use squared, 01 or log`},
	} {
		got, err := biasvar.ParseLoss(c.in)
		if c.err != "" {
			var oe *biasvar.OptionError
			if !errors.As(err, &oe) || err.Error() != c.err {
				t.Errorf("%q: got error %v, want %q as an *OptionError", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if d, err := biasvar.ParseDesign("fixed"); d != biasvar.Fixed || err != nil {
		t.Errorf("design fixed: got %q, %v", d, err)
	}
	var oe *biasvar.OptionError
	if _, err := biasvar.ParseDesign("both"); !errors.As(err, &oe) || oe.Option != "Problem.Design" || oe.Named("--design") != `--design "both": use random or fixed` {
		t.Errorf("design both: got %v", err)
	}
}

func TestParseParams(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     []string
		fixed  map[string]float64
		knob   string
		values []float64
		err    string // the message with the option called --param, as the CLI says it
	}{
		{"none", nil, map[string]float64{}, "", nil, ""},
		{"fixed", []string{"k=5", " lambda = 0.5"}, map[string]float64{"k": 5, "lambda": 0.5}, "", nil, ""},
		{"range", []string{"degree=1:4", "lambda=1e-3"}, map[string]float64{"lambda": 1e-3}, "degree", []float64{1, 2, 3, 4}, ""},
		{"list", []string{"k=1,5,20"}, map[string]float64{}, "k", []float64{1, 5, 20}, ""},
		{"trailing comma", []string{"k=3,"}, nil, "", nil, `--param k: "" is not a number`},
		{"no equals", []string{"k"}, nil, "", nil, `--param "k": write NAME=VALUE, for example k=5`},
		{"no name", []string{"=3"}, nil, "", nil, `--param "=3": write NAME=VALUE, for example k=5`},
		{"not a number", []string{"k=abc"}, nil, "", nil, `--param k: "abc" is not a number`},
		{"twice", []string{"k=3", "k=4"}, nil, "", nil, "--param k: given twice"},
		{"knob twice", []string{"k=1:3", "k=4"}, nil, "", nil, "--param k: given twice"},
		{"two knobs", []string{"lambda=1:3", "degree=1:4"}, nil, "", nil, "--param degree=1:4: only one parameter can be swept (already sweeping lambda)"},
		{"bad range", []string{"k=5:1"}, nil, "", nil, `--param k: "5:1": the range ends (1) before it starts (5)`},
	} {
		p, err := biasvar.ParseParams(c.in)
		if c.err != "" {
			var oe *biasvar.OptionError
			if !errors.As(err, &oe) || oe.Option != "params" || oe.Named("--param") != c.err {
				t.Errorf("%s: got error %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !maps.Equal(p.Fixed, c.fixed) || p.Knob != c.knob || !slices.Equal(p.Values, c.values) {
			t.Errorf("%s: got %+v, want fixed %v, knob %q over %v", c.name, p, c.fixed, c.knob, c.values)
		}
	}
}

// Params make the same learners and knobs as NewLearner and NewKnob, and
// refuse a knob for one decomposition and none for a sweep.
func TestParamsLearnerAndSweep(t *testing.T) {
	p, err := biasvar.ParseParams([]string{"lambda=0.5", "degree=2:4"})
	if err != nil {
		t.Fatal(err)
	}
	knob, err := p.Sweep("ridge")
	if err != nil {
		t.Fatal(err)
	}
	if knob.Name != "degree" || !slices.Equal(knob.Values, []float64{2, 3, 4}) {
		t.Errorf("got knob %s over %v, want degree over [2 3 4]", knob.Name, knob.Values)
	}
	l, err := knob.New(3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := l.(interface{ String() string }).String(), "ridge(lambda=0.5,degree=3)"; got != want {
		t.Errorf("got learner %s, want %s", got, want)
	}
	var oe *biasvar.OptionError
	if _, err := p.Learner("ridge"); !errors.As(err, &oe) || oe.Value != "degree=2:4" {
		t.Errorf("a knob for one decomposition: got %v, want an *OptionError naming degree=2:4", err)
	}
	q, _ := biasvar.ParseParams([]string{"k=7"})
	if _, err := q.Sweep("knn"); !errors.As(err, &oe) {
		t.Errorf("a sweep without a knob: got %v, want an *OptionError", err)
	}
	if _, err := q.Learner("knn"); err != nil {
		t.Errorf("knn k=7: %v", err)
	}
	if _, err := q.Learner("poly"); !errors.As(err, &oe) || oe.Option != "params" {
		t.Errorf("poly k=7: got %v, want an *OptionError on params", err)
	}
	if _, err := q.Learner("svm"); !errors.As(err, &oe) || oe.Option != "learner" {
		t.Errorf("svm: got %v, want an *OptionError on learner", err)
	}
}

// SetNTest keeps the kind of test set: a grid of midpoints for the 1-D
// built-ins, drawn points otherwise.
func TestSetNTest(t *testing.T) {
	p := biasvar.Sine(10, 0.3)
	p.SetNTest(4)
	if got, want := p.Test.RawMatrix().Data, []float64{0.125, 0.375, 0.625, 0.875}; !slices.Equal(got, want) {
		t.Errorf("sine: got test points %v, want %v", got, want)
	}
	q := biasvar.Friedman1(10, 1)
	q.SetNTest(7)
	if q.Test != nil || q.NTest != 7 {
		t.Errorf("friedman1: got Test %v and NTest %d, want nil and 7", q.Test, q.NTest)
	}
}
