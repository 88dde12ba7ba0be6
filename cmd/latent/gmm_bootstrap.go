package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
)

// parsePrior reads --prior: "none" (maximum likelihood) or "conjugate"
// (mclust's default conjugate prior, Fraley & Raftery 2007).
func parsePrior(s string) (*mixture.Prior, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none":
		return nil, nil
	case "conjugate":
		return &mixture.Prior{}, nil
	}
	return nil, usagef("--prior %q: use none or conjugate (mclust's default conjugate prior)", s)
}

// bootFlags are the flags shared by gmm bootstrap and gmm lrt.
type bootFlags struct {
	cf               csvFlags
	of               outFlags
	out, plot, prior string
	nboot, workers   int
	seed             uint64
	tol              float64
	asJSON           bool
}

func (f *bootFlags) register(fs *pflag.FlagSet, plotWhat string) {
	fs.IntVar(&f.nboot, "nboot", 999, "bootstrap replicates (per test, for lrt)")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed; the same seed gives the same bits on any number of cores")
	fs.IntVar(&f.workers, "workers", 0, "replicates fitted at once (0: every core)")
	fs.Float64Var(&f.tol, "tol", 1e-5, "EM stops when the log-likelihood's relative change falls below this (mclust's 1e-5; 1e-8 converges the replicates of a flat likelihood, slower)")
	fs.StringVar(&f.prior, "prior", "none", "none, or conjugate: refit under mclust's default conjugate prior (Fraley & Raftery 2007)")
	fs.StringVarP(&f.out, "out", "o", "", "write the report here instead of stdout")
	fs.StringVar(&f.plot, "plot", "", plotWhat)
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON (with every replicate)")
	f.cf.register(fs, true)
	f.of.register(fs)
}

// check validates the shared flags and declares the inputs and outputs.
func (f *bootFlags) check(inputs []string) (fileio.Options, *mixture.Prior, error) {
	prior, err := parsePrior(f.prior)
	if err != nil {
		return fileio.Options{}, nil, err
	}
	if err := cli.Validate(
		cli.AtLeast("--nboot", f.nboot, 2),
		cli.AtLeast("--workers", f.workers, 0),
		cli.Want("--tol", f.tol, f.tol > 0 && f.tol < 1, "give a tolerance strictly between 0 and 1"),
	); err != nil {
		return fileio.Options{}, nil, err
	}
	opts, err := f.of.spec(inputs, cli.Output{Flag: "--out", Path: f.out, Kind: cli.Stream},
		cli.Output{Flag: "--plot", Path: f.plot, Kind: cli.Chart}).Check()
	return opts, prior, err
}

// write prints the report (text, or JSON with --json) to stdout or --out,
// then draws --plot.
func (f *bootFlags) write(e *env, v any, text func(io.Writer) error, chart func() (plots.Figure, error), opts fileio.Options) error {
	fn := text
	if f.asJSON {
		fn = func(w io.Writer) error { return writeJSON(w, v) }
	}
	if f.plot != "" {
		fig, err := chart()
		if err != nil {
			return err
		}
		if err := plots.Save(f.plot, fig, opts); err != nil {
			return err
		}
	}
	if f.out == "" || f.out == "-" {
		if err := fn(e.stdout); err != nil {
			return err
		}
	} else if err := fileio.WriteFile(f.out, fn, opts); err != nil {
		return err
	}
	w := e.stdout
	if f.asJSON && (f.out == "" || f.out == "-") {
		w = e.stderr // keep the JSON on stdout alone
	}
	wrote(w, "", f.out, f.plot)
	return nil
}

// bootOptionFlags are the flags that set the options an *OptionError of
// Bootstrap or BootstrapLRT may name.
var bootOptionFlags = map[string]string{"NBoot": "--nboot", "Workers": "--workers", "Level": "--level", "Type": "--type",
	"Match": "--match", "MaxK": "--max-k", "Covariance": "--cov", "Prior": "--prior", "NInit": "--n-init", "Tol": "--tol"}

// bootFlagError turns a mixture *OptionError into a usage error naming
// the flag that set the option.
func bootFlagError(err error) error { return gmmFlagError(err, bootOptionFlags) }

func newGmmBootstrapCmd(e *env) *cobra.Command {
	var f bootFlags
	var mf modelMessyFlags
	var model, typ, match string
	var level float64
	c := &cobra.Command{
		Use:   "bootstrap DATA.csv|- --model MODEL.json",
		Short: "Standard errors and intervals of a fitted mixture's parameters by bootstrap (mclust's MclustBootstrap)",
		Long: `Resample the data and refit the mixture of --model on every replicate, as R's
mclust does in MclustBootstrap, then report for every weight, mean and
covariance entry the replicates' mean, standard error and interval.

--type bs (nonparametric: n rows drawn with replacement), wlbs (weighted
likelihood bootstrap: every row weighted by an Exp(1) draw), pb (parametric:
n rows drawn from the model) or jk (jackknife: each row left out in turn, no
random numbers). Each replicate is refitted by mclust's EM (relative change
of the log-likelihood below 1e-5, no regularisation) started from the
model's posterior, so components keep their labels, as in mclust; --match
fitted relabels each replicate to the fitted components instead (the
report counts the replicates matching would relabel either way). A
replicate whose fit fails is redrawn.

The model is first refitted to the data by the same EM from its posterior,
so that the replicates measure the sampling variation and not EM's way to
convergence. mclust's --tol 1e-5 stops a replicate before it moves along a
flat direction of the likelihood (overlapping components' weights): there
the standard errors come out too small, most for jk; --tol 1e-8 converges
them (for Old Faithful, tied, K = 3, the jk SEs of two weights double).

Intervals are percentiles of the replicates (for jk, mean ± z·SE). Every
replicate draws from its own stream of (--seed, replicate): the same seed
gives the same bits on any number of cores.

Messy data as gmm fit reads them: --weights COL weights the rows (the
refit and every replicate by the weighted EM); the rows of positive weight
are the resampling units, each carrying its weight (bs draws a row with its
weight, wlbs multiplies it by the Exp(1) draw, jk leaves out a row and its
weight), so an integer weight is not that many copies of the row there;
pb draws round(sum of weights) unweighted rows, as copies would give.
Missing values are read as the model's data were (its file records the
markers) or with --missing, and marginalised by every replicate's EM
(exact EM under missing at random); pb's draws keep the data's missing
cells. A negative or non-finite weight, all weights 0, or a row with every
value missing is an error naming its line.`,
		Example: `  latent gmm fit faithful.csv -k 3 --cov tied --out model.json
  latent gmm bootstrap faithful.csv --model model.json --nboot 999 --seed 1
  latent gmm bootstrap faithful.csv --model model.json --type jk --plot jk.png
  latent gmm bootstrap faithful.csv --model model.json --type wlbs --json > boot.json
  latent gmm fit holes.csv -k 2 --missing NA --weights w --out m.json
  latent gmm bootstrap holes.csv --model m.json --weights w --type pb`,
		Args: exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := mixture.ParseBootstrapType(typ)
			if err != nil {
				return usagef("--type %q: use bs, wlbs, pb or jk", typ)
			}
			if err := cli.Validate(
				cli.OneOf("--match", match, "none", "fitted"),
				cli.Want("--level", level, level > 0 && level < 1, "give a coverage strictly between 0 and 1"),
			); err != nil {
				return err
			}
			opts, prior, err := f.check([]string{args[0], model})
			if err != nil {
				return err
			}
			m, err := loadModel(model)
			if err != nil {
				return err
			}
			m, tab, err := mf.read(e, &f.cf, args[0], m) // gmm_messy.go: --missing, --weights
			if err != nil {
				return err
			}
			n, _ := tab.X.Dims()
			total := f.nboot
			if t == mixture.Jackknife {
				total = n - zeros(tab.Weights)
			}
			bar := newProgress(e.stderr, total, "gmm bootstrap")
			rep, err := mixture.Bootstrap(cmd.Context(), tab.X, m, mixture.BootstrapOptions{Type: t, NBoot: f.nboot, Seed: f.seed,
				Workers: f.workers, Level: level, Match: mixture.LabelMatching(match), Prior: prior, Tol: f.tol, Weights: tab.Weights,
				Progress: func(p mixture.Progress) { bar.Add(1) }})
			bar.Done()
			if err != nil {
				return bootFlagError(err)
			}
			if rep.Status != mixture.BootstrapComplete {
				fmt.Fprintf(e.stderr, "latent: note: %d replicate fits failed (a collapsed component) and were %s; %d of %d replicates are in the report\n",
					rep.NonFit, map[bool]string{true: "left out", false: "redrawn"}[t == mixture.Jackknife], len(rep.Replicates), rep.NBoot)
			}
			return f.write(e, rep, rep.WriteText, func() (plots.Figure, error) { return plots.GMMBootstrap(rep) }, opts)
		},
	}
	c.Flags().StringVar(&model, "model", "", "model file written by 'latent gmm fit --out' (required)")
	c.Flags().StringVar(&typ, "type", "bs", "resampling: bs, wlbs, pb or jk")
	c.Flags().StringVar(&match, "match", "none", "labels: none (as fitted, mclust's) or fitted (match each replicate to the fitted components)")
	c.Flags().Float64Var(&level, "level", 0.95, "coverage of the intervals")
	f.register(c.Flags(), "write the chart of the bootstrap distributions here (PNG, SVG or PDF by extension)")
	mf.register(c.Flags())
	mf.registerWeights(c.Flags())
	return c
}

func newGmmLRTCmd(e *env) *cobra.Command {
	var f bootFlags
	var mf messyFlags
	var cov string
	var maxK, nInit int
	var level float64
	c := &cobra.Command{
		Use:   "lrt DATA.csv|-",
		Short: "Bootstrap likelihood ratio tests for the number of components (mclust's mclustBootstrapLRT)",
		Long: `Test K against K + 1 components, for K = 1, 2, …, by the parametric
bootstrap of the likelihood ratio statistic (McLachlan 1987), as R's mclust
does in mclustBootstrapLRT: LRTS = 2 (log L(K+1) − log L(K)) of the fits to
the data; --nboot samples drawn from the K-component fit, each refitted with
K and K + 1 components from the fits' parameters; p-value = (1 + #{bootstrap
LRTS ≥ LRTS}) / (nboot + 1).

Without --max-k the tests are sequential and stop at the first p-value above
--level (at most 8 vs 9); with --max-k M every test up to M − 1 vs M runs.
The fits to the data use mclust's EM (relative change below 1e-5, no
regularisation) from the best of --n-init k-means starts (mclust starts from
its hierarchical clustering).

Messy data as gmm fit reads them: --weights COL weights the fits to the data
(log L = sum of w log f; rows of weight 0 left out) and every bootstrap
sample has round(sum of weights) unweighted rows; --missing NA,? reads
missing values, which every fit marginalises (exact EM under missing at
random), each bootstrap sample keeping the data's missing cells.`,
		Example: `  latent gmm lrt faithful.csv --cov tied --nboot 999 --seed 1
  latent gmm lrt faithful.csv --cov full --max-k 6 --plot lrt.png`,
		Args: exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ct, err := mixture.ParseCovarianceType(cov)
			if err != nil {
				return usagef("--cov %q: %v", cov, strings.TrimPrefix(err.Error(), "mixture: "))
			}
			if err := cli.Validate(
				cli.Want("--max-k", maxK, maxK == 0 || maxK >= 2, "give at least 2 components (0: sequential, up to 9)"),
				cli.Want("--level", level, level > 0 && level < 1 && !math.IsNaN(level), "give a significance level strictly between 0 and 1"),
				cli.AtLeast("--n-init", nInit, 1),
			); err != nil {
				return err
			}
			opts, prior, err := f.check([]string{args[0]})
			if err != nil {
				return err
			}
			markers := mf.dataMarkers(cmd.Flags())
			tab, err := readMessy(e, &f.cf, args[0], mf.csvOptions) // gmm_messy.go: --missing, --weights
			if err != nil {
				return err
			}
			tests := 8
			if maxK > 0 {
				tests = maxK - 1
			}
			bar := newProgress(e.stderr, tests*f.nboot, "gmm lrt")
			rep, err := mixture.BootstrapLRT(cmd.Context(), tab.X, mixture.LRTOptions{Covariance: ct, MaxK: maxK, NBoot: f.nboot, Level: level,
				Seed: f.seed, Workers: f.workers, Prior: prior, NInit: nInit, Tol: f.tol, Weights: tab.Weights, Missing: markers != nil,
				Progress: func(p mixture.Progress) { bar.Add(1) }})
			bar.Done()
			if err != nil {
				return bootFlagError(err)
			}
			return f.write(e, rep, rep.WriteText, func() (plots.Figure, error) { return plots.GMMBootstrapLRT(rep) }, opts)
		},
	}
	c.Flags().StringVar(&cov, "cov", "full", "covariance model of every fit")
	c.Flags().IntVar(&maxK, "max-k", 0, "run every test up to (max-k − 1) vs max-k components (0: sequential, stop at the first non-significant test)")
	c.Flags().Float64Var(&level, "level", 0.05, "significance level of the sequential stop")
	c.Flags().IntVar(&nInit, "n-init", 10, "k-means starts of each fit to the data; the best log-likelihood is kept")
	f.register(c.Flags(), "write the chart of the bootstrap LRTS distributions here (PNG, SVG or PDF by extension)")
	mf.registerData(c.Flags())
	return c
}

// zeros counts the weights that are 0 (rows that are not resampling
// units); none when w is nil.
func zeros(w []float64) int {
	c := 0
	for _, v := range w {
		if v == 0 {
			c++
		}
	}
	return c
}
