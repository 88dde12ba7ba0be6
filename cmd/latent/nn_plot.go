package main

import (
	"strconv"
	"strings"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/plots"
)

// checkPlotPath checks the chart's extension before any work is done.
func checkPlotPath(path string) error {
	if _, err := plots.FormatOf(path); err != nil {
		return usageError{err}
	}
	return nil
}

// checkOutputs says, before any long work, whether the command's outputs
// can be written: each file through fileio.Check (an input, or an existing
// file without --force, is refused), and each chart also by its extension.
// Empty paths and "-" (stdout) are skipped.
func checkOutputs(opts fileio.Options, files []string, charts ...string) error {
	for _, p := range append(append([]string(nil), files...), charts...) {
		if p == "" || p == "-" {
			continue
		}
		if err := fileio.Check(p, opts); err != nil {
			return err
		}
	}
	for _, p := range charts {
		if p == "" {
			continue
		}
		if err := checkPlotPath(p); err != nil {
			return err
		}
	}
	return nil
}

// saveLossChart draws the training and validation loss per epoch of rep
// to path (PNG, SVG or PDF by extension), atomically.
func saveLossChart(path string, rep *nn.Report, title string, opts fileio.Options) error {
	p, err := plots.NNLoss(rep, "Log-loss per epoch: "+title)
	if err != nil {
		return err
	}
	return plots.Save(path, p, opts)
}

// The helpers below were nn.go's; vae.go uses them too.

// epochRows picks at most max epochs to show, first and last included.
func epochRows(n, max int) []int {
	out := make([]int, 0, max)
	for i := 0; i < max && i < n; i++ {
		if n <= max {
			out = append(out, i)
		} else {
			out = append(out, i*(n-1)/(max-1))
		}
	}
	return out
}

// abbreviate quotes the first five names, then "…".
func abbreviate(cols []string) string {
	q := make([]string, 0, 6)
	for i, c := range cols {
		if i == 5 {
			q = append(q, "…")
			break
		}
		q = append(q, strconv.Quote(c))
	}
	return strings.Join(q, ", ")
}
