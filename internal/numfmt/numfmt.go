// Package numfmt formats numbers for latent's text tables and summaries.
//
// Fixed is the one rule for a number printed with a fixed number of
// decimals: fixed-point ("%.4f") below FixedLimit in magnitude, where a
// table's column stays narrow, and exponent form ("%.4e") from there on,
// so that a value of 1e150 prints as 1.0000e+150 and not as 151 digits
// and four decimals. Values a valid run prints are far below the limit,
// and print exactly as %.Nf prints them.
package numfmt

import (
	"math"
	"strconv"
)

// FixedLimit is the magnitude from which Fixed switches to exponent form.
const FixedLimit = 1e9

// Fixed formats v with prec decimals: as %.*f when |v| < FixedLimit (and
// for NaN and ±Inf, as Go prints them: NaN, +Inf, -Inf), as %.*e above.
func Fixed(v float64, prec int) string {
	if math.Abs(v) >= FixedLimit && !math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'e', prec, 64)
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}
