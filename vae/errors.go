package vae

import "fmt"

// OptionError reports an option that cannot be used, before any work: its
// name as a Go user writes it ("Options.LR", "Config.Latent",
// "EvalOptions.Samples"), the value given and why it cannot be used.
// Callers branch on it with errors.As; latent's CLI maps Option to the
// flag that set it.
type OptionError struct {
	Option string
	Value  any
	Reason string
}

// Error names the option, its value and the reason.
func (e *OptionError) Error() string {
	return fmt.Sprintf("vae: %s %v: %s", e.Option, e.Value, e.Reason)
}

func optionError(option string, value any, reason string, a ...any) *OptionError {
	return &OptionError{Option: option, Value: value, Reason: fmt.Sprintf(reason, a...)}
}
