package csvio

import (
	"math"
	"strconv"
	"unsafe"
)

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumber parses the cell b, trimmed of spaces and tabs, when it is a
// plain decimal (plainDecimal) whose value is a finite float64, and
// reports whether it was. The value is the one strconv.ParseFloat gives,
// to the bit: a mantissa of at most 2^53 with a power of ten of at most 22
// is exact after one correctly rounded multiplication or division
// (Clinger 1990); every other number goes to strconv.ParseFloat, on the
// cell's bytes without a copy. It allocates nothing. On false the caller
// hands the cell to the exact reader, which says what is wrong with it.
func parseNumber(b []byte) (float64, bool) {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	i, neg := 0, false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var mant uint64
	nd, digits, exp10 := 0, 0, 0 // significant digits kept, all digits, decimal exponent
	exact := true
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		digits++
		if mant == 0 && b[i] == '0' {
			continue
		}
		if nd < 19 {
			mant = mant*10 + uint64(b[i]-'0')
			nd++
		} else {
			exact, exp10 = false, exp10+1
		}
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			digits++
			if mant == 0 && b[i] == '0' {
				exp10--
				continue
			}
			if nd < 19 {
				mant = mant*10 + uint64(b[i]-'0')
				nd++
				exp10--
			} else {
				exact = false
			}
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		e, ed := 0, 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if e < 1e6 {
				e = e*10 + int(b[i]-'0')
			}
			ed++
		}
		if ed == 0 {
			return 0, false
		}
		if eneg {
			e = -e
		}
		exp10 += e
	}
	if i != len(b) {
		return 0, false
	}
	if exact && mant <= 1<<53 && exp10 >= -22 && exp10 <= 22 {
		f := float64(mant)
		if exp10 >= 0 {
			f *= pow10[exp10]
		} else {
			f /= pow10[-exp10]
		}
		if neg {
			f = -f
		}
		return f, true
	}
	if mant == 0 {
		// All digits are zeros: the value is ±0 whatever the exponent.
		if neg {
			return math.Copysign(0, -1), true
		}
		return 0, true
	}
	v, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false // beyond ±1.8e308: the exact reader says so
	}
	return v, true
}
