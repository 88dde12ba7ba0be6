package famix

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the model's parameters, one table per block: for each
// column its family's parameters per component (Bernoulli P(x = 1),
// Poisson λ, each categorical label's probability, the Gaussian's and
// t's mean, variance and ν).
func (m *Model) WriteText(w io.Writer) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := func(what string) {
		fmt.Fprintf(tw, "%s\t", what)
		for k := 0; k < m.k; k++ {
			fmt.Fprintf(tw, "%d\t", k+1)
		}
		fmt.Fprintln(tw)
	}
	line := func(what string, v func(k int) float64) {
		fmt.Fprintf(tw, "%s\t", what)
		for k := 0; k < m.k; k++ {
			fmt.Fprintf(tw, "%.4g\t", v(k))
		}
		fmt.Fprintln(tw)
	}
	head("component")
	line("weight", func(k int) float64 { return m.weight[k] })
	for _, bl := range m.blocks {
		switch f := bl.fam.(type) {
		case *bernoulli:
			for j, c := range bl.cols {
				line(m.colName(c)+" P(1)", func(k int) float64 { return f.p[k*f.d+j] })
			}
		case *poisson:
			for j, c := range bl.cols {
				line(m.colName(c)+" λ", func(k int) float64 { return f.lambda[k*f.d+j] })
			}
		case *categorical:
			for j, c := range bl.cols {
				prof := f.profile(j)
				for l, lab := range f.levels[j] {
					line(m.colName(c)+"="+lab, func(k int) float64 { return prof[k][l] })
				}
			}
		case *studentT:
			for j, c := range bl.cols {
				line(m.colName(c)+" mean", func(k int) float64 { return f.mu[k*f.p+j] })
				line(m.colName(c)+" variance", func(k int) float64 { return f.cov[k*f.p*f.p+j*f.p+j] })
			}
			if !f.gaussian {
				line("ν", func(k int) float64 { return f.nu[k] })
			}
		}
	}
	tw.Flush()
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// trimLines drops the spaces tabwriter leaves at the ends of lines.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
