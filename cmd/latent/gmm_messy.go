package main

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

// The gmm commands on messy data (issue 15): missing values (--missing),
// row weights (--weights), partly labelled rows (--known), parameters
// held fixed (--fix), and, on a fitted model, imputation (gmm impute) and
// Gaussian-mixture regression (gmm predict --given).

// messyFlags are gmm fit's flags for messy data.
type messyFlags struct {
	missing             string
	missingSet          bool // --missing was given (its value may be "")
	weights, known, fix string
	fixed               mixture.Fixed
}

// The help of the flags every fitting command shares.
const (
	missingHelp = `read empty cells and these comma-separated markers (e.g. NA,?) as missing values, which EM marginalises (missing at random); "" for empty cells only; without it a missing value is an error`
	weightsHelp = "name (or 1-based number) of a column of row weights: finite, ≥ 0, not all 0 (frequency weights; BIC's n is their sum)"
)

func (f *messyFlags) register(fs *pflag.FlagSet) {
	f.registerData(fs)
	fs.StringVar(&f.known, "known", "", "name (or 1-based number) of a column of known classes, empty for unknown rows: semi-supervised EM, each class a component (mclust's MclustSSC)")
	fs.StringVar(&f.fix, "fix", "", "hold these parts at the --init file's values while EM moves the others: weights, means, covariances (comma-separated)")
}

// registerData adds --missing and --weights alone: the flags of a command
// that fits without labels or fixed parts (gmm lrt).
func (f *messyFlags) registerData(fs *pflag.FlagSet) {
	fs.StringVar(&f.missing, "missing", "", missingHelp)
	fs.StringVar(&f.weights, "weights", "", weightsHelp)
}

// dataMarkers returns the markers of --missing (nil: not given) for a
// command registered with registerData.
func (f *messyFlags) dataMarkers(fs *pflag.FlagSet) []string {
	f.missingSet = fs.Changed("missing")
	return parseMarkers(f.missingSet, f.missing)
}

// parseMarkers reads --missing: nil when the flag was not given, else the
// markers besides empty cells.
func parseMarkers(given bool, s string) []string {
	if !given {
		return nil
	}
	out := []string{}
	for _, m := range strings.Split(s, ",") {
		if m = strings.TrimSpace(m); m != "" && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// recorded is how a model records markers: "" (empty cells) first.
func recorded(markers []string) []string {
	if markers == nil {
		return nil
	}
	return append([]string{""}, markers...)
}

// check validates the flags against the rest of the command line: usage
// errors (exit 2) before any work.
func (f *messyFlags) check(fs *pflag.FlagSet, g *gmmFit, init string, stream bool) error {
	f.missingSet = fs.Changed("missing")
	fixed, err := mixture.ParseFixed(f.fix)
	if err != nil {
		return usagef("--fix %q: use weights, means, covariances or a comma-separated list of them", f.fix)
	}
	f.fixed = fixed
	initMethod := g.initFile == ""
	return cli.Validate(
		cli.Want("--fix", f.fix, fixed == 0 || !initMethod, "a fixed part keeps the values of a parameters file: give --init PARAMS.json"),
		cli.Want("--known", f.known, f.known == "" || !stream, "semi-supervised fits run in memory; drop --stream"),
		cli.Want("--known", f.known, f.known == "" || !initMethod || !fs.Changed("init"), fmt.Sprintf("a partly labelled fit starts from the M-step of its labels (mclust's MclustSSC), not from --init %s; drop --init or give a parameters file", init)),
		cli.Want("--weights", f.weights, f.weights == "" || f.weights != f.known, "--weights and --known name one column"),
	)
}

// csvOptions adds the flags to the reading options.
func (f *messyFlags) csvOptions(o *csvio.Options) {
	o.Missing = parseMarkers(f.missingSet, f.missing)
	o.Weights = f.weights
	o.Known = f.known
}

// apply sets the fit's options from the flags and the table read with
// them. kmax is the largest K fitted.
func (f *messyFlags) apply(tab *csvio.Table, o *mixture.Options, kmax int, name string) error {
	if markers := parseMarkers(f.missingSet, f.missing); markers != nil {
		o.Missing, o.MissingMarkers = true, recorded(markers)
	}
	o.Weights = tab.Weights
	o.Fix = f.fixed
	if f.known != "" {
		known, classes, err := knownLabels(tab.Known, kmax, name, f.known)
		if err != nil {
			return err
		}
		o.Known, o.ClassNames = known, classes
		if o.Start == nil {
			o.Init = "" // mixture.InitKnown
		}
	}
	return nil
}

// knownLabels numbers the classes of a --known column: the distinct
// labels sorted (numerically when every one is an integer, as mclust's
// factor levels of numbers), class i being component i; an empty cell is
// an unknown row. More classes than kmax components is an error.
func knownLabels(labels []string, kmax int, name, col string) ([]int, []string, error) {
	var classes []string
	for _, l := range labels {
		if l != "" && !slices.Contains(classes, l) {
			classes = append(classes, l)
		}
	}
	numeric := true
	for _, c := range classes {
		if _, err := strconv.Atoi(c); err != nil {
			numeric = false
		}
	}
	if numeric {
		sort.Slice(classes, func(a, b int) bool {
			x, _ := strconv.Atoi(classes[a])
			y, _ := strconv.Atoi(classes[b])
			return x < y
		})
	} else {
		sort.Strings(classes)
	}
	if len(classes) == 0 {
		return nil, nil, fmt.Errorf("%s: --known %s: no row has a known class; give some, or drop --known", name, col)
	}
	if len(classes) > kmax {
		return nil, nil, fmt.Errorf("%s: --known %s: the labels name %d classes (%s), more than the %d components fitted; each class is a component: raise -k", name, col, len(classes), quoteJoin(classes), kmax)
	}
	known := make([]int, len(labels))
	for i, l := range labels {
		known[i] = mixture.NoLabel
		if l != "" {
			known[i] = slices.Index(classes, l)
		}
	}
	return known, classes, nil
}

func quoteJoin(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// readMessy reads path with the CSV flags and the messy-data options o
// sets.
func readMessy(e *env, cf *csvFlags, path string, set func(*csvio.Options)) (*csvio.Table, error) {
	name := path
	if path == "-" {
		name = "<stdin>"
	}
	o, err := cf.options(name)
	if err != nil {
		return nil, err
	}
	set(&o)
	return csvio.ReadFile(path, e.stdin, o)
}

// tableOptions are the stream's reading options.
func (f *messyFlags) tableOptions(o *table.Options) {
	o.Missing = parseMarkers(f.missingSet, f.missing)
	o.Weights = f.weights
}

// streamOptions sets the options of a streamed fit (no table in memory).
func (f *messyFlags) streamOptions(o *mixture.Options) {
	if markers := parseMarkers(f.missingSet, f.missing); markers != nil {
		o.Missing, o.MissingMarkers = true, recorded(markers)
	}
	o.Fix = f.fixed
}

// modelMessyFlags are the flags of the commands that read data for a
// fitted model (predict, score, impute).
type modelMessyFlags struct {
	fs          *pflag.FlagSet
	missing     string
	missingSet  bool
	known       string // predict: a column of known classes
	given       string // predict: the columns given (GMR)
	weights     string // bootstrap: a column of row weights
	predictMode bool
}

func (f *modelMessyFlags) register(fs *pflag.FlagSet) {
	f.fs = fs
	fs.StringVar(&f.missing, "missing", "", `read empty cells and these comma-separated markers (e.g. NA,?) as missing values, which are marginalised; "" for empty cells only; default: as the model's data were read (its file records it), else a missing value is an error`)
}

// registerWeights adds --weights (gmm bootstrap).
func (f *modelMessyFlags) registerWeights(fs *pflag.FlagSet) {
	fs.StringVar(&f.weights, "weights", "", weightsHelp)
}

// registerPredict adds predict's flags.
func (f *modelMessyFlags) registerPredict(fs *pflag.FlagSet) {
	f.predictMode = true
	fs.StringVar(&f.known, "known", "", "name (or number) of a column of known classes: those rows keep their class (one of the model's classes), the others are predicted")
	fs.StringVar(&f.given, "given", "", "comma-separated feature names given in the file: write the conditional mean and sd of the model's other features (Gaussian-mixture regression) instead of components")
}

// markers returns the markers to read the data with: the flag's, else the
// model's record, else nil (missing values refused).
func (f *modelMessyFlags) markers(m *mixture.Model) []string {
	f.missingSet = f.fs != nil && f.fs.Changed("missing")
	if f.missingSet {
		return parseMarkers(true, f.missing)
	}
	if m.Missing() {
		out := []string{}
		for _, mk := range m.MissingMarkers() {
			if mk != "" {
				out = append(out, mk)
			}
		}
		return out
	}
	return nil
}

// read reads the data for m: with the markers (and then a model that
// marginalises missing values), the known-class column, and the model's
// columns checked, unless --given names the columns to read.
func (f *modelMessyFlags) read(e *env, cf *csvFlags, path string, m *mixture.Model) (*mixture.Model, *csvio.Table, error) {
	markers := f.markers(m)
	if markers != nil {
		m = m.AllowMissing(recorded(markers))
	}
	tab, err := readMessy(e, cf, path, func(o *csvio.Options) {
		o.Missing = markers
		o.Known = f.known
		o.Weights = f.weights
	})
	if err != nil {
		return nil, nil, err
	}
	if f.given != "" {
		return m, tab, nil
	}
	name := path
	if path == "-" {
		name = "<stdin>"
	}
	if err := gmmDataColumns(e, cf, name, tab, gmmColumns(m)); err != nil { // gmm_use_columns.go
		return nil, nil, err
	}
	return m, tab, nil
}

// checkPredict validates predict's messy flags: usage errors.
func (f *modelMessyFlags) checkPredict(proba bool) error {
	return cli.Validate(
		cli.Want("--given", f.given, f.given == "" || f.known == "", "--given predicts features, --known components: give one"),
		cli.Want("--given", f.given, f.given == "" || !proba, "--proba is about components; --given writes conditional means and sds"),
	)
}

// applyKnown makes the rows of tab with a known class certain of it, in
// labels and proba (when not nil): a class the model does not have is an
// error naming the row.
func applyKnown(name, col string, m *mixture.Model, known []string, labels []int, proba *mat.Dense) error {
	for i, l := range known {
		if l == "" {
			continue
		}
		c, err := m.ClassOf(l)
		if err != nil {
			return fmt.Errorf("%s: data row %d: --known %s: %s", name, i+1, col, strings.TrimPrefix(err.Error(), "mixture: "))
		}
		labels[i] = c
		if proba != nil {
			row := proba.RawRowView(i)
			clear(row)
			row[c] = 1
		}
	}
	return nil
}

// predictGiven is gmm predict --given: Gaussian-mixture regression of the
// model's other features on the columns given, written as
// NAME_mean, NAME_sd per target feature.
func predictGiven(name, given string, m *mixture.Model, tab *csvio.Table) (*table.Table, map[string]any, error) {
	cols := gmmColumns(m)
	var idx []int
	var src []int
	for _, g := range strings.Split(given, ",") {
		g = strings.TrimSpace(g)
		j := slices.Index(cols, g)
		if j < 0 {
			return nil, nil, usagef("--given %q: %q is not one of the model's features (%s)", given, g, strings.Join(cols, ", "))
		}
		if slices.Contains(idx, j) {
			return nil, nil, usagef("--given %q: %q is given twice", given, g)
		}
		c := slices.Index(tab.Columns, g)
		if c < 0 {
			return nil, nil, fmt.Errorf("%s has no column %q (its columns: %s); --given names columns of the file", name, g, strings.Join(tab.Columns, ", "))
		}
		idx, src = append(idx, j), append(src, c)
	}
	if len(idx) == len(cols) {
		return nil, nil, usagef("--given %q: every feature is given; leave out the ones to predict", given)
	}
	n, _ := tab.X.Dims()
	x := mat.NewDense(n, len(idx), nil)
	for i := 0; i < n; i++ {
		for t, c := range src {
			x.Set(i, t, tab.X.At(i, c))
		}
	}
	k := m.Dim() - len(idx)
	mean, sd := mat.NewDense(n, k, nil), mat.NewDense(n, k, nil)
	if _, err := m.Regress(mean, sd, idx, x); err != nil {
		return nil, nil, err
	}
	var targets, out []string
	for j, c := range cols {
		if !slices.Contains(idx, j) {
			targets = append(targets, c)
			out = append(out, c+"_mean", c+"_sd")
		}
	}
	res := mat.NewDense(n, 2*k, nil)
	for i := 0; i < n; i++ {
		for t := 0; t < k; t++ {
			res.Set(i, 2*t, mean.At(i, t))
			res.Set(i, 2*t+1, sd.At(i, t))
		}
	}
	v := map[string]any{"given": given, "targets": targets, "mean": matRows(mean), "sd": matRows(sd)}
	return &table.Table{Columns: out, X: res}, v, nil
}

func matRows(x *mat.Dense) [][]float64 {
	n, _ := x.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = x.RawRowView(i)
	}
	return out
}

// withClasses adds a last column "class" to predict's table when the model
// has class names (a fit with --known): the class of each row's component.
func withClasses(t *table.Table, m *mixture.Model, labels []int) *table.Table {
	classes := m.Classes()
	if classes == nil {
		return t
	}
	t.LabelName, t.Labels = "class", make([]string, len(labels))
	for i, l := range labels {
		if l < len(classes) {
			t.Labels[i] = classes[l]
		}
	}
	return t
}

// unweighted is a Source's rows without their weights: the uniform sample
// a weighted stream's initialisation runs on (table.Reservoir refuses
// weights, rightly: the sample is of rows, and only starts EM, whose
// iterations read the weights).
type unweighted struct{ em.Source }

func (u unweighted) Blocks(rows int) (em.BlockIter, error) {
	it, err := u.Source.Blocks(rows)
	if err != nil {
		return nil, err
	}
	return unweightedIter{it}, nil
}

type unweightedIter struct{ em.BlockIter }

func (it unweightedIter) Next(buf *mat.Dense, wbuf []float64) (*mat.Dense, []float64, error) {
	x, _, err := it.BlockIter.Next(buf, wbuf)
	return x, nil, err
}

// sampleSource is the source the stream's initialisation sample is drawn
// from.
func (f *messyFlags) sampleSource(src em.Source) em.Source {
	if f.weights != "" {
		return unweighted{src}
	}
	return src
}

// readForModel reads the data for m with the markers its file records (so
// a model fitted with missing values reads them again) and checks the
// model's columns.
func readForModel(e *env, cf *csvFlags, path string, m *mixture.Model) (*csvio.Table, error) {
	_, tab, err := (&modelMessyFlags{}).read(e, cf, path, m)
	return tab, err
}
