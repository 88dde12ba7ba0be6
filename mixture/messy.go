package mixture

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// What a fit of partly observed, weighted or partly labelled data records,
// and the options behind it (missing.go, known.go, fix.go).

// dataInfo is what a model records about the data it was fitted to.
type dataInfo struct {
	missing bool     // NaN cells are missing values (Options.Missing)
	markers []string // how a reader marked them (Options.MissingMarkers)
	fixed   Fixed    // the parts held at their start (Options.Fix)
	classes []string // the names of the known classes (Options.ClassNames)
}

// DataReport says how a fit treated its data: missing values, weights,
// known labels, fixed parts. Report embeds it; every field is zero (and
// left out of JSON) for a fit of complete, unweighted, unlabelled data
// with every part free.
type DataReport struct {
	// Missing is Options.Missing. MissingCells counts the NaN cells of
	// the data, IncompleteRows the rows with at least one, and Patterns
	// the distinct sets of missing coordinates.
	Missing        bool `json:"missing,omitempty"`
	MissingCells   int  `json:"missing_cells,omitempty"`
	IncompleteRows int  `json:"incomplete_rows,omitempty"`
	Patterns       int  `json:"missing_patterns,omitempty"`
	// MissingMarkers are Options.MissingMarkers.
	MissingMarkers []string `json:"missing_markers,omitempty"`
	// Weighted says that the rows had weights: the log-likelihoods are
	// means per unit of weight, and BIC's n is the sum of the weights
	// (em.Report.Weight), not the number of rows.
	Weighted bool `json:"weighted,omitempty"`
	// KnownRows counts the rows whose component was known (Options.Known),
	// and Classes are Options.ClassNames.
	KnownRows int      `json:"known_rows,omitempty"`
	Classes   []string `json:"classes,omitempty"`
	// Fixed names the parts held at their starting values (Options.Fix),
	// which NumParams does not count.
	Fixed []string `json:"fixed,omitempty"`
}

// writeText writes the lines of a report that say how the data were
// treated; nothing for complete, unweighted, unlabelled data.
func (d *DataReport) writeText(w io.Writer, weight float64, rows int) {
	if d.Missing {
		mk := ""
		if len(d.MissingMarkers) > 0 {
			mk = " (read from " + markerList(d.MissingMarkers) + ")"
		}
		fmt.Fprintf(w, "missing values%s: %d cells in %d of %d rows, %d patterns, marginalised by EM (missing at random)\n",
			mk, d.MissingCells, d.IncompleteRows, rows, d.Patterns)
	}
	if d.Weighted {
		fmt.Fprintf(w, "weighted rows: total weight %.6g is the n of BIC (ln n = %.4f) and the log-likelihoods are per unit of weight\n", weight, math.Log(weight))
	}
	if d.KnownRows > 0 {
		cl := ""
		for i, c := range d.Classes {
			if i == 0 {
				cl = "; classes"
			}
			cl += fmt.Sprintf(" %d = %q", i, c)
		}
		fmt.Fprintf(w, "known labels: %d of %d rows keep their component (semi-supervised EM%s)\n", d.KnownRows, rows, cl)
	}
	if len(d.Fixed) > 0 {
		fmt.Fprintf(w, "fixed at their start: %s (not counted in the free parameters)\n", strings.Join(d.Fixed, ", "))
	}
}

// markerList quotes missing-value markers, an empty cell as "empty cells".
func markerList(mk []string) string {
	var out []string
	for _, s := range mk {
		if s == "" {
			out = append(out, "empty cells")
		} else {
			out = append(out, fmt.Sprintf("%q", s))
		}
	}
	return strings.Join(out, ", ")
}

// resolveData checks the options of this file that need no data: Fix
// against the start, Init against Known.
func (o *Options) resolveData() error {
	if err := o.checkFix(); err != nil {
		return err
	}
	if o.Init == InitKnown && o.Known == nil {
		return optionErrorf("Init", " = %s needs Options.Known, the rows' labels", InitKnown)
	}
	return nil
}

// newEMModel returns the em.Model of a start m, after recording in m how
// the data are treated.
func (o *Options) newEMModel(m *Model) *emModel {
	m.data = dataInfo{missing: o.Missing, markers: slices.Clone(o.MissingMarkers), fixed: o.Fix, classes: slices.Clone(o.ClassNames)}
	e := &emModel{m: m, regCovar: o.regCovar, known: o.Known}
	if o.Missing {
		e.miss = newPatterns(m)
	}
	return e
}

// dataReport fills the DataReport of a fit from the options, the facts
// counted on the data (facts) and the best start.
func (o *Options) dataReport(facts DataReport, best *emModel) DataReport {
	d := facts
	d.Missing = o.Missing
	if o.Missing {
		d.Patterns = best.miss.count()
		d.MissingMarkers = slices.Clone(o.MissingMarkers)
	}
	d.Weighted = d.Weighted || o.Weights != nil
	if o.Known != nil {
		d.KnownRows = knownCount(o.Known)
	}
	d.Classes = slices.Clone(o.ClassNames)
	d.Fixed = o.Fix.Names()
	return d
}

// countMissing counts the NaN cells of x and the rows that have one.
func countMissing(x mat.Matrix) DataReport {
	data, stride, n, d := denseRows(x)
	var r DataReport
	for i := 0; i < n; i++ {
		c := 0
		for _, v := range data[i*stride : i*stride+d] {
			if v != v {
				c++
			}
		}
		r.MissingCells += c
		if c > 0 {
			r.IncompleteRows++
		}
	}
	return r
}

// countingSource counts the rows, NaN cells and incomplete rows of the
// last complete pass over a Source, and whether its blocks had weights:
// FitSource's report of a stream.
type countingSource struct {
	em.Source
	last DataReport
	rows int
}

func (s *countingSource) Blocks(rows int) (em.BlockIter, error) {
	it, err := s.Source.Blocks(rows)
	if err != nil {
		return nil, err
	}
	return &countingIter{BlockIter: it, s: s}, nil
}

type countingIter struct {
	em.BlockIter
	s    *countingSource
	seen DataReport
	rows int
}

func (it *countingIter) Next(buf *mat.Dense, wbuf []float64) (*mat.Dense, []float64, error) {
	x, w, err := it.BlockIter.Next(buf, wbuf)
	if err == io.EOF {
		it.s.last, it.s.rows = it.seen, it.rows
	}
	if err != nil {
		return x, w, err
	}
	r, _ := x.Dims()
	it.rows += r
	c := countMissing(x)
	it.seen.MissingCells += c.MissingCells
	it.seen.IncompleteRows += c.IncompleteRows
	if w != nil {
		it.seen.Weighted = true
	}
	return x, w, nil
}

// Missing reports whether the model treats NaN cells as missing values
// (Options.Missing, or AllowMissing): then Predict, PredictProba,
// ScoreSamples, Score and Evaluate marginalise them, scoring a row by the
// density of its observed coordinates. Otherwise NaN is an error (catalog
// M-01).
func (m *Model) Missing() bool { return m.data.missing }

// MissingMarkers returns a copy of the texts the fit's data reader took
// for missing values (Options.MissingMarkers, "" for empty cells), nil
// when none were recorded.
func (m *Model) MissingMarkers() []string { return slices.Clone(m.data.markers) }

// AllowMissing returns a copy of m that treats NaN cells as missing
// values (see Missing), recording markers as its MissingMarkers (nil
// keeps m's). The parameters are m's, bit for bit.
func (m *Model) AllowMissing(markers []string) *Model {
	c := m.clone()
	c.data.missing = true
	if markers != nil {
		c.data.markers = slices.Clone(markers)
	}
	return c
}

// Fixed returns the parts the fit held at their starting values
// (Options.Fix).
func (m *Model) Fixed() Fixed { return m.data.fixed }

// fileMissing is the model file's record of missing values: the model
// marginalises them, and markers are how its data's reader marked them.
type fileMissing struct {
	Markers []string `json:"markers"`
}

// toFile records d in a model file's body.
func (d dataInfo) toFile(b *fileBody) {
	if d.missing {
		b.Missing = &fileMissing{Markers: slices.Clone(d.markers)}
		if b.Missing.Markers == nil {
			b.Missing.Markers = []string{}
		}
	}
	b.Fixed = d.fixed.Names()
	b.Classes = slices.Clone(d.classes)
}

// fromFile reads what a model file's body records into d, checking it
// against K components.
func (d *dataInfo) fromFile(b *fileBody, k int) error {
	if b.Missing != nil {
		d.missing = true
		if len(b.Missing.Markers) > 0 {
			d.markers = slices.Clone(b.Missing.Markers)
		}
	}
	for i, name := range b.Fixed {
		f, err := ParseFixed(name)
		if err != nil || f == 0 || strings.Contains(name, ",") {
			return fe(fmt.Sprintf("body.fixed[%d]", i), "%q is not weights, means or covariances", name)
		}
		d.fixed |= f
	}
	if len(b.Classes) > k {
		return fe("body.classes", "%d class names for K = %d components", len(b.Classes), k)
	}
	for i, c := range b.Classes {
		if j := slices.Index(b.Classes[:i], c); j >= 0 {
			return fe(fmt.Sprintf("body.classes[%d]", i), "%q repeats classes[%d]", c, j)
		}
	}
	if len(b.Classes) > 0 {
		d.classes = slices.Clone(b.Classes)
	}
	return nil
}

// ForRows returns o for the rows idx of its data, in that order (a
// bootstrap resample drawn with replacement, a subset, a fold): Weights
// and Known are taken at idx, every other option is o's. A bootstrap may
// instead keep the rows and multiply Options.Weights by each row's
// resampling count (or a Dirichlet draw, mclust's weighted likelihood
// bootstrap): then missing values, known labels and fixed parts carry
// over as they are. It panics when an index is out of range of Weights
// or Known.
func (o Options) ForRows(idx []int) Options {
	if o.Weights != nil {
		w := make([]float64, len(idx))
		for t, i := range idx {
			w[t] = o.Weights[i]
		}
		o.Weights = w
	}
	if o.Known != nil {
		k := make([]int, len(idx))
		for t, i := range idx {
			k[t] = o.Known[i]
		}
		o.Known = k
	}
	return o
}
