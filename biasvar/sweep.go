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
// stopped it (for example every round failing).
type SweepPoint struct {
	Value   float64 `json:"value"`
	Learner string  `json:"learner,omitempty"`
	Report  *Report `json:"report,omitempty"`
	Error   string  `json:"error,omitempty"`
}

// SweepReport is the decomposition at every value of a knob.
type SweepReport struct {
	Param   string       `json:"param"`
	Points  []SweepPoint `json:"points"`
	Seconds float64      `json:"seconds"`
}

// Sweep runs Decompose at every value of the knob, with the same options
// and seed at every value: the rounds see the same training sets (common
// random numbers), so differences along the knob are not blurred by
// independent noise. A value whose decomposition fails is recorded in its
// point, not fatal; an invalid problem or options, or a cancelled ctx, is.
func Sweep(ctx context.Context, p *Problem, knob Knob, opts Options) (*SweepReport, error) {
	return sweep(ctx, knob, func(l Learner) (*Report, error) { return Decompose(ctx, p, l, opts) })
}

// SweepBootstrap is Sweep in bootstrap mode (see Bootstrap).
func SweepBootstrap(ctx context.Context, d Data, knob Knob, opts Options) (*SweepReport, error) {
	return sweep(ctx, knob, func(l Learner) (*Report, error) { return Bootstrap(ctx, d, l, opts) })
}

func sweep(ctx context.Context, knob Knob, run func(Learner) (*Report, error)) (*SweepReport, error) {
	start := time.Now()
	if len(knob.Values) == 0 || knob.New == nil {
		return nil, fmt.Errorf("biasvar: sweep over %q: no values or no learner constructor", knob.Name)
	}
	sr := &SweepReport{Param: knob.Name}
	for _, v := range knob.Values {
		pt := SweepPoint{Value: v}
		l, err := knob.New(v)
		if err != nil {
			return nil, fmt.Errorf("biasvar: sweep over %s = %v: %w", knob.Name, v, err)
		}
		pt.Learner = learnerName(l)
		rep, err := run(l)
		switch {
		case err == nil:
			pt.Report = rep
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
