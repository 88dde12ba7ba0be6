package biasvar

import "math"

// jack accumulates jackknife replicates θ₍₋ᵣ₎ around a shift c close to
// their mean (the full-sample estimate), so that the sum of squares does
// not cancel catastrophically.
type jack struct {
	c, s1, s2 float64
	n         int
}

func (j *jack) add(theta float64) {
	d := theta - j.c
	j.s1 += d
	j.s2 += d * d
	j.n++
}

// se returns the jackknife standard error √((n−1)/n · Σ(θ₍₋ᵣ₎ − θ̄)²), or
// NaN with fewer than 2 replicates or a non-finite replicate.
func (j *jack) se() float64 {
	if j.n < 2 {
		return math.NaN()
	}
	n := float64(j.n)
	m := j.s1 / n
	ss := j.s2 - n*m*m
	if ss < 0 {
		ss = 0
	}
	return math.Sqrt((n - 1) / n * ss)
}

func newJacks(shift []float64) []jack {
	j := make([]jack, len(shift))
	for i, c := range shift {
		j[i].c = c
	}
	return j
}

func jackSEs(js []jack) []float64 {
	out := make([]float64, len(js))
	for i := range js {
		out[i] = js[i].se()
	}
	return out
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// allFinite reports whether every value is finite.
func allFinite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// nilIfNaN returns nil when x holds a NaN (standard errors that could not be
// estimated), so that JSON stays valid.
func nilIfNaN(x []float64) []float64 {
	if !allFinite(x) {
		return nil
	}
	return x
}
