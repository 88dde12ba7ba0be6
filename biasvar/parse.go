package biasvar

import (
	"fmt"
	"strings"
)

// ParseLoss reads a loss by name: "squared", "01" (or "0-1", "zero-one",
// "zeroone") or "log"; "" is the problem's natural loss. Other names are
// an *OptionError on Options.Loss.
func ParseLoss(s string) (Loss, error) {
	switch l := Loss(s); l {
	case "", Squared, ZeroOne, LogLoss:
		return l, nil
	case "0-1", "zero-one", "zeroone":
		return ZeroOne, nil
	}
	return "", optionErrorf("Options.Loss", fmt.Sprintf("%q", s), "use squared, 01 or log")
}

// ParseDesign reads a design by name: "random" or "fixed". Other names
// are an *OptionError on Problem.Design.
func ParseDesign(s string) (Design, error) {
	switch d := Design(s); d {
	case Random, Fixed:
		return d, nil
	}
	return "", optionErrorf("Problem.Design", fmt.Sprintf("%q", s), "use random or fixed")
}

// Params are learner parameters read from NAME=VALUE text by ParseParams:
// the parameters given one value, and at most one given several (a range
// or a list), the knob of a sweep.
type Params struct {
	// Fixed holds the parameters given one value.
	Fixed map[string]float64
	// Knob is the parameter given several values, "" when none; Values are
	// its values and KnobArg its assignment as given ("k=1:30"), for
	// messages.
	Knob    string
	Values  []float64
	KnobArg string
}

// ParseParams reads learner parameters written NAME=VALUE, where VALUE is
// one number, or, for at most one parameter, a range or a list as
// ParseValues reads them (k=5, degree=1:12, lambda=1e-6:1e2:x10,
// k=1,2,5). Which parameters the learner has is checked by Params.Learner
// and Params.Sweep. Errors are *OptionError on "params", with the
// assignment or the parameter's name as Value.
func ParseParams(assignments []string) (Params, error) {
	p := Params{Fixed: map[string]float64{}}
	for _, a := range assignments {
		name, val, ok := strings.Cut(a, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return Params{}, optionErrorf("params", fmt.Sprintf("%q", a), "write NAME=VALUE, for example k=5")
		}
		if _, dup := p.Fixed[name]; dup || name == p.Knob {
			return Params{}, optionErrorf("params", name, "given twice")
		}
		vs, err := ParseValues(val)
		if err != nil {
			return Params{}, optionErrorf("params", name, "%v", err)
		}
		if len(vs) == 1 && !strings.ContainsAny(val, ":,") {
			p.Fixed[name] = vs[0]
			continue
		}
		if p.Knob != "" {
			return Params{}, optionErrorf("params", name+"="+val, "only one parameter can be swept (already sweeping %s)", p.Knob)
		}
		p.Knob, p.Values, p.KnobArg = name, vs, name+"="+val
	}
	return p, nil
}

// Learner returns the built-in learner called name with the fixed
// parameters (see NewLearner). A knob is an *OptionError: one
// decomposition takes one value per parameter.
func (p Params) Learner(name string) (Learner, error) {
	if p.Knob != "" {
		return nil, optionErrorf("params", p.KnobArg, "a decomposition takes one value per parameter; sweep over a range or a list")
	}
	return NewLearner(name, p.Fixed)
}

// Sweep returns the knob of the built-in learner called name that varies
// p.Knob over p.Values, the other parameters fixed (see NewKnob). No knob
// is an *OptionError.
func (p Params) Sweep(name string) (Knob, error) {
	if p.Knob == "" {
		return Knob{}, optionErrorf("params", "", "a sweep needs one parameter with a range or a list, for example k=1:30 or degree=1,2,4,8")
	}
	return NewKnob(name, p.Fixed, p.Knob, p.Values)
}
