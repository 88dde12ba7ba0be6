package numfmt

import (
	"fmt"
	"math"
	"testing"
)

// C-48 (issue 22, item 19): numbers of 1e150 print in exponent form, not
// as 151 digits; below the limit Fixed is exactly %.Nf.
func TestFixed(t *testing.T) {
	for _, c := range []struct {
		v    float64
		prec int
		want string
	}{
		{1e150, 4, "1.0000e+150"},
		{-3.9e31, 2, "-3.90e+31"},
		{1e9, 3, "1.000e+09"},
		{999999999.5, 1, "999999999.5"},
		{math.Inf(1), 2, "+Inf"},
		{math.Inf(-1), 3, "-Inf"},
		{math.NaN(), 4, "NaN"},
	} {
		if got := Fixed(c.v, c.prec); got != c.want {
			t.Errorf("Fixed(%v, %d): got %q, want %q", c.v, c.prec, got, c.want)
		}
	}
	for _, v := range []float64{0, -0.0, 1.23456789, -543.21, 0.00004999, 12345678.9, math.Inf(1), math.NaN()} {
		for _, prec := range []int{1, 2, 3, 4} {
			if got, want := Fixed(v, prec), fmt.Sprintf("%.*f", prec, v); got != want {
				t.Errorf("Fixed(%v, %d): got %q, want %%.%df's %q", v, prec, got, prec, want)
			}
		}
	}
}
