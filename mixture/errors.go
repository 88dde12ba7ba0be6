package mixture

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is.
var (
	// ErrIllDefinedCovariance is wrapped by the error of a fit in which a
	// component's covariance is not positive definite, typically because the
	// component holds a single point or points that coincide (catalog M-12).
	ErrIllDefinedCovariance = errors.New("ill-defined covariance")
	// ErrNotFitted is returned by the methods of a zero Model (catalog M-10).
	ErrNotFitted = errors.New("mixture: the model is not fitted; call Fit, New or Load first")
	// ErrBadData is wrapped by errors about the values or shape of the data.
	ErrBadData = errors.New("bad data")
	// ErrBadParams is wrapped by errors about user-given or loaded
	// parameters (weights, means, covariances, precisions).
	ErrBadParams = errors.New("bad parameters")
	// ErrBadOption is wrapped by the error of an invalid field of Options,
	// an *OptionError naming it.
	ErrBadOption = errors.New("bad option")
)

// OptionError is the error of an invalid field of Options, returned before
// any work: Option is the field's name ("K", "RegCovar", "Covariance",
// "MaxIter" …), so that a caller (the CLI) can say which of its own
// settings to fix without reading the message. It wraps ErrBadOption, and
// em's error for the options em checks.
type OptionError struct {
	Option string // the field of Options
	msg    string // the whole message, "mixture: Options.K …"
	err    error  // em's error, or nil
}

func (e *OptionError) Error() string { return e.msg }

// Unwrap returns ErrBadOption and, for the options em checks, em's error.
func (e *OptionError) Unwrap() []error {
	if e.err == nil {
		return []error{ErrBadOption}
	}
	return []error{ErrBadOption, e.err}
}

// optionErrorf returns the *OptionError of the field option, with the
// message "mixture: Options.<option><text>" (text begins with its own
// separator: " = 3 …", ": …").
func optionErrorf(option, format string, a ...any) *OptionError {
	return &OptionError{Option: option, msg: "mixture: Options." + option + fmt.Sprintf(format, a...)}
}

// ComponentError is the error of a collapsed component: which one, its
// weight, how many points (units of weight) it holds, and the covariance
// settings that led there. It wraps ErrIllDefinedCovariance.
type ComponentError struct {
	Component  int            // 0-based
	Weight     float64        // its mixing weight
	Points     float64        // Σ_i w_i q_ik, the points it holds
	RegCovar   float64        // the regularisation in force
	Covariance CovarianceType // the covariance type in force
	During     string         // "initialisation" or "iteration N"
}

func (e *ComponentError) Error() string {
	return e.Message(func(option, value string) string {
		if value != "" {
			return "Options." + option + " = " + value
		}
		return "Options." + option
	})
}

// Message is the error's text with each option it advises to change
// named by name(option, value): option is a field of Options ("RegCovar",
// "K", "Covariance"), value "" or the value to set it to in Go ("Diag").
// Error names them "Options.RegCovar"; a command line names its flags.
func (e *ComponentError) Message(name func(option, value string) string) string {
	hint := fmt.Sprintf("raise the regularisation %s, lower %s, or scale the data", name("RegCovar", ""), name("K", ""))
	if f, ok := lookupFamily(e.Covariance); ok && f.fullScatter() {
		hint = fmt.Sprintf("raise the regularisation %s (e.g. 1e-4), lower %s, use diagonal covariances (%s), or scale the data",
			name("RegCovar", ""), name("K", ""), name("Covariance", "Diag"))
	}
	return fmt.Sprintf("%s: component %d (weight %.3g, %.3g points) has an %v (singular: a single point or points that coincide, with reg_covar %g); %s",
		e.During, e.Component, e.Weight, e.Points, ErrIllDefinedCovariance, e.RegCovar, hint)
}

func (e *ComponentError) Unwrap() error { return ErrIllDefinedCovariance }

// dataErrorf and paramErrorf return "mixture: bad data: …" and "mixture:
// bad parameters: …", wrapping ErrBadData and ErrBadParams, as a *prefixed:
// fit knows them by their type for mixture's own, already prefixed.
func dataErrorf(format string, a ...any) error {
	return &prefixed{fmt.Sprintf("mixture: %v: %s", ErrBadData, fmt.Sprintf(format, a...)), ErrBadData}
}

func paramErrorf(format string, a ...any) error {
	return &prefixed{fmt.Sprintf("mixture: %v: %s", ErrBadParams, fmt.Sprintf(format, a...)), ErrBadParams}
}

// prefixed is an error with its own message that unwraps to err.
type prefixed struct {
	msg string
	err error
}

func (p *prefixed) Error() string { return p.msg }
func (p *prefixed) Unwrap() error { return p.err }
