package csvio

import (
	"math"
	"strconv"
	"strings"
)

// missingMarkers are the spellings of a missing value that pandas recognises
// by default; they get a "missing value" message rather than "not a number".
var missingMarkers = map[string]bool{
	"na": true, "n/a": true, "#n/a": true, "null": true, "none": true, "nil": true,
	"-nan": true, "1.#ind": true, "-1.#ind": true, "1.#qnan": true, "-1.#qnan": true,
	"#na": true, "<na>": true, "?": true, "-": true, ".": true,
}

// missingHint is the hint of a missing value in a read that refuses them.
const missingHint = "to read missing values, use --missing (Options.Missing): empty cells and the markers it lists, e.g. --missing NA,?; or remove or impute the row"

var nonFinite = map[string]bool{
	"nan": true, "+nan": true, "inf": true, "+inf": true, "-inf": true,
	"infinity": true, "+infinity": true, "-infinity": true,
}

// parseCell turns one cell into a float64 under the package rules. On error
// it returns the sentinel, a detail and a hint for an *Error.
func parseCell(s string) (v float64, err error, detail, hint string) {
	t := strings.Trim(s, " \t")
	if t == "" {
		return 0, ErrMissing, "empty cell (a missing value)", missingHint
	}
	if ok := plainDecimal(t); !ok {
		low := strings.ToLower(t)
		switch {
		case nonFinite[low]:
			return 0, ErrNonFinite, "NaN or infinity is not allowed", "remove or impute the row"
		case missingMarkers[low]:
			return 0, ErrMissing, "missing-value marker", missingHint
		case strings.Contains(t, "_") && plainDecimal(strings.ReplaceAll(t, "_", "")):
			return 0, ErrSyntax, "digit separators ('_') are not allowed", "write the number without them"
		case strings.HasPrefix(low, "0x") || strings.HasPrefix(low, "-0x") || strings.HasPrefix(low, "+0x"):
			return 0, ErrSyntax, "hexadecimal numbers are not allowed", "write it in decimal"
		case strings.Count(t, ",") == 1 && plainDecimal(strings.Replace(t, ",", ".", 1)):
			return 0, ErrNotNumber, "not a number (decimal comma?)", "use '.' as the decimal mark, or set the delimiter to match the file"
		}
		return 0, ErrNotNumber, "", "every column except the label must hold numbers; name a text column with --label, or check the delimiter"
	}
	v, perr := strconv.ParseFloat(t, 64)
	if perr != nil || math.IsInf(v, 0) {
		// plainDecimal admits only what ParseFloat parses, so the one
		// failure left is overflow.
		return 0, ErrRange, "out of range for a float64 (beyond ±1.8e308)", "rescale the column"
	}
	return v, nil, "", ""
}

// plainDecimal reports whether s is [+-]digits[.digits][(e|E)[+-]digits]
// with at least one digit in the mantissa.
func plainDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// looksLikeData reports whether a cell of the first row is consistent with
// that row being data: a number, a NaN or infinity, an empty cell or a
// missing-value marker. The first row is a header when some cell is not; a
// first row of data with a NaN or a gap is then rejected with its line
// rather than silently taken for a header.
func looksLikeData(s string) bool {
	t := strings.Trim(s, " \t")
	low := strings.ToLower(t)
	return t == "" || plainDecimal(t) || nonFinite[low] || missingMarkers[low]
}
