package testutil

import (
	"fmt"
	"math"
	"testing"
)

// Close reports whether got is within atol + rtol·|want| of want.
// Infinities match only when equal; NaN never matches (see CloseNaN).
func Close(got, want, atol, rtol float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return false
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= atol+rtol*math.Abs(want)
}

// CloseNaN is Close, except that NaN matches NaN.
func CloseNaN(got, want, atol, rtol float64) bool {
	if math.IsNaN(got) && math.IsNaN(want) {
		return true
	}
	return Close(got, want, atol, rtol)
}

// AssertClose fails t when got is not Close to want; what names the quantity
// in the message, which reads "what: got X, want Y (atol, rtol)".
func AssertClose(t testing.TB, what string, got, want, atol, rtol float64) {
	t.Helper()
	if !Close(got, want, atol, rtol) {
		t.Errorf("%s: got %.17g, want %.17g (|diff| %.3g > atol %g + rtol %g·|want|)",
			what, got, want, math.Abs(got-want), atol, rtol)
	}
}

// AssertCloseSlice fails t at the first element of got that is not Close to
// want, and when the lengths differ.
func AssertCloseSlice(t testing.TB, what string, got, want []float64, atol, rtol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d values, want %d", what, len(got), len(want))
		return
	}
	for i := range got {
		if !Close(got[i], want[i], atol, rtol) {
			t.Errorf("%s[%d]: got %.17g, want %.17g (|diff| %.3g > atol %g + rtol %g·|want|)",
				what, i, got[i], want[i], math.Abs(got[i]-want[i]), atol, rtol)
			return
		}
	}
}

// MaxAbsDiff returns the largest |got[i] − want[i]|; it panics when the
// lengths differ, which is a bug in the test.
func MaxAbsDiff(got, want []float64) float64 {
	if len(got) != len(want) {
		panic(fmt.Sprintf("testutil: MaxAbsDiff of lengths %d and %d", len(got), len(want)))
	}
	m := 0.0
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > m || math.IsNaN(d) {
			m = d
		}
	}
	return m
}
