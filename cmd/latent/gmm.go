package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/mixture"
)

func newGmmCmd(e *env) *cobra.Command {
	return group("gmm", "Fit Gaussian mixtures by EM; predict, score and sample with a model file",
		"  latent gmm fit faithful.csv -k 2 --out model.json\n  latent gmm fit faithful.csv -k 1:8 --cov all\n  latent gmm predict faithful.csv --model model.json\n  latent gmm sample --model model.json -n 100",
		newGmmFitCmd(e), newGmmPredictCmd(e), newGmmScoreCmd(e), newGmmSampleCmd(e))
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

func parseCovs(s string) ([]mixture.CovarianceType, error) {
	if strings.EqualFold(strings.TrimSpace(s), "all") {
		return mixture.CovarianceTypes, nil
	}
	var out []mixture.CovarianceType
	for _, f := range strings.Split(s, ",") {
		c, err := mixture.ParseCovarianceType(f)
		if err != nil {
			return nil, usagef("--cov %q: use full, tied, diag, spherical, a comma-separated list, or all", s)
		}
		out = append(out, c)
	}
	return out, nil
}

// paramsFile is a --init PARAMS.json: weights, means and full covariances.
type paramsFile struct {
	Weights     []float64     `json:"weights"`
	Means       [][]float64   `json:"means"`
	Covariances [][][]float64 `json:"covariances"`
}

// readParams reads a --init file: a latent gmm model file, or a JSON object
// with weights [K], means [K][D] and covariances [K][D][D] (other fields are
// reported and ignored). It checks the shapes against the data's d columns.
func readParams(e *env, path string, d int) (*mixture.Params, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--init: %w", err)
	}
	if len(data) > modelfile.MaxFileSize {
		return nil, fmt.Errorf("--init %s: larger than %d bytes", path, modelfile.MaxFileSize)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("--init %s: not a JSON object: %v", path, err)
	}
	if _, ok := top["format"]; ok {
		m, err := mixture.Unmarshal(data, path)
		if err != nil {
			return nil, fmt.Errorf("--init: %w", err)
		}
		if m.Dim() != d {
			return nil, fmt.Errorf("--init %s: the model has %d features, the data %d columns", path, m.Dim(), d)
		}
		p := &mixture.Params{Weights: m.Weights(nil), Means: m.Means(nil)}
		for k := 0; k < m.K(); k++ {
			p.Covariances = append(p.Covariances, m.Covariance(nil, k))
		}
		return p, nil
	}
	var pf paramsFile
	var extra []string
	for key, raw := range top {
		var err error
		switch key {
		case "weights":
			err = modelfile.DecodeStrict(raw, &pf.Weights, key)
		case "means":
			err = modelfile.DecodeStrict(raw, &pf.Means, key)
		case "covariances":
			err = modelfile.DecodeStrict(raw, &pf.Covariances, key)
		default:
			extra = append(extra, key)
		}
		if err != nil {
			return nil, fmt.Errorf("--init %s: %w", path, err)
		}
	}
	for _, need := range []string{"weights", "means", "covariances"} {
		if _, ok := top[need]; !ok {
			return nil, fmt.Errorf("--init %s: %s is missing; the file needs weights [K], means [K][D] and covariances [K][D][D]", path, need)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		fmt.Fprintf(e.stderr, "latent: note: --init %s: ignoring the fields %s\n", path, strings.Join(extra, ", "))
	}
	k := len(pf.Means)
	if k == 0 {
		return nil, fmt.Errorf("--init %s: means is empty", path)
	}
	means := mat.NewDense(k, d, nil)
	for i, r := range pf.Means {
		if len(r) != d {
			return nil, fmt.Errorf("--init %s: means[%d] has %d values; the data have %d columns", path, i, len(r), d)
		}
		means.SetRow(i, r)
	}
	p := &mixture.Params{Weights: pf.Weights, Means: means}
	for i, c := range pf.Covariances {
		if len(c) != d {
			return nil, fmt.Errorf("--init %s: covariances[%d] has %d rows, want %d", path, i, len(c), d)
		}
		s := mat.NewSymDense(d, nil)
		for a := range c {
			if len(c[a]) != d {
				return nil, fmt.Errorf("--init %s: covariances[%d][%d] has %d values, want %d", path, i, a, len(c[a]), d)
			}
			for b := a; b < d; b++ {
				s.SetSym(a, b, c[a][b])
			}
			for b := 0; b < a; b++ {
				if v := c[a][b]; math.Abs(v-c[b][a]) > 1e-8+1e-5*math.Abs(c[b][a]) {
					return nil, fmt.Errorf("--init %s: covariances[%d] is not symmetric ([%d][%d] = %v, [%d][%d] = %v)", path, i, a, b, v, b, a, c[b][a])
				}
			}
		}
		p.Covariances = append(p.Covariances, s)
	}
	return p, nil
}

// gmmFitOut is the --json output of gmm fit.
type gmmFitOut struct {
	File      string             `json:"file"`
	Rows      int                `json:"rows"`
	Columns   []string           `json:"columns"`
	Report    *mixture.Report    `json:"report"`
	Model     modelSummary       `json:"model"`
	Selection *mixture.Selection `json:"selection,omitempty"`
	Out       string             `json:"out,omitempty"`
	Plots     []string           `json:"plots,omitempty"`
}

// modelSummary is a model's parameters in full form, for JSON output.
type modelSummary struct {
	K           int                    `json:"k"`
	Covariance  mixture.CovarianceType `json:"covariance_type"`
	Weights     []float64              `json:"weights"`
	Means       [][]float64            `json:"means"`
	Covariances [][][]float64          `json:"covariances"` // full form, one D×D matrix per component
}

func summarize(m *mixture.Model) modelSummary {
	s := modelSummary{K: m.K(), Covariance: m.CovarianceType(), Weights: m.Weights(nil)}
	means := m.Means(nil)
	for k := 0; k < m.K(); k++ {
		s.Means = append(s.Means, means.RawRowView(k))
		c := m.Covariance(nil, k)
		rows := make([][]float64, m.Dim())
		for i := range rows {
			rows[i] = make([]float64, m.Dim())
			for j := range rows[i] {
				rows[i][j] = c.At(i, j)
			}
		}
		s.Covariances = append(s.Covariances, rows)
	}
	return s
}

func newGmmFitCmd(e *env) *cobra.Command {
	var cf csvFlags
	var of outFlags
	var kStr, covStr, initStr, out string
	var pf gmmPlotFlags
	var nInit, maxIter, sampleRows int
	var tol, reg float64
	var seed uint64
	var asJSON, stream bool
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

The summary shows every EM iteration's log-likelihood, the ELBO after its
M-step and the KL gap: log p(x|θ) = ELBO(q, θ) + KL(q || p(z|x,θ)).`,
		Example: `  latent data export faithful > faithful.csv
  latent gmm fit faithful.csv -k 2 --out model.json
  latent gmm fit faithful.csv -k 1:6 --cov all --json
  latent gmm fit data.csv -k 8 --init start.json --max-iter 20 --tol 0`,
		Args: exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ks, err := parseKs(kStr)
			if err != nil {
				return err
			}
			covs, err := parseCovs(covStr)
			if err != nil {
				return err
			}
			switch {
			case nInit < 1:
				return usagef("--n-init %d: give at least 1 start", nInit)
			case maxIter < 0:
				return usagef("--max-iter %d is negative (0 returns the initialisation)", maxIter)
			case !(tol >= 0) || math.IsInf(tol, 0):
				return usagef("--tol %v: give a finite number ≥ 0 (0 runs exactly --max-iter iterations)", tol)
			case !(reg >= 0) || math.IsInf(reg, 0):
				return usagef("--reg-covar %v: give a finite number ≥ 0", reg)
			}
			inputs := []string{args[0]}
			method := mixture.InitKMeans
			initFile := ""
			if initStr != "" {
				if m, err := mixture.ParseInitMethod(initStr); err == nil {
					method = m
				} else if _, serr := os.Stat(initStr); serr == nil {
					initFile = initStr
					inputs = append(inputs, initFile)
				} else {
					return usagef("--init %q: not a method (kmeans, k-means++, random, random_from_data) nor a file", initStr)
				}
			}
			opts := of.options(inputs...)
			if err := pf.check(len(ks) > 1 || len(covs) > 1); err != nil {
				return err
			}
			for _, p := range append([]string{out}, pf.paths()...) {
				if p != "" {
					if err := fileio.Check(p, opts); err != nil {
						return err
					}
				}
			}
			var tab *csvio.Table
			var drawn mat.Matrix // the rows --plot draws
			var src *csvSource
			var n, d int
			var cols []string
			if stream {
				if args[0] == "-" {
					return usagef("--stream reads the file once per iteration: give a file, not stdin")
				}
				if len(ks) != 1 || len(covs) != 1 {
					return usagef("--stream fits one K and one covariance type")
				}
				if sampleRows < 1 {
					return usagef("--sample-rows %d: give at least 1", sampleRows)
				}
				co, err := cf.options(args[0])
				if err != nil {
					return err
				}
				if src, err = openCSVSource(args[0], co); err != nil {
					return err
				}
				cols = src.cols
				d = len(cols)
			} else {
				if tab, err = cf.read(e, args[0]); err != nil {
					return err
				}
				n, d = tab.X.Dims()
				cols = tab.Columns
				drawn = tab.X
			}
			o := mixture.Options{Covariance: covs[0], Init: method, NInit: nInit, Seed: seed, FeatureNames: cols,
				MaxIter: maxIter, Tol: tol, RegCovar: reg}
			if maxIter == 0 {
				o.MaxIter = em.NoIterations
			}
			if tol == 0 {
				o.Tol = em.NoTol
			}
			if reg == 0 {
				o.RegCovar = mixture.NoRegCovar
			}
			if initFile != "" {
				p, err := readParams(e, initFile, d)
				if err != nil {
					return err
				}
				kf := len(p.Weights)
				if cmd.Flags().Changed("k") && (len(ks) != 1 || ks[0] != kf) {
					return usagef("-k %s, but --init %s has %d components", kStr, initFile, kf)
				}
				ks = []int{kf}
				o.Start = p
			}
			var m *mixture.Model
			var rep *mixture.Report
			var sel *mixture.Selection
			if len(ks) == 1 && len(covs) == 1 {
				o.K = ks[0]
				bar := newProgress(e.stderr, max(1, o.MaxIter)*nInit, "gmm fit")
				o.Progress = func(p em.Progress) {
					bar.Add(1)
					bar.Describe(fmt.Sprintf("gmm fit: start %d/%d, log-likelihood %.6g", p.Init+1, p.Inits, p.LogLik))
				}
				if stream {
					var sample mat.Matrix // nil: the start is given
					if o.Start == nil || pf.fit != "" {
						s, rows, err := reservoirSample(src, sampleRows, seed)
						if err != nil {
							bar.Done()
							return err
						}
						sample, n = s, rows
					}
					if o.Start != nil {
						m, rep, err = mixture.FitSource(cmd.Context(), src, nil, o)
					} else {
						m, rep, err = mixture.FitSource(cmd.Context(), src, sample, o)
					}
					if err == nil {
						n = rep.Rows
						drawn = sample
					}
				} else {
					m, rep, err = mixture.Fit(cmd.Context(), tab.X, o)
				}
				bar.Done()
				if err != nil {
					return err
				}
			} else {
				bar := newProgress(e.stderr, len(ks)*len(covs), "gmm fit")
				so := mixture.SelectOptions{Ks: ks, Covariances: covs, Options: o, Progress: func(done, total int, c mixture.Candidate) {
					bar.Add(1)
					bar.Describe(fmt.Sprintf("gmm fit: %s K=%d", c.Covariance, c.K))
				}}
				m, rep, sel, err = mixture.Select(cmd.Context(), tab.X, so)
				bar.Done()
				if err != nil {
					return err
				}
			}
			if rep.Status == em.StatusMaxIter {
				fmt.Fprintf(e.stderr, "latent: warning: EM did not converge in %d iterations (tol %g): raise --max-iter or --tol, try more starts (--n-init) or another --init, or check for degenerate data\n", rep.Iterations, rep.Tol)
			}
			if out != "" {
				data, err := m.Marshal()
				if err != nil {
					return err
				}
				if err := fileio.WriteBytes(out, data, opts); err != nil {
					return err
				}
			}
			if err := pf.write(drawn, m, rep, sel, opts); err != nil {
				return err
			}
			if asJSON {
				return writeJSON(e.stdout, gmmFitOut{File: args[0], Rows: n, Columns: cols, Report: rep, Model: summarize(m), Selection: sel, Out: out, Plots: pf.paths()})
			}
			var b bytes.Buffer
			if sel != nil {
				printSelection(&b, sel)
			}
			printFit(&b, args[0], n, cols, m, rep)
			if out != "" {
				fmt.Fprintf(&b, "\nwrote %s\n", out)
			}
			for _, p := range pf.paths() {
				fmt.Fprintf(&b, "wrote %s\n", p)
			}
			_, err = e.stdout.Write(b.Bytes())
			return err
		},
	}
	fs := c.Flags()
	fs.StringVarP(&kStr, "k", "k", "1", "components: a number (3), a range (1:8) or a list (2,3,5)")
	fs.StringVar(&covStr, "cov", "full", "covariance type: full, tied, diag, spherical, a list, or all")
	fs.StringVar(&initStr, "init", "kmeans", "kmeans, k-means++, random, random_from_data, or a JSON file of starting parameters")
	fs.IntVar(&nInit, "n-init", 1, "starts per fit; the best log-likelihood is kept")
	fs.IntVar(&maxIter, "max-iter", em.DefaultMaxIter, "most EM iterations per start (0: return the initialisation)")
	fs.Float64Var(&tol, "tol", em.DefaultTol, "stop when the mean log-likelihood per row changes by less (0: run --max-iter iterations)")
	fs.Float64Var(&reg, "reg-covar", mixture.DefaultRegCovar, "added to every covariance's diagonal")
	fs.Uint64Var(&seed, "seed", 0, "random seed; the same seed gives the same bits")
	fs.StringVarP(&out, "out", "o", "", "write the model file here")
	pf.register(fs)
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.BoolVar(&stream, "stream", false, "read the file block by block in every iteration instead of into memory (for files larger than memory)")
	fs.IntVar(&sampleRows, "sample-rows", 100000, "with --stream: rows of the uniform sample the initialisation runs on")
	cf.register(fs, true)
	of.register(fs)
	return c
}

// printSelection prints the table of a selection.
func printSelection(w io.Writer, sel *mixture.Selection) {
	fmt.Fprintf(w, "Model selection by %s (lower is better; mclust's BIC is -BIC, higher is better):\n\n", strings.ToUpper(string(sel.Criterion)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "covariance\tK\tBIC\tAIC\tlog-lik/row\tparams\titer\tconverged\t")
	for i, c := range sel.Candidates {
		mark := ""
		if i == sel.Best {
			mark = " ← best"
		}
		if c.Error != "" {
			fmt.Fprintf(tw, "%s\t%d\t-\t-\t-\t-\t-\t-\t  failed: %s\n", c.Covariance, c.K, c.Error)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.5f\t%d\t%d\t%v\t%s\n", c.Covariance, c.K, c.BIC, c.AIC, c.LogLikelihood, c.NumParams, c.Iterations, c.Converged, mark)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

// printFit prints the human summary of a fit.
func printFit(w io.Writer, file string, n int, cols []string, m *mixture.Model, rep *mixture.Report) {
	d := len(cols)
	fmt.Fprintf(w, "%s: %d rows × %d columns (%s)\n", file, n, d, strings.Join(cols, ", "))
	status := "converged"
	switch rep.Status {
	case em.StatusMaxIter:
		status = "did NOT converge"
	case em.StatusNoIterations:
		status = "initialisation only"
	}
	starts := ""
	if len(rep.Starts) > 1 {
		starts = fmt.Sprintf(", best of %d starts (#%d)", len(rep.Starts), rep.Best+1)
	}
	fmt.Fprintf(w, "%d components, %s covariances, init %s, seed %d%s: %s after %d iterations (tol %g)\n",
		rep.K, rep.Covariance, rep.Init, rep.Seed, starts, status, rep.Iterations, rep.Tol)
	fmt.Fprintf(w, "log-likelihood %.6f per row (%.4f in total), %d free parameters\n", rep.LogLikelihood, rep.LogLikelihood*rep.Weight, rep.NumParams)
	fmt.Fprintf(w, "BIC %.4f, AIC %.4f (scikit-learn's sign, lower is better); mclust's BIC 2·logL − p·ln n = %.4f (higher is better)\n\n", rep.BIC, rep.AIC, rep.MclustBIC)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "component\tweight\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "mean %s\t", c)
	}
	for _, c := range cols {
		fmt.Fprintf(tw, "sd %s\t", c)
	}
	fmt.Fprintln(tw)
	means := m.Means(nil)
	weights := m.Weights(nil)
	for k := 0; k < m.K(); k++ {
		fmt.Fprintf(tw, "%d\t%.4f\t", k, weights[k])
		for j := 0; j < d; j++ {
			fmt.Fprintf(tw, "%.5g\t", means.At(k, j))
		}
		cov := m.Covariance(nil, k)
		for j := 0; j < d; j++ {
			fmt.Fprintf(tw, "%.4g\t", math.Sqrt(cov.At(j, j)))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	tr := rep.Starts[rep.Best].Trace
	if len(tr) == 0 {
		return
	}
	fmt.Fprintf(w, "\nEM, per row: log p(x|θ_n) = ELBO(q_{n-1}, θ_n) + KL(q_{n-1} ‖ p(z|x, θ_n)); the E-step closes the KL gap\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "iter\tlog p(x|θ_{n-1})\tELBO(q_{n-1},θ_n)\tlog p(x|θ_n)\tKL gap\t")
	for i, it := range tr {
		if len(tr) > 12 && i == 6 {
			fmt.Fprintf(tw, "…\t\t\t\t\t\n")
		}
		if len(tr) > 12 && i >= 6 && i < len(tr)-6 {
			continue
		}
		flag := ""
		if it.Decrease {
			flag = "  (log-likelihood fell: more than rounding)"
		}
		fmt.Fprintf(tw, "%d\t%.8f\t%.8f\t%.8f\t%.3e\t%s\n", it.Iter, it.LogLik, it.ELBO, it.Next, it.KL, flag)
	}
	tw.Flush()
}

// loadModel reads --model.
func loadModel(path string) (*mixture.Model, error) {
	if path == "" {
		return nil, usagef("--model is required: a model file written by 'latent gmm fit --out'")
	}
	return mixture.Load(path)
}

// checkGmmColumns compares a data file's columns with the model's features
// (catalog C-17, M-07). Models fitted on unnamed columns (x1, x2, …) check
// only the count.
func checkGmmColumns(file string, cols []string, m *mixture.Model) error {
	names := m.FeatureNames()
	if len(cols) != m.Dim() {
		want := ""
		if names != nil {
			want = " (" + strings.Join(names, ", ") + ")"
		}
		return fmt.Errorf("%s has %d columns (%s), but the model expects %d features%s; give the columns the model was fitted on, or --label COL to set a label column apart", file, len(cols), strings.Join(cols, ", "), m.Dim(), want)
	}
	if names == nil || isDefaultNames(names) {
		return nil
	}
	for j := range cols {
		if cols[j] != names[j] {
			return fmt.Errorf("%s: column %d is %q, but the model's feature %d is %q (the model's features: %s); give the columns in the model's order and names", file, j+1, cols[j], j+1, names[j], strings.Join(names, ", "))
		}
	}
	return nil
}

func isDefaultNames(names []string) bool {
	for j, n := range names {
		if n != "x"+strconv.Itoa(j+1) {
			return false
		}
	}
	return true
}

// readForModel reads a data file and checks it against the model.
func readForModel(e *env, cf *csvFlags, path string, m *mixture.Model) (*csvio.Table, error) {
	tab, err := cf.read(e, path)
	if err != nil {
		return nil, err
	}
	name := path
	if path == "-" {
		name = "<stdin>"
	}
	if err := checkGmmColumns(name, tab.Columns, m); err != nil {
		return nil, err
	}
	return tab, nil
}

// writeOut writes fn's output to stdout or, with a path, atomically to it.
func writeOut(e *env, path string, opts fileio.Options, fn func(io.Writer) error) error {
	if path == "" || path == "-" {
		return fn(e.stdout)
	}
	return fileio.WriteFile(path, fn, opts)
}

func newGmmPredictCmd(e *env) *cobra.Command {
	var cf csvFlags
	var of outFlags
	var model, out string
	var proba, asJSON bool
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
			m, err := loadModel(model)
			if err != nil {
				return err
			}
			opts := of.options(args[0], model)
			if err := checkOutputs(opts, []string{out}); err != nil {
				return err
			}
			tab, err := readForModel(e, &cf, args[0], m)
			if err != nil {
				return err
			}
			labels, err := m.Predict(nil, tab.X)
			if err != nil {
				return err
			}
			var p *mat.Dense
			if proba {
				if p, err = m.PredictProba(nil, tab.X); err != nil {
					return err
				}
			}
			if asJSON {
				v := struct {
					Labels []int       `json:"labels"`
					Proba  [][]float64 `json:"proba,omitempty"`
				}{Labels: labels}
				if p != nil {
					for i := range labels {
						v.Proba = append(v.Proba, p.RawRowView(i))
					}
				}
				return writeOut(e, out, opts, func(w io.Writer) error { return writeJSON(w, v) })
			}
			return writeOut(e, out, opts, func(w io.Writer) error {
				var b bytes.Buffer
				b.WriteString("component")
				for k := 0; p != nil && k < m.K(); k++ {
					fmt.Fprintf(&b, ",p%d", k)
				}
				b.WriteByte('\n')
				for i, l := range labels {
					b.WriteString(strconv.Itoa(l))
					if p != nil {
						for _, v := range p.RawRowView(i) {
							b.WriteByte(',')
							b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
						}
					}
					b.WriteByte('\n')
				}
				_, err := w.Write(b.Bytes())
				return err
			})
		},
	}
	fs := c.Flags()
	fs.StringVar(&model, "model", "", "model file written by 'latent gmm fit --out' (required)")
	fs.BoolVar(&proba, "proba", false, "also write each component's posterior probability")
	fs.StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	cf.register(fs, true)
	of.register(fs)
	return c
}

func newGmmScoreCmd(e *env) *cobra.Command {
	var cf csvFlags
	var of outFlags
	var model, out string
	var samples, asJSON bool
	c := &cobra.Command{
		Use:   "score DATA.csv|- --model MODEL.json",
		Short: "Log-likelihood of data under a fitted mixture, with BIC and AIC",
		Long: `Print the mean log-likelihood per row of a CSV file under a fitted mixture
(scikit-learn's score), the total, and BIC and AIC on these data. With
--samples, write each row's log-likelihood instead (a CSV column
"log_likelihood").`,
		Example: "  latent gmm score test.csv --model model.json\n  latent gmm score test.csv --model model.json --samples > ll.csv",
		Args:    exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadModel(model)
			if err != nil {
				return err
			}
			opts := of.options(args[0], model)
			if err := checkOutputs(opts, []string{out}); err != nil {
				return err
			}
			tab, err := readForModel(e, &cf, args[0], m)
			if err != nil {
				return err
			}
			ss, err := m.ScoreSamples(nil, tab.X)
			if err != nil {
				return err
			}
			if samples {
				return writeOut(e, out, opts, func(w io.Writer) error {
					var b bytes.Buffer
					b.WriteString("log_likelihood\n")
					for _, v := range ss {
						b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
						b.WriteByte('\n')
					}
					_, err := w.Write(b.Bytes())
					return err
				})
			}
			n := len(ss)
			mean, err := m.Score(tab.X, nil)
			if err != nil {
				return err
			}
			bic, _ := m.BIC(tab.X)
			aic, _ := m.AIC(tab.X)
			v := struct {
				File          string  `json:"file"`
				Rows          int     `json:"rows"`
				LogLikelihood float64 `json:"log_likelihood"`
				Total         float64 `json:"total_log_likelihood"`
				BIC           float64 `json:"bic"`
				AIC           float64 `json:"aic"`
				MclustBIC     float64 `json:"mclust_bic"`
				NumParams     int     `json:"n_parameters"`
			}{args[0], n, mean, mean * float64(n), bic, aic, -bic, m.NumParams()}
			if math.IsInf(mean, -1) {
				return fmt.Errorf("%s: a row has zero density under the model (log-likelihood −Inf); see --samples for which", args[0])
			}
			if asJSON {
				return writeOut(e, out, opts, func(w io.Writer) error { return writeJSON(w, v) })
			}
			return writeOut(e, out, opts, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "%s: %d rows; log-likelihood %.6f per row (%.4f in total)\nBIC %.4f, AIC %.4f on these data (scikit-learn's sign, lower is better); mclust's BIC %.4f (higher is better); %d free parameters\n",
					args[0], n, v.LogLikelihood, v.Total, v.BIC, v.AIC, v.MclustBIC, v.NumParams)
				return err
			})
		},
	}
	fs := c.Flags()
	fs.StringVar(&model, "model", "", "model file written by 'latent gmm fit --out' (required)")
	fs.BoolVar(&samples, "samples", false, "write each row's log-likelihood (CSV)")
	fs.StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	cf.register(fs, true)
	of.register(fs)
	return c
}

func newGmmSampleCmd(e *env) *cobra.Command {
	var of outFlags
	var model, out string
	var n int
	var seed uint64
	var asJSON bool
	c := &cobra.Command{
		Use:   "sample --model MODEL.json -n N",
		Short: "Draw rows from a fitted mixture",
		Long: `Draw N rows from a fitted mixture and write them as CSV (the model's feature
names, then a column "component" with the component each row came from).
As scikit-learn's sample, the counts per component are one multinomial draw
and the rows come grouped by component.`,
		Example: "  latent gmm sample --model model.json -n 1000 --seed 7 > draws.csv",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 {
				return usagef("-n %d: invalid number of samples; sampling requires at least one", n)
			}
			m, err := loadModel(model)
			if err != nil {
				return err
			}
			opts := of.options(model)
			if err := checkOutputs(opts, []string{out}); err != nil {
				return err
			}
			x, labels := mat.NewDense(n, m.Dim(), nil), make([]int, n)
			if err := m.Sample(x, labels, rand.New(rand.NewPCG(seed, 0x676d6d73616d706c))); err != nil {
				return err
			}
			cols := m.FeatureNames()
			if cols == nil {
				for j := 0; j < m.Dim(); j++ {
					cols = append(cols, "x"+strconv.Itoa(j+1))
				}
			}
			if asJSON {
				v := struct {
					Columns   []string    `json:"columns"`
					Rows      [][]float64 `json:"rows"`
					Component []int       `json:"component"`
				}{Columns: cols, Component: labels}
				for i := 0; i < n; i++ {
					v.Rows = append(v.Rows, x.RawRowView(i))
				}
				return writeOut(e, out, opts, func(w io.Writer) error { return writeJSON(w, v) })
			}
			lab := make([]string, n)
			for i, l := range labels {
				lab[i] = strconv.Itoa(l)
			}
			label := "component"
			if slices.Contains(cols, label) {
				return errors.New("the model has a feature named \"component\"; use --json")
			}
			return writeOut(e, out, opts, func(w io.Writer) error { return csvio.Write(w, cols, x, label, lab) })
		},
	}
	fs := c.Flags()
	fs.StringVar(&model, "model", "", "model file written by 'latent gmm fit --out' (required)")
	fs.IntVarP(&n, "n", "n", 1, "number of rows to draw")
	fs.Uint64Var(&seed, "seed", 0, "random seed")
	fs.StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	of.register(fs)
	return c
}
