package cli

import (
	"fmt"
	"math"
	"strings"

	"github.com/spf13/pflag"
)

// The flag checks. Each returns nil, or a *UsageError whose message starts
// with the flag and the value given, then says what to give:
//
//	--lr 0: give a finite number > 0
//	--optimizer "rmsprop": use adam, sgd or momentum
//
// A command runs them all through Validate in its RunE, before reading any
// data, so that a bad value is exit status 2 before any work:
//
//	if err := cli.Validate(
//		cli.AtLeast("--epochs", epochs, 1),
//		cli.Positive("--lr", lr),
//		cli.OneOf("--optimizer", opt, "adam", "sgd", "momentum"),
//		cli.Requires(cmd.Flags(), "target", "data"),
//	); err != nil {
//		return err
//	}
//
// A zero that the user typed is a value, never "the default": when a flag's
// default is not a value the user could type, test Given.

// Validate returns the first non-nil error of checks, or nil.
func Validate(checks ...error) error {
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// Want returns a usage error "FLAG VALUE: WANT" unless ok. It is the
// general form of the other checks: cli.Want("--val", v, v >= 0 && v < 1,
// "give a fraction in [0, 1)").
func Want(flag string, value any, ok bool, want string) error {
	if ok {
		return nil
	}
	return Usagef("%s %s: %s", flag, show(value), want)
}

// Positive requires a finite v > 0.
func Positive(flag string, v float64) error {
	return Want(flag, v, v > 0 && !math.IsInf(v, 0), "give a finite number > 0")
}

// NonNegative requires a finite v ≥ 0.
func NonNegative(flag string, v float64) error {
	return Want(flag, v, v >= 0 && !math.IsInf(v, 0), "give a finite number ≥ 0")
}

// AtLeast requires an integer v ≥ min.
func AtLeast(flag string, v, min int) error {
	return Want(flag, v, v >= min, fmt.Sprintf("give at least %d", min))
}

// OneOf requires v to be one of choices.
func OneOf(flag, v string, choices ...string) error {
	for _, c := range choices {
		if v == c {
			return nil
		}
	}
	return Want(flag, v, false, "use "+list(choices))
}

// Given reports whether the user set flag name (without dashes) on the
// command line, as opposed to leaving its default.
func Given(fs *pflag.FlagSet, name string) bool { return fs.Changed(name) }

// Requires says that flag (without dashes), when given, needs at least one
// of others: "--target needs --data".
func Requires(fs *pflag.FlagSet, flag string, others ...string) error {
	if !fs.Changed(flag) {
		return nil
	}
	for _, o := range others {
		if fs.Changed(o) {
			return nil
		}
	}
	return Usagef("--%s needs %s", flag, list(dashed(others)))
}

// Exclusive says that at most one of flags (without dashes) may be given:
// "give --test or --test-fraction, not both".
func Exclusive(fs *pflag.FlagSet, flags ...string) error {
	var given []string
	for _, f := range flags {
		if fs.Changed(f) {
			given = append(given, f)
		}
	}
	if len(given) < 2 {
		return nil
	}
	if len(given) == 2 {
		return Usagef("give --%s or --%s, not both", given[0], given[1])
	}
	return Usagef("give only one of %s", strings.Join(dashed(given), ", "))
}

// show formats a flag's value for a message: strings quoted, numbers as Go
// prints them (NaN, +Inf included).
func show(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func dashed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "--" + n
	}
	return out
}

// list joins "a, b or c".
func list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
