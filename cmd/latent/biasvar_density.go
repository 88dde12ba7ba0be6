package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
)

// densityFlags are the flags of biasvar density.
type densityFlags struct {
	ks, cov, report string
	nTrain, rounds  int
	workers         int
	seed            uint64
	asJSON          bool
	of              outFlags
}

const densityChartFile = "density.png"

func newBiasvarDensityCmd(e *env) *cobra.Command {
	var f densityFlags
	c := &cobra.Command{
		Use:   "density",
		Short: "Decompose a Gaussian mixture's log-loss over K, beside BIC's choice",
		Long: `Fit Gaussian mixtures (package mixture, EM) with every K of --k to --rounds
training sets drawn from a known mixture (0.3·N(−2, 0.6²) + 0.5·N(0, 1) +
0.2·N(3, 0.5²)) and decompose the log-loss of the fitted density on fresh
draws (Heskes 1998): noise (the truth's entropy, exact by quadrature), bias
KL(p ‖ q̄) and variance E KL(q̄ ‖ q). Beside it, BIC's choice on each training
set. --report DIR writes report.json and density.png.`,
		Example: `  latent biasvar density --k 1:6 --n-train 100 --rounds 200
  latent biasvar density --k 1:8 --n-train 400 --cov full --report dens --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(e, cmd) },
	}
	fs := c.Flags()
	fs.StringVar(&f.ks, "k", "1:6", "numbers of components: a range FROM:TO, FROM:TO:log or a list a,b,c")
	fs.IntVar(&f.nTrain, "n-train", 100, "training-set size")
	fs.IntVar(&f.rounds, "rounds", biasvar.DefaultRounds, "number of training sets R")
	fs.StringVar(&f.cov, "cov", "full", "covariance type of the fitted mixtures (1-D: full, diag, spherical and tied coincide except tied)")
	fs.IntVar(&f.workers, "workers", 0, "rounds fitted in parallel (0: all cores)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
	fs.StringVar(&f.report, "report", "", "write report.json and density.png into this folder")
	f.of.register(fs)
	return c
}

func (f *densityFlags) run(e *env, cmd *cobra.Command) error {
	ks, kerr := biasvar.ParseSizes(f.ks)
	if kerr != nil {
		kerr = usagef("--k %s: %v", f.ks, kerr)
	}
	if err := cli.Validate(kerr,
		cli.AtLeast("--n-train", f.nTrain, 1),
		cli.AtLeast("--rounds", f.rounds, 1),
		cli.Want("--workers", f.workers, f.workers >= 0, "must be 0 (all cores) or positive"),
		cli.Want("--cov", f.cov, map[string]bool{"full": true, "diag": true, "spherical": true, "tied": true}[f.cov], "use full, diag, spherical or tied")); err != nil {
		return err
	}
	out := cli.Output{Flag: "--report", Path: f.report, Kind: cli.Folder, Files: []string{"report.json", densityChartFile}}
	spec := f.of.spec(nil, out)
	spec.JSON = f.asJSON
	wopts, err := spec.Check()
	if err != nil {
		return err
	}
	p := biasvar.ThreeGaussians(f.nTrain)
	opts := biasvar.Options{Rounds: f.rounds, Seed: f.seed, Workers: f.workers}
	sw, err := biasvar.SweepDensity(cmd.Context(), p, ks, mixture.CovarianceType(f.cov), opts)
	if err != nil {
		return withFlags(bvError(err), bvGuardFlags)
	}
	if err := f.write(wopts, sw); err != nil {
		return err
	}
	if f.asJSON {
		return writeJSON(e.stdout, sw)
	}
	return sw.WriteText(e.stdout)
}

func (f *densityFlags) write(opts fileio.Options, sw *biasvar.DensitySweep) error {
	if f.report == "" {
		return nil
	}
	if err := os.MkdirAll(f.report, 0o755); err != nil {
		return err
	}
	if err := fileio.WriteFile(filepath.Join(f.report, "report.json"), func(w io.Writer) error { return writeJSON(w, sw) }, opts); err != nil {
		return err
	}
	fig, err := plots.DensitySweep(sw, plots.BiasVarianceOptions{})
	if err != nil {
		return fmt.Errorf("biasvar: chart: %w", err)
	}
	return fileio.WriteFile(filepath.Join(f.report, densityChartFile), pngWriter(fig), opts)
}
