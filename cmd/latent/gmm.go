package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

func newGmmCmd(e *env) *cobra.Command {
	return group("gmm", "Fit Gaussian mixtures by EM or variational Bayes; predict, score and sample with a model file",
		"  latent gmm fit faithful.csv -k 2 --out model.json\n  latent gmm fit faithful.csv -k 1:8 --cov all\n  latent gmm predict faithful.csv --model model.json\n  latent gmm sample --model model.json -n 100",
		newGmmFitCmd(e), newGmmPredictCmd(e), newGmmScoreCmd(e), newGmmSampleCmd(e), newGmmImputeCmd(e),
		newGmmBootstrapCmd(e), newGmmLRTCmd(e))
}

// parseKs reads -k: "3", "1:8" (a range) or "2,3,5" (a list).
func parseKs(s string) ([]int, error) {
	bad := func() ([]int, error) {
		return nil, usagef("-k %q: give a number of components (3), a range (1:8) or a list (2,3,5), each at least 1", s)
	}
	var ks []int
	if lo, hi, ok := strings.Cut(s, ":"); ok {
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if err1 != nil || err2 != nil || a < 1 || b < a || b-a > 1000 {
			return bad()
		}
		for k := a; k <= b; k++ {
			ks = append(ks, k)
		}
		return ks, nil
	}
	for _, f := range strings.Split(s, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 {
			return bad()
		}
		if !slices.Contains(ks, k) {
			ks = append(ks, k)
		}
	}
	return ks, nil
}

// parseCovs reads --cov: scikit-learn's and mclust's names, a list, all
// (scikit-learn's four) or mclust (mclust's 14 models; gmmFit.fit turns
// them into E and V for one feature).
func parseCovs(s string) ([]mixture.CovarianceType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "all":
		return mixture.CovarianceTypes, nil
	case "mclust":
		return mixture.MclustModels, nil
	}
	var out []mixture.CovarianceType
	for _, f := range strings.Split(s, ",") {
		c, err := mixture.ParseCovarianceType(f)
		if err != nil {
			return nil, usagef("--cov %q: use full, tied, diag, spherical, mclust's models (EII, VII, EEI, VEI, EVI, VVI, EEE, VEE, EVE, VVE, EEV, VEV, EVV, VVV; E, V for one feature), a comma-separated list, all or mclust", s)
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// gmmFitFlags are gmm fit's flags.
type gmmFitFlags struct {
	cf                         csvFlags
	of                         outFlags
	pf                         gmmPlotFlags
	mf                         messyFlags // --missing, --weights, --known, --fix (gmm_messy.go)
	k, cov, init, out, prior   string
	criterion                  string
	nInit, maxIter, sampleRows int
	tol, reg                   float64
	seed                       uint64
	asJSON, stream, kGiven     bool
	fs                         *pflag.FlagSet // set by RunE, for Changed
	bayes                      gmmBayesFlags  // gmm_bayes.go
	online                     gmmOnlineFlags // gmm_stream.go
	mc                         gmmMclustFlags // --defaults mclust, --hc-use (gmm_mclust.go)
}

func (f *gmmFitFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.k, "k", "k", "1", "components: a number (3), a range (1:8) or a list (2,3,5)")
	fs.StringVar(&f.cov, "cov", "full", "covariance type: full, tied, diag, spherical, one of mclust's models (EII … VVV, E, V), a list, all, or mclust (every mclust model)")
	fs.StringVar(&f.init, "init", "kmeans", "kmeans, k-means++, random, random_from_data, hc (mclust's hierarchical clustering), or a JSON file of starting parameters")
	fs.IntVar(&f.nInit, "n-init", 1, "starts per fit; the best log-likelihood is kept")
	fs.IntVar(&f.maxIter, "max-iter", em.DefaultMaxIter, "most EM iterations per start (0: return the initialisation)")
	fs.Float64Var(&f.tol, "tol", em.DefaultTol, "stop when the mean log-likelihood per row changes by less (0: run --max-iter iterations)")
	fs.Float64Var(&f.reg, "reg-covar", mixture.DefaultRegCovar, "added to every covariance's diagonal")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed; the same seed gives the same bits")
	fs.StringVar(&f.prior, "prior", "none", "none, or conjugate: the posterior mode under mclust's default conjugate prior (Fraley & Raftery 2007)")
	fs.StringVar(&f.criterion, "criterion", "bic", "how a grid of fits picks the best: bic, aic, or icl (BIC plus the classification's entropy, Biernacki et al. 2000)")
	fs.StringVarP(&f.out, "out", "o", "", "write the model file here")
	f.pf.register(fs)
	f.mc.register(fs)
	f.bayes.register(fs)
	f.online.register(fs)
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
	fs.BoolVar(&f.stream, "stream", false, "read the file block by block in every iteration instead of into memory (for files larger than memory)")
	fs.IntVar(&f.sampleRows, "sample-rows", 100000, "with --stream: rows of the uniform sample the initialisation runs on")
	f.mf.register(fs)
	f.cf.register(fs, true)
	f.of.register(fs)
}

func newGmmFitCmd(e *env) *cobra.Command {
	var f gmmFitFlags
	c := &cobra.Command{
		Use:   "fit DATA.csv|-",
		Short: "Fit a Gaussian mixture by EM, or choose K and the covariance type by BIC",
		Long: `Fit a Gaussian mixture to the rows of a CSV file by EM, as scikit-learn's
GaussianMixture does (same defaults: --tol 1e-3 on the mean log-likelihood
per row, --max-iter 100, --reg-covar 1e-6, --init kmeans).

With a range or list of K (-k 1:8, -k 2,3,5) or several covariance types
(--cov all, --cov full,diag), every combination is fitted and the one with the
lowest BIC is kept, as mclust does; a fit that fails (for instance a component
that collapses onto one point) is reported in the table, not fatal.

BIC = -2 log L + p ln n, scikit-learn's sign: lower is better. mclust reports
2 log L - p ln n = -BIC (higher is better); both are printed, named.

--init takes a method (kmeans, k-means++, random, random_from_data) or a JSON
file with "weights" [K], "means" [K][D] and "covariances" [K][D][D] (full
form; for --cov diag each diagonal is used, spherical each diagonal's mean,
tied the weight-averaged matrix), or a model file: the first step is then an
E-step from exactly these parameters.

--stream never holds the file in memory: it reads it block by block in every
EM iteration (the E-step's statistics merge block by block), after one pass
that draws a uniform sample of --sample-rows rows for the initialisation.
With a grid (-k 1:9 --cov all) every candidate reads the same scans: one
scan of the file per iteration serves every candidate still running (those
that converge drop out), each with the bits of its fit alone.

--online --batch N [--passes P] fits by online (stepwise) EM instead (Cappé &
Moulines 2009): the file is read in batches of N rows, --passes times, and each
batch moves the sufficient statistics a step (t + --t0)^-(--alpha) towards its
own (defaults 0.7 and 10, scikit-learn's for its online LDA), then the M-step
runs. The rows should be in random order. The initialisation runs on the first
batch.

The summary shows every EM iteration's log-likelihood, the ELBO after its
M-step and the KL gap: log p(x|θ) = ELBO(q, θ) + KL(q || p(z|x,θ)).

--bayes dirichlet-process|dirichlet fits a Bayesian mixture by variational
inference instead, as scikit-learn's BayesianGaussianMixture (its priors and
defaults: --concentration 1/K, --mean-precision 1, --dof D, the data's mean
and covariance; --tol 1e-3 on the lower bound). With the Dirichlet process,
-k is the most components: those the data do not need switch themselves off
(--plot-weights draws their weights per iteration, --plot the components kept,
weight ≥ 1%). The summary shows scikit-learn's lower bound and the full ELBO,
a lower bound on log p(X), with its KL terms. The model file (kind bgmm)
works with predict, score and sample.

Messy data: --missing NA,? reads empty cells and the markers listed as
missing values, which EM marginalises exactly (missing at random; the model
file records the markers, and 'latent gmm impute' fills them); --weights COL
gives rows frequency weights (BIC's n is their sum); --known COL keeps the
rows of a known class in its component (semi-supervised EM, as mclust's
MclustSSC); --fix means,weights,covariances holds those parts at the values
of an --init file.`,
		Example: `  latent data export faithful > faithful.csv
  latent gmm fit faithful.csv -k 2 --out model.json
  latent gmm fit faithful.csv -k 1:6 --cov all --json
  latent gmm fit data.csv -k 8 --init start.json --max-iter 20 --tol 0
  latent gmm fit faithful.csv -k 10 --bayes dirichlet-process --plot-weights w.png --out bgmm.json
  latent gmm fit holes.csv -k 3 --missing NA --weights w --out model.json`,
		Args: exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.kGiven = cmd.Flags().Changed("k")
			f.fs = cmd.Flags()
			if err := checkBayesFlags(cmd.Flags()); err != nil {
				return err
			}
			if cmd.Flags().Changed("bayes") {
				return runGmmBayes(e, cmd, args[0], &f)
			}
			if f.online.on {
				return runGmmOnline(e, cmd, args[0], &f) // gmm_stream.go
			}
			return runGmmFit(e, cmd, args[0], &f)
		},
	}
	f.register(c.Flags())
	return c
}

// gmmFit is a gmm fit command line, checked: what to fit and where to write.
type gmmFit struct {
	ks       []int
	covs     []mixture.CovarianceType
	mclust   bool // --cov mclust: the models for the data's dimension
	crit     mixture.Criterion
	o        mixture.Options
	initFile string
	opts     fileio.Options
}

// check turns the flags into options, refusing a bad flag (exit 2) or an
// output that exists before any work.
func (f *gmmFitFlags) check(path string) (*gmmFit, error) {
	ks, err := parseKs(f.k)
	if err != nil {
		return nil, err
	}
	covs, err := parseCovs(f.cov)
	if err != nil {
		return nil, err
	}
	if err := cli.Validate(
		cli.Want("--n-init", f.nInit, f.nInit >= 1, "give at least 1 start"),
		cli.Want("--max-iter", f.maxIter, f.maxIter >= 0, "give 0 or more (0 returns the initialisation)"),
		cli.Want("--tol", f.tol, f.tol >= 0 && !math.IsInf(f.tol, 0), "give a finite number ≥ 0 (0 runs exactly --max-iter iterations)"),
		cli.NonNegative("--reg-covar", f.reg),
		cli.OneOf("--criterion", f.criterion, "bic", "aic", "icl"),
		f.pf.check(len(ks) > 1 || len(covs) > 1 || strings.EqualFold(strings.TrimSpace(f.mc.defaults), "mclust")),
	); err != nil {
		return nil, err
	}
	prior, err := parsePrior(f.prior)
	if err != nil {
		return nil, err
	}
	if prior != nil && len(covs) == 1 && !covs[0].HasPrior() {
		return nil, usagef("--prior conjugate: the %s model has no MAP M-step under the conjugate prior (nor has mclust for VEE, EVE, VVE, EVV); drop --prior or choose another --cov", covs[0].MclustName())
	}
	g := &gmmFit{ks: ks, covs: covs, mclust: strings.EqualFold(strings.TrimSpace(f.cov), "mclust"), crit: mixture.Criterion(f.criterion)}
	g.o = mixture.Options{Covariance: covs[0], Init: mixture.InitKMeans, NInit: f.nInit, Seed: f.seed, MaxIter: f.maxIter, Tol: f.tol, RegCovar: f.reg, Prior: prior}
	inputs := []string{path}
	if f.init != "" {
		if m, err := mixture.ParseInitMethod(f.init); err == nil {
			g.o.Init = m
		} else if _, serr := os.Stat(f.init); serr == nil {
			g.initFile = f.init
			inputs = append(inputs, f.init)
		} else {
			return nil, usagef("--init %q: not a method (kmeans, k-means++, random, random_from_data, hc) nor a file", f.init)
		}
	}
	if f.maxIter == 0 {
		g.o.MaxIter = em.NoIterations
	}
	if f.tol == 0 {
		g.o.Tol = em.NoTol
	}
	if f.reg == 0 {
		g.o.RegCovar = mixture.NoRegCovar
	}
	if err := f.mc.apply(f.fs, g, f); err != nil {
		return nil, err
	}
	if f.stream {
		if err := cli.Rereadable("--stream", path, "iteration"); err != nil {
			return nil, err
		}
		switch {
		case f.sampleRows < 1:
			return nil, usagef("--sample-rows %d: give at least 1", f.sampleRows)
		}
	}
	g.opts, err = f.of.spec(inputs, append(f.pf.outputs(), cli.Output{Flag: "--out", Path: f.out, Kind: cli.File})...).Check()
	return g, err
}

// start reads --init's file: the parameters, and K from them.
func (g *gmmFit) start(e *env, f *gmmFitFlags, d int) error {
	p, ignored, err := mixture.LoadParams(g.initFile, d)
	if err != nil {
		return fmt.Errorf("--init: %w", err)
	}
	if len(ignored) > 0 {
		fmt.Fprintf(e.stderr, "latent: note: --init %s: ignoring the fields %s\n", g.initFile, strings.Join(ignored, ", "))
	}
	kf := len(p.Weights)
	if f.kGiven && (len(g.ks) != 1 || g.ks[0] != kf) {
		return usagef("-k %s, but --init %s has %d components", f.k, g.initFile, kf)
	}
	g.ks, g.o.Start = []int{kf}, p
	return nil
}

// gmmResult is what gmm fit prints and draws.
type gmmResult struct {
	m     *mixture.Model
	rep   *mixture.Report
	sel   *mixture.Selection
	drawn mat.Matrix // the rows --plot draws: the data, or with --stream a sample
}

func runGmmFit(e *env, cmd *cobra.Command, path string, f *gmmFitFlags) error {
	g, err := f.check(path)
	if err != nil {
		return err
	}
	if err := f.mf.check(cmd.Flags(), g, f.init, f.stream); err != nil {
		return err
	}
	var r gmmResult
	if f.stream {
		err = g.fitStream(e, cmd, path, f, &r)
	} else {
		err = g.fit(e, cmd, path, f, &r)
	}
	if err != nil {
		return gmmFlagError(err, gmmOptionFlags)
	}
	if r.rep.Status == em.StatusMaxIter {
		fmt.Fprintf(e.stderr, "latent: warning: EM did not converge in %d iterations (tol %g): raise --max-iter or --tol, try more starts (--n-init) or another --init, or check for degenerate data\n", r.rep.Iterations, r.rep.Tol)
	}
	if f.out != "" {
		if err := r.m.Save(f.out, g.opts); err != nil {
			return err
		}
	}
	if err := f.pf.write(r.drawn, r.m, r.rep, r.sel, g.opts); err != nil {
		return err
	}
	if f.asJSON {
		return writeJSON(e.stdout, gmmFitOut{File: path, Rows: r.rep.Rows, Columns: r.m.FeatureNames(), Report: r.rep,
			Model: r.m.FullParams(), Selection: r.sel, Out: f.out, Plots: f.pf.paths()})
	}
	var b bytes.Buffer
	if r.sel != nil && f.mc.on {
		writeMclust(&b, r.sel) // gmm_mclust.go
	} else if r.sel != nil {
		r.sel.WriteText(&b)
	}
	b.WriteString(path + ": ")
	r.rep.WriteText(&b)
	if f.out != "" {
		fmt.Fprintf(&b, "\nwrote %s\n", f.out)
	}
	for _, p := range f.pf.paths() {
		fmt.Fprintf(&b, "wrote %s\n", p)
	}
	_, err = e.stdout.Write(b.Bytes())
	return err
}

// gmmFitOut is the --json output of gmm fit.
type gmmFitOut struct {
	File      string              `json:"file"`
	Rows      int                 `json:"rows"`
	Columns   []string            `json:"columns"`
	Report    *mixture.Report     `json:"report"`
	Model     *mixture.FullParams `json:"model"`
	Selection *mixture.Selection  `json:"selection,omitempty"`
	Out       string              `json:"out,omitempty"`
	Plots     []string            `json:"plots,omitempty"`
}

// fit fits the data in memory: one fit, or a selection over K and types.
func (g *gmmFit) fit(e *env, cmd *cobra.Command, path string, f *gmmFitFlags, r *gmmResult) error {
	tab, err := readMessy(e, &f.cf, path, f.mf.csvOptions)
	if err != nil {
		return err
	}
	_, d := tab.X.Dims()
	if g.initFile != "" {
		if err := g.start(e, f, d); err != nil {
			return err
		}
	}
	if err := f.pf.checkShape(d, slices.Max(g.ks)); err != nil {
		return err
	}
	if err := f.mf.apply(tab, &g.o, slices.Max(g.ks), path); err != nil {
		return err
	}
	g.o.FeatureNames, r.drawn = tab.Columns, tab.X
	if g.mclust {
		g.covs = mixture.MclustModelsFor(d)
		if f.mc.on && g.o.Prior != nil { // mclustBIC drops the models without a MAP M-step
			g.covs = slices.DeleteFunc(slices.Clone(g.covs), func(c mixture.CovarianceType) bool { return !c.HasPrior() })
		}
		g.o.Covariance = g.covs[0]
	}
	if len(g.ks) == 1 && len(g.covs) == 1 && !f.mc.on {
		g.o.K = g.ks[0]
		defer g.iterBar(e, f)()
		r.m, r.rep, err = mixture.Fit(cmd.Context(), tab.X, g.o)
		return err
	}
	bar := newProgress(e.stderr, len(g.ks)*len(g.covs), "gmm fit")
	defer bar.Done()
	r.m, r.rep, r.sel, err = mixture.Select(cmd.Context(), tab.X, mixture.SelectOptions{Ks: g.ks, Covariances: g.covs, Options: g.o, Criterion: g.crit, Mclust: f.mc.on,
		Progress: func(p mixture.Progress) {
			bar.Add(1)
			bar.Describe(fmt.Sprintf("gmm fit: %s K=%d", p.Candidate.Covariance, p.Candidate.K))
		}})
	return err
}

// fitStream fits a file read block by block in every iteration, from a
// uniform sample of its rows (or the --init file's parameters).
func (g *gmmFit) fitStream(e *env, cmd *cobra.Command, path string, f *gmmFitFlags, r *gmmResult) error {
	co, err := f.cf.options(path)
	if err != nil {
		return err
	}
	to := table.Options{Name: co.Name, Delimiter: co.Delimiter, Header: co.Header, Label: co.Label}
	f.mf.tableOptions(&to)
	src, err := table.OpenCSV(path, to)
	if err != nil {
		return err
	}
	f.mf.streamOptions(&g.o)
	if g.initFile != "" {
		if err := g.start(e, f, src.Dim()); err != nil {
			return err
		}
	}
	if err := f.pf.checkShape(src.Dim(), g.ks[0]); err != nil {
		return err
	}
	g.o.FeatureNames, g.o.K = src.Columns(), g.ks[0]
	if g.mclust {
		g.covs = mixture.MclustModelsFor(src.Dim())
		g.o.Covariance = g.covs[0]
	}
	if len(g.ks) > 1 || len(g.covs) > 1 {
		return g.selectStream(e, cmd, src, f, r) // gmm_stream.go
	}
	defer g.iterBar(e, f)()
	var sample *mat.Dense // nil: the start is given and no chart is drawn
	if g.o.Start == nil || f.pf.fit != "" {
		if sample, _, err = table.Reservoir(f.mf.sampleSource(src), f.sampleRows, f.seed); err != nil {
			return err
		}
		r.drawn = sample
	}
	if g.o.Start != nil {
		r.m, r.rep, err = mixture.FitSource(cmd.Context(), src, nil, g.o)
	} else {
		r.m, r.rep, err = mixture.FitSource(cmd.Context(), src, sample, g.o)
	}
	return err
}

// iterBar shows a progress bar of EM's iterations and returns its end.
func (g *gmmFit) iterBar(e *env, f *gmmFitFlags) func() {
	bar := newProgress(e.stderr, max(1, f.maxIter)*f.nInit, "gmm fit")
	g.o.Progress = func(p mixture.Progress) {
		bar.Add(1)
		bar.Describe(fmt.Sprintf("gmm fit: start %d/%d, log-likelihood %.6g", p.EM.Init+1, p.EM.Inits, p.EM.LogLik))
	}
	return bar.Done
}

// loadModel reads --model.
func loadModel(path string) (*mixture.Model, error) {
	if path == "" {
		return nil, usagef("--model is required: a model file written by 'latent gmm fit --out'")
	}
	return mixture.Load(path)
}

// gmmColumns are the model's feature names, or x1, x2, … when it has none.
func gmmColumns(m *mixture.Model) []string {
	if names := m.FeatureNames(); names != nil {
		return names
	}
	return table.DefaultColumns(m.Dim())
}

// gmmModelFlags are the flags of the commands that use a model file.
type gmmModelFlags struct {
	cf         csvFlags
	mf         modelMessyFlags // --missing; predict's --known, --given (gmm_messy.go)
	of         outFlags
	model, out string
	asJSON     bool
	opts       fileio.Options // set by load
}

func (f *gmmModelFlags) register(fs *pflag.FlagSet, data bool) {
	fs.StringVar(&f.model, "model", "", "model file written by 'latent gmm fit --out' (required)")
	fs.StringVarP(&f.out, "out", "o", "", "write to this file instead of stdout")
	fs.BoolVar(&f.asJSON, "json", false, "print JSON")
	if data {
		f.cf.register(fs, true)
		f.mf.register(fs)
	}
	f.of.register(fs)
}

// load reads the model and, unless path is "", the data file, after
// checking that the output may be written.
func (f *gmmModelFlags) load(e *env, path string) (*mixture.Model, *csvio.Table, error) {
	m, err := loadModel(f.model)
	if err != nil {
		return nil, nil, err
	}
	f.opts, err = f.of.spec([]string{path, f.model}, cli.Output{Flag: "--out", Path: f.out, Kind: cli.Stream}).Check()
	if err != nil || path == "" {
		return m, nil, err
	}
	return f.mf.read(e, &f.cf, path, m)
}

// write writes to stdout or, with --out, atomically to the file: v as JSON
// with --json, otherwise what fn writes.
func (f *gmmModelFlags) write(e *env, v any, fn func(io.Writer) error) error {
	if f.asJSON {
		fn = func(w io.Writer) error { return writeJSON(w, v) }
	}
	if f.out == "" || f.out == "-" {
		return fn(e.stdout)
	}
	return fileio.WriteFile(f.out, fn, f.opts)
}

// csvOf writes t as CSV.
func csvOf(t *table.Table) func(io.Writer) error {
	return func(w io.Writer) error { return table.WriteCSV(w, t) }
}

func newGmmPredictCmd(e *env) *cobra.Command {
	var f gmmModelFlags
	var proba, uncertain bool
	c := &cobra.Command{
		Use:   "predict DATA.csv|- --model MODEL.json",
		Short: "Label each row with its most probable component (and the probabilities)",
		Long: `Write, for each row of a CSV file, its most probable component under a fitted
mixture (a CSV column "component", 0-based), and with --proba the posterior
probability of every component (columns p0, p1, …). The file's columns must be
the model's features, in order.`,
		Example: "  latent gmm predict faithful.csv --model model.json > labels.csv\n  latent gmm predict faithful.csv --model model.json --proba --out proba.csv",
		Args:    exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.mf.checkPredict(proba); err != nil {
				return err
			}
			if done, err := f.bayesPredict(e, args[0], proba); done { // a bgmm model file (gmm_bayes.go)
				return err
			}
			m, tab, err := f.load(e, args[0])
			if err != nil {
				return err
			}
			if f.mf.given != "" {
				t, v, err := predictGiven(args[0], f.mf.given, m, tab)
				if err != nil {
					return err
				}
				return f.write(e, v, csvOf(t))
			}
			labels, err := m.Predict(nil, tab.X)
			if err != nil {
				return err
			}
			var v struct {
				Labels      []int       `json:"labels"`
				Proba       [][]float64 `json:"proba,omitempty"`
				Uncertainty []float64   `json:"uncertainty,omitempty"`
			}
			n, cols := len(labels), []string{"component"}
			x := mat.NewDense(n, 2+m.K(), nil) // component, then p0, p1, …, then the uncertainty
			if proba || uncertain {
				p, err := m.PredictProba(nil, tab.X)
				if err != nil {
					return err
				}
				if f.mf.known != "" {
					if err := applyKnown(args[0], f.mf.known, m, tab.Known, labels, p); err != nil {
						return err
					}
				}
				x.Slice(0, n, 1, 1+m.K()).(*mat.Dense).Copy(p)
				if proba {
					for k := range m.K() {
						cols = append(cols, "p"+strconv.Itoa(k))
					}
				}
				if uncertain { // mclust's uncertainty, 1 − max_k p(k | x_i), after --known
					v.Uncertainty = mixture.UncertaintyOf(nil, p)
					x.Slice(0, n, 1+m.K(), 2+m.K()).(*mat.Dense).SetCol(0, v.Uncertainty)
					cols = append(cols, "uncertainty")
				}
			} else if f.mf.known != "" {
				if err := applyKnown(args[0], f.mf.known, m, tab.Known, labels, nil); err != nil {
					return err
				}
			}
			v.Labels = labels
			for i, l := range labels {
				x.Set(i, 0, float64(l))
				if proba {
					v.Proba = append(v.Proba, x.RawRowView(i)[1:1+m.K()])
				}
			}
			if uncertain && !proba { // the uncertainty next to the component
				x.Slice(0, n, 1, 2).(*mat.Dense).SetCol(0, v.Uncertainty)
			}
			return f.write(e, v, csvOf(withClasses(&table.Table{Columns: cols, X: x.Slice(0, n, 0, len(cols)).(*mat.Dense)}, m, labels)))
		},
	}
	c.Flags().BoolVar(&proba, "proba", false, "also write each component's posterior probability")
	c.Flags().BoolVar(&uncertain, "uncertainty", false, "also write each row's classification uncertainty, 1 − its largest posterior probability (mclust's uncertainty)")
	f.register(c.Flags(), true)
	f.mf.registerPredict(c.Flags())
	return c
}

func newGmmScoreCmd(e *env) *cobra.Command {
	var f gmmModelFlags
	var samples, predictive bool
	c := &cobra.Command{
		Use:   "score DATA.csv|- --model MODEL.json",
		Short: "Log-likelihood of data under a fitted mixture, with BIC and AIC",
		Long: `Print the mean log-likelihood per row of a CSV file under a fitted mixture
(scikit-learn's score), the total, and BIC and AIC on these data. With
--samples, write each row's log-likelihood instead (a CSV column
"log_likelihood"; with --json one document {"file", "log_likelihood": [...]}). For a Bayesian mixture (gmm fit --bayes), print the
posterior predictive log density and scikit-learn's score; --samples
--predictive writes each row's posterior predictive log density.`,
		Example: "  latent gmm score test.csv --model model.json\n  latent gmm score test.csv --model model.json --samples > ll.csv",
		Args:    exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if done, err := f.bayesScore(e, cmd, args[0], samples, predictive); done { // gmm_bayes.go
				return err
			}
			m, tab, err := f.load(e, args[0])
			if err != nil {
				return err
			}
			if samples {
				ss, err := m.ScoreSamples(nil, tab.X)
				if err != nil {
					return err
				}
				return f.writeSamples(e, args[0], "log_likelihood", ss)
			}
			ev, err := m.Evaluate(tab.X, nil)
			if err != nil {
				return err
			}
			if math.IsInf(ev.LogLikelihood, -1) {
				return fmt.Errorf("%s: a row has zero density under the model (log-likelihood −Inf); see --samples for which", args[0])
			}
			v := struct {
				File string `json:"file"`
				*mixture.Evaluation
			}{args[0], ev}
			return f.write(e, v, func(w io.Writer) error {
				io.WriteString(w, args[0]+": ")
				return ev.WriteText(w)
			})
		},
	}
	c.Flags().BoolVar(&samples, "samples", false, "write each row's log-likelihood (CSV, or JSON with --json)")
	registerPredictive(c.Flags(), &predictive)
	f.register(c.Flags(), true)
	return c
}

func newGmmSampleCmd(e *env) *cobra.Command {
	var f gmmModelFlags
	var count string
	var seed uint64
	c := &cobra.Command{
		Use:   "sample --model MODEL.json -n N",
		Short: "Draw rows from a fitted mixture",
		Long: `Draw N rows from a fitted mixture and write them as CSV (the model's feature
names, then a column "component" with the component each row came from).
As scikit-learn's sample, the counts per component are one multinomial draw
and the rows come grouped by component. The rows are drawn and written in
chunks, so memory does not grow with N: -n 1e12 writes until stopped (Ctrl-C
stops between two chunks; with --out no partial file is left). --json holds
every row in one document: an N that cannot fit in memory is refused.`,
		Example: "  latent gmm sample --model model.json -n 1000 --seed 7 > draws.csv",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := parseSampleCount(count)
			if err != nil {
				return err
			}
			return runGmmSample(e, cmd.Context(), &f, n, seed) // gmm_use_sample.go
		},
	}
	c.Flags().StringVarP(&count, "n", "n", "1", "number of rows to draw (up to 2⁵³; 1e12 is written as drawn, until stopped)")
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed")
	f.register(c.Flags(), false)
	return c
}
