package mixture

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// A bad option is an *OptionError naming its field of Options, wrapping
// ErrBadOption, with a message that says "Options.<field>".
func TestOptionErrors(t *testing.T) {
	x := uniform(newRNG(6), 20, 2)
	var zero Model
	for _, c := range []struct {
		o      Options
		option string
	}{
		{Options{K: -1}, "K"},
		{Options{Covariance: "banana"}, "Covariance"},
		{Options{Init: "banana"}, "Init"},
		{Options{Kernel: "blas"}, "Kernel"},
		{Options{RegCovar: -1e-6}, "RegCovar"},
		{Options{RegCovar: 1 / zeroFloat()}, "RegCovar"},
		{Options{MaxIter: -5}, "MaxIter"},
		{Options{Tol: -1e-3}, "Tol"},
		{Options{NInit: -2}, "NInit"},
		{Options{Workers: -1}, "Workers"},
		{Options{BlockRows: -1}, "BlockRows"},
		{Options{FeatureNames: []string{"a"}}, "FeatureNames"},
		{Options{WarmStart: &zero}, "WarmStart"},
		{Options{K: 3, WarmStart: mustFit(t, x, Options{K: 2})}, "WarmStart"},
	} {
		_, _, err := Fit(context.Background(), x, c.o)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != c.option {
			t.Errorf("%+v: got %v, want an *OptionError for %s", c.o, err, c.option)
			continue
		}
		if !errors.Is(err, ErrBadOption) {
			t.Errorf("%+v: %v does not wrap ErrBadOption", c.o, err)
		}
		if !strings.HasPrefix(err.Error(), "mixture: Options."+c.option) {
			t.Errorf("%+v: message %q does not begin with mixture: Options.%s", c.o, err, c.option)
		}
	}
	_, _, err := Fit(context.Background(), x, Options{WarmStart: &zero})
	if !errors.Is(err, ErrNotFitted) {
		t.Errorf("a zero WarmStart: %v does not wrap ErrNotFitted", err)
	}
	_, _, err = FitSource(context.Background(), em.Matrix(x, nil), x, Options{Weights: make([]float64, 20)})
	if oe := (*OptionError)(nil); !errors.As(err, &oe) || oe.Option != "Weights" {
		t.Errorf("FitSource with Weights: %v, want an *OptionError for Weights", err)
	}
}

func zeroFloat() float64 { return 0 }

func mustFit(t *testing.T, x mat.Matrix, o Options) *Model {
	t.Helper()
	m, _, err := Fit(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Every error of Fit says "mixture: " once, at its start, whether it comes
// from the package (bad start parameters), from em (cancelled, a row of
// zero density, several starts) or is a *ComponentError; and each keeps
// its type for errors.Is/As.
func TestFitErrorsPrefixedOnce(t *testing.T) {
	x := uniform(newRNG(7), 30, 2)
	dup := mat.NewDense(20, 2, nil)
	for i := 0; i < 20; i++ {
		dup.Set(i, 0, float64(i%2))
		dup.Set(i, 1, float64(i%2))
	}
	notPD := &Params{Weights: []float64{0.5, 0.5}, Means: mat.NewDense(2, 2, nil),
		Covariances: []*mat.SymDense{mat.NewSymDense(2, []float64{1, 2, 2, 1}), mat.NewSymDense(2, []float64{1, 0, 0, 1})}}
	far := mat.NewDense(3, 1, []float64{0, 1, 1e200})
	farStart := &Params{Weights: []float64{1}, Means: mat.NewDense(1, 1, nil), Covariances: []*mat.SymDense{mat.NewSymDense(1, []float64{1e-300})}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		x    mat.Matrix
		o    Options
		is   error
		frag string
	}{
		{"bad start", context.Background(), x, Options{K: 2, Start: notPD}, ErrBadParams, "mixture: bad parameters: covariances[0] (full)"},
		{"bad start, 2 starts", context.Background(), x, Options{K: 2, Start: notPD, NInit: 2}, ErrBadParams, "mixture: start 1 of 2: mixture: bad parameters"},
		{"collapse", context.Background(), dup, Options{K: 2, RegCovar: NoRegCovar}, ErrIllDefinedCovariance, "mixture: initialisation: component 0"},
		{"collapse, 2 starts", context.Background(), dup, Options{K: 2, RegCovar: NoRegCovar, NInit: 2}, ErrIllDefinedCovariance, "mixture: start 1 of 2: initialisation: component 0"},
		{"cancelled", cancelled, x, Options{K: 2}, context.Canceled, "mixture: em: context canceled"},
		{"zero density", context.Background(), far, Options{K: 1, Start: farStart, RegCovar: NoRegCovar}, errZeroDensity, "mixture: data row 3: its density is 0"},
	} {
		_, _, err := Fit(c.ctx, c.x, c.o)
		if err == nil || !strings.HasPrefix(err.Error(), c.frag) {
			t.Errorf("%s: got %v, want it to begin %q", c.name, err, c.frag)
		}
		if !errors.Is(err, c.is) {
			t.Errorf("%s: %v does not wrap %v", c.name, err, c.is)
		}
	}
}

// The hint of a collapsed component names options, not the CLI's flags.
func TestComponentErrorNamesOptions(t *testing.T) {
	for _, c := range CovarianceTypes {
		msg := (&ComponentError{Covariance: c, During: "iteration 1"}).Error()
		if strings.Contains(msg, "--") || !strings.Contains(msg, "Options.RegCovar") || !strings.Contains(msg, "Options.K") {
			t.Errorf("%s: %q should name Options.RegCovar and Options.K, and no flag", c, msg)
		}
	}
}
