package main

import (
	"strconv"
	"strings"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/plots"
)

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
