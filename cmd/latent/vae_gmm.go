package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
	"github.com/latentgo/latent/vaemix"
)

// vaeGmm are the flags of 'vae gmm'.
type vaeGmm struct {
	src                                   vaeSource
	of                                    outFlags
	model, cov, out, plotPath, latentPlot string
	o                                     vaemix.Options
	asJSON                                bool
}

func newVAEGmmCmd(e *env) *cobra.Command {
	var g vaeGmm
	c := &cobra.Command{
		Use:   "gmm --model MODEL.json [DATA.csv|-] [--data mnist|digits] [-k K]",
		Short: "Fit a Gaussian mixture to a VAE's codes and compare it with the prior as a generator",
		Long: `Fit a Gaussian mixture (latent gmm's EM) to the posterior means of the
training rows and compare it with the prior N(0, I) as the density codes are
drawn from: the mean log-density of the held-out rows' codes under each, and
the Fréchet distance (squared 2-Wasserstein distance between fitted normals, in
the data's own features) between decoded samples of each and the held-out
rows, with the held-out rows' reconstructions for reference; when the rows
are labelled, also in the hidden features of an MLP classifier trained on the
training rows (the FID's recipe with a classifier of the data at hand).

For a plain autoencoder, whose codes follow no prior, this is how it becomes a
generator (ex-post density estimation, Ghosh et al. 2020). --out writes the
mixture ("latent.gmm" model file; 'latent vae sample --mixture' draws from it),
--plot samples of both densities, --plot-latent the codes with the mixture's
ellipses (two latent dimensions).`,
		Example: `  latent vae gmm --model mnist-vae.json --data mnist -k 10 --out codes-gmm.json --plot gmm-samples.png
  latent vae gmm --model digits-vae.json --data digits -k 10 --plot-latent codes.png --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return g.run(e, cmd, args) },
	}
	fs := c.Flags()
	g.src.registerModel(fs, &g.model, nil, "seed of the split, the mixture's start and the samples (default: the model's)")
	g.of.register(fs)
	fs.IntVarP(&g.o.K, "k", "k", 10, "mixture components")
	fs.StringVar(&g.cov, "cov", "full", "covariance type: full, diag, spherical or tied")
	fs.IntVarP(&g.o.Samples, "n", "n", 0, "samples drawn from each density (default: as many as held-out rows)")
	fs.StringVarP(&g.out, "out", "o", "", "write the fitted mixture (a latent.gmm model file)")
	fs.StringVar(&g.plotPath, "plot", "", "draw decoded samples of both densities (.png, .svg or .pdf)")
	fs.StringVar(&g.latentPlot, "plot-latent", "", "draw the codes with the mixture's ellipses (2 latent dimensions)")
	fs.BoolVar(&g.asJSON, "json", false, "print JSON")
	return c
}

// run makes the one library call, vaemix.Compare, and renders it.
func (g *vaeGmm) run(e *env, cmd *cobra.Command, args []string) error {
	if g.model == "" {
		return usagef("--model MODEL.json is required")
	}
	if err := cli.Validate(
		cli.Want("-k", g.o.K, g.o.K >= 1, "give at least 1 component"),
		cli.Want("-n", g.o.Samples, g.o.Samples >= 0, "give 0 (as many as held-out rows) or more"),
	); err != nil {
		return err
	}
	var err error
	if g.o.Covariance, err = mixture.ParseCovarianceType(g.cov); err != nil {
		return usageError{err}
	}
	opts, err := declare(&g.of, g.asJSON, g.src.inputs(args, g.model), cli.Output{Flag: "--out", Path: g.out, Kind: cli.File},
		cli.Output{Flag: "--plot", Path: g.plotPath, Kind: cli.Chart}, cli.Output{Flag: "--plot-latent", Path: g.latentPlot, Kind: cli.Chart}).Check()
	if err != nil {
		return err
	}
	rows := "train"
	m, d, _, _, err := modelData(e, cmd, &g.src, g.model, args, &rows)
	if err != nil {
		return err
	}
	if d.Test == nil {
		return usagef("%s has no held-out rows to compare against (%s); give --test FILE or --test-fraction", d.Name, d.Split)
	}
	if g.latentPlot != "" && m.Latent() != 2 {
		return usagef("--plot-latent: the model has %d latent dimensions; the chart needs 2", m.Latent())
	}
	g.o.Seed, g.o.TrainLabels, g.o.TestLabels = g.src.seed, d.TrainLabels, d.TestLabels
	r, err := vaemix.Compare(cmd.Context(), m, d.Train, d.Test, g.o)
	if err != nil {
		return err
	}
	if err := g.save(d, r, opts); err != nil {
		return err
	}
	if g.asJSON {
		return writeJSON(e.stdout, struct {
			Data  string         `json:"data"`
			Model string         `json:"model"`
			Out   string         `json:"out,omitempty"`
			Cmp   *vaemix.Report `json:"comparison"`
		}{d.Name, g.model, g.out, r})
	}
	fmt.Fprintf(e.stdout, "%s: codes of %d training rows from %s, compared on %d held-out rows (%s)\n", d.Name, r.TrainCodes, g.model, r.TestRows, d.Split)
	if err := r.WriteText(e.stdout); err != nil {
		return err
	}
	wrote(e.stdout, ", ", g.out, g.plotPath, g.latentPlot)
	return nil
}

// save writes the mixture (--out), decoded samples of both densities
// (--plot, for rows that are images) and the codes with the mixture's
// ellipses (--plot-latent).
func (g *vaeGmm) save(d *vae.Data, r *vaemix.Report, opts fileio.Options) error {
	if g.out != "" {
		data, err := r.Mixture.Marshal()
		if err != nil {
			return err
		}
		if err := fileio.WriteBytes(g.out, data, opts); err != nil {
			return err
		}
	}
	if g.plotPath != "" && d.Height == 0 {
		return usagef("--plot: the rows of %s are not images; give --image HxW", d.Name)
	}
	c := &charts{opts: opts}
	if g.plotPath != "" {
		show, dim := min(r.Samples, 20), d.Height*d.Width
		c.save(g.plotPath)(plots.VAECompare([]plots.ImageSet{{Name: "prior N(0, I)", X: r.PriorSamples.Slice(0, show, 0, dim)},
			{Name: "mixture", X: r.MixtureSamples.Slice(0, show, 0, dim)}}, d.Height, d.Width, "Decoded samples from two densities of codes"))
	}
	if g.latentPlot != "" {
		c.save(g.latentPlot)(plots.GMMFit(r.TrainMeans, r.Mixture, plots.GMMOptions{Title: fmt.Sprintf("A %d-component mixture fitted to the codes", r.K)}))
	}
	return c.err
}
