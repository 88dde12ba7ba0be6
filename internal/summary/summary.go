// Package summary computes per-column descriptive statistics, as printed by
// `latent data describe`.
//
// Mean and standard deviation come from gonum/stat (the sd with the n−1
// denominator, as pandas' describe and R's sd). Quartiles use linear
// interpolation between order statistics at position (n−1)·p, which is
// numpy's default, pandas' describe and R's quantile type 7, so the numbers
// match what users of those tools see. gonum's stat.Quantile with LinInterp
// is R's type 4 (position n·p) and gives other values on small samples.
package summary

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Column summarises one column.
type Column struct {
	Name  string  `json:"name"`
	Count int     `json:"count"`
	Mean  float64 `json:"mean"`
	SD    float64 `json:"sd"`
	Min   float64 `json:"min"`
	Q25   float64 `json:"q25"`
	Q50   float64 `json:"median"`
	Q75   float64 `json:"q75"`
	Max   float64 `json:"max"`
}

// Describe summarises each column of x, named by names. It panics when
// len(names) differs from the number of columns. With one row the sd is NaN
// in gonum; Describe reports 0 instead so that the result marshals to JSON.
func Describe(x mat.Matrix, names []string) []Column {
	r, c := x.Dims()
	if len(names) != c {
		panic("summary: names do not match the columns")
	}
	out := make([]Column, c)
	col := make([]float64, r)
	for j := range c {
		for i := range r {
			col[i] = x.At(i, j)
		}
		mean, sd := stat.MeanStdDev(col, nil)
		if r < 2 {
			sd = 0
		}
		sort.Float64s(col)
		out[j] = Column{Name: names[j], Count: r, Mean: mean, SD: sd,
			Min: col[0], Q25: Quantile7(col, 0.25), Q50: Quantile7(col, 0.5), Q75: Quantile7(col, 0.75), Max: col[r-1]}
	}
	return out
}

// Quantile7 returns the p-quantile of sorted x by linear interpolation at
// position (n−1)·p (R's type 7). It panics on an empty x.
func Quantile7(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}
