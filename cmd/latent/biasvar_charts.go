package main

import (
	"fmt"
	"io"

	"github.com/latentgo/latent/biasvar"
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

// demoBiasvarCharts draws the demo's charts: the decomposition against k,
// and the per-point view at the best k.
func demoBiasvarCharts(d *demo, sr *biasvar.SweepReport, best *biasvar.Report) ([]demoFigure, error) {
	p, err := plots.BiasVarianceSweep(sr, plots.BiasVarianceOptions{Title: "k-NN regression on sin 2πx: error against k"})
	if err != nil {
		return nil, err
	}
	if err := d.writeWith("biasvar_knn_sweep.png", pngWriter(p)); err != nil {
		return nil, err
	}
	q, err := plots.BiasVarianceFit(best, plots.BiasVarianceOptions{})
	if err != nil {
		return nil, err
	}
	if err := d.writeWith("biasvar_knn_fit.png", pngWriter(q)); err != nil {
		return nil, err
	}
	return []demoFigure{
		{"biasvar_knn_sweep.png", "Expected error, noise, bias² and variance of k-NN regression against k, ± 1 standard error (jackknife over rounds)."},
		{"biasvar_knn_fit.png", fmt.Sprintf("%s: the true f, the mean prediction ± 1 sd over %d training sets, and five single fits.", best.Learner, best.Rounds.Succeeded)},
	}, nil
}
