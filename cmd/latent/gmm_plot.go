package main

import (
	"fmt"

	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
)

// gmmPlotFlags are gmm fit's chart outputs.
type gmmPlotFlags struct {
	fit, trace, bic string
	// mclust's charts: the BIC of every model over K, the classification,
	// the uncertainty (plots/mclust.go)
	mcBIC, class, uncert string
	coverage             float64
}

func (f *gmmPlotFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.fit, "plot", "", "write the chart of the fit here (PNG, SVG or PDF by extension): points by component, covariance ellipses, density contours; a pairs view for more than 2 columns")
	fs.StringVar(&f.trace, "plot-trace", "", "write EM's convergence chart here: log-likelihood and ELBO per iteration, the M-step's gain and the KL gap")
	fs.StringVar(&f.bic, "plot-bic", "", "with several K or covariance types: write BIC against K per covariance type here")
	fs.StringVar(&f.mcBIC, "plot-mclust-bic", "", "with several K or models: write mclust's BIC chart here (mclust's sign, one line per model over K, the best ringed)")
	fs.StringVar(&f.class, "plot-classification", "", "write mclust's classification chart here: rows by most probable component, covariance ellipses (pairs view for more than 2 columns)")
	fs.StringVar(&f.uncert, "plot-uncertainty", "", "write mclust's uncertainty chart here: marker size grows with 1 − max posterior (first two columns)")
	fs.Float64Var(&f.coverage, "coverage", 0.95, "probability inside each covariance ellipse of --plot")
}

// paths returns the chart outputs asked for.
func (f *gmmPlotFlags) paths() []string {
	var out []string
	for _, p := range []string{f.fit, f.trace, f.bic, f.mcBIC, f.class, f.uncert} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// outputs declares the charts for the outputs guard, which checks their
// formats and paths before any work.
func (f *gmmPlotFlags) outputs() []cli.Output {
	return []cli.Output{{Flag: "--plot", Path: f.fit, Kind: cli.Chart}, {Flag: "--plot-trace", Path: f.trace, Kind: cli.Chart},
		{Flag: "--plot-bic", Path: f.bic, Kind: cli.Chart}, {Flag: "--plot-mclust-bic", Path: f.mcBIC, Kind: cli.Chart},
		{Flag: "--plot-classification", Path: f.class, Kind: cli.Chart}, {Flag: "--plot-uncertainty", Path: f.uncert, Kind: cli.Chart}}
}

// check validates --coverage and that --plot-bic has a selection to draw.
func (f *gmmPlotFlags) check(selection bool) error {
	if !(f.coverage > 0 && f.coverage < 1) {
		return usagef("--coverage %v: give a probability strictly between 0 and 1", f.coverage)
	}
	if f.bic != "" && !selection {
		return usagef("--plot-bic draws a selection: give several K (-k 1:8) or covariance types (--cov all)")
	}
	if f.mcBIC != "" && !selection {
		return usagef("--plot-mclust-bic draws a selection: give several K (-k 1:9), models (--cov mclust) or --defaults mclust")
	}
	return nil
}

// checkShape refuses, before the fit, a --plot that cannot be drawn for
// data of d columns and (at most) k components: a pairs view of more than
// plots.MaxPairs columns, more components than plots.MaxGroups colours
// and markers tell apart (issue 22, item 16: the chart used to fail after
// the model was written, advising an option that does not exist).
func (f *gmmPlotFlags) checkShape(d, k int) error {
	if f.uncert != "" && d < 2 {
		return usagef("--plot-uncertainty draws two columns; the data have %d", d)
	}
	if f.class != "" {
		if err := cli.Validate(
			cli.Want("--plot-classification", f.class, d <= plots.MaxPairs, fmt.Sprintf("the data have %d columns and a pairs view draws at most %d", d, plots.MaxPairs)),
			cli.Want("--plot-classification", f.class, k <= plots.MaxGroups, fmt.Sprintf("-k %d: a chart tells at most %d components apart", k, plots.MaxGroups)),
		); err != nil {
			return err
		}
	}
	if f.fit == "" {
		return nil
	}
	return cli.Validate(
		cli.Want("--plot", f.fit, d <= plots.MaxPairs, fmt.Sprintf("the data have %d columns and a pairs view draws at most %d: leave out --plot, or fit fewer columns", d, plots.MaxPairs)),
		cli.Want("--plot", f.fit, k <= plots.MaxGroups, fmt.Sprintf("-k %d: a chart tells at most %d components apart: leave out --plot, or lower -k", k, plots.MaxGroups)),
	)
}

// write draws the charts asked for. x holds the rows to draw (the data,
// or with --stream a sample of them).
func (f *gmmPlotFlags) write(x mat.Matrix, m *mixture.Model, rep *mixture.Report, sel *mixture.Selection, opts fileio.Options) error {
	charts := []struct {
		path string
		draw func() (plots.Figure, error)
	}{
		{f.fit, func() (plots.Figure, error) {
			return plots.GMMFitImputed(x, m, plots.GMMOptions{Title: gmmTitle(m), Coverage: f.coverage})
		}},
		{f.trace, func() (plots.Figure, error) {
			return plots.GMMConvergence(rep.Starts[rep.Best].Trace, fmt.Sprintf("EM, %s", gmmTitle(m)))
		}},
		{f.bic, func() (plots.Figure, error) { return plots.GMMSelection(sel) }},
		{f.mcBIC, func() (plots.Figure, error) { return plots.MclustBIC(sel) }},
		{f.class, func() (plots.Figure, error) {
			return plots.MclustClassification(x, m, plots.GMMOptions{Title: "Classification: " + gmmTitle(m), Coverage: f.coverage})
		}},
		{f.uncert, func() (plots.Figure, error) {
			return plots.MclustUncertainty(x, m, plots.GMMOptions{Title: "Uncertainty: " + gmmTitle(m), Coverage: f.coverage})
		}},
	}
	for i, c := range charts {
		if c.path == "" || (i == 2 || i == 3) && sel == nil {
			continue
		}
		fig, err := c.draw()
		if err != nil {
			return err
		}
		if err := plots.Save(c.path, fig, opts); err != nil {
			return err
		}
	}
	return nil
}

func gmmTitle(m *mixture.Model) string {
	s := "s"
	if m.K() == 1 {
		s = ""
	}
	return fmt.Sprintf("%d component%s, %s covariances", m.K(), s, m.CovarianceType())
}
