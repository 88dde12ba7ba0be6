package main

import (
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
