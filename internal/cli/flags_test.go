package cli

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/spf13/pflag"
)

func TestFlagChecks(t *testing.T) {
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.String("target", "", "")
	fs.String("data", "", "")
	fs.Float64("test-fraction", 0, "")
	fs.String("test", "", "")
	fs.Int("k", 5, "")
	if err := fs.Parse([]string{"--target", "y", "--test", "t.csv", "--test-fraction", "0.2", "--k", "0"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		want string // "" for nil
	}{
		{"positive ok", Positive("--lr", 0.1), ""},
		{"positive zero", Positive("--lr", 0), "--lr 0: give a finite number > 0"},
		{"positive NaN", Positive("--lr", math.NaN()), "--lr NaN: give a finite number > 0"},
		{"positive Inf", Positive("--lr", math.Inf(1)), "--lr +Inf: give a finite number > 0"},
		{"non-negative zero", NonNegative("--tol", 0), ""},
		{"non-negative", NonNegative("--tol", -1), "--tol -1: give a finite number ≥ 0"},
		{"non-negative NaN", NonNegative("--tol", math.NaN()), "--tol NaN: give a finite number ≥ 0"},
		{"at least", AtLeast("--epochs", 0, 1), "--epochs 0: give at least 1"},
		{"at least ok", AtLeast("--epochs", 1, 1), ""},
		{"one of", OneOf("--optimizer", "rmsprop", "adam", "sgd", "momentum"), `--optimizer "rmsprop": use adam, sgd or momentum`},
		{"one of ok", OneOf("--optimizer", "sgd", "adam", "sgd"), ""},
		{"want", Want("--val", 1.0, false, "give a fraction in [0, 1)"), "--val 1: give a fraction in [0, 1)"},
		{"requires", Requires(fs, "target", "data"), "--target needs --data"},
		{"requires one of", Requires(fs, "target", "data", "test"), ""},
		{"requires not given", Requires(fs, "data", "target"), ""},
		{"exclusive", Exclusive(fs, "test", "test-fraction"), "give --test or --test-fraction, not both"},
		{"exclusive three", Exclusive(fs, "test", "test-fraction", "target"), "give only one of --test, --test-fraction, --target"},
		{"exclusive one", Exclusive(fs, "data", "test"), ""},
		{"validate first", Validate(nil, AtLeast("--k", 0, 1), Positive("--lr", 0)), "--k 0: give at least 1"},
		{"validate none", Validate(nil, nil), ""},
	} {
		if c.want == "" {
			if c.err != nil {
				t.Errorf("%s: got %v, want nil", c.name, c.err)
			}
			continue
		}
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("%s: got %v, want %q", c.name, c.err, c.want)
			continue
		}
		if !IsUsage(c.err) {
			t.Errorf("%s: %v is not a usage error", c.name, c.err)
		}
	}
	if !Given(fs, "k") || Given(fs, "data") {
		t.Errorf("Given: --k 0 typed got %v, --data absent got %v; want true, false", Given(fs, "k"), Given(fs, "data"))
	}
}

type ownUsage struct{}

func (ownUsage) Error() string { return "own" }
func (ownUsage) IsUsage() bool { return true }

func TestIsUsage(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{Usagef("x"), true},
		{fmt.Errorf("wrapped: %w", Usagef("x")), true},
		{ownUsage{}, true},
		{fmt.Errorf("wrapped: %w", ownUsage{}), true},
		{errors.New("x"), false},
		{nil, false},
	} {
		if got := IsUsage(c.err); got != c.want {
			t.Errorf("IsUsage(%v): got %v, want %v", c.err, got, c.want)
		}
	}
	base := errors.New("base")
	if err := Usagef("flag: %w", base); !errors.Is(err, base) {
		t.Errorf("Usagef does not wrap with %%w: %v", err)
	}
}
