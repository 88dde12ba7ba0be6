package main

import (
	"math/rand/v2"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/table"
)

// imputeStream is the PCG stream of gmm impute --draws.
const imputeStream = 0x676d6d696d70 // "gmmimp"

func newGmmImputeCmd(e *env) *cobra.Command {
	var f gmmModelFlags
	var draws int
	var seed uint64
	var sd bool
	var plot string
	c := &cobra.Command{
		Use:   "impute DATA.csv|- --model MODEL.json",
		Short: "Fill the missing values of data with their conditional means (or draws) under a fitted mixture",
		Long: `Write the rows of a CSV file with each missing value replaced by its
conditional mean under a fitted mixture, E[x_j | the row's observed values]
(a weighted sum of the components' regressions, the weights the row's
posterior), as CSV with the model's features.

Missing values are read as the model's data were (its file records the
markers of 'latent gmm fit --missing'), or as --missing says.

--sd adds, for every feature, a column NAME_sd with each cell's conditional
standard deviation (0 for an observed cell). --draws M writes M multiple
imputations instead (Rubin 1987): each missing cell drawn from its
conditional distribution (a component by the row's posterior, then the
component's conditional normal), seeded by --seed, one after another, with a
last column "draw" (1 … M). --plot draws the fit with the imputed points
marked.`,
		Example: "  latent gmm fit holes.csv -k 3 --missing NA --out model.json\n  latent gmm impute holes.csv --model model.json --sd > filled.csv\n  latent gmm impute holes.csv --model model.json --draws 20 --seed 1 --out draws.csv",
		Args:    exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			if err := cli.Validate(
				cli.Want("--draws", draws, draws >= 0, "give the number of imputations, at least 1"),
				cli.Want("--sd", sd, !sd || draws == 0, "--sd is the spread of the conditional mean's cells; the draws carry their own: give one of --sd, --draws"),
				cli.Want("--seed", seed, draws > 0 || !cmd.Flags().Changed("seed"), "--seed seeds --draws"),
			); err != nil {
				return err
			}
			m, err := loadModel(f.model)
			if err != nil {
				return err
			}
			if err := (&gmmPlotFlags{fit: plot}).checkShape(m.Dim(), m.K()); err != nil {
				return err
			}
			f.opts, err = f.of.spec([]string{path, f.model},
				cli.Output{Flag: "--out", Path: f.out, Kind: cli.Stream},
				cli.Output{Flag: "--plot", Path: plot, Kind: cli.Chart}).Check()
			if err != nil {
				return err
			}
			m, tab, err := f.mf.read(e, &f.cf, path, m)
			if err != nil {
				return err
			}
			if plot != "" {
				fig, err := plots.GMMFitImputed(tab.X, m, plots.GMMOptions{Title: "imputed: " + gmmTitle(m)})
				if err == nil {
					err = plots.Save(plot, fig, f.opts)
				}
				if err != nil {
					return err
				}
			}
			o := mixture.ImputeOptions{SD: sd, Draws: draws}
			if draws > 0 {
				o.Rand = rand.New(rand.NewPCG(seed, imputeStream))
			}
			im, err := m.ImputeAll(tab.X, o)
			if err != nil {
				return err
			}
			cols, x := im.Table()
			return f.write(e, im, csvOf(&table.Table{Columns: cols, X: x}))
		},
	}
	c.Flags().IntVar(&draws, "draws", 0, "write this many multiple imputations (draws from the conditional distribution) instead of the conditional means")
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed of --draws")
	c.Flags().BoolVar(&sd, "sd", false, "add each cell's conditional standard deviation (columns NAME_sd)")
	c.Flags().StringVar(&plot, "plot", "", "write the chart of the fit with the imputed points marked here (PNG, SVG or PDF)")
	f.register(c.Flags(), true)
	return c
}
