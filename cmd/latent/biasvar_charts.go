package main

import "github.com/latentgo/latent/biasvar"

// writeRunCharts writes fit.png for a run (once the plots package lands).
func writeRunCharts(f *bvFlags, r *biasvar.Report) error { return nil }

// writeSweepCharts writes decomposition.png for a sweep.
func writeSweepCharts(f *bvFlags, s *biasvar.SweepReport) error { return nil }

// demoBiasvarCharts draws the demo's charts (once the plots package lands).
func demoBiasvarCharts(d *demo, sr *biasvar.SweepReport) ([]demoFigure, error) { return nil, nil }
