package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gonum.org/v1/plot"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/memlimit"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/table"
)

func newBiasvarCmd(e *env) *cobra.Command {
	return group("biasvar", "Decompose a learner's error into noise, bias² and variance",
		`  latent biasvar run --problem sine --learner knn --param k=5 --rounds 500 --design fixed
  latent biasvar sweep --learner poly --param degree=1:12 --report poly-sweep
  latent biasvar sweep --learner knn --param k=5 --design fixed --n-train 10:1000:log --report curve
  latent biasvar run --learner exec --cmd 'python3 fit_predict.py' --rounds 100
  latent biasvar from-predictions --predictions p.csv --targets t.csv --truth truth.csv
  latent biasvar density --k 1:6 --n-train 100
  latent biasvar list`,
		newBiasvarRunCmd(e), newBiasvarSweepCmd(e), newBiasvarFromPredictionsCmd(e), newBiasvarDensityCmd(e), newBiasvarListCmd(e))
}

// bvFlags are the flags shared by run and sweep.
type bvFlags struct {
	problem, learner string
	params           []string
	rounds           int
	design           string
	noise            float64
	nTrainArg        string
	nTrain, nTest    int
	sizes            []int // --n-train's sizes (several: a learning curve)
	seed             uint64
	loss             string
	workers, fits    int
	asJSON           bool
	report           string
	data, target     string
	test             string
	testFraction     float64
	cmdLine          string
	timeout          time.Duration
	dump             string
	stream           bool
	cf               csvFlags
	of               outFlags
}

func (f *bvFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.problem, "problem", "sine", "built-in problem: sine, poly, step, friedman1, gauss2 (see 'latent biasvar list')")
	fs.StringVar(&f.learner, "learner", "knn", "learner: knn, poly, ridge, tree, rff, mlp (regression); knnc, logistic, mlpc (classification); see 'latent biasvar list'")
	fs.StringArrayVar(&f.params, "param", nil, "learner parameter NAME=VALUE, repeatable; sweep: one VALUE is a range FROM:TO[:STEP|:xFACTOR] or a list a,b,c")
	fs.IntVar(&f.rounds, "rounds", biasvar.DefaultRounds, "number of training sets R")
	fs.StringVar(&f.design, "design", "random", "random (x's redrawn every round) or fixed (x's drawn once, only y redrawn)")
	fs.Float64Var(&f.noise, "noise", 0.3, "noise sd σ of regression problems")
	fs.StringVar(&f.nTrainArg, "n-train", "50", "training-set size; sweep: a range FROM:TO[:STEP], FROM:TO:log (10 log-spaced sizes) or :logN, or a list a,b,c for a learning curve")
	fs.IntVar(&f.nTest, "n-test", 0, "number of test points (0: the problem's default: a grid of 100 in 1-D, 200 drawn points otherwise)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed; the same seed gives the same numbers on any number of cores")
	fs.StringVar(&f.loss, "loss", "", "squared, 01 or log (default: squared for regression, 01 for classification)")
	fs.IntVar(&f.workers, "workers", 0, "rounds fitted in parallel (0: all cores)")
	fs.IntVar(&f.fits, "fits", biasvar.DefaultFits, "single fits kept in the report for the chart")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
	fs.StringVar(&f.report, "report", "", "write report.json, report.md and the charts into this folder")
	fs.StringVar(&f.data, "data", "", "bootstrap mode: a CSV file of real data (no known truth); needs --target")
	fs.StringVar(&f.target, "target", "", "bootstrap mode: the target column (name or 1-based number)")
	fs.StringVar(&f.test, "test", "", "bootstrap mode: a CSV file with the test set (default: hold out --test-fraction of --data)")
	fs.Float64Var(&f.testFraction, "test-fraction", 0.25, "bootstrap mode: share of --data held out as the test set (seeded)")
	fs.StringVar(&f.cmdLine, "cmd", "", "--learner exec: the command that fits and predicts (quotes group words; no shell), for example 'python3 fit_predict.py'")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Minute, "--learner exec: the limit on one round's command (0: none)")
	fs.StringVar(&f.dump, "dump", "", "run: write every round's predictions (predictions.csv: a row per test point, a column per round), targets.csv and truth.csv into this folder, for 'latent biasvar from-predictions'")
	fs.BoolVar(&f.stream, "stream", false, "squared and 01 loss: keep running moments (squared) or class counts (01) of 20 groups of rounds instead of every prediction: memory flat in --rounds")
	f.cf.register(fs, false)
	f.of.register(fs)
}

// bvFlagOf names the flag that sets each option biasvar's errors name.
var bvFlagOf = map[string]string{
	"Options.Rounds": "--rounds", "Options.Loss": "--loss", "Options.Stream": "--stream", "Problem.Design": "--design", "sigma": "--noise",
	"nTrain": "--n-train", "problem": "--problem", "learner": "--learner", "params": "--param",
	"DataOptions.Target": "--target", "DataOptions.TestFraction": "--test-fraction",
}

// bvError says biasvar's typed errors with the flags for the options: an
// invalid option is a usage error (exit 2), a table that does not fit one
// a failure (exit 1). Other errors pass as they are.
func bvError(err error) error {
	var oe *biasvar.OptionError
	var de *biasvar.DataError
	switch {
	case errors.As(err, &oe) && bvFlagOf[oe.Option] != "":
		return usagef("%s", oe.Named(bvFlagOf[oe.Option]))
	case errors.As(err, &oe):
		return usageError{err}
	case errors.As(err, &de):
		return errors.New(de.Named(bvFlagOf[de.Option]))
	}
	return err
}

// validate checks the flags' values and combinations, before any work:
// flags of bootstrap mode need --data (--target alone was ignored), and a
// value typed is that value.
func (f *bvFlags) validate(fs *pflag.FlagSet) error {
	return cli.Validate(
		cli.Want("--rounds", f.rounds, f.rounds >= 1, "need at least 1"),
		cli.Want("--workers", f.workers, f.workers >= 0, "must be 0 (all cores) or positive"),
		cli.Want("--fits", f.fits, f.fits >= 0, "give 0 (keep none) or more"),
		cli.NonNegative("--noise", f.noise),
		f.parseSizes(),
		cli.Want("--n-test", f.nTest, f.nTest >= 0, "must be 0 (default) or positive"),
		cli.Want("--test-fraction", f.testFraction, f.testFraction > 0 && f.testFraction < 1, "give a share strictly between 0 and 1"),
		cli.Requires(fs, "target", "data"),
		cli.Requires(fs, "test", "data"),
		cli.Requires(fs, "test-fraction", "data"),
		cli.Want("--timeout", f.timeout, f.timeout >= 0, "give 0 (no limit) or a positive duration such as 30s"),
		f.checkExec(fs),
	)
}

func (f *bvFlags) options() (biasvar.Options, error) {
	loss, err := biasvar.ParseLoss(f.loss)
	o := biasvar.Options{Rounds: f.rounds, Seed: f.seed, Loss: loss, Workers: f.workers, Fits: f.fits}
	if f.fits == 0 {
		o.Fits = -1 // --fits 0 keeps none; Options.Fits 0 is the default
	}
	return o, bvError(err)
}

// monteCarlo is the Monte Carlo problem of the flags.
func (f *bvFlags) monteCarlo(cmd *cobra.Command) (*biasvar.Problem, error) {
	if err := cli.Want("--n-test", f.nTest, f.nTest >= 0, "must be 0 (default) or positive"); err != nil {
		return nil, err
	}
	p, err := biasvar.NewProblem(f.problem, f.sizes[0], f.noise)
	if err != nil {
		return nil, bvError(err)
	}
	if p.F == nil && cmd.Flags().Changed("noise") {
		return nil, usagef("--noise: %s is a classification problem; its noise is the class overlap, set by the problem", f.problem)
	}
	if f.nTest > 0 {
		// The memory guard before the test points are made.
		if err := memlimit.Check(fmt.Sprintf("%d test points", f.nTest), memlimit.Floats(float64(f.nTest), float64(max(p.Dim, 1)+2)), "--n-test"); err != nil {
			return nil, err
		}
		p.SetNTest(f.nTest)
	}
	p.Design, err = biasvar.ParseDesign(f.design)
	return p, bvError(err)
}

// bootstrapData is the data set of --data (and --test) for bootstrap mode.
// A classification learner without --loss is scored with the zero-one
// loss, its target read as class labels.
func (f *bvFlags) bootstrapData(e *env, cmd *cobra.Command, opts *biasvar.Options) (*biasvar.Data, error) {
	loss := opts.Loss
	if f.target == "" {
		return nil, usagef("--data needs --target COL: the column to predict")
	}
	for _, fl := range []string{"problem", "design", "noise", "n-train", "n-test"} {
		if cmd.Flags().Changed(fl) {
			return nil, usagef("--%s does not apply to bootstrap mode (--data): the data set fixes it", fl)
		}
	}
	if err := cli.Exclusive(cmd.Flags(), "test", "test-fraction"); err != nil {
		return nil, err
	}
	cf := f.cf
	classify := loss == biasvar.ZeroOne || loss == biasvar.LogLoss || loss == "" && learnerTask(f.learner) == "classification"
	if classify {
		cf.label = f.target // class labels, read as text
		if loss == "" {
			opts.Loss = biasvar.ZeroOne
		}
	}
	var tables [2]*table.Table
	for i, path := range []string{f.data, f.test} {
		if path == "" {
			break
		}
		tab, err := cf.read(e, path)
		if err != nil {
			return nil, bvCSVHint(err, f.target, classify)
		}
		tables[i] = &table.Table{Columns: tab.Columns, X: tab.X, Labels: tab.Labels, LabelName: tab.LabelName}
	}
	d, err := biasvar.DataFromTable(tables[0], tables[1], biasvar.DataOptions{Name: f.data, TestName: f.test,
		Target: f.target, TestFraction: f.testFraction, Seed: f.seed})
	d.Name = filepath.Base(f.data)
	return &d, bvError(err)
}

// bvGuardFlags name the flags of the options biasvar's memory errors ask
// to lower.
var bvGuardFlags = map[string]string{"Options.Rounds": "--rounds", "Problem.NTest": "--n-test", "Problem.NTrain": "--n-train",
	"MLP.Hidden": "--param hidden", "MLPClassifier.Hidden": "--param hidden", "RandomFeatures.Features": "--param features"}

// learnerTask is "classification" or "regression" for a built-in
// learner's name, "" for an unknown one (reported later).
func learnerTask(name string) string {
	for _, l := range biasvar.Learners() {
		if l.Name == name {
			return l.Task
		}
	}
	return ""
}

// bvCSVHint rewrites the hints of CSV errors for biasvar, which has no
// --label flag: a text target says to use a classification learner (or
// --loss 01), another text column that bootstrap mode reads only numbers
// besides the target.
func bvCSVHint(err error, target string, classify bool) error {
	var ce *csvio.Error
	if !errors.As(err, &ce) || !errors.Is(err, csvio.ErrNotNumber) {
		return err
	}
	e := *ce
	switch {
	case !classify && (e.Name == target || strconv.Itoa(e.Field) == target):
		e.Hint = fmt.Sprintf("the target %s holds class labels: use a classification learner (knnc, logistic or mlpc) or --loss 01", target)
	case e.Name != "":
		e.Hint = fmt.Sprintf("bootstrap mode reads every column but the target (%s) as numbers; remove column %q from the file", target, e.Name)
	default:
		e.Hint = fmt.Sprintf("bootstrap mode reads every column but the target (%s) as numbers; remove column %d from the file", target, e.Field)
	}
	return &e
}

// bvReport is what run and sweep print and write.
type bvReport interface {
	WriteText(io.Writer) error
	WriteMarkdown(io.Writer) error
}

// exec runs 'run' or (sweep) 'sweep': one library call, then the report
// folder and the text (or JSON) on stdout.
func (f *bvFlags) exec(e *env, cmd *cobra.Command, sweep bool) error {
	params, err := biasvar.ParseParams(f.params)
	switch {
	case err != nil:
		return bvError(err)
	case !sweep && params.Knob != "":
		return usagef("--param %s: 'run' takes one value per parameter; use 'latent biasvar sweep' for a range", params.KnobArg)
	}
	if err := f.validate(cmd.Flags()); err != nil {
		return err
	}
	learner, knob, err := f.plan(params, sweep)
	if err != nil {
		return err
	}
	opts, err := f.options()
	if err != nil {
		return err
	}
	opts.KeepPredictions, opts.Stream = f.dump != "", f.stream
	var p *biasvar.Problem
	var d *biasvar.Data
	if f.data != "" {
		d, err = f.bootstrapData(e, cmd, &opts)
	} else {
		p, err = f.monteCarlo(cmd)
	}
	if err != nil {
		return err
	}
	files, total, desc := f.outputs(p, d, knob, sweep, opts.Loss)
	wopts, err := f.checkReport(files, f.dumpOutput())
	if err != nil {
		return err
	}
	bar := newProgress(e.stderr, total, desc)
	defer bar.Done()
	done := 0
	opts.Progress = func(pr biasvar.Progress) { bar.Add(pr.Done - done); done = pr.Done }
	rep, chart, err := decompose(cmd.Context(), p, d, learner, knob, f.sizes, opts)
	if err != nil {
		return withFlags(bvError(err), bvGuardFlags)
	}
	bar.Done()
	if err := f.writeReport(files, wopts, rep, chart); err != nil {
		return err
	}
	if err := f.writeDump(wopts, rep); err != nil {
		return err
	}
	if f.asJSON {
		return writeJSON(e.stdout, rep)
	}
	if err := rep.WriteText(e.stdout); err != nil || f.report == "" {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join(prefixed(f.report, files), " "))
	return err
}

// decompose makes the one library call of run (learner set) or sweep: on
// problem p, or in bootstrap mode on data d. It returns the report and its
// chart.
func decompose(ctx context.Context, p *biasvar.Problem, d *biasvar.Data, l biasvar.Learner, knob biasvar.Knob, sizes []int, opts biasvar.Options) (bvReport, func() ([]*plot.Plot, error), error) {
	one := func(f func() (*plot.Plot, error)) func() ([]*plot.Plot, error) {
		return func() ([]*plot.Plot, error) { c, err := f(); return []*plot.Plot{c}, err }
	}
	switch {
	case len(sizes) > 1 && knob.New != nil:
		g, err := biasvar.Grid(ctx, p, knob, sizes, opts)
		return g, func() ([]*plot.Plot, error) { return gridCharts(g, opts.Loss, p) }, err
	case len(sizes) > 1:
		sr, err := biasvar.LearningCurve(ctx, p, l, sizes, opts)
		return sr, one(func() (*plot.Plot, error) {
			return plots.BiasVarianceSweep(sr, plots.BiasVarianceOptions{XScale: plots.LogScale})
		}), err
	case l == nil && d != nil:
		sr, err := biasvar.SweepBootstrap(ctx, *d, knob, opts)
		return sr, one(func() (*plot.Plot, error) { return plots.BiasVarianceSweep(sr, plots.BiasVarianceOptions{}) }), err
	case l == nil:
		sr, err := biasvar.Sweep(ctx, p, knob, opts)
		return sr, one(func() (*plot.Plot, error) { return plots.BiasVarianceSweep(sr, plots.BiasVarianceOptions{}) }), err
	case d != nil:
		r, err := biasvar.Bootstrap(ctx, *d, l, opts)
		return r, one(func() (*plot.Plot, error) { return plots.BiasVarianceFit(r, plots.BiasVarianceOptions{}) }), err
	}
	r, err := biasvar.Decompose(ctx, p, l, opts)
	return r, one(func() (*plot.Plot, error) { return plots.BiasVarianceFit(r, plots.BiasVarianceOptions{}) }), err
}

// oneInputRegression reports whether the per-point chart applies: squared
// loss with one input.
func oneInputRegression(p *biasvar.Problem, d *biasvar.Data, loss biasvar.Loss) bool {
	if d != nil {
		_, c := d.XTrain.Dims()
		return c == 1 && loss != biasvar.ZeroOne
	}
	return p.F != nil && p.Dim <= 1
}

// checkReport is the outputs guard for the --report folder and its files,
// before any work; it makes the folder and returns the options of the
// writes.
func (f *bvFlags) checkReport(files []string, more ...cli.Output) (fileio.Options, error) {
	out := cli.Output{Flag: "--report", Path: f.report, Kind: cli.Folder, Files: files}
	opts, err := f.of.spec([]string{f.data, f.test}, append(more, out)...).Check()
	for _, o := range append(more, out) {
		if err == nil && o.Path != "" {
			err = os.MkdirAll(o.Path, 0o755)
		}
	}
	return opts, err
}

// writeReport writes the --report files: report.json, report.md and,
// when files lists one, the chart.
func (f *bvFlags) writeReport(files []string, opts fileio.Options, rep bvReport, chart func() ([]*plot.Plot, error)) error {
	if f.report == "" {
		return nil
	}
	write := func(name string, w func(io.Writer) error) error {
		return fileio.WriteFile(filepath.Join(f.report, name), w, opts)
	}
	if err := write("report.json", jsonWriter(rep)); err != nil {
		return err
	}
	if err := write("report.md", rep.WriteMarkdown); err != nil || len(files) < 3 {
		return err
	}
	figs, err := chart()
	if err != nil {
		return fmt.Errorf("biasvar: chart: %w", err)
	}
	for i, fig := range figs {
		if err := write(files[2+i], pngWriter(fig)); err != nil {
			return err
		}
	}
	return nil
}

func jsonWriter(v any) func(io.Writer) error {
	return func(w io.Writer) error { return writeJSON(w, v) }
}

func prefixed(dir string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = filepath.Join(dir, n)
	}
	return out
}

func newBiasvarRunCmd(e *env) *cobra.Command {
	var f bvFlags
	c := &cobra.Command{
		Use:   "run",
		Short: "Decompose one learner's error by Monte Carlo (or bootstrap on real data)",
		Long: `Fit the learner to --rounds training sets drawn from a known problem and report,
averaged over the test points and per point: expected error, noise, bias² and
variance, each with its Monte Carlo standard error (jackknife over rounds),
and check error = noise + bias² + variance. With --loss 01 (classification):
Domingos' decomposition; with --loss log: Heskes'.

With --data FILE.csv --target COL there is no known truth: bootstrap mode
resamples the data as mlxtend's bias_variance_decomp does; its "bias²"
includes the noise and is reported as bias² + noise.

--report DIR writes report.json, report.md and, for regression with one
input, fit.png (f, the mean prediction, a ±1 sd band and a few single fits).`,
		Example: `  latent biasvar run --problem sine --learner knn --param k=5 --rounds 500 --design fixed --noise 0.3 --n-train 50 --seed 1
  latent biasvar run --problem gauss2 --learner knnc --param k=15 --loss 01 --json
  latent biasvar run --data housing.csv --target price --learner tree --param depth=4 --report tree-report`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return f.exec(e, cmd, false) },
	}
	f.register(c.Flags())
	return c
}

func newBiasvarSweepCmd(e *env) *cobra.Command {
	var f bvFlags
	c := &cobra.Command{
		Use:   "sweep",
		Short: "Decompose the error along a complexity knob (k, degree, λ, depth, features)",
		Long: `Run the decomposition of 'latent biasvar run' at every value of one learner
parameter, given as a range (--param degree=1:12, --param lambda=1e-6:1e2:x10)
or a list (--param k=1,2,5,10). Every value uses the same seed, so every
setting sees the same training sets. --report DIR writes report.json,
report.md and decomposition.png (bias², variance, noise and error against
the knob, with ±1 standard-error bars).

Double descent (Belkin et al. 2019): minimum-norm least squares on random
Fourier features, the error peaking where the number of features reaches the
number of training points:

  latent biasvar sweep --problem friedman1 --noise 1 --n-train 40 --learner rff --param features=2:200:2 --rounds 100 --report dd`,
		Example: `  latent biasvar sweep --learner poly --param degree=1:12 --design fixed --report poly
  latent biasvar sweep --learner knn --param k=1:40 --rounds 300 --json
  latent biasvar sweep --problem friedman1 --noise 1 --n-train 40 --learner rff --param features=2:200:2 --rounds 100 --report dd`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return f.exec(e, cmd, true) },
	}
	f.register(c.Flags())
	return c
}

func newBiasvarListCmd(e *env) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:     "list",
		Short:   "List the built-in problems and learners with their parameters",
		Example: "  latent biasvar list\n  latent biasvar list --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				return writeJSON(e.stdout, map[string]any{"problems": biasvar.Problems(), "learners": biasvar.Learners()})
			}
			return biasvar.WriteBuiltins(e.stdout)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
