package biasvar

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Param describes a learner parameter.
type Param struct {
	Name    string  `json:"name"`
	Default float64 `json:"default"`
	Integer bool    `json:"integer"`
	Doc     string  `json:"doc"`

	// The values it takes: at least min, or above it when above. A value
	// given is that value, never the default: 0 is either valid or an
	// error (k = 0 used to run k = 5).
	min   float64
	above bool
}

// atLeast and above are Param's bounds.
const (
	atLeast = false
	above   = true
)

// check returns why v is not a value of the parameter, or "".
func (p Param) check(v float64) string {
	switch {
	case p.above && !(v > p.min):
		return fmt.Sprintf("give a value > %v", p.min)
	case !p.above && !(v >= p.min):
		return fmt.Sprintf("give a value ≥ %v", p.min)
	}
	return ""
}

// LearnerInfo describes a built-in learner.
type LearnerInfo struct {
	Name   string  `json:"name"`
	Title  string  `json:"title"`
	Task   string  `json:"task"` // "regression" or "classification"
	Params []Param `json:"params"`
	// Knob is the parameter a sweep varies by default.
	Knob string `json:"knob"`

	build func(p map[string]float64) (Learner, error)
}

var builtinLearners = []LearnerInfo{
	{Name: "knn", Title: "k-nearest-neighbour regression", Task: "regression", Knob: "k",
		Params: []Param{{"k", 5, true, "number of neighbours", 1, atLeast}},
		build:  func(p map[string]float64) (Learner, error) { return KNN{K: int(p["k"])}, nil }},
	{Name: "poly", Title: "polynomial least squares (Legendre basis, QR)", Task: "regression", Knob: "degree",
		Params: []Param{{"degree", 3, true, "polynomial degree (0 = constant)", 0, atLeast}},
		build:  func(p map[string]float64) (Learner, error) { return Poly{Degree: int(p["degree"])}, nil }},
	{Name: "ridge", Title: "ridge regression on the polynomial basis", Task: "regression", Knob: "lambda",
		Params: []Param{{"lambda", 1e-3, false, "penalty λ on the non-intercept coefficients", 0, atLeast}, {"degree", 9, true, "polynomial degree", 0, atLeast}},
		build: func(p map[string]float64) (Learner, error) {
			return Ridge{Lambda: p["lambda"], Degree: int(p["degree"])}, nil
		}},
	{Name: "tree", Title: "CART regression tree (scikit-learn's rules)", Task: "regression", Knob: "depth",
		Params: []Param{{"depth", 0, true, "maximum depth (0 = unlimited)", 0, atLeast}, {"min_leaf", 1, true, "minimum points per leaf", 1, atLeast}},
		build: func(p map[string]float64) (Learner, error) {
			return Tree{MaxDepth: int(p["depth"]), MinLeaf: int(p["min_leaf"])}, nil
		}},
	{Name: "rff", Title: "minimum-norm least squares on random Fourier features", Task: "regression", Knob: "features",
		Params: []Param{{"features", 20, true, "number of random features p", 1, atLeast}, {"scale", 1, false, "sd of the random frequencies (1/bandwidth)", 0, above}},
		build: func(p map[string]float64) (Learner, error) {
			return RandomFeatures{Features: int(p["features"]), Scale: p["scale"]}, nil
		}},
	{Name: "mlp", Title: "multilayer perceptron regressor (nn): tanh hidden layer, full-batch Adam", Task: "regression", Knob: "hidden",
		Params: []Param{{"hidden", 20, true, "hidden units", 1, atLeast}, {"epochs", 1000, true, "full-batch Adam steps", 1, atLeast}, {"lr", 0.01, false, "Adam step size", 0, above}},
		build: func(p map[string]float64) (Learner, error) {
			return MLP{Hidden: int(p["hidden"]), Epochs: int(p["epochs"]), LR: p["lr"]}, nil
		}},
	{Name: "knnc", Title: "k-nearest-neighbour classification", Task: "classification", Knob: "k",
		Params: []Param{{"k", 5, true, "number of neighbours", 1, atLeast}, {"alpha", 0, false, "additive smoothing of the class probabilities", 0, atLeast}},
		build: func(p map[string]float64) (Learner, error) {
			return KNNClassifier{K: int(p["k"]), Alpha: p["alpha"]}, nil
		}},
	{Name: "logistic", Title: "logistic (softmax) regression (nn), full-batch Adam", Task: "classification", Knob: "epochs",
		Params: []Param{{"epochs", 300, true, "full-batch Adam steps", 1, atLeast}, {"lr", 0.05, false, "Adam step size", 0, above}},
		build: func(p map[string]float64) (Learner, error) {
			return Logistic{Epochs: int(p["epochs"]), LR: p["lr"]}, nil
		}},
	{Name: "mlpc", Title: "multilayer perceptron classifier (nn): ReLU hidden layer, full-batch Adam", Task: "classification", Knob: "hidden",
		Params: []Param{{"hidden", 20, true, "hidden units", 1, atLeast}, {"epochs", 300, true, "full-batch Adam steps", 1, atLeast}, {"lr", 0.01, false, "Adam step size", 0, above}},
		build: func(p map[string]float64) (Learner, error) {
			return MLPClassifier{Hidden: int(p["hidden"]), Epochs: int(p["epochs"]), LR: p["lr"]}, nil
		}},
}

// Learners lists the built-in learners, for NewLearner.
func Learners() []LearnerInfo { return slices.Clone(builtinLearners) }

func findLearner(name string) (*LearnerInfo, error) {
	for i := range builtinLearners {
		if builtinLearners[i].Name == name {
			return &builtinLearners[i], nil
		}
	}
	names := make([]string, len(builtinLearners))
	for i, l := range builtinLearners {
		names[i] = l.Name
	}
	return nil, optionErrorf("learner", "", "no learner %q; the learners are %s", name, strings.Join(names, ", "))
}

// NewLearner returns the built-in learner called name with the given
// parameters (missing ones take their defaults; see Learners). Unknown
// parameters, non-integers for integer parameters and values outside a
// parameter's range (k = 0, a negative λ, lr = 0) are *OptionError: a
// value given is used as given, never replaced by the default.
func NewLearner(name string, params map[string]float64) (Learner, error) {
	info, err := findLearner(name)
	if err != nil {
		return nil, err
	}
	full, err := info.complete(params)
	if err != nil {
		return nil, err
	}
	return info.build(full)
}

func (info *LearnerInfo) complete(params map[string]float64) (map[string]float64, error) {
	full := map[string]float64{}
	for _, p := range info.Params {
		full[p.Name] = p.Default
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := params[k]
		i := slices.IndexFunc(info.Params, func(p Param) bool { return p.Name == k })
		if i < 0 {
			names := make([]string, len(info.Params))
			for j, p := range info.Params {
				names[j] = p.Name
			}
			return nil, optionErrorf("params", "", "learner %q has no parameter %q; its parameters are %s", info.Name, k, strings.Join(names, ", "))
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, optionErrorf("params", "", "learner %q: parameter %s = %v is not finite", info.Name, k, v)
		}
		if info.Params[i].Integer && (v != math.Trunc(v) || math.Abs(v) > 1e9) {
			return nil, optionErrorf("params", "", "learner %q: parameter %s = %v must be an integer", info.Name, k, v)
		}
		if why := info.Params[i].check(v); why != "" {
			return nil, optionErrorf("params", "", "learner %q: parameter %s = %v: %s", info.Name, k, v, why)
		}
		full[k] = v
	}
	return full, nil
}

// NewKnob returns the knob that varies parameter knob (the learner's
// default knob when "") of learner name over values, the other parameters
// fixed at params.
func NewKnob(name string, params map[string]float64, knob string, values []float64) (Knob, error) {
	info, err := findLearner(name)
	if err != nil {
		return Knob{}, err
	}
	if knob == "" {
		knob = info.Knob
	}
	base := map[string]float64{}
	for k, v := range params {
		base[k] = v
	}
	delete(base, knob) // the other parameters, checked with the knob at its default
	if _, err := info.complete(base); err != nil {
		return Knob{}, err
	}
	for _, v := range values {
		base[knob] = v
		if _, err := info.complete(base); err != nil {
			return Knob{}, err
		}
	}
	return Knob{Name: knob, Values: values, New: func(v float64) (Learner, error) {
		p := map[string]float64{}
		for k, x := range params {
			p[k] = x
		}
		p[knob] = v
		return NewLearner(name, p)
	}}, nil
}

// MaxValues bounds the number of values ParseValues expands a range to.
const MaxValues = 10000

// ParseValues reads one value or a list of values of a parameter:
//
//	5            one value
//	1,2,5,10     a list
//	1:12         1, 2, …, 12 (step 1)
//	0:1:0.25     0, 0.25, 0.5, 0.75, 1
//	1e-6:1e2:x10 1e-6, 1e-5, …, 1e2 (multiply by 10)
//
// A range includes its end when the steps land on it (within 1e-9
// relative). Errors name the offending part.
func ParseValues(s string) ([]float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("empty value")
	}
	if strings.Contains(s, ",") {
		var out []float64
		for _, part := range strings.Split(s, ",") {
			v, err := parseNumber(part)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			if len(out) > MaxValues {
				return nil, fmt.Errorf("more than %d values", MaxValues)
			}
		}
		return out, nil
	}
	parts := strings.Split(s, ":")
	switch len(parts) {
	case 1:
		v, err := parseNumber(parts[0])
		if err != nil {
			return nil, err
		}
		return []float64{v}, nil
	case 2, 3:
	default:
		return nil, fmt.Errorf("%q: a range is FROM:TO or FROM:TO:STEP (or :xFACTOR)", s)
	}
	from, err := parseNumber(parts[0])
	if err != nil {
		return nil, err
	}
	to, err := parseNumber(parts[1])
	if err != nil {
		return nil, err
	}
	if to < from {
		return nil, fmt.Errorf("%q: the range ends (%v) before it starts (%v)", s, to, from)
	}
	step, factor := 1.0, 0.0
	if len(parts) == 3 {
		st := strings.TrimSpace(parts[2])
		if strings.HasPrefix(st, "x") || strings.HasPrefix(st, "*") {
			if factor, err = parseNumber(st[1:]); err != nil {
				return nil, err
			}
			if !(factor > 1) {
				return nil, fmt.Errorf("%q: the factor must be > 1", s)
			}
			if !(from > 0) {
				return nil, fmt.Errorf("%q: a multiplicative range must start above 0", s)
			}
		} else if step, err = parseNumber(st); err != nil {
			return nil, err
		} else if !(step > 0) {
			return nil, fmt.Errorf("%q: the step must be > 0", s)
		}
	}
	var out []float64
	tol := 1e-9 * math.Max(math.Abs(from), math.Abs(to))
	for k := 0; ; k++ {
		var v float64
		if factor > 0 {
			v = from * math.Pow(factor, float64(k))
		} else {
			v = from + float64(k)*step
		}
		if v > to+tol {
			break
		}
		if math.Abs(v-to) <= tol {
			v = to
		}
		out = append(out, v)
		if len(out) > MaxValues {
			return nil, fmt.Errorf("%q: more than %d values", s, MaxValues)
		}
	}
	return out, nil
}

func parseNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(t, "_xXpP") {
		return 0, fmt.Errorf("%q is not a number", t)
	}
	return v, nil
}
