package main

import (
	"errors"

	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/mixture"
)

// writeGmmPlot draws the chart of a fit. TODO(mixture): charts land with
// plots/; until then --plot is not registered.
func writeGmmPlot(path string, tab *csvio.Table, m *mixture.Model, rep *mixture.Report, sel *mixture.Selection, opts fileio.Options) error {
	return errors.New("charts are not available yet")
}
