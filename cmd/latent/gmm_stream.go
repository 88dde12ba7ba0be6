package main

import (
	"fmt"

	"github.com/spf13/cobra"

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
