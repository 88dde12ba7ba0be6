package mixture

import (
	"fmt"
	"strings"
)

// Fixed is a set of parameter parts that a fit holds at their starting
// values (Options.Fix): EM then maximises the likelihood over the other
// parts only. The M-step of a free part does not depend on whether the
// others are free, with one exception that is the point of fixing: with
// the means fixed, the covariances are the scatter about the fixed means.
// The zero value fixes nothing.
type Fixed uint8

// The parts that can be fixed; combine them with |.
const (
	FixWeights     Fixed = 1 << iota // the mixing weights π_k
	FixMeans                         // the means μ_k
	FixCovariances                   // the covariances Σ_k (in the family's form)
)

// fixedParts are the parts in the order String writes them.
var fixedParts = []struct {
	f    Fixed
	name string
}{{FixWeights, "weights"}, {FixMeans, "means"}, {FixCovariances, "covariances"}}

// Has reports whether every part of p is in f.
func (f Fixed) Has(p Fixed) bool { return f&p == p && p != 0 }

// String returns the parts as a comma-separated list ("weights,means"), ""
// for none.
func (f Fixed) String() string { return strings.Join(f.Names(), ",") }

// Names returns the parts' names in the order weights, means, covariances
// (nil for none), as a model file and a report list them.
func (f Fixed) Names() []string {
	var out []string
	for _, p := range fixedParts {
		if f&p.f != 0 {
			out = append(out, p.name)
		}
	}
	return out
}

// ParseFixed reads a comma-separated list of parts, "weights", "means" and
// "covariances" (any case, any order, repeats allowed); "" and "none" are
// the empty set.
func ParseFixed(s string) (Fixed, error) {
	var f Fixed
	t := strings.TrimSpace(s)
	if t == "" || strings.EqualFold(t, "none") {
		return 0, nil
	}
	for _, part := range strings.Split(t, ",") {
		name := strings.ToLower(strings.TrimSpace(part))
		found := false
		for _, p := range fixedParts {
			if name == p.name || name+"s" == p.name {
				f |= p.f
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("mixture: unknown parameter part %q to fix; use weights, means, covariances or a comma-separated list of them", strings.TrimSpace(part))
		}
	}
	return f, nil
}

// checkFix checks Options.Fix against the start: every fixed part must
// have its values given, by Options.Start or Options.WarmStart.
func (o *Options) checkFix() error {
	f := o.Fix
	if f == 0 {
		return nil
	}
	if f&^(FixWeights|FixMeans|FixCovariances) != 0 {
		return optionErrorf("Fix", " = %d holds bits that are no part (use FixWeights, FixMeans, FixCovariances)", uint8(f))
	}
	if o.WarmStart != nil {
		return nil
	}
	st := o.Start
	for _, p := range fixedParts {
		if f&p.f == 0 {
			continue
		}
		given := st != nil
		if given {
			switch p.f {
			case FixWeights:
				given = st.Weights != nil
			case FixMeans:
				given = st.Means != nil
			case FixCovariances:
				given = st.Covariances != nil || st.Precisions != nil
			}
		}
		if !given {
			return optionErrorf("Fix", " holds the %s, but Options.Start gives none: a fixed part keeps the values of the start (give them in Start, or a WarmStart)", p.name)
		}
	}
	return nil
}

// freeParams is the number of free parameters of a model of family f with
// K components in D dimensions whose parts fixed are held: NumParams less
// the fixed ones (K − 1 weights, K·D means, the family's covariance count).
func freeParams(f family, k, d int, fixed Fixed) int {
	p := numParams(f, k, d)
	if fixed.Has(FixWeights) {
		p -= k - 1
	}
	if fixed.Has(FixMeans) {
		p -= k * d
	}
	if fixed.Has(FixCovariances) {
		p -= f.numParams(k, d)
	}
	return p
}
