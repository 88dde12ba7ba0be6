package mixture

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/latentgo/latent/em"
)

// WriteText writes the report as `latent gmm fit` prints it: the data's
// size and columns, the fit's settings and status, the log-likelihood,
// BIC and AIC, a table of the components (weight, means, standard
// deviations), and EM's trace of the best start: per iteration the
// log-likelihood before it, the ELBO its M-step reached, the log-likelihood
// after it and the KL gap, the first and last six iterations of a long
// trace. The components' table needs the fitted model, so it is left out
// of a report that was not returned by Fit, FitSource or Select (one
// decoded from JSON, say).
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	m := r.model
	cols := defaultNames(r.Dim)
	if m != nil && m.names != nil {
		cols = m.FeatureNames()
	}
	fmt.Fprintf(&b, "%d rows × %d columns (%s)\n", r.Rows, r.Dim, strings.Join(cols, ", "))
	status := "converged"
	switch r.Status {
	case em.StatusMaxIter:
		status = "did NOT converge"
	case em.StatusNoIterations:
		status = "initialisation only"
	}
	starts := ""
	if len(r.Starts) > 1 {
		starts = fmt.Sprintf(", best of %d starts (#%d)", len(r.Starts), r.Best+1)
	}
	fmt.Fprintf(&b, "%d components, %s covariances, init %s, seed %d%s: %s after %d iterations (tol %g)\n",
		r.K, r.Covariance, r.Init, r.Seed, starts, status, r.Iterations, r.Tol)
	fmt.Fprintf(&b, "log-likelihood %.6f per row (%.4f in total), %d free parameters\n", r.LogLikelihood, r.LogLikelihood*r.Weight, r.NumParams)
	if p := r.Prior; p != nil {
		fmt.Fprintf(&b, "MAP under the conjugate prior (shrinkage %g, dof %g; Fraley & Raftery 2007): the log-likelihood and criteria are the MAP parameters'\n", p.Shrinkage, p.Dof)
	}
	fmt.Fprintf(&b, "BIC %.4f, AIC %.4f (scikit-learn's sign, lower is better); mclust's BIC 2·logL − p·ln n = %.4f (higher is better)\n", r.BIC, r.AIC, r.MclustBIC)
	r.DataReport.writeText(&b, r.Weight, r.Rows)
	b.WriteByte('\n')
	if m != nil {
		writeComponents(&b, m, cols)
	}
	if r.Best >= 0 && r.Best < len(r.Starts) {
		writeTrace(&b, r.Starts[r.Best].Trace, m != nil)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeComponents writes the table of the components: weight, means and
// standard deviations.
func writeComponents(b *bytes.Buffer, m *Model, cols []string) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "component\tweight\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "mean %s\t", c)
	}
	for _, c := range cols {
		fmt.Fprintf(tw, "sd %s\t", c)
	}
	fmt.Fprintln(tw)
	means := m.Means(nil)
	weights := m.Weights(nil)
	for k := 0; k < m.K(); k++ {
		fmt.Fprintf(tw, "%d\t%.4f\t", k, weights[k])
		for j := 0; j < m.d; j++ {
			fmt.Fprintf(tw, "%.5g\t", means.At(k, j))
		}
		cov := m.Covariance(nil, k)
		for j := 0; j < m.d; j++ {
			fmt.Fprintf(tw, "%.4g\t", math.Sqrt(cov.At(j, j)))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// writeTrace writes EM's iterations, eliding the middle of a long trace,
// after a blank line when gap is set.
func writeTrace(b *bytes.Buffer, tr []em.Iteration, gap bool) {
	if len(tr) == 0 {
		return
	}
	if gap {
		b.WriteByte('\n')
	}
	fmt.Fprintf(b, "EM, per row: log p(x|θ_n) = ELBO(q_{n-1}, θ_n) + KL(q_{n-1} ‖ p(z|x, θ_n)); the E-step closes the KL gap\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "iter\tlog p(x|θ_{n-1})\tELBO(q_{n-1},θ_n)\tlog p(x|θ_n)\tKL gap\t")
	for i, it := range tr {
		if len(tr) > 12 && i == 6 {
			fmt.Fprintf(tw, "…\t\t\t\t\t\n")
		}
		if len(tr) > 12 && i >= 6 && i < len(tr)-6 {
			continue
		}
		flag := ""
		if it.Decrease {
			flag = "  (log-likelihood fell: more than rounding)"
		}
		fmt.Fprintf(tw, "%d\t%.8f\t%.8f\t%.8f\t%.3e\t%s\n", it.Iter, it.LogLik, it.ELBO, it.Next, it.KL, flag)
	}
	tw.Flush()
}

// WriteText writes the selection's table as `latent gmm fit` prints it: one
// row per fit (covariance type, K, BIC, AIC, mean log-likelihood, free
// parameters, iterations, converged), the best marked, a failed fit with its
// error; then a blank line.
func (s *Selection) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Model selection by %s (lower is better; mclust's BIC is -BIC, higher is better):\n", strings.ToUpper(string(s.Criterion)))
	if s.WeightSum > 0 {
		fmt.Fprintf(&b, "weighted rows: BIC's n is the sum of the weights, %.6g\n", s.WeightSum)
	}
	b.WriteByte('\n')
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "covariance\tK\tBIC\tAIC\tICL\tlog-lik/row\tparams\titer\tconverged\t")
	for i, c := range s.Candidates {
		mark := ""
		if i == s.Best {
			mark = " ← best"
		}
		if c.Error != "" {
			fmt.Fprintf(tw, "%s\t%d\t-\t-\t-\t-\t-\t-\t-\t  failed: %s\n", c.Covariance, c.K, c.Error)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.5f\t%d\t%d\t%v\t%s\n", c.Covariance, c.K, c.BIC, c.AIC, c.ICL, c.LogLikelihood, c.NumParams, c.Iterations, c.Converged, mark)
	}
	tw.Flush()
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// defaultNames are the names of unnamed columns, x1 … xd, as package table
// gives a file without a header.
func defaultNames(d int) []string {
	names := make([]string, d)
	for j := range names {
		names[j] = "x" + strconv.Itoa(j+1)
	}
	return names
}

// WriteMarkdown writes the selection as a Markdown table of its criterion:
// one row per K, one column per covariance type (both in the order tried),
// the best in bold, a failed fit as "failed" and a pair not tried as "–".
func (s *Selection) WriteMarkdown(w io.Writer) error {
	var ks []int
	var covs []CovarianceType
	at := map[string]int{}
	key := func(k int, c CovarianceType) string { return strconv.Itoa(k) + "/" + string(c) }
	for i, c := range s.Candidates {
		if !slices.Contains(ks, c.K) {
			ks = append(ks, c.K)
		}
		if !slices.Contains(covs, c.Covariance) {
			covs = append(covs, c.Covariance)
		}
		at[key(c.K, c.Covariance)] = i
	}
	var b bytes.Buffer
	b.WriteString("| K |")
	for _, c := range covs {
		fmt.Fprintf(&b, " %s |", c)
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(covs)) + "\n")
	for _, k := range ks {
		fmt.Fprintf(&b, "| %d |", k)
		for _, c := range covs {
			i, ok := at[key(k, c)]
			switch {
			case !ok:
				b.WriteString(" – |")
			case s.Candidates[i].Error != "":
				b.WriteString(" failed |")
			case i == s.Best:
				fmt.Fprintf(&b, " **%.1f** |", s.score(i))
			default:
				fmt.Fprintf(&b, " %.1f |", s.score(i))
			}
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}
