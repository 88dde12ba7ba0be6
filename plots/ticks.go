package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// linearTicks places 4 to 7 labelled ticks at round values (1, 2 or 5
// times a power of ten apart) and an unlabelled tick half-way between
// them; gonum/plot's DefaultTicks aims at 3, too few for a trace.
type linearTicks struct{}

// Ticks returns the ticks in [lo, hi], implementing plot.Ticker.
func (linearTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return endTicks(lo, hi)
	}
	step := niceStep((hi - lo) / 6)
	// Round steps can leave few labels (a range of 1.4 gets a step of
	// 0.5): take the next smaller round step until at least 4 are labelled.
	for range 3 {
		if math.Floor(hi/step+1e-9)-math.Ceil(lo/step-1e-9)+1 >= 4 {
			break
		}
		step = smallerStep(step)
	}
	prec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if math.Max(math.Abs(lo), math.Abs(hi))/step > 1e14 {
		// The step is lost in the magnitude of the values (a constant
		// series at 1e15 widened by ±1): counting steps would not end.
		return endTicks(lo, hi)
	}
	var ticks []plot.Tick
	first := math.Ceil(lo/step - 1e-9)
	for k := first - 1; ; k++ {
		v := k * step
		if v > hi+step*1e-9 {
			break
		}
		if v >= lo-step*1e-9 {
			if v == 0 {
				v = 0 // no "-0"
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: formatTick(v, prec)})
		}
		if m := v + step/2; m >= lo && m <= hi {
			ticks = append(ticks, plot.Tick{Value: m})
		}
	}
	return ticks
}

// endTicks labels the ends of a range, the fallback when round steps do
// not work.
func endTicks(lo, hi float64) []plot.Tick {
	if !(hi >= lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	return []plot.Tick{
		{Value: lo, Label: strconv.FormatFloat(lo, 'g', 6, 64)},
		{Value: hi, Label: strconv.FormatFloat(hi, 'g', 6, 64)},
	}
}

// smallerStep returns the round step (1, 2 or 5 times a power of ten)
// below step.
func smallerStep(step float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
	switch m := math.Round(step / p); {
	case m >= 5:
		return 2 * p
	case m >= 2:
		return p
	default:
		return p / 2
	}
}

// formatTick writes v with prec decimals, switching to exponent form for
// very large or very small magnitudes.
func formatTick(v float64, prec int) string {
	if a := math.Abs(v); a != 0 && (a >= 1e6 || prec > 5) {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// logTicks labels every power of ten in range, with unlabelled ticks at
// 2…9 times each; when fewer than two powers of ten are in range, 2× and
// 5× are labelled too. (gonum/plot's LogTicks starts a decade late for
// ranges below 1: it truncates log10 towards zero.)
type logTicks struct{}

// Ticks returns the ticks in [lo, hi], implementing plot.Ticker. It
// returns none unless 0 < lo < hi.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0 && hi > lo) || math.IsInf(hi, 0) {
		return nil
	}
	d0 := int(math.Floor(math.Log10(lo)))
	d1 := int(math.Ceil(math.Log10(hi)))
	decades := 0
	for d := d0; d <= d1; d++ {
		if v := math.Pow(10, float64(d)); v >= lo && v <= hi {
			decades++
		}
	}
	var ticks []plot.Tick
	for d := d0; d <= d1; d++ {
		p := math.Pow(10, float64(d))
		for m := 1; m < 10; m++ {
			v := float64(m) * p
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || (decades < 2 && (m == 2 || m == 5)) {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}
