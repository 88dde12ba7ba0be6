package main

import (
	"errors"
	"strings"

	"github.com/latentgo/latent/mixture"
)

// gmmOptionFlags maps the fields of mixture.Options (and of the memory
// guard's advice, "Options.K") to gmm fit's flags.
var gmmOptionFlags = map[string]string{
	"K": "-k", "Covariance": "--cov", "Init": "--init", "NInit": "--n-init", "MaxIter": "--max-iter", "Tol": "--tol",
	"RegCovar": "--reg-covar", "Seed": "--seed", "Prior": "--prior", "Known": "--known", "Weights": "--weights",
	"Fix": "--fix", "Start": "--init", "Missing": "--missing",
	"Options.K": "-k", "Options.Covariance": "--cov (diag)",
}

// gmmFlagError is the one place where mixture's typed errors meet the
// flags of the gmm commands (flags maps the fields of the options the
// command sets to its flags: gmmOptionFlags, bayesFlag, bootOptionFlags):
//
//   - an *mixture.OptionError of a field a flag set becomes a usage error
//     (exit 2) naming the flag;
//   - a *mixture.ComponentError's advice names the flags (--reg-covar, -k,
//     --cov diag) instead of the Options fields;
//   - the memory guard's *memlimit.Error says which flags to lower
//     (withFlags).
//
// The result still unwraps to the library's error (errors.Is/As).
// Other errors, and nil, pass unchanged.
func gmmFlagError(err error, flags map[string]string) error {
	if err == nil {
		return nil
	}
	var oe *mixture.OptionError
	if errors.As(err, &oe) {
		if f, ok := flags[oe.Option]; ok {
			return usagef("%s: %w", f, err)
		}
		return err
	}
	var ce *mixture.ComponentError
	if errors.As(err, &ce) {
		msg := ce.Message(func(option, value string) string {
			f, ok := flags[option]
			switch {
			case !ok:
				return "Options." + option
			case value != "":
				return f + " " + strings.ToLower(value)
			}
			return f
		})
		return &reworded{msg: strings.Replace(err.Error(), ce.Error(), msg, 1), err: err}
	}
	return withFlags(err, flags)
}

// reworded is err with its message said in the command line's words.
type reworded struct {
	msg string
	err error
}

func (r *reworded) Error() string { return r.msg }
func (r *reworded) Unwrap() error { return r.err }
