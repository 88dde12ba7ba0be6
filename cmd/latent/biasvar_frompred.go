package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/memlimit"
)

// fromPredFlags are the flags of biasvar from-predictions.
type fromPredFlags struct {
	predictions, targets, truth string
	loss, report                string
	workers                     int
	asJSON                      bool
	cf                          csvFlags
	of                          outFlags
}

func newBiasvarFromPredictionsCmd(e *env) *cobra.Command {
	var f fromPredFlags
	c := &cobra.Command{
		Use:   "from-predictions",
		Short: "Decompose a matrix of predictions made anywhere (rows test points, columns rounds)",
		Long: `Decompose the predictions of your own loop — any model, any language — with the
estimators, standard errors and checks of 'latent biasvar run'.

--predictions P.csv has one row per test point and one column per round.
--targets T.csv has the test targets: one column (shared by every round) or
one column per round (fresh targets, as a Monte Carlo run draws them).
--truth TRUTH.csv, when the truth is known, has columns f and noise_var
(squared loss) or the posterior p0, p1, … (--loss 01): the report then
separates the noise and, for 01, gives Domingos', Kohavi–Wolpert's and
James's decompositions. Without --truth: mlxtend's definitions (bootstrap
mode). 'latent biasvar run --dump DIR' writes these three files; decomposing
them gives the run's report to the bit.`,
		Example: `  latent biasvar run --learner knn --param k=5 --rounds 200 --dump dumped
  latent biasvar from-predictions --predictions dumped/predictions.csv --targets dumped/targets.csv --truth dumped/truth.csv
  latent biasvar from-predictions --predictions p.csv --truth posterior.csv --loss 01 --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(e, cmd) },
	}
	fs := c.Flags()
	fs.StringVar(&f.predictions, "predictions", "", "CSV of predictions: a row per test point, a column per round (required)")
	fs.StringVar(&f.targets, "targets", "", "CSV of test targets: one column, or one per round")
	fs.StringVar(&f.truth, "truth", "", "CSV of the truth at the test points: f,noise_var (squared) or p0,p1,… (01)")
	fs.StringVar(&f.loss, "loss", "squared", "squared or 01")
	fs.StringVar(&f.report, "report", "", "write report.json and report.md into this folder")
	fs.IntVar(&f.workers, "workers", 0, "goroutines of the reduction (0: all cores)")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
	f.cf.register(fs, false)
	f.of.register(fs)
	return c
}

func (f *fromPredFlags) run(e *env, cmd *cobra.Command) error {
	loss, err := biasvar.ParseLoss(f.loss)
	if err == nil && loss == biasvar.LogLoss {
		err = usagef("--loss log: from-predictions takes predicted values or classes, not probabilities; use squared or 01")
	}
	if err := cli.Validate(bvError(err),
		cli.Want("--predictions", f.predictions, f.predictions != "", "required: the CSV of predictions"),
		cli.Want("--workers", f.workers, f.workers >= 0, "must be 0 (all cores) or positive")); err != nil {
		return err
	}
	out := cli.Output{Flag: "--report", Path: f.report, Kind: cli.Folder, Files: []string{"report.json", "report.md"}}
	spec := f.of.spec([]string{f.predictions, f.targets, f.truth}, out)
	spec.JSON = f.asJSON
	wopts, err := spec.Check()
	if err != nil {
		return err
	}
	var ms [3]mat.Matrix
	for i, path := range []string{f.predictions, f.targets, f.truth} {
		if path == "" {
			continue
		}
		tab, err := f.cf.read(e, path)
		if err != nil {
			return err
		}
		ms[i] = tab.X
	}
	m, R := ms[0].Dims()
	if err := memlimit.Check(fmt.Sprintf("decomposing %d rounds at %d test points", R, m), memlimit.Floats(float64(R)*float64(m), 4), "the rounds in --predictions"); err != nil {
		return err
	}
	pr, err := biasvar.NewPredictions(ms[0], ms[1], ms[2], loss)
	if err != nil {
		return fromPredError(err)
	}
	pr.Name = f.predictions
	rep, err := biasvar.FromPredictions(pr, biasvar.Options{Workers: f.workers})
	if err != nil {
		return fromPredError(err)
	}
	bf := bvFlags{report: f.report}
	if err := bf.writeReport([]string{"report.json", "report.md"}, wopts, rep, nil); err != nil {
		return err
	}
	if f.asJSON {
		return writeJSON(e.stdout, rep)
	}
	return rep.WriteText(e.stdout)
}

// fromPredError names the flag of the file behind a Predictions field.
func fromPredError(err error) error {
	var oe *biasvar.OptionError
	if !errors.As(err, &oe) {
		return err
	}
	flag := map[string]string{"Predictions.Pred": "--predictions", "Predictions.Target": "--targets",
		"Predictions.F": "--truth", "Predictions.NoiseVar": "--truth", "Predictions.Posterior": "--truth"}[oe.Option]
	if flag == "" {
		return usageError{err}
	}
	return errors.New(oe.Named(flag))
}
