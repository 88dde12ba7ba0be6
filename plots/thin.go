package plots

import "math"

// Default thinning thresholds (P-07): a chart of a million points is
// drawn from at most this many, chosen deterministically.
const (
	// DefaultMaxLinePoints is the most points drawn per line.
	DefaultMaxLinePoints = 4000
	// DefaultMaxScatterPoints is the most points drawn per scatter.
	DefaultMaxScatterPoints = 50000
)

// thinLine returns the indices of the points of a line drawn when it
// has more than maxPoints points: the points are cut into maxPoints/4
// runs of consecutive points, and of each run the first, the last, the
// lowest and the highest are kept, in their order (the "M4" rule of
// Jugel et al. 2014, by index rather than by pixel column). The line's
// envelope, its ends and its extremes are kept exactly. It returns nil
// when nothing needs thinning.
func thinLine(y []float64, maxPoints int) []int {
	n := len(y)
	if n <= maxPoints || maxPoints < 4 {
		return nil
	}
	runs := maxPoints / 4
	size := (n + runs - 1) / runs
	keep := make([]int, 0, 4*runs)
	for a := 0; a < n; a += size {
		b := min(a+size, n)
		lo, hi := a, a
		for i := a; i < b; i++ {
			if y[i] < y[lo] {
				lo = i
			}
			if y[i] > y[hi] {
				hi = i
			}
		}
		first, second := min(lo, hi), max(lo, hi)
		for _, i := range []int{a, first, second, b - 1} {
			if len(keep) == 0 || keep[len(keep)-1] < i {
				keep = append(keep, i)
			}
		}
	}
	return keep
}

// scatterBins is the side of the lattice on which thinScatter keeps one
// point per cell: finer than the pixels of a default chart's data area.
const scatterBins = 1024

// thinScatter returns the indices of the points of a scatter drawn when
// it has more than maxPoints points: the data range is cut into a
// scatterBins × scatterBins lattice and, per group, the first point (in
// input order) of each occupied cell is kept, so that outliers and the
// shape of every group survive; if more than maxPoints remain, every
// k-th of them is kept. It returns nil when nothing needs thinning.
func thinScatter(x, y []float64, groups []int, maxPoints int) []int {
	n := len(x)
	if n <= maxPoints || maxPoints < 1 {
		return nil
	}
	xmin, xmax := extent(x)
	ymin, ymax := extent(y)
	bin := func(v, lo, hi float64) int {
		if hi <= lo {
			return 0
		}
		return min(int((v-lo)/(hi-lo)*scatterBins), scatterBins-1)
	}
	seen := map[int][]uint64{}
	keep := make([]int, 0, min(n, 4*maxPoints))
	for i := range n {
		g := 0
		if groups != nil {
			g = groups[i]
		}
		bits := seen[g]
		if bits == nil {
			bits = make([]uint64, scatterBins*scatterBins/64)
			seen[g] = bits
		}
		cell := bin(x[i], xmin, xmax)*scatterBins + bin(y[i], ymin, ymax)
		if bits[cell/64]&(1<<(cell%64)) != 0 {
			continue
		}
		bits[cell/64] |= 1 << (cell % 64)
		keep = append(keep, i)
	}
	if len(keep) > maxPoints {
		step := (len(keep) + maxPoints - 1) / maxPoints
		k := 0
		for j := 0; j < len(keep); j += step {
			keep[k] = keep[j]
			k++
		}
		keep = keep[:k]
	}
	return keep
}

// extent returns the smallest and largest of v.
func extent(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}
