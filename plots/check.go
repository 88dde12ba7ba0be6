package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Errors that callers may branch on with errors.Is. Every error of the
// package wraps one of these or says in words what is wrong.
var (
	// ErrNoData: a series, a matrix or a chart has nothing to draw (P-02).
	ErrNoData = errors.New("no data to plot")
	// ErrNaN: a value is NaN (P-01).
	ErrNaN = errors.New("value is NaN")
	// ErrInf: a value is +Inf or −Inf (P-01).
	ErrInf = errors.New("value is infinite")
	// ErrLogScale: a value ≤ 0 would land on a log axis (P-04).
	ErrLogScale = errors.New("log axis needs values > 0")
)

// checkFinite returns an error naming what[i] when a value is NaN or
// infinite, and ErrNoData when v is empty.
func checkFinite(what string, v []float64) error {
	if len(v) == 0 {
		return fmt.Errorf("plots: %s is empty: %w", what, ErrNoData)
	}
	for i, x := range v {
		if err := finite(x); err != nil {
			return fmt.Errorf("plots: %s[%d] = %v: %w; remove or replace it before plotting", what, i, x, err)
		}
	}
	return nil
}

// finite returns ErrNaN or ErrInf for a non-finite x, nil otherwise.
func finite(x float64) error {
	switch {
	case math.IsNaN(x):
		return ErrNaN
	case math.IsInf(x, 0):
		return ErrInf
	}
	return nil
}

// checkMatrix is checkFinite for a matrix, naming the row and column.
func checkMatrix(what string, x mat.Matrix) error {
	r, c := x.Dims()
	if r == 0 || c == 0 {
		return fmt.Errorf("plots: %s has no rows: %w", what, ErrNoData)
	}
	for i := range r {
		for j := range c {
			v := x.At(i, j)
			if err := finite(v); err != nil {
				return fmt.Errorf("plots: %s[%d][%d] = %v: %w; remove or replace it before plotting", what, i, j, v, err)
			}
		}
	}
	return nil
}

// checkPositive returns ErrLogScale naming what[i] for the first v[i] ≤ 0.
func checkPositive(what string, v []float64) error {
	for i, x := range v {
		if !(x > 0) {
			return fmt.Errorf("plots: %s[%d] = %v cannot be drawn on a log axis: %w; use a linear axis, or plot a positive quantity (for a log-likelihood or ELBO, its negative)", what, i, x, ErrLogScale)
		}
	}
	return nil
}

// mustLen panics when the lengths of the named slices differ: a
// programmer error, like a dimension mismatch in gonum/mat.
func mustLen(what string, want int, got ...int) {
	for _, n := range got {
		if n != want {
			panic(fmt.Sprintf("plots: %s: lengths differ (%d and %d)", what, want, n))
		}
	}
}

// seriesName quotes a series name for messages, or numbers it.
func seriesName(name string, i int) string {
	if name == "" {
		return fmt.Sprintf("series %d", i)
	}
	return fmt.Sprintf("series %q", name)
}

// checkSpan returns an error wrapping ErrInf when the range of v, each
// value finite, is wider than float64 can hold (max − min overflows):
// such data cannot be binned or put on an axis.
func checkSpan(what string, v []float64) error {
	lo, hi := extent(v)
	if math.IsInf(hi-lo, 0) {
		return fmt.Errorf("plots: %s spans [%v, %v], wider than float64 can hold: %w", what, lo, hi, ErrInf)
	}
	return nil
}
