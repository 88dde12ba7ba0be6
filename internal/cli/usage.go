package cli

import (
	"errors"
	"fmt"
)

// UsageError marks a mistake in the command line: cmd/latent prints it with
// a pointer to -h and exits with status 2, before any work is done.
type UsageError struct{ Err error }

func (u *UsageError) Error() string { return u.Err.Error() }
func (u *UsageError) Unwrap() error { return u.Err }

// IsUsage marks the error as a usage error for [IsUsage].
func (u *UsageError) IsUsage() bool { return true }

// Usagef returns a *UsageError with the formatted message (%w wraps).
func Usagef(format string, a ...any) error { return &UsageError{fmt.Errorf(format, a...)} }

// IsUsage reports whether an error in err's chain is a usage error: a
// *UsageError, or any error with an IsUsage() bool method that returns true
// (cmd/latent's own usage error type has one).
func IsUsage(err error) bool {
	var u interface{ IsUsage() bool }
	return errors.As(err, &u) && u.IsUsage()
}
