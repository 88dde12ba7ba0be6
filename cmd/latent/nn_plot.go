package main

import (
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/plots"
)

// chartFormat returns the image format of path from its extension.
func chartFormat(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "png", "svg", "pdf":
		return ext, nil
	}
	return "", usagef("--plot %s: name the image .png, .svg or .pdf", path)
}

// checkPlotPath checks the chart's extension before any work is done.
func checkPlotPath(path string) error {
	_, err := chartFormat(path)
	return err
}

// encodeChart draws p at 6×4 inches in format on w.
func encodeChart(w io.Writer, p *plot.Plot, format string) error {
	wt, err := p.WriterTo(6*vg.Inch, 4*vg.Inch, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// saveLossChart draws the training and validation loss per epoch of rep
// to path, atomically.
func saveLossChart(path string, rep *nn.Report, title string, opts fileio.Options) error {
	format, err := chartFormat(path)
	if err != nil {
		return err
	}
	p, err := plots.NNLoss(rep, "Log-loss per epoch: "+title)
	if err != nil {
		return err
	}
	return fileio.WriteFile(path, func(w io.Writer) error { return encodeChart(w, p, format) }, opts)
}
