package biasvar

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// Status says how a decomposition went.
type Status int

const (
	// Complete: every round succeeded.
	Complete Status = iota
	// Partial: some rounds failed, and the terms use the rounds that
	// succeeded (Rounds.Failures lists the first failures; the report's
	// warnings say the result is biased if failures depend on the data).
	Partial
	// Failed: every round failed, so there is no decomposition. Only a
	// SweepPoint can have it (its Error says why), or a SweepReport all of
	// whose points have it; Decompose and Bootstrap return
	// ErrAllRoundsFailed instead of a report.
	Failed
)

// String returns "complete", "partial" or "failed".
func (s Status) String() string {
	switch s {
	case Complete:
		return "complete"
	case Partial:
		return "partial"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Status is Complete when every round succeeded, Partial when some
// failed. It is derived from Rounds, so the two cannot disagree.
func (r *Report) Status() Status {
	switch {
	case r.Rounds.Succeeded == 0:
		return Failed
	case r.Rounds.Failed > 0:
		return Partial
	}
	return Complete
}

// Status is Failed when the setting has no report, else its report's.
func (p *SweepPoint) Status() Status {
	if p.Report == nil {
		return Failed
	}
	return p.Report.Status()
}

// Status is Complete when every setting is, Failed when every setting
// failed (or there are none), Partial otherwise.
func (s *SweepReport) Status() Status {
	failed, complete := 0, 0
	for i := range s.Points {
		switch s.Points[i].Status() {
		case Failed:
			failed++
		case Complete:
			complete++
		}
	}
	switch {
	case failed == len(s.Points):
		return Failed
	case complete == len(s.Points):
		return Complete
	}
	return Partial
}

// WriteText writes the report as `latent biasvar run` prints it: the
// set-up, the rounds, the totals with their standard errors, the identity
// check and the warnings.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	where := r.Problem
	if r.Design != "" {
		where += fmt.Sprintf(", %s design", r.Design)
	}
	if r.X == nil { // FromPredictions: no problem, no training sets seen
		fmt.Fprintf(&b, "%s: %d test points, %s loss, %s mode (given predictions)\n", r.Learner, len(r.Error), r.Loss, r.Mode)
		fmt.Fprintf(&b, "rounds: %d given\n", r.Rounds.Attempted)
	} else {
		fmt.Fprintf(&b, "%s on %s: %d training points, %d test points, %s loss, %s mode\n", r.Learner, where, r.NTrain, len(r.X), r.Loss, r.Mode)
		fmt.Fprintf(&b, "rounds: %d attempted, %d succeeded, %d failed; seed %d\n", r.Rounds.Attempted, r.Rounds.Succeeded, r.Rounds.Failed, r.Seed)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, t := range r.Terms() {
		fmt.Fprintf(tw, "  %s\t%s\n", t.Label, t)
	}
	tw.Flush()
	if c := r.Check; c != nil {
		verdict := "holds"
		if !c.OK {
			verdict = "DOES NOT HOLD"
		}
		switch {
		case c.Exact:
			fmt.Fprintf(&b, "check: %s: gap %.2g: %s\n", c.Identity, c.Gap.Value, verdict)
		case math.IsNaN(c.Gap.StdErr):
			fmt.Fprintf(&b, "check: %s: gap %.3g, not checked: its standard error needs at least 3 rounds\n", c.Identity, c.Gap.Value)
		default:
			fmt.Fprintf(&b, "check: %s: gap %s (z = %.2f): %s\n", c.Identity, fmtEst(c.Gap, false), c.Z, verdict)
		}
	} else {
		b.WriteString("check: these terms do not add up to the error (mlxtend's zero-one definitions)\n")
	}
	if kw := r.Totals.KohaviWolpert; kw != nil {
		fmt.Fprintf(&b, "Kohavi–Wolpert (1996): error = noise %.6g + bias² %s + variance %s (gap %.2g)\n",
			kw.Noise.Value, fmtEst(kw.Bias2, false), fmtEst(kw.Variance, false), kw.Gap)
	}
	if j := r.Totals.James; j != nil {
		fmt.Fprintf(&b, "James (2003): error = noise %.6g + systematic effect %s + variance effect %s (gap %.2g); bias %.6g, variance %.6g as Domingos\n",
			j.Noise.Value, fmtEst(j.SystematicEffect, false), fmtEst(j.VarianceEffect, false), j.Gap, j.Bias.Value, j.Variance.Value)
	}
	for _, s := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteText writes the sweep as `latent biasvar sweep` prints it: one row
// per value with the terms ± one standard error (the plug-in terms left
// out), and a warning for each setting that failed.
func (s *SweepReport) WriteText(w io.Writer) error {
	var b strings.Builder
	var first *Report
	for _, p := range s.Points {
		if p.Report != nil {
			first = p.Report
			break
		}
	}
	if first == nil {
		b.WriteString("every setting failed:\n")
		for _, p := range s.Points {
			fmt.Fprintf(&b, "  %s = %g: %s\n", s.Param, p.Value, p.Error)
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%s sweep over %s on %s (%s loss, %d rounds per setting, seed %d); ± one standard error\n",
		first.Mode, s.Param, first.Problem, first.Loss, first.Rounds.Attempted, first.Seed)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	var terms []Term
	for _, t := range first.Terms() {
		if !strings.HasSuffix(t.Key, "_plugin") {
			terms = append(terms, t)
		}
	}
	fmt.Fprintf(tw, "%s\t", s.Param)
	for _, t := range terms {
		fmt.Fprintf(tw, "%s\t", t.Key)
	}
	fmt.Fprintln(tw, "rounds ok\t")
	for _, p := range s.Points {
		fmt.Fprintf(tw, "%g\t", p.Value)
		if p.Report == nil {
			fmt.Fprintf(tw, "%sfailed\t\n", strings.Repeat("-\t", len(terms)))
			continue
		}
		for _, t := range p.Report.Terms() {
			switch {
			case strings.HasSuffix(t.Key, "_plugin"):
			case math.IsNaN(t.Value.StdErr) || t.Exact:
				fmt.Fprintf(tw, "%.4g\t", t.Value.Value)
			default:
				fmt.Fprintf(tw, "%.4g ± %.2g\t", t.Value.Value, t.Value.StdErr)
			}
		}
		fmt.Fprintf(tw, "%d/%d\t\n", p.Report.Rounds.Succeeded, p.Report.Rounds.Attempted)
	}
	tw.Flush()
	for _, p := range s.Points {
		if p.Report == nil {
			fmt.Fprintf(&b, "warning: %s = %g failed: %s\n", s.Param, p.Value, p.Error)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteBuiltins writes the built-in problems and learners, with each
// learner's parameters and their defaults, as `latent biasvar list` prints
// them (Problems and Learners give the same as values).
func WriteBuiltins(w io.Writer) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROBLEM\tTASK\tDESCRIPTION")
	for _, p := range Problems() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, p.Task, p.Title)
	}
	fmt.Fprintln(tw, "\nLEARNER\tTASK\tPARAMETERS (default)\tDESCRIPTION")
	for _, l := range Learners() {
		ps := make([]string, len(l.Params))
		for i, p := range l.Params {
			ps[i] = fmt.Sprintf("%s=%g", p.Name, p.Default)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Name, l.Task, strings.Join(ps, " "), l.Title)
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}
