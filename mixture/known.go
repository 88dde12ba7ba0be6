package mixture

import (
	"fmt"
	"slices"
)

// Partly labelled rows (Options.Known; semi-supervised EM, McLachlan &
// Peel 2000, §2.19; mclust's MclustSSC). A row whose component c is known
// keeps the one-hot responsibilities q_i = e_c in every E-step, and adds
// log π_c N(x_i | μ_c, Σ_c) to the log-likelihood (the complete-data
// density of a labelled row) and nothing to the entropy; the other rows
// are as in plain EM. The M-step is unchanged, so that every family's
// M-step gives the maximum of this likelihood over its parameters. With
// every row labelled, one M-step gives the class-wise maximum-likelihood
// estimates and EM stops there.

// InitKnown is the start of a fit with known labels (Options.Known), and
// the only one such a fit takes besides a complete Options.Start: the
// M-step of one-hot responsibilities for the labelled rows and uniform
// ones, 1/K, for the others, as mclust's MclustSSC starts. Report.Init
// names it; it is not one of InitMethods.
const InitKnown InitMethod = "known"

// NoLabel marks a row of Options.Known whose component is unknown.
const NoLabel = -1

// knownRow makes the row's responsibilities one-hot at its known
// component c: e = e_c, and returns its log-likelihood lp_c and the sum 1.
func knownRow(lp, e []float64, c int) (ll, sum float64) {
	clear(e[:len(lp)])
	e[c] = 1
	return lp[c], 1
}

// knownZeroDensity is the cause of a labelled row that its own component
// cannot explain.
func knownZeroDensity(c int) error {
	return fmt.Errorf("its density under its known component %d is 0 (log-likelihood −Inf): a point extremely far from that component; check the label and the data's scale", c)
}

// checkKnown checks Options.Known and Options.ClassNames against n rows
// and K components: one label per row, each NoLabel or a component
// 0…K−1, at most K class names, distinct.
func (o *Options) checkKnown(n int) error {
	if o.ClassNames != nil {
		if len(o.ClassNames) > o.K {
			return optionErrorf("ClassNames", " names %d classes (%s), more than K = %d components: raise K, or merge classes", len(o.ClassNames), quoteNames(o.ClassNames), o.K)
		}
		for i, c := range o.ClassNames {
			if j := slices.Index(o.ClassNames[:i], c); j >= 0 {
				return optionErrorf("ClassNames", "[%d] = %q repeats ClassNames[%d]", i, c, j)
			}
		}
	}
	if o.Known == nil {
		return nil
	}
	if len(o.Known) != n {
		return optionErrorf("Known", " has %d labels for %d rows; give one per row (NoLabel for an unlabelled row)", len(o.Known), n)
	}
	for i, c := range o.Known {
		if c < NoLabel || c >= o.K {
			return optionErrorf("Known", "[%d] = %d: a label names a component 0…%d (K = %d), or is NoLabel (−1); a label beyond K means the labels name more classes than there are components", i, c, o.K-1, o.K)
		}
	}
	if o.Init != "" && o.Init != InitKnown {
		return optionErrorf("Init", " = %s with Known: a partly labelled fit starts from the M-step of its labels (InitKnown, mclust's MclustSSC), or from a complete Options.Start", o.Init)
	}
	return nil
}

// quoteNames lists names as "a", "b", "c".
func quoteNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", n)
	}
	return s
}

// knownResp returns InitKnown's responsibilities: one-hot for a labelled
// row, 1/K for the others.
func knownResp(known []int, k int) func(int, []float64) {
	u := 1 / float64(k)
	return func(row int, dst []float64) {
		if c := known[row]; c >= 0 {
			clear(dst)
			dst[c] = 1
			return
		}
		for j := range dst {
			dst[j] = u
		}
	}
}

// knownCount returns the number of labelled rows.
func knownCount(known []int) int {
	n := 0
	for _, c := range known {
		if c >= 0 {
			n++
		}
	}
	return n
}

// Classes returns a copy of the names of the classes the fit's known
// labels named (Options.ClassNames): class i is component i. nil when
// the model has none.
func (m *Model) Classes() []string { return slices.Clone(m.data.classes) }

// ClassOf returns the component of the class named name, and an error
// naming the model's classes when it has no such class: a label of new
// data that the fit never saw is an error, not a new component.
func (m *Model) ClassOf(name string) (int, error) {
	if err := m.fitted(); err != nil {
		return 0, err
	}
	if i := slices.Index(m.data.classes, name); i >= 0 {
		return i, nil
	}
	if m.data.classes == nil {
		return 0, fmt.Errorf("mixture: label %q: the model has no class names (it was not fitted with known labels)", name)
	}
	return 0, fmt.Errorf("mixture: label %q is not one of the model's classes (%s)", name, quoteNames(m.data.classes))
}
