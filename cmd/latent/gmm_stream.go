package main

import (
	"bytes"
	"fmt"
	"math"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

// selectStream fits the whole grid of --stream -k … --cov … in shared
// scans of the file: one scan per iteration for every candidate still
// running (mixture.SelectSource).
func (g *gmmFit) selectStream(e *env, cmd *cobra.Command, src *table.Source, f *gmmFitFlags, r *gmmResult) error {
	sample, _, err := table.Reservoir(f.mf.sampleSource(src), f.sampleRows, f.seed)
	if err != nil {
		return err
	}
	r.drawn = sample
	bar := newProgress(e.stderr, len(g.ks)*len(g.covs), "gmm fit --stream")
	defer bar.Done()
	r.m, r.rep, r.sel, err = mixture.SelectSource(cmd.Context(), src, sample, mixture.SelectOptions{Ks: g.ks, Covariances: g.covs, Options: g.o,
		Progress: func(p mixture.Progress) {
			bar.Add(1)
			bar.Describe(fmt.Sprintf("gmm fit --stream: %s K=%d done", p.Candidate.Covariance, p.Candidate.K))
		}})
	return err
}

// gmmOnlineFlags are gmm fit's flags of online EM.
type gmmOnlineFlags struct {
	on            bool
	batch, passes int
	alpha, t0     float64
}

func (f *gmmOnlineFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.on, "online", false, "fit by online (stepwise) EM, one batch of --batch rows at a time, --passes times over the file")
	fs.IntVar(&f.batch, "batch", 1000, "with --online: rows per batch")
	fs.IntVar(&f.passes, "passes", 3, "with --online: passes over the file")
	fs.Float64Var(&f.alpha, "alpha", mixture.DefaultAlpha, "with --online: decay α of the step sizes (t + t0)^-α, in (0.5, 1]")
	fs.Float64Var(&f.t0, "t0", mixture.DefaultT0, "with --online: offset t0 > 0 of the step sizes")
}

// runGmmOnline fits a file by online EM (mixture.FitOnline over the file
// read in batches) and prints its report.
func runGmmOnline(e *env, cmd *cobra.Command, path string, f *gmmFitFlags) error {
	o := &f.online
	for _, name := range []string{"missing", "weights", "known", "fix", "prior", "stream", "n-init", "max-iter", "tol", "plot", "plot-trace", "plot-bic"} {
		if fl := cmd.Flags().Lookup(name); fl != nil && fl.Changed {
			return usagef("--online does not take --%s", name)
		}
	}
	if err := cli.Validate(
		cli.Want("--batch", o.batch, o.batch >= 1, "give at least 1 row per batch"),
		cli.Want("--passes", o.passes, o.passes >= 1, "give at least 1 pass"),
		cli.Want("--alpha", o.alpha, o.alpha > 0.5 && o.alpha <= 1, "give a decay in (0.5, 1]"),
		cli.Want("--t0", o.t0, o.t0 > 0 && !math.IsInf(o.t0, 0), "give a finite offset > 0"),
	); err != nil {
		return err
	}
	if err := cli.Rereadable("--online", path, "pass"); err != nil {
		return err
	}
	g, err := f.check(path)
	if err != nil {
		return err
	}
	if len(g.ks) != 1 || len(g.covs) != 1 {
		return usagef("--online fits one K and one covariance type")
	}
	co, err := f.cf.options(path)
	if err != nil {
		return err
	}
	src, err := table.OpenCSV(path, table.Options{Name: co.Name, Delimiter: co.Delimiter, Header: co.Header, Label: co.Label})
	if err != nil {
		return err
	}
	if g.initFile != "" {
		if err := g.start(e, f, src.Dim()); err != nil {
			return err
		}
	}
	g.o.FeatureNames, g.o.K = src.Columns(), g.ks[0]
	g.o.NInit, g.o.MaxIter, g.o.Tol = 0, 0, 0
	m, rep, err := mixture.FitOnline(cmd.Context(), src, o.batch, o.passes, mixture.OnlineOptions{Options: g.o, Alpha: o.alpha, T0: o.t0})
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := m.Save(f.out, g.opts); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(e.stdout, gmmOnlineOut{File: path, Columns: m.FeatureNames(), Report: rep, Model: m.FullParams(), Out: f.out})
	}
	var b bytes.Buffer
	b.WriteString(path + ": ")
	rep.WriteText(&b)
	if f.out != "" {
		fmt.Fprintf(&b, "\nwrote %s\n", f.out)
	}
	_, err = e.stdout.Write(b.Bytes())
	return err
}

// gmmOnlineOut is the --json output of gmm fit --online.
type gmmOnlineOut struct {
	File    string                `json:"file"`
	Columns []string              `json:"columns"`
	Report  *mixture.OnlineReport `json:"report"`
	Model   *mixture.FullParams   `json:"model"`
	Out     string                `json:"out,omitempty"`
}
