package main

import (
	"io"

	"github.com/latentgo/latent/plots"
)

// The chart files of a --report folder.
const (
	runChartFile   = "fit.png"
	sweepChartFile = "decomposition.png"
)

func pngWriter(fig plots.Figure) func(io.Writer) error {
	return func(w io.Writer) error { return plots.Encode(w, "png", fig) }
}
