package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/fileio"
)

func newBiasvarCmd(e *env) *cobra.Command {
	return group("biasvar", "Decompose a learner's error into noise, bias² and variance",
		`  latent biasvar run --problem sine --learner knn --param k=5 --rounds 500 --design fixed
  latent biasvar sweep --learner poly --param degree=1:12 --report poly-sweep
  latent biasvar list`,
		newBiasvarRunCmd(e), newBiasvarSweepCmd(e), newBiasvarListCmd(e))
}

// bvFlags are the flags shared by run and sweep.
type bvFlags struct {
	problem, learner string
	params           []string
	rounds           int
	design           string
	noise            float64
	nTrain, nTest    int
	seed             uint64
	loss             string
	workers, fits    int
	asJSON           bool
	report           string
	data, target     string
	test             string
	testFraction     float64
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
	fs.IntVar(&f.nTrain, "n-train", 50, "training-set size")
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
	f.cf.register(fs, false)
	f.of.register(fs)
}

// parseParams reads the --param flags into fixed values and at most one
// swept parameter.
func (f *bvFlags) parseParams(sweep bool) (fixed map[string]float64, knob string, values []float64, err error) {
	fixed = map[string]float64{}
	for _, p := range f.params {
		name, val, ok := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, "", nil, usagef("--param %q: write NAME=VALUE, for example k=5", p)
		}
		if _, dup := fixed[name]; dup || name == knob {
			return nil, "", nil, usagef("--param %s given twice", name)
		}
		vs, perr := biasvar.ParseValues(val)
		if perr != nil {
			return nil, "", nil, usagef("--param %s: %v", name, perr)
		}
		if len(vs) == 1 && !strings.ContainsAny(val, ":,") {
			fixed[name] = vs[0]
			continue
		}
		if !sweep {
			return nil, "", nil, usagef("--param %s=%s: 'run' takes one value per parameter; use 'latent biasvar sweep' for a range", name, val)
		}
		if knob != "" {
			return nil, "", nil, usagef("--param %s=%s: only one parameter can be swept (already sweeping %s)", name, val, knob)
		}
		knob, values = name, vs
	}
	if sweep && knob == "" {
		return nil, "", nil, usagef("sweep needs one --param with a range, for example --param k=1:30 or --param degree=1,2,4,8")
	}
	return fixed, knob, values, nil
}

// experiment is what a run works on: a Monte Carlo problem or, in
// bootstrap mode, a data set.
type experiment struct {
	problem *biasvar.Problem
	data    *biasvar.Data
}

func (f *bvFlags) experiment(e *env, cmd *cobra.Command, opts biasvar.Options) (*experiment, error) {
	if f.data != "" {
		d, err := f.bootstrapData(e, cmd, opts.Loss == biasvar.ZeroOne)
		if err != nil {
			return nil, err
		}
		return &experiment{data: &d}, nil
	}
	p, err := f.buildProblem(cmd)
	if err != nil {
		return nil, err
	}
	return &experiment{problem: p}, nil
}

// oneInputRegression reports whether the per-point chart applies: squared
// loss with one input.
func (x *experiment) oneInputRegression(opts biasvar.Options) bool {
	if x.data != nil {
		_, c := x.data.XTrain.Dims()
		return c == 1 && opts.Loss != biasvar.ZeroOne
	}
	return x.problem.F != nil && x.problem.Dim <= 1
}

func (f *bvFlags) options() (biasvar.Options, error) {
	if f.rounds < 1 {
		return biasvar.Options{}, usagef("--rounds %d: need at least 1", f.rounds)
	}
	if f.workers < 0 {
		return biasvar.Options{}, usagef("--workers %d: must be 0 (all cores) or positive", f.workers)
	}
	o := biasvar.Options{Rounds: f.rounds, Seed: f.seed, Loss: biasvar.Loss(f.loss), Workers: f.workers, Fits: f.fits}
	if f.fits == 0 {
		o.Fits = -1
	}
	switch o.Loss {
	case "", biasvar.Squared, biasvar.ZeroOne, biasvar.LogLoss:
	case "0-1", "zero-one", "zeroone":
		o.Loss = biasvar.ZeroOne
	default:
		return o, usagef("--loss %q: use squared, 01 or log", f.loss)
	}
	return o, nil
}

// buildProblem makes the Monte Carlo problem from the flags.
func (f *bvFlags) buildProblem(cmd *cobra.Command) (*biasvar.Problem, error) {
	if f.nTrain < 1 {
		return nil, usagef("--n-train %d: need at least 1", f.nTrain)
	}
	if f.nTest < 0 {
		return nil, usagef("--n-test %d: must be 0 (default) or positive", f.nTest)
	}
	if !(f.noise >= 0) || math.IsInf(f.noise, 0) {
		return nil, usagef("--noise %v: give a finite sd ≥ 0", f.noise)
	}
	p, err := biasvar.NewProblem(f.problem, f.nTrain, f.noise)
	if err != nil {
		return nil, usageError{err}
	}
	if p.F == nil && cmd.Flags().Changed("noise") {
		return nil, usagef("--noise: %s is a classification problem; its noise is the class overlap, set by the problem", f.problem)
	}
	switch f.design {
	case "random":
		p.Design = biasvar.Random
	case "fixed":
		p.Design = biasvar.Fixed
	default:
		return nil, usagef("--design %q: use random or fixed", f.design)
	}
	if f.nTest > 0 {
		if p.Test != nil && p.Dim <= 1 {
			g := mat.NewDense(f.nTest, 1, nil)
			for i := 0; i < f.nTest; i++ {
				g.Set(i, 0, (float64(i)+0.5)/float64(f.nTest))
			}
			p.Test = g
		} else {
			p.Test, p.NTest = nil, f.nTest
		}
	}
	return p, nil
}

// bootstrapData reads --data (and --test) for bootstrap mode.
func (f *bvFlags) bootstrapData(e *env, cmd *cobra.Command, classify bool) (biasvar.Data, error) {
	if f.target == "" {
		return biasvar.Data{}, usagef("--data needs --target COL: the column to predict")
	}
	for _, fl := range []string{"problem", "design", "noise", "n-train", "n-test"} {
		if cmd.Flags().Changed(fl) {
			return biasvar.Data{}, usagef("--%s does not apply to bootstrap mode (--data): the data set fixes it", fl)
		}
	}
	if f.test != "" && cmd.Flags().Changed("test-fraction") {
		return biasvar.Data{}, usagef("give --test or --test-fraction, not both")
	}
	read := func(path string) (x *mat.Dense, y []float64, labels []string, err error) {
		cf := f.cf
		if classify {
			cf.label = f.target
		}
		tab, err := cf.read(e, path)
		if err != nil {
			return nil, nil, nil, err
		}
		if classify {
			return tab.X, nil, tab.Labels, nil
		}
		j := slices.Index(tab.Columns, f.target)
		if j < 0 {
			if k, err := strconv.Atoi(f.target); err == nil && k >= 1 && k <= len(tab.Columns) {
				j = k - 1
			}
		}
		if j < 0 {
			return nil, nil, nil, fmt.Errorf("%s: --target %q: no such column; the columns are %q", path, f.target, tab.Columns)
		}
		r, c := tab.X.Dims()
		if c < 2 {
			return nil, nil, nil, fmt.Errorf("%s: only the target column; the learner needs at least one input column", path)
		}
		x = mat.NewDense(r, c-1, nil)
		y = make([]float64, r)
		for i := 0; i < r; i++ {
			row := tab.X.RawRowView(i)
			y[i] = row[j]
			copy(x.RawRowView(i), append(append([]float64(nil), row[:j]...), row[j+1:]...))
		}
		return x, y, nil, nil
	}
	x, y, labels, err := read(f.data)
	if err != nil {
		return biasvar.Data{}, err
	}
	classes := map[string]int{}
	toClass := func(labels []string) []float64 {
		out := make([]float64, len(labels))
		for i, l := range labels {
			c, ok := classes[l]
			if !ok {
				c = len(classes)
				classes[l] = c
			}
			out[i] = float64(c)
		}
		return out
	}
	if classify {
		y = toClass(labels)
	}
	d := biasvar.Data{Name: filepath.Base(f.data)}
	if f.test != "" {
		xt, yt, lt, err := read(f.test)
		if err != nil {
			return d, err
		}
		if classify {
			yt = toClass(lt)
		}
		_, c1 := x.Dims()
		if _, c2 := xt.Dims(); c1 != c2 {
			return d, fmt.Errorf("%s has %d input columns but %s has %d", f.data, c1, f.test, c2)
		}
		d.XTrain, d.YTrain, d.XTest, d.YTest = x, y, xt, yt
		return d, nil
	}
	if !(f.testFraction > 0 && f.testFraction < 1) {
		return d, usagef("--test-fraction %v: give a share strictly between 0 and 1", f.testFraction)
	}
	n, c := x.Dims()
	nTest := int(math.Ceil(f.testFraction * float64(n)))
	if nTest >= n {
		return d, fmt.Errorf("%s: %d rows are too few to hold out %.0f%% as a test set", f.data, n, 100*f.testFraction)
	}
	// A seeded shuffle (its own stream, apart from the rounds'): the first
	// nTest rows of the permutation are the test set.
	perm := rand.New(rand.NewPCG(f.seed, 1<<63+7)).Perm(n)
	xtr, xte := mat.NewDense(n-nTest, c, nil), mat.NewDense(nTest, c, nil)
	d.YTrain, d.YTest = make([]float64, n-nTest), make([]float64, nTest)
	for k, i := range perm {
		if k < nTest {
			copy(xte.RawRowView(k), x.RawRowView(i))
			d.YTest[k] = y[i]
		} else {
			copy(xtr.RawRowView(k-nTest), x.RawRowView(i))
			d.YTrain[k-nTest] = y[i]
		}
	}
	d.XTrain, d.XTest = xtr, xte
	return d, nil
}

// reportFiles are the files a --report folder gets.
func (f *bvFlags) checkReport(names []string) error {
	if f.report == "" {
		return nil
	}
	if err := os.MkdirAll(f.report, 0o755); err != nil {
		return fmt.Errorf("biasvar: --report: %w", err)
	}
	inputs := []string{f.data, f.test}
	for _, n := range names {
		if err := fileio.Check(filepath.Join(f.report, n), f.of.options(inputs...)); err != nil {
			return fmt.Errorf("biasvar: --report: %w", err)
		}
	}
	return nil
}

func (f *bvFlags) writeReport(name string, write func(io.Writer) error) error {
	return fileio.WriteFile(filepath.Join(f.report, name), write, f.of.options(f.data, f.test))
}

func jsonWriter(v any) func(io.Writer) error {
	return func(w io.Writer) error { return writeJSON(w, v) }
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
		RunE: func(cmd *cobra.Command, args []string) error {
			params, _, _, err := f.parseParams(false)
			if err != nil {
				return err
			}
			learner, err := biasvar.NewLearner(f.learner, params)
			if err != nil {
				return usageError{err}
			}
			opts, err := f.options()
			if err != nil {
				return err
			}
			x, err := f.experiment(e, cmd, opts)
			if err != nil {
				return err
			}
			files := []string{"report.json", "report.md"}
			if x.oneInputRegression(opts) {
				files = append(files, runChartFile)
			}
			if err := f.checkReport(files); err != nil {
				return err
			}
			bar := newProgress(e.stderr, f.rounds, "biasvar "+f.learner)
			defer bar.Done()
			done := 0
			opts.Progress = func(p biasvar.Progress) { bar.Add(p.Done - done); done = p.Done }
			var rep *biasvar.Report
			if x.data != nil {
				rep, err = biasvar.Bootstrap(cmd.Context(), *x.data, learner, opts)
			} else {
				rep, err = biasvar.Decompose(cmd.Context(), x.problem, learner, opts)
			}
			if err != nil {
				return bvError(err)
			}
			bar.Done()
			if f.report != "" {
				if err := f.writeReport("report.json", jsonWriter(rep)); err != nil {
					return err
				}
				if err := f.writeReport("report.md", rep.WriteMarkdown); err != nil {
					return err
				}
				if len(files) > 2 {
					if err := writeRunChart(&f, rep); err != nil {
						return err
					}
				}
			}
			if f.asJSON {
				return writeJSON(e.stdout, rep)
			}
			printReport(e.stdout, rep)
			if f.report != "" {
				fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join(prefixed(f.report, files), " "))
			}
			return nil
		},
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
		RunE: func(cmd *cobra.Command, args []string) error {
			params, knobName, values, err := f.parseParams(true)
			if err != nil {
				return err
			}
			knob, err := biasvar.NewKnob(f.learner, params, knobName, values)
			if err != nil {
				return usageError{err}
			}
			opts, err := f.options()
			if err != nil {
				return err
			}
			x, err := f.experiment(e, cmd, opts)
			if err != nil {
				return err
			}
			files := []string{"report.json", "report.md", sweepChartFile}
			if err := f.checkReport(files); err != nil {
				return err
			}
			bar := newProgress(e.stderr, f.rounds*len(values), "biasvar sweep "+knobName)
			defer bar.Done()
			done := 0
			opts.Progress = func(p biasvar.Progress) { bar.Add(p.Done - done); done = p.Done }
			var sr *biasvar.SweepReport
			if x.data != nil {
				sr, err = biasvar.SweepBootstrap(cmd.Context(), *x.data, knob, opts)
			} else {
				sr, err = biasvar.Sweep(cmd.Context(), x.problem, knob, opts)
			}
			if err != nil {
				return bvError(err)
			}
			bar.Done()
			if f.report != "" {
				if err := f.writeReport("report.json", jsonWriter(sr)); err != nil {
					return err
				}
				if err := f.writeReport("report.md", sr.WriteMarkdown); err != nil {
					return err
				}
				if err := writeSweepChart(&f, sr); err != nil {
					return err
				}
			}
			if f.asJSON {
				return writeJSON(e.stdout, sr)
			}
			printSweep(e.stdout, sr)
			if f.report != "" {
				fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join(prefixed(f.report, files), " "))
			}
			return nil
		},
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
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "PROBLEM\tTASK\tDESCRIPTION")
			for _, p := range biasvar.Problems() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, p.Task, p.Title)
			}
			fmt.Fprintln(tw, "\nLEARNER\tTASK\tPARAMETERS (default)\tDESCRIPTION")
			for _, l := range biasvar.Learners() {
				ps := []string{}
				for _, p := range l.Params {
					ps = append(ps, fmt.Sprintf("%s=%g", p.Name, p.Default))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Name, l.Task, strings.Join(ps, " "), l.Title)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// bvError turns a loss that does not fit the problem into a usage error
// (exit 2); other errors (every round failing, bad data) exit 1.
func bvError(err error) error {
	if strings.Contains(err.Error(), "loss needs a") || strings.Contains(err.Error(), "bootstrap mode supports") {
		return usageError{err}
	}
	return err
}

func prefixed(dir string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = filepath.Join(dir, n)
	}
	return out
}

func printReport(w io.Writer, r *biasvar.Report) {
	where := r.Problem
	if r.Design != "" {
		where += fmt.Sprintf(", %s design", r.Design)
	}
	fmt.Fprintf(w, "%s on %s: %d training points, %d test points, %s loss, %s mode\n", r.Learner, where, r.NTrain, len(r.X), r.Loss, r.Mode)
	fmt.Fprintf(w, "rounds: %d attempted, %d succeeded, %d failed; seed %d\n", r.Rounds.Attempted, r.Rounds.Succeeded, r.Rounds.Failed, r.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
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
			fmt.Fprintf(w, "check: %s: gap %.2g: %s\n", c.Identity, c.Gap.Value, verdict)
		case math.IsNaN(c.Gap.StdErr):
			fmt.Fprintf(w, "check: %s: gap %.3g, not checked: its standard error needs at least 3 rounds\n", c.Identity, c.Gap.Value)
		default:
			fmt.Fprintf(w, "check: %s: gap %s (z = %.2f): %s\n", c.Identity, biasvar.Term{Value: c.Gap}, c.Z, verdict)
		}
	} else {
		fmt.Fprintln(w, "check: these terms do not add up to the error (mlxtend's zero-one definitions)")
	}
	for _, s := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
}

func printSweep(w io.Writer, s *biasvar.SweepReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	var first *biasvar.Report
	for _, p := range s.Points {
		if p.Report != nil {
			first = p.Report
			break
		}
	}
	if first == nil {
		fmt.Fprintln(w, "every setting failed:")
		for _, p := range s.Points {
			fmt.Fprintf(w, "  %s = %g: %s\n", s.Param, p.Value, p.Error)
		}
		return
	}
	fmt.Fprintf(w, "%s sweep over %s on %s (%s loss, %d rounds per setting, seed %d); ± one standard error\n",
		first.Mode, s.Param, first.Problem, first.Loss, first.Rounds.Attempted, first.Seed)
	terms := first.Terms()
	fmt.Fprintf(tw, "%s\t", s.Param)
	for _, t := range terms {
		if strings.HasSuffix(t.Key, "_plugin") {
			continue
		}
		fmt.Fprintf(tw, "%s\t", t.Key)
	}
	fmt.Fprintln(tw, "rounds ok\t")
	for _, p := range s.Points {
		fmt.Fprintf(tw, "%g\t", p.Value)
		if p.Report == nil {
			for _, t := range terms {
				if !strings.HasSuffix(t.Key, "_plugin") {
					fmt.Fprint(tw, "-\t")
				}
			}
			fmt.Fprintf(tw, "failed\t\n")
			continue
		}
		for _, t := range p.Report.Terms() {
			if strings.HasSuffix(t.Key, "_plugin") {
				continue
			}
			if math.IsNaN(t.Value.StdErr) || t.Exact {
				fmt.Fprintf(tw, "%.4g\t", t.Value.Value)
			} else {
				fmt.Fprintf(tw, "%.4g ± %.2g\t", t.Value.Value, t.Value.StdErr)
			}
		}
		fmt.Fprintf(tw, "%d/%d\t\n", p.Report.Rounds.Succeeded, p.Report.Rounds.Attempted)
	}
	tw.Flush()
	for _, p := range s.Points {
		if p.Report == nil {
			fmt.Fprintf(w, "warning: %s = %g failed: %s\n", s.Param, p.Value, p.Error)
		}
	}
}
