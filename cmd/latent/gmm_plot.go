package main

import (
	"errors"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/mixture"
)

// writeGmmPlot draws the chart of a fit. TODO(mixture): charts land with
// plots/; until then --plot is not registered.
func writeGmmPlot(path string, tab *csvio.Table, m *mixture.Model, rep *mixture.Report, sel *mixture.Selection, opts fileio.Options) error {
	return errors.New("charts are not available yet")
}

// demoGmmFigures adds the mixtures part's charts. TODO(mixture): with plots/.
func demoGmmFigures(d *demo, sec *demoSection, f *datasets.Dataset, best *mixture.Model, rep *mixture.Report, sel *mixture.Selection, two *mixture.Model, rep2 *mixture.Report) error {
	return nil
}
