package main

import (
	"bytes"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/famix"
	"github.com/latentgo/latent/internal/cli"
)

func newMixCmd(e *env) *cobra.Command {
	return group("mix", "Mixtures of other families: Bernoulli, categorical (latent classes), Poisson, Student-t, mixed-type tables (beside gmm)",
		"  latent mix fit votes.csv --family categorical -k 1:6 --out lca.json\n  latent mix fit table.csv --columns 'age:gaussian,job:categorical,visits:poisson' -k 3\n  latent mix predict votes.csv --model lca.json --proba\n  latent mix sample --model lca.json -n 100",
		newMixFitCmd(e), newMixPredictCmd(e), newMixScoreCmd(e), newMixSampleCmd(e))
}

// withMixHint adds to gmm's help where a gmm user finds the other
// families: latent mix, its --family and --columns.
func withMixHint(gmm *cobra.Command) *cobra.Command {
	gmm.Long = gmm.Short + `.

Other component families: 'latent mix fit --family bernoulli|categorical|poisson|student-t'
for binary, categorical (latent class analysis), count and heavy-tailed data, and
'latent mix fit --columns "age:gaussian,job:categorical,visits:poisson"' for a
mixed-type table (see 'latent mix -h').`
	return gmm
}

// mixTableFlags are the flags of the mix commands that read a table.
type mixTableFlags struct {
	noHeader  bool
	delimiter string
	weights   string
}

func (f *mixTableFlags) register(fs *pflag.FlagSet, weights bool) {
	fs.BoolVar(&f.noHeader, "no-header", false, "the first row is data; the columns are x1, x2, …")
	fs.StringVar(&f.delimiter, "delimiter", ",", "the field separator, one character")
	if weights {
		fs.StringVar(&f.weights, "weights", "", "a column of row weights (frequency weights; BIC's n is their sum)")
	}
}

// load reads the file at path ("-": stdin) into memory, so that a
// selection over families can parse it once per family.
func (f *mixTableFlags) load(e *env, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(e.stdin)
	}
	return os.ReadFile(path)
}

// parse reads the table in data with the families of opts.
func (f *mixTableFlags) parse(data []byte, path string, opts famix.TableOptions) (*famix.Table, error) {
	d := []rune(f.delimiter)
	if len(d) != 1 {
		return nil, usagef("--delimiter %q: give one character", f.delimiter)
	}
	opts.Delimiter, opts.NoHeader, opts.Weights, opts.Name = d[0], f.noHeader, f.weights, path
	if path == "-" {
		opts.Name = "<stdin>"
	}
	return famix.ReadTable(bytes.NewReader(data), opts)
}

// read reads the table at path ("-": stdin) with the families of opts.
func (f *mixTableFlags) read(e *env, path string, opts famix.TableOptions) (*famix.Table, error) {
	data, err := f.load(e, path)
	if err != nil {
		return nil, err
	}
	return f.parse(data, path, opts)
}

type mixFitFlags struct {
	family, columns, k, criterion, init, out string
	nInit, maxIter                           int
	tol, smoothing, nu, reg                  float64
	seed                                     uint64
	asJSON, params                           bool
	tf                                       mixTableFlags
	of                                       outFlags
}

func (f *mixFitFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.family, "family", "", "every column's family (those --columns does not name): bernoulli, categorical, poisson, student-t, gaussian; a list (gaussian,student-t) selects over them")
	fs.StringVar(&f.columns, "columns", "", "per-column families, 'age:gaussian,job:categorical,visits:poisson' (a mixed-type table)")
	fs.StringVarP(&f.k, "k", "k", "2", "components: a number (3), a range (1:8) or a list (2,3,5); several are selected by --criterion")
	fs.StringVar(&f.criterion, "criterion", "bic", "how several K are ranked: bic, icl (BIC plus the classification's entropy) or aic")
	fs.StringVar(&f.init, "init", "kmeans++", "each start's first partition: kmeans++ (seed rows on scaled columns) or random (flexmix's)")
	fs.IntVar(&f.nInit, "n-init", 3, "starts per K; the best log-likelihood is kept")
	fs.IntVar(&f.maxIter, "max-iter", em.DefaultMaxIter, "most EM iterations per start")
	fs.Float64Var(&f.tol, "tol", em.DefaultTol, "stop when the mean log-likelihood per row changes by less (0: run --max-iter iterations)")
	fs.Float64Var(&f.smoothing, "smoothing", 0, "pseudo-count added to every Bernoulli and categorical cell (1: Laplace; 0: maximum likelihood)")
	fs.Float64Var(&f.nu, "nu", 0, "Student-t degrees of freedom, fixed; 0 estimates ν per component by ECM")
	fs.Float64Var(&f.reg, "reg-covar", famix.DefaultRegCovar, "added to the Student-t and Gaussian covariances' diagonal")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed; the same seed gives the same bits")
	fs.StringVarP(&f.out, "out", "o", "", "write the model file here")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
	fs.BoolVar(&f.params, "params", true, "print the chosen model's parameters after the table")
	f.tf.register(fs, true)
	f.of.register(fs)
}

func newMixFitCmd(e *env) *cobra.Command {
	var f mixFitFlags
	c := &cobra.Command{
		Use:   "fit DATA.csv|-",
		Short: "Fit a mixture of Bernoulli, categorical, Poisson, Student-t or mixed columns by EM; choose K by BIC or ICL",
		Long: `Fit a finite mixture whose components are products of per-column families,
conditionally independent given the component, by EM (package famix):

  bernoulli    0/1 columns (presence/absence, binarised images)
  categorical  text labels (latent class analysis); each column's labels, sorted
  poisson      counts 0, 1, 2, …
  student-t    numeric columns, one multivariate t over all of them (full
               scale matrix); ν per component by ECM, or fixed with --nu
  gaussian     numeric columns, one multivariate Gaussian (full covariance)

--family gives every column's family; --columns names some columns'
('age:gaussian,job:categorical'), the rest taking --family. A value outside a
column's family (a 2 in a Bernoulli column, -1 or 2.5 in a Poisson column) is
an error naming file:line:column.

With several K (-k 1:6) each is fitted from --n-init starts and the lowest
--criterion wins (BIC = -2 log L + p ln n; ICL = BIC - 2 Σ log max_k z_ik).
Gaussian-only data with every covariance shape: 'latent gmm fit'.`,
		Example: `  latent mix fit votes.csv --family categorical -k 1:5 --criterion icl --out lca.json
  latent mix fit pixels.csv --family bernoulli -k 10 --smoothing 1
  latent mix fit table.csv --family categorical --columns 'age:gaussian,income:gaussian,visits:poisson' -k 2:4`,
		Args: exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error { return runMixFit(e, cmd, args[0], &f) },
	}
	f.register(c.Flags())
	return c
}

func runMixFit(e *env, cmd *cobra.Command, path string, f *mixFitFlags) error {
	ks, err := parseKs(f.k)
	if err != nil {
		return err
	}
	if err := cli.Validate(
		cli.Want("--family", f.family, f.family != "" || f.columns != "", "a family for every column, or --columns"),
		cli.OneOf("--criterion", f.criterion, "bic", "icl", "aic"),
		cli.OneOf("--init", f.init, "kmeans++", "random"),
		cli.AtLeast("--n-init", f.nInit, 1), cli.AtLeast("--max-iter", f.maxIter, 0),
		cli.NonNegative("--tol", f.tol), cli.NonNegative("--smoothing", f.smoothing),
		cli.NonNegative("--nu", f.nu), cli.NonNegative("--reg-covar", f.reg),
	); err != nil {
		return err
	}
	for _, fam := range strings.Split(f.family, ",") {
		if _, _, err := famix.ParseColumns(fam + "," + f.columns); err != nil {
			return usagef("--family/--columns: %s", strings.TrimPrefix(err.Error(), "famix: "))
		}
	}
	opts, err := f.of.spec([]string{path}, cli.Output{Flag: "--out", Path: f.out, Kind: cli.File}).Check()
	if err != nil {
		return err
	}
	vs, w, err := f.variants(e, path)
	if err != nil {
		return err
	}
	m, rep, err := famix.SelectOver(cmd.Context(), vs, w, ks, famix.Criterion(f.criterion))
	if err != nil {
		return mixFlagError(err)
	}
	if f.out != "" {
		if err := m.Save(f.out, opts); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(e.stdout, rep)
	}
	if err := rep.WriteText(e.stdout); err != nil {
		return err
	}
	if f.params {
		e.stdout.Write([]byte("\n"))
		if err := m.WriteText(e.stdout); err != nil {
			return err
		}
	}
	if f.out != "" {
		_, err = io.WriteString(e.stdout, "wrote "+f.out+"\n")
	}
	return err
}

// variants reads the table once per family of --family (one, or a list
// of families of one kind to select over) and returns the fits' variants
// and the rows' weights.
func (f *mixFitFlags) variants(e *env, path string) ([]famix.Variant, []float64, error) {
	fams := strings.Split(f.family, ",")
	kinds := map[bool]bool{}
	for _, fam := range fams {
		fam = strings.TrimSpace(fam)
		kinds[fam == string(famix.Gaussian) || fam == string(famix.StudentT) || fam == "t"] = true
	}
	if len(kinds) > 1 {
		return nil, nil, usagef("--family %q: a selection compares densities (gaussian, student-t) or probabilities (bernoulli, categorical, poisson), not both", f.family)
	}
	data, err := f.tf.load(e, path)
	if err != nil {
		return nil, nil, err
	}
	var vs []famix.Variant
	var w []float64
	for _, fam := range fams {
		def, cols, err := famix.ParseColumns(fam + "," + f.columns)
		if err != nil {
			return nil, nil, usagef("--family/--columns: %s", strings.TrimPrefix(err.Error(), "famix: "))
		}
		tab, err := f.tf.parse(data, path, famix.TableOptions{Family: def, Columns: cols})
		if err != nil {
			return nil, nil, err
		}
		o := tab.Options(0)
		o.Smoothing, o.Nu, o.RegCovar, o.Init = f.smoothing, f.nu, f.reg, famix.Init(f.init)
		if f.reg == 0 {
			o.RegCovar = famix.NoReg
		}
		o.EM = em.Options{NInit: f.nInit, MaxIter: f.maxIter, Tol: f.tol, Seed: f.seed}
		if f.maxIter == 0 {
			o.EM.MaxIter = em.NoIterations
		}
		if f.tol == 0 {
			o.EM.Tol = em.NoTol
		}
		name := ""
		if len(fams) > 1 {
			name = string(def)
		}
		vs, w = append(vs, famix.Variant{Name: name, X: tab.X, Options: o}), tab.Weights
	}
	return vs, w, nil
}

// mixFlagError says famix's option names in the command line's words.
func mixFlagError(err error) error {
	if err == nil {
		return nil
	}
	msg := strings.NewReplacer("Options.RegCovar", "--reg-covar", "Options.K", "-k", "Options.Smoothing", "--smoothing",
		"a smoothing prior", "--smoothing 1").Replace(err.Error())
	if msg == err.Error() {
		return err
	}
	return &reworded{msg: msg, err: err}
}
