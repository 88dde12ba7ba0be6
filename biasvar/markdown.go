package biasvar

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// fmtEst formats an estimate as "v ± se", "v (exact)" for a known
// quantity, or "v (± n/a)" when the standard error is unknown.
func fmtEst(e Estimate, exact bool) string {
	switch {
	case exact:
		return fmt.Sprintf("%.6g (exact)", e.Value)
	case math.IsNaN(e.StdErr):
		return fmt.Sprintf("%.6g (± n/a)", e.Value)
	}
	return fmt.Sprintf("%.6g ± %.2g", e.Value, e.StdErr)
}

// String formats the term's value as "v ± se", or "v (exact)" for a
// quantity known exactly (the noise of a known process).
func (t Term) String() string { return fmtEst(t.Value, t.Exact) }

// Term is one named term of a report's totals, in display order.
type Term struct {
	Key   string   // the JSON key in totals
	Label string   // for people, e.g. "bias²"
	Value Estimate // value and standard error
	Exact bool     // known exactly, not estimated (the noise)
}

// Terms lists the totals that apply to the report's loss and mode, with
// human labels (bias² is squared; in bootstrap mode "bias² + noise").
func (r *Report) Terms() []Term {
	t := &r.Totals
	var out []Term
	add := func(key, label string, e *Estimate) {
		if e != nil {
			out = append(out, Term{key, label, *e, key == "noise"})
		}
	}
	add("error", "expected error", &t.Error)
	add("noise", "noise", t.Noise)
	add("noise_term", "c₁·noise", t.NoiseTerm)
	add("bias2", "bias²", t.Bias2)
	add("bias2_plus_noise", "bias² + noise (not separable)", t.Bias2PlusNoise)
	add("bias", "bias", t.Bias)
	add("variance", "variance", &t.Variance)
	add("variance_unbiased", "variance at unbiased points", t.VarianceUnbiased)
	add("variance_biased", "variance at biased points", t.VarianceBiased)
	add("net_variance", "net variance", t.NetVariance)
	add("bias2_plugin", "bias², plug-in (inflated by variance/R)", t.Bias2Plugin)
	add("variance_plugin", "variance, 1/R normalisation", t.VariancePlugin)
	return out
}

// WriteMarkdown writes the report as Markdown: the set-up, the totals with
// their standard errors, the identity check, the rounds, notes and
// warnings, and the per-point table.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	title := "Bias–variance decomposition"
	if r.Mode == ModeBootstrap {
		title = "Bootstrap bias–variance decomposition (mlxtend's definitions)"
	}
	fmt.Fprintf(&b, "# %s\n\n", title)
	fmt.Fprintf(&b, "| setting | value |\n|---|---|\n")
	fmt.Fprintf(&b, "| mode | %s |\n| loss | %s |\n", r.Mode, lossName(r.Loss))
	if r.Problem != "" {
		fmt.Fprintf(&b, "| problem | %s |\n", r.Problem)
	}
	fmt.Fprintf(&b, "| learner | %s |\n", r.Learner)
	if r.Design != "" {
		fmt.Fprintf(&b, "| design | %s |\n", r.Design)
	}
	fmt.Fprintf(&b, "| training points | %d |\n| test points | %d |\n| seed | %d |\n", r.NTrain, len(r.X), r.Seed)
	fmt.Fprintf(&b, "| rounds | %d attempted, %d succeeded, %d failed |\n\n", r.Rounds.Attempted, r.Rounds.Succeeded, r.Rounds.Failed)
	fmt.Fprintf(&b, "## Totals (averaged over the test points)\n\n| term | value ± standard error |\n|---|---|\n")
	for _, t := range r.Terms() {
		fmt.Fprintf(&b, "| %s | %s |\n", t.Label, t)
	}
	fmt.Fprintf(&b, "\nStandard errors: %s.\n", r.StdErrMethod)
	if c := r.Check; c != nil {
		verdict := "holds"
		if !c.OK {
			verdict = "**does not hold**"
		}
		switch {
		case c.Exact:
			fmt.Fprintf(&b, "\nCheck: %s: sum of terms %.6g, gap %.3g — %s.\n", c.Identity, c.Sum, c.Gap.Value, verdict)
		case math.IsNaN(c.Gap.StdErr):
			fmt.Fprintf(&b, "\nCheck: %s: sum of terms %.6g, gap %.3g — not checked: its standard error needs at least 3 rounds.\n", c.Identity, c.Sum, c.Gap.Value)
		default:
			fmt.Fprintf(&b, "\nCheck: %s: sum of terms %.6g, gap %s (z = %.2f) — %s within 4 standard errors.\n", c.Identity, c.Sum, fmtEst(c.Gap, false), c.Z, verdict)
		}
	} else {
		b.WriteString("\nThe terms of this decomposition do not add up to the error, and are not claimed to.\n")
	}
	if kw, j := r.Totals.KohaviWolpert, r.Totals.James; kw != nil && j != nil {
		fmt.Fprintf(&b, "\n## The same zero-one loss, two more ways\n\n| decomposition | terms (each exact at every test point) |\n|---|---|\n")
		fmt.Fprintf(&b, "| Kohavi & Wolpert (1996) | noise %.6g + bias² %s + variance %s (gap %.2g) |\n", kw.Noise.Value, fmtEst(kw.Bias2, false), fmtEst(kw.Variance, false), kw.Gap)
		fmt.Fprintf(&b, "| James (2003) | noise %.6g + systematic effect %s + variance effect %s (gap %.2g); bias %.6g and variance %.6g as Domingos's |\n",
			j.Noise.Value, fmtEst(j.SystematicEffect, false), fmtEst(j.VarianceEffect, false), j.Gap, j.Bias.Value, j.Variance.Value)
	}
	if len(r.Rounds.Failures) > 0 {
		b.WriteString("\n## Failed rounds\n\n| round | error |\n|---|---|\n")
		for _, f := range r.Rounds.Failures {
			fmt.Fprintf(&b, "| %d | %s |\n", f.Round, strings.ReplaceAll(f.Error, "|", "\\|"))
		}
		if r.Rounds.Failed > len(r.Rounds.Failures) {
			fmt.Fprintf(&b, "\n(%d more not listed.)\n", r.Rounds.Failed-len(r.Rounds.Failures))
		}
	}
	for _, sec := range []struct {
		title string
		items []string
	}{{"Warnings", r.Warnings}, {"Notes", r.Notes}} {
		if len(sec.items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s\n\n", sec.title)
		for _, n := range sec.items {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	b.WriteString("\n## Per test point\n\n")
	r.pointTable(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func lossName(l Loss) string {
	switch l {
	case Squared:
		return "squared error"
	case ZeroOne:
		return "zero-one"
	case LogLoss:
		return "log-loss (nats)"
	}
	return string(l)
}

func fmtX(x []float64) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = fmt.Sprintf("%.4g", v)
	}
	return strings.Join(s, ", ")
}

func (r *Report) pointTable(b *strings.Builder) {
	type col struct {
		name string
		at   func(i int) string
	}
	f := func(x []float64) func(int) string {
		return func(i int) string { return fmt.Sprintf("%.4g", x[i]) }
	}
	cols := []col{{"x", func(i int) string { return fmtX(r.X[i]) }}}
	add := func(name string, x []float64) {
		if x != nil {
			cols = append(cols, col{name, f(x)})
		}
	}
	add("f(x)", r.F)
	add("target y", r.Target)
	add("mean prediction", r.MeanPrediction)
	if r.BayesClass != nil {
		cols = append(cols, col{"Bayes class", func(i int) string { return fmt.Sprint(r.BayesClass[i]) }})
	}
	if r.MainPrediction != nil {
		cols = append(cols, col{"main prediction", func(i int) string { return fmt.Sprint(r.MainPrediction[i]) }})
	}
	add("error", r.Error)
	add("noise", r.Noise)
	add("bias²", r.Bias2)
	add("se(bias²)", r.Bias2StdErr)
	add("bias² + noise", r.Bias2PlusNoise)
	add("bias", r.Bias)
	add("variance", r.Variance)
	add("se(variance)", r.VarianceStdErr)
	for _, c := range cols {
		fmt.Fprintf(b, "| %s ", c.name)
	}
	b.WriteString("|\n")
	for range cols {
		b.WriteString("|---")
	}
	b.WriteString("|\n")
	for i := range r.X {
		for _, c := range cols {
			fmt.Fprintf(b, "| %s ", c.at(i))
		}
		b.WriteString("|\n")
	}
}

// WriteMarkdown writes the sweep as Markdown: one row per value with the
// totals and their standard errors.
func (s *SweepReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Bias–variance sweep over %s\n\n", s.Param)
	var first *Report
	for _, p := range s.Points {
		if p.Report != nil {
			first = p.Report
			break
		}
	}
	if first == nil {
		b.WriteString("Every setting failed.\n\n")
	} else {
		fmt.Fprintf(&b, "Mode %s, loss %s", first.Mode, lossName(first.Loss))
		if first.Problem != "" {
			fmt.Fprintf(&b, ", problem %s", first.Problem)
		}
		if first.Design != "" {
			fmt.Fprintf(&b, ", %s design", first.Design)
		}
		fmt.Fprintf(&b, ", %d training points, %d test points, %d rounds per setting, seed %d. Values are ± one standard error (%s).\n\n",
			first.NTrain, len(first.X), first.Rounds.Attempted, first.Seed, first.StdErrMethod)
		fmt.Fprintf(&b, "| %s | learner |", s.Param)
		terms := first.Terms()
		for _, t := range terms {
			fmt.Fprintf(&b, " %s |", t.Label)
		}
		b.WriteString(" rounds ok |\n|---|---|")
		for range terms {
			b.WriteString("---|")
		}
		b.WriteString("---|\n")
		for _, p := range s.Points {
			fmt.Fprintf(&b, "| %g | %s |", p.Value, p.Learner)
			if p.Report == nil {
				for range terms {
					b.WriteString(" – |")
				}
				fmt.Fprintf(&b, " failed: %s |\n", strings.ReplaceAll(p.Error, "|", "\\|"))
				continue
			}
			byKey := map[string]Term{}
			for _, t := range p.Report.Terms() {
				byKey[t.Key] = t
			}
			for _, t := range terms {
				fmt.Fprintf(&b, " %s |", byKey[t.Key])
			}
			fmt.Fprintf(&b, " %d/%d |\n", p.Report.Rounds.Succeeded, p.Report.Rounds.Attempted)
		}
		for _, n := range first.Notes {
			fmt.Fprintf(&b, "\n- %s", n)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
