// Package summary computes per-column descriptive statistics, as printed by
// `latent data describe`, and renders them.
//
// Mean and standard deviation come from gonum/stat (the sd with the n−1
// denominator, as pandas' describe and R's sd). Quartiles use linear
// interpolation between order statistics at position (n−1)·p, which is
// numpy's default, pandas' describe and R's quantile type 7, so the numbers
// match what users of those tools see. gonum's stat.Quantile with LinInterp
// is R's type 4 (position n·p) and gives other values on small samples.
//
// Finite data whose moments overflow float64 as computed (values near
// 1e200, whose squares are +Inf; or ±1.7e308, whose sum is) are summarised
// again on the column divided by a power of two near its largest |value|,
// which is exact, and the results scaled back: the mean is then finite, and
// the sd is +Inf only when the sd itself exceeds the largest float64. Data
// that do not overflow take the first path only, so their numbers are the
// bits gonum gives.
package summary

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

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
		mean, sd := meanSD(col)
		if r < 2 {
			sd = 0
		}
		sort.Float64s(col)
		out[j] = Column{Name: names[j], Count: r, Mean: mean, SD: sd,
			Min: col[0], Q25: Quantile7(col, 0.25), Q50: Quantile7(col, 0.5), Q75: Quantile7(col, 0.75), Max: col[r-1]}
	}
	return out
}

// meanSD is stat.MeanStdDev, redone on the column scaled by a power of two
// when finite data overflow it.
func meanSD(col []float64) (mean, sd float64) {
	mean, sd = stat.MeanStdDev(col, nil)
	if finite(mean) && (finite(sd) || len(col) < 2) {
		return mean, sd
	}
	big := 0.0
	for _, v := range col {
		if !finite(v) {
			return mean, sd // non-finite data: nothing to rescue
		}
		big = math.Max(big, math.Abs(v))
	}
	_, e := math.Frexp(big) // big = f·2^e, f in [½, 1): col/2^e is in [−1, 1]
	scaled := make([]float64, len(col))
	for i, v := range col {
		scaled[i] = math.Ldexp(v, -e)
	}
	m, s := stat.MeanStdDev(scaled, nil)
	return math.Ldexp(m, e), math.Ldexp(s, e)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Quantile7 returns the p-quantile of sorted x by linear interpolation at
// position (n−1)·p (R's type 7). It panics on an empty x. Between two
// order statistics whose difference overflows (−1e308 and 1e308) it
// interpolates as (1−t)·a + t·b instead, which stays finite.
func Quantile7(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	a, b, t := sorted[i], sorted[i+1], h-lo
	q := a + t*(b-a)
	if !finite(q) && finite(a) && finite(b) {
		q = (1-t)*a + t*b
	}
	return q
}

// Class is one class of a label column and how many rows hold it.
type Class struct {
	Class string `json:"class"`
	Count int    `json:"count"`
}

// Classes counts labels, in order of first appearance.
func Classes(labels []string) []Class {
	idx := map[string]int{}
	var out []Class
	for _, l := range labels {
		i, ok := idx[l]
		if !ok {
			i = len(out)
			idx[l] = i
			out = append(out, Class{Class: l})
		}
		out[i].Count++
	}
	return out
}

// Report is a data set described: what `latent data describe` prints, as
// text (WriteText) or JSON.
type Report struct {
	File    string   `json:"file"`
	Rows    int      `json:"rows"`
	Columns []Column `json:"columns"`
	Label   string   `json:"label,omitempty"`   // the label column's name
	Classes []Class  `json:"classes,omitempty"` // nil without a label column
}

// DescribeTable describes the numeric columns x, named by names, of the
// data set file, and counts its labels by class when labels is not nil
// (label names their column).
func DescribeTable(file string, x mat.Matrix, names []string, label string, labels []string) *Report {
	rows, _ := x.Dims()
	r := &Report{File: file, Rows: rows, Columns: Describe(x, names), Label: label}
	if labels != nil {
		r.Classes = Classes(labels)
	}
	return r
}

// WriteText writes the report as a right-aligned table, one row per column
// with 6 significant digits, then the classes of the label column.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "column\tcount\tmean\tsd\tmin\t25%\t50%\t75%\tmax\t")
	for _, c := range r.Columns {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Name, c.Count,
			g(c.Mean), g(c.SD), g(c.Min), g(c.Q25), g(c.Q50), g(c.Q75), g(c.Max))
	}
	tw.Flush()
	if r.Classes != nil {
		parts := make([]string, len(r.Classes))
		for i, k := range r.Classes {
			parts[i] = fmt.Sprintf("%s %d", k.Class, k.Count)
		}
		fmt.Fprintf(&b, "\nlabel %q: %d classes: %s\n", r.Label, len(r.Classes), strings.Join(parts, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// g formats a number for tables: 6 significant digits.
func g(v float64) string { return fmt.Sprintf("%.6g", v) }
