package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/table"
)

// gmm fit --bayes: a Bayesian mixture by variational inference
// (mixture.FitBayes), and the model files of kind bgmm in predict, score
// and sample.

// gmmBayesFlags are gmm fit's flags of the Bayesian mixture.
type gmmBayesFlags struct {
	prior                    string
	concentration, precision float64
	dof                      float64
	meanPrior, covPrior      string
	ascent                   bool
	weights                  string
}

func (f *gmmBayesFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.prior, "bayes", "", "fit a Bayesian mixture by variational inference with this weight prior: dirichlet-process (components switch themselves off; -k is the most) or dirichlet")
	fs.Float64Var(&f.concentration, "concentration", 0, "with --bayes: the weight prior's concentration α₀ (scikit-learn's weight_concentration_prior; default 1/K)")
	fs.Float64Var(&f.precision, "mean-precision", 0, "with --bayes: the means' prior precision β₀ (mean_precision_prior; default 1)")
	fs.Float64Var(&f.dof, "dof", 0, "with --bayes: the precisions' prior degrees of freedom ν₀ > D − 1 (degrees_of_freedom_prior; default D)")
	fs.StringVar(&f.meanPrior, "mean-prior", "", "with --bayes: the means' prior mean m₀, D comma-separated numbers (default: the data's mean)")
	fs.StringVar(&f.covPrior, "covariance-prior", "", "with --bayes: the covariance prior Ψ₀, comma-separated: D×D row-major for full and tied, D for diag, 1 for spherical (default: from the data's covariance)")
	fs.BoolVar(&f.ascent, "coordinate-ascent", false, "with --bayes and diag or spherical covariances: the E-step of their own Normal–Gamma model, so that the ELBO never falls (default: scikit-learn's)")
	fs.StringVar(&f.weights, "plot-weights", "", "with --bayes: write the chart of the component weights per iteration here")
}

// bayesOnly are the flags that need --bayes.
var bayesOnly = []string{"concentration", "mean-precision", "dof", "mean-prior", "covariance-prior", "coordinate-ascent", "plot-weights"}

// checkBayesFlags refuses a Bayesian-mixture flag without --bayes.
func checkBayesFlags(fs *pflag.FlagSet) error {
	for _, n := range bayesOnly {
		if err := cli.Requires(fs, n, "bayes"); err != nil {
			return err
		}
	}
	return nil
}

// parseFloats reads a comma-separated list of finite numbers.
func parseFloats(flag, s string) ([]float64, error) {
	if s == "" {
		return nil, nil
	}
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, usagef("%s %q: give comma-separated finite numbers", flag, s)
		}
		out = append(out, v)
	}
	return out, nil
}

// gmmBayesFit is a checked gmm fit --bayes command line.
type gmmBayesFit struct {
	o    mixture.BayesOptions
	opts fileio.Options
}

// checkBayes turns the flags into options before any work.
func (f *gmmFitFlags) checkBayes(cmd *cobra.Command, path string) (*gmmBayesFit, error) {
	fs := cmd.Flags()
	b := &f.bayes
	wp, err := mixture.ParseWeightPrior(b.prior)
	if err != nil {
		return nil, usagef("--bayes %q: use dirichlet-process or dirichlet", b.prior)
	}
	ks, err := parseKs(f.k)
	if err != nil {
		return nil, err
	}
	covs, err := parseCovs(f.cov)
	if err != nil {
		return nil, err
	}
	init, ierr := mixture.ParseInitMethod(f.init)
	mp, err := parseFloats("--mean-prior", b.meanPrior)
	if err != nil {
		return nil, err
	}
	cp, err := parseFloats("--covariance-prior", b.covPrior)
	if err != nil {
		return nil, err
	}
	if err := cli.Validate(
		cli.Want("-k", f.k, len(ks) == 1, "--bayes fits one K (with dirichlet-process, the most components it may use)"),
		cli.Want("--cov", f.cov, len(covs) == 1, "--bayes fits one covariance type"),
		cli.Want("--init", f.init, ierr == nil, "with --bayes use a method: kmeans, k-means++, random or random_from_data"),
		cli.Want("--n-init", f.nInit, f.nInit >= 1, "give at least 1 start"),
		cli.Want("--max-iter", f.maxIter, f.maxIter >= 0, "give 0 or more (0 returns the initialisation)"),
		cli.Want("--tol", f.tol, f.tol >= 0 && !math.IsInf(f.tol, 0), "give a finite number ≥ 0 (0 runs exactly --max-iter iterations)"),
		cli.NonNegative("--reg-covar", f.reg),
		positiveIfGiven(fs, "--concentration", b.concentration),
		positiveIfGiven(fs, "--mean-precision", b.precision),
		positiveIfGiven(fs, "--dof", b.dof),
		cli.Want("--plot-trace", f.pf.trace, f.pf.trace == "", "draws EM's convergence; with --bayes use --plot-weights"),
		cli.Want("--plot-bic", f.pf.bic, f.pf.bic == "", "draws a selection; --bayes fits one model"),
		f.pf.check(false),
	); err != nil {
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
	g := &gmmBayesFit{o: mixture.BayesOptions{K: ks[0], Covariance: covs[0], WeightPrior: wp,
		WeightConcentration: b.concentration, MeanPrecision: b.precision, DegreesOfFreedom: b.dof,
		MeanPrior: mp, CovariancePrior: cp, CoordinateAscent: b.ascent,
		Init: init, NInit: f.nInit, MaxIter: f.maxIter, Tol: f.tol, RegCovar: f.reg, Seed: f.seed}}
	if f.maxIter == 0 {
		g.o.MaxIter = em.NoIterations
	}
	if f.tol == 0 {
		g.o.Tol = em.NoTol
	}
	if f.reg == 0 {
		g.o.RegCovar = mixture.NoRegCovar
	}
	g.opts, err = f.of.spec([]string{path},
		cli.Output{Flag: "--out", Path: f.out, Kind: cli.File},
		cli.Output{Flag: "--plot", Path: f.pf.fit, Kind: cli.Chart},
		cli.Output{Flag: "--plot-weights", Path: b.weights, Kind: cli.Chart},
	).Check()
	return g, err
}

// positiveIfGiven requires a finite v > 0 when the flag was given (0, the
// default, means scikit-learn's default).
func positiveIfGiven(fs *pflag.FlagSet, flag string, v float64) error {
	if !fs.Changed(strings.TrimPrefix(flag, "--")) {
		return nil
	}
	return cli.Positive(flag, v)
}

// bayesFlag maps a field of mixture.BayesOptions to its flag.
var bayesFlag = map[string]string{
	"K": "-k", "Covariance": "--cov", "WeightConcentration": "--concentration", "MeanPrecision": "--mean-precision",
	"DegreesOfFreedom": "--dof", "MeanPrior": "--mean-prior", "CovariancePrior": "--covariance-prior",
	"Init": "--init", "NInit": "--n-init", "MaxIter": "--max-iter", "Tol": "--tol", "RegCovar": "--reg-covar",
}

// bayesFlagError turns an *OptionError of mixture.FitBayes that a flag
// set (a --dof not above D − 1, a --mean-prior of the wrong length) into
// a usage error naming the flag.
func bayesFlagError(err error) error { return gmmFlagError(err, bayesFlag) }

// runGmmBayes is gmm fit --bayes.
func runGmmBayes(e *env, cmd *cobra.Command, path string, f *gmmFitFlags) error {
	g, err := f.checkBayes(cmd, path)
	if err != nil {
		return err
	}
	bar := newProgress(e.stderr, max(1, f.maxIter)*f.nInit, "gmm fit --bayes")
	g.o.Progress = func(p mixture.Progress) {
		bar.Add(1)
		bar.Describe(fmt.Sprintf("gmm fit --bayes: start %d/%d, lower bound %.6g", p.EM.Init+1, p.EM.Inits, p.EM.LogLik))
	}
	b, rep, drawn, err := fitBayes(e, cmd, path, f, g)
	bar.Done()
	if err != nil {
		return err
	}
	if rep.Status == em.StatusMaxIter {
		fmt.Fprintf(e.stderr, "latent: warning: the variational fit did not converge in %d iterations (tol %g on the lower bound): raise --max-iter or --tol\n", rep.Iterations, rep.Tol)
	}
	if rep.Decreases > 0 {
		fmt.Fprintf(e.stderr, "latent: note: the ELBO fell by more than rounding in %d iterations (flagged in the trace)%s\n", rep.Decreases, ascentHint(rep))
	}
	if f.out != "" {
		if err := b.Save(f.out, g.opts); err != nil {
			return err
		}
	}
	charts, err := bayesCharts(f, g, b, rep, drawn)
	if err != nil {
		return err
	}
	if f.asJSON {
		pe := b.PointEstimate()
		return writeJSON(e.stdout, gmmBayesOut{File: path, Rows: rep.Rows, Columns: b.FeatureNames(), Report: rep,
			Model: pe.FullParams(), Out: f.out, Plots: charts})
	}
	var buf bytes.Buffer
	buf.WriteString(path + ": ")
	rep.WriteText(&buf)
	if f.out != "" {
		fmt.Fprintf(&buf, "\nwrote %s\n", f.out)
	}
	for _, p := range charts {
		fmt.Fprintf(&buf, "wrote %s\n", p)
	}
	_, err = e.stdout.Write(buf.Bytes())
	return err
}

// fitBayes reads the data (or, with --stream, a seeded reservoir sample of
// them for the start) and fits; drawn is what the fit chart shows.
func fitBayes(e *env, cmd *cobra.Command, path string, f *gmmFitFlags, g *gmmBayesFit) (*mixture.BayesModel, *mixture.BayesReport, mat.Matrix, error) {
	var b *mixture.BayesModel
	var rep *mixture.BayesReport
	if f.stream {
		co, err := f.cf.options(path)
		if err != nil {
			return nil, nil, nil, err
		}
		src, err := table.OpenCSV(path, table.Options{Name: co.Name, Delimiter: co.Delimiter, Header: co.Header, Label: co.Label})
		if err != nil {
			return nil, nil, nil, err
		}
		sample, _, err := table.Reservoir(src, f.sampleRows, f.seed)
		if err != nil {
			return nil, nil, nil, err
		}
		g.o.FeatureNames = src.Columns()
		if b, rep, err = mixture.FitBayesSource(cmd.Context(), src, sample, g.o); err != nil {
			return nil, nil, nil, bayesFlagError(err)
		}
		return b, rep, sample, nil
	}
	tab, err := f.cf.read(e, path)
	if err != nil {
		return nil, nil, nil, err
	}
	g.o.FeatureNames = tab.Columns
	if _, d := tab.X.Dims(); f.pf.checkShape(d, 0) != nil {
		return nil, nil, nil, f.pf.checkShape(d, 0) // the effective components are drawn: any K
	}
	if b, rep, err = mixture.FitBayes(cmd.Context(), tab.X, g.o); err != nil {
		return nil, nil, nil, bayesFlagError(err)
	}
	return b, rep, tab.X, nil
}

// bayesCharts draws --plot and --plot-weights and returns the paths
// written.
func bayesCharts(f *gmmFitFlags, g *gmmBayesFit, b *mixture.BayesModel, rep *mixture.BayesReport, drawn mat.Matrix) ([]string, error) {
	var charts []string
	if p := f.pf.fit; p != "" {
		fig, err := plots.GMMFit(drawn, b.EffectiveModel(0), plots.GMMOptions{Title: bayesTitle(b), Coverage: f.pf.coverage})
		if err == nil {
			err = plots.Save(p, fig, g.opts)
		}
		if err != nil {
			return nil, err
		}
		charts = append(charts, p)
	}
	if p := f.bayes.weights; p != "" {
		fig, err := plots.BGMMWeights(rep.WeightTrace(), plots.BGMMOptions{Title: "Component weights per iteration: " + bayesTitle(b)})
		if err == nil {
			err = plots.Save(p, fig, g.opts)
		}
		if err != nil {
			return nil, err
		}
		charts = append(charts, p)
	}
	return charts, nil
}

func ascentHint(rep *mixture.BayesReport) string {
	if rep.Covariance == mixture.Diag || rep.Covariance == mixture.Spherical {
		return "; scikit-learn's diag and spherical E-step is not coordinate ascent, --coordinate-ascent is"
	}
	return ""
}

func bayesTitle(b *mixture.BayesModel) string {
	prior := "Dirichlet process"
	if b.WeightPrior() == mixture.DirichletDistribution {
		prior = "Dirichlet"
	}
	return fmt.Sprintf("%s, K = %d, %d effective, %s covariances", prior, b.K(), b.EffectiveComponents(0), b.CovarianceType())
}

// gmmBayesOut is the --json output of gmm fit --bayes: the report, and
// the point estimates in full form (weights, means, covariances).
type gmmBayesOut struct {
	File    string               `json:"file"`
	Rows    int                  `json:"rows"`
	Columns []string             `json:"columns"`
	Report  *mixture.BayesReport `json:"report"`
	Model   *mixture.FullParams  `json:"point_estimates"`
	Out     string               `json:"out,omitempty"`
	Plots   []string             `json:"plots,omitempty"`
}

// Model files of kind bgmm in predict, score and sample: each command
// asks bayes* first, which handles the file when it is a Bayesian
// mixture's and reports done; a gmm file goes on to the command's own code.

// loadBayes reads --model when it holds a Bayesian mixture (kind bgmm),
// checks the output as load does and reads the data file (unless path is
// ""), checking its columns; b is nil when the file is of another kind.
func (f *gmmModelFlags) loadBayes(e *env, path string) (*mixture.BayesModel, *csvio.Table, error) {
	if f.model == "" || !isBayesFile(f.model) {
		return nil, nil, nil
	}
	b, err := mixture.LoadBayes(f.model)
	if err != nil {
		return nil, nil, err
	}
	for _, fl := range []string{"missing", "known", "given"} {
		if f.mf.fs != nil && f.mf.fs.Lookup(fl) != nil && f.mf.fs.Changed(fl) {
			return nil, nil, usagef("--%s works with Gaussian mixtures' model files; %s is a Bayesian mixture's (gmm fit --bayes)", fl, f.model)
		}
	}
	f.opts, err = f.of.spec([]string{path, f.model}, cli.Output{Flag: "--out", Path: f.out, Kind: cli.Stream}).Check()
	if err != nil || path == "" {
		return b, nil, err
	}
	tab, err := f.cf.read(e, path)
	if err != nil {
		return nil, nil, err
	}
	name := path
	if path == "-" {
		name = "<stdin>"
	}
	cols := b.FeatureNames()
	if cols == nil {
		cols = table.DefaultColumns(b.Dim())
	}
	if err := gmmDataColumns(e, &f.cf, name, tab, cols); err != nil { // gmm_use_columns.go
		return nil, nil, err
	}
	return b, tab, nil
}

// isBayesFile reports whether the model file at path says it holds a
// Bayesian mixture (its envelope's format); a file that does not read or
// parse is left to the gmm reader, whose error names it.
func isBayesFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, modelfile.MaxFileSize+1))
	if err != nil {
		return false
	}
	var h struct {
		Format string `json:"format"`
	}
	return json.Unmarshal(data, &h) == nil && h.Format == "latent."+mixture.BayesFileKind
}

// bayesPredict is gmm predict on a bgmm file: the components of largest
// variational responsibility and, with --proba, the responsibilities
// (scikit-learn's predict and predict_proba), as gmm predict writes them.
func (f *gmmModelFlags) bayesPredict(e *env, path string, proba bool) (bool, error) {
	b, tab, err := f.loadBayes(e, path)
	if b == nil && err == nil {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	labels, err := b.Predict(nil, tab.X)
	if err != nil {
		return true, err
	}
	var v struct {
		Labels []int       `json:"labels"`
		Proba  [][]float64 `json:"proba,omitempty"`
	}
	n, cols := len(labels), []string{"component"}
	x := mat.NewDense(n, 1+b.K(), nil)
	if proba {
		p, err := b.PredictProba(nil, tab.X)
		if err != nil {
			return true, err
		}
		x.Slice(0, n, 1, 1+b.K()).(*mat.Dense).Copy(p)
		for k := range b.K() {
			cols = append(cols, "p"+strconv.Itoa(k))
		}
	}
	v.Labels = labels
	for i, l := range labels {
		x.Set(i, 0, float64(l))
		if proba {
			v.Proba = append(v.Proba, x.RawRowView(i)[1:])
		}
	}
	return true, f.write(e, v, csvOf(&table.Table{Columns: cols, X: x.Slice(0, n, 0, len(cols)).(*mat.Dense)}))
}

// registerPredictive adds gmm score's --predictive.
func registerPredictive(fs *pflag.FlagSet, p *bool) {
	fs.BoolVar(p, "predictive", false, "with --samples and a bgmm model: each row's posterior predictive log density instead of scikit-learn's score_samples")
}

// bayesScore is gmm score on a bgmm file: the posterior predictive log
// density and scikit-learn's score (mixture.BayesModel.Evaluate); with
// --samples each row's score_samples or, with --predictive, its
// posterior predictive log density. --predictive on a gmm file is a usage
// error.
func (f *gmmModelFlags) bayesScore(e *env, cmd *cobra.Command, path string, samples, predictive bool) (bool, error) {
	if err := cli.Requires(cmd.Flags(), "predictive", "samples"); err != nil {
		return true, err
	}
	b, tab, err := f.loadBayes(e, path)
	if b == nil && err == nil {
		if predictive {
			return true, usagef("--predictive needs a Bayesian mixture's model file (gmm fit --bayes --out)")
		}
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if samples {
		col := "log_likelihood"
		var ss []float64
		if predictive {
			col = "log_predictive_density"
			ss, err = b.PredictiveLogDensity(nil, tab.X)
		} else {
			ss, err = b.ScoreSamples(nil, tab.X)
		}
		if err != nil {
			return true, err
		}
		return true, f.writeSamples(e, path, col, ss)
	}
	ev, err := b.Evaluate(tab.X, nil)
	if err != nil {
		return true, err
	}
	v := struct {
		File string `json:"file"`
		*mixture.BayesEvaluation
	}{path, ev}
	return true, f.write(e, v, func(w io.Writer) error {
		io.WriteString(w, path+": ")
		return ev.WriteText(w)
	})
}
