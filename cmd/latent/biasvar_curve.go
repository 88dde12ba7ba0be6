package main

import (
	"fmt"

	"gonum.org/v1/plot"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/plots"
)

// parseSizes reads --n-train into f.sizes (a usage error when it does not
// parse: 0 is a size, and refused, never a default).
func (f *bvFlags) parseSizes() error {
	sizes, err := biasvar.ParseSizes(f.nTrainArg)
	if err != nil {
		return usagef("--n-train %s: %v", f.nTrainArg, err)
	}
	f.sizes, f.nTrain = sizes, sizes[0]
	return nil
}

// plan picks the library call of run or sweep from --param and --n-train:
// one learner (run, or a learning curve), a knob (a sweep), or both a
// knob and several sizes (a grid).
func (f *bvFlags) plan(params biasvar.Params, sweep bool) (biasvar.Learner, biasvar.Knob, error) {
	curve := len(f.sizes) > 1
	switch {
	case !sweep && curve:
		return nil, biasvar.Knob{}, usagef("--n-train %s: 'run' takes one training-set size; use 'latent biasvar sweep' for a learning curve", f.nTrainArg)
	case sweep && params.Knob == "" && !curve:
		return nil, biasvar.Knob{}, usagef("sweep needs one --param with a range (for example --param k=1:30 or --param degree=1,2,4,8) or a range of --n-train (for example --n-train 10:1000:log)")
	case sweep && f.dump != "":
		return nil, biasvar.Knob{}, usagef("--dump applies to 'latent biasvar run' (one learner, one size)")
	case curve && f.data != "":
		return nil, biasvar.Knob{}, usagef("--n-train %s: bootstrap mode (--data) resamples the data set's own size; a learning curve needs a known problem", f.nTrainArg)
	}
	if f.learner == "exec" {
		return f.execLearner(params)
	}
	if params.Knob != "" {
		knob, err := params.Sweep(f.learner)
		return nil, knob, bvError(err)
	}
	l, err := params.Learner(f.learner)
	return l, biasvar.Knob{}, bvError(err)
}

// outputs are the --report files, the progress bar's total and its label.
func (f *bvFlags) outputs(p *biasvar.Problem, d *biasvar.Data, knob biasvar.Knob, sweep bool, loss biasvar.Loss) ([]string, int, string) {
	files := []string{"report.json", "report.md"}
	switch {
	case len(f.sizes) > 1 && knob.New != nil:
		for _, t := range plots.GridTerms(gridLoss(loss, p)) {
			files = append(files, "heatmap_"+t+".png")
		}
		return files, f.rounds * len(knob.Values) * len(f.sizes), "biasvar grid n_train × " + knob.Name
	case len(f.sizes) > 1:
		return append(files, learningCurveFile), f.rounds * len(f.sizes), "biasvar learning curve"
	case sweep:
		return append(files, sweepChartFile), f.rounds * len(knob.Values), "biasvar sweep " + knob.Name
	case oneInputRegression(p, d, loss):
		files = append(files, runChartFile)
	}
	return files, f.rounds, "biasvar " + f.learner
}

// learningCurveFile is the chart of a learning curve in --report.
const learningCurveFile = "learning_curve.png"

func gridLoss(loss biasvar.Loss, p *biasvar.Problem) biasvar.Loss {
	switch {
	case loss != "":
		return loss
	case p.F != nil:
		return biasvar.Squared
	}
	return biasvar.ZeroOne
}

// gridCharts are the grid's heat maps, in the order of plots.GridTerms.
func gridCharts(g *biasvar.GridReport, loss biasvar.Loss, p *biasvar.Problem) ([]*plot.Plot, error) {
	var out []*plot.Plot
	for _, t := range plots.GridTerms(gridLoss(loss, p)) {
		c, err := plots.BiasVarianceGrid(g, t, plots.BiasVarianceOptions{})
		if err != nil {
			return nil, fmt.Errorf("heat map of %s: %w", t, err)
		}
		out = append(out, c)
	}
	return out, nil
}
