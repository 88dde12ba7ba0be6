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
)

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
	hint := "raise RegCovar (--reg-covar), lower K, or scale the data"
	if f, ok := lookupFamily(e.Covariance); ok && f.fullScatter() {
		hint = "raise RegCovar (--reg-covar, e.g. 1e-4), lower K, use diagonal covariances (--cov diag), or scale the data"
	}
	return fmt.Sprintf("%s: component %d (weight %.3g, %.3g points) has an %v (singular: a single point or points that coincide, with reg_covar %g); %s",
		e.During, e.Component, e.Weight, e.Points, ErrIllDefinedCovariance, e.RegCovar, hint)
}

func (e *ComponentError) Unwrap() error { return ErrIllDefinedCovariance }

func dataErrorf(format string, a ...any) error {
	return fmt.Errorf("mixture: %w: %s", ErrBadData, fmt.Sprintf(format, a...))
}

func paramErrorf(format string, a ...any) error {
	return fmt.Errorf("mixture: %w: %s", ErrBadParams, fmt.Sprintf(format, a...))
}
