package main

import "github.com/latentgo/latent/biasvar"

// The chart files of a --report folder.
const (
	runChartFile   = "fit.png"
	sweepChartFile = "decomposition.png"
)

// writeRunChart writes fit.png for a run (once the plots package lands).
func writeRunChart(f *bvFlags, r *biasvar.Report) error { return nil }

// writeSweepChart writes decomposition.png for a sweep.
func writeSweepChart(f *bvFlags, s *biasvar.SweepReport) error { return nil }

// demoBiasvarCharts draws the demo's charts (once the plots package lands).
func demoBiasvarCharts(d *demo, sr *biasvar.SweepReport) ([]demoFigure, error) { return nil, nil }
