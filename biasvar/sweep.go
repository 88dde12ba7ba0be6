package biasvar

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Knob is a complexity parameter swept over values: New builds the learner
// for one value.
type Knob struct {
	Name   string // "k", "degree", "lambda", …
	Values []float64
	New    func(v float64) (Learner, error)
}

// SweepPoint is one setting of a sweep: its report, or the error that
// stopped it (for example every round failing). In JSON a point carries its
// totals, check, rounds and warnings; the per-point arrays of its Report
// stay in Go (a sweep of a hundred settings would otherwise repeat the
// test points a hundred times): run the decomposition at one value for
// them.
type SweepPoint struct {
	Value   float64 `json:"value"`
	Learner string  `json:"learner,omitempty"`
	Error   string  `json:"error,omitempty"`
	// Report is the full report (nil when Error is set).
	Report *Report `json:"-"`
	// Copies of the report's summary, for JSON.
	Rounds   *Rounds  `json:"rounds,omitempty"`
	Totals   *Totals  `json:"totals,omitempty"`
	Check    *Check   `json:"check,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// SweepReport is the decomposition at every value of a knob, with the
// set-up the settings share.
type SweepReport struct {
	Param        string       `json:"param"`
	Mode         string       `json:"mode,omitempty"`
	Loss         Loss         `json:"loss,omitempty"`
	Problem      string       `json:"problem,omitempty"`
	Design       Design       `json:"design,omitempty"`
	NTrain       int          `json:"n_train,omitempty"`
	NTest        int          `json:"n_test,omitempty"`
	Options      Settings     `json:"options"`
	StdErrMethod string       `json:"stderr_method,omitempty"`
	Notes        []string     `json:"notes,omitempty"`
	Points       []SweepPoint `json:"points"`
	Seconds      float64      `json:"seconds"`
}

// Sweep runs Decompose at every value of the knob, with the same options
// and seed at every value: the rounds see the same training sets (common
// random numbers), so differences along the knob are not blurred by
// independent noise. A value whose decomposition fails is recorded in its
// point, not fatal; an invalid problem or options, or a cancelled ctx, is.
//
// Options.Progress counts the rounds of the whole sweep, with the index of
// the setting running in Progress.Point.
func Sweep(ctx context.Context, p *Problem, knob Knob, opts Options) (*SweepReport, error) {
	return sweep(ctx, knob, opts, func(_ float64, l Learner, o Options) (*Report, error) { return Decompose(ctx, p, l, o) })
}

// SweepBootstrap is Sweep in bootstrap mode (see Bootstrap).
func SweepBootstrap(ctx context.Context, d Data, knob Knob, opts Options) (*SweepReport, error) {
	return sweep(ctx, knob, opts, func(_ float64, l Learner, o Options) (*Report, error) { return Bootstrap(ctx, d, l, o) })
}

func sweep(ctx context.Context, knob Knob, opts Options, run func(float64, Learner, Options) (*Report, error)) (*SweepReport, error) {
	start := time.Now()
	switch {
	case len(knob.Values) == 0:
		return nil, optionErrorf("Knob.Values", "", "no values to sweep %q over", knob.Name)
	case knob.New == nil:
		return nil, optionErrorf("Knob.New", "", "nil: no way to make the learner for a value of %q", knob.Name)
	}
	sr := &SweepReport{Param: knob.Name}
	for i, v := range knob.Values {
		pt := SweepPoint{Value: v}
		l, err := knob.New(v)
		if err != nil {
			return nil, fmt.Errorf("biasvar: sweep over %s = %v: %w", knob.Name, v, err)
		}
		pt.Learner = learnerName(l)
		o := opts
		if opts.Progress != nil {
			o.Progress = func(p Progress) {
				opts.Progress(Progress{Done: i*p.Total + p.Done, Total: p.Total * len(knob.Values), Point: i})
			}
		}
		rep, err := run(v, l, o)
		switch {
		case err == nil:
			pt.Report = rep
			pt.Rounds, pt.Totals, pt.Check, pt.Warnings = &rep.Rounds, &rep.Totals, rep.Check, rep.Warnings
			if sr.Mode == "" {
				sr.Mode, sr.Loss, sr.Problem, sr.Design, sr.NTrain, sr.NTest = rep.Mode, rep.Loss, rep.Problem, rep.Design, rep.NTrain, len(rep.X)
				sr.Options, sr.StdErrMethod, sr.Notes = rep.Options, rep.StdErrMethod, rep.Notes
			}
		case errors.Is(err, ErrAllRoundsFailed):
			pt.Error = err.Error()
		default:
			return nil, err
		}
		sr.Points = append(sr.Points, pt)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("biasvar: %w", err)
		}
	}
	sr.Seconds = time.Since(start).Seconds()
	return sr, nil
}

// Best returns the index in Points of the setting with the lowest expected
// error (Totals.Error), the first of equals; −1 when every setting failed.
func (s *SweepReport) Best() int {
	best := -1
	for i, p := range s.Points {
		if p.Report != nil && (best < 0 || p.Report.Totals.Error.Value < s.Points[best].Report.Totals.Error.Value) {
			best = i
		}
	}
	return best
}
