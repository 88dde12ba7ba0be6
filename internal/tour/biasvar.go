package tour

import (
	"context"
	"fmt"
	"strings"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/plots"
)

// biasvarPart sweeps k of k-NN regression on the sine with a fixed design:
// bias² grows with k, variance falls as σ²/k (ESL §7.3, eq. 7.10).
func biasvarPart(ctx context.Context, d *Env) (*Section, error) {
	const sigma, n, rounds = 0.3, 50, 300
	p := biasvar.Sine(n, sigma)
	p.Design = biasvar.Fixed
	ks := []float64{1, 2, 3, 5, 8, 12, 18, 25, 35, 50}
	// The knob of the command line the text shows, read as the CLI reads it.
	params, err := biasvar.ParseParams([]string{"k=" + joinValues(ks)})
	if err != nil {
		return nil, err
	}
	knob, err := params.Sweep("knn")
	if err != nil {
		return nil, err
	}
	sr, err := biasvar.Sweep(ctx, p, knob, biasvar.Options{Rounds: rounds, Seed: d.Seed})
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "k-nearest-neighbour regression on y = sin(2πx) + N(0, %.1f²), %d fixed training inputs, "+
		"%d training sets per k, seed %d (`latent biasvar sweep --learner knn --param k=%s --design fixed --rounds %d --seed %d`). "+
		"Small k follows the noise (high variance), large k averages the curve away (high bias²); "+
		"the variance follows σ²/k as ESL eq. 7.10 says for a fixed design.\n\n",
		sigma, n, rounds, d.Seed, joinValues(ks), rounds, d.Seed)
	b.WriteString("| k | error | bias² | variance | σ²/k |\n|---|---|---|---|---|\n")
	nums := map[string]any{}
	for _, pt := range sr.Points {
		if pt.Report == nil {
			return nil, fmt.Errorf("k = %g: %s", pt.Value, pt.Error)
		}
		t := pt.Report.Totals
		fmt.Fprintf(&b, "| %g | %.4f ± %.4f | %.4f ± %.4f | %.4f ± %.4f | %.4f |\n", pt.Value, t.Error.Value, t.Error.StdErr,
			t.Bias2.Value, t.Bias2.StdErr, t.Variance.Value, t.Variance.StdErr, sigma*sigma/pt.Value)
		nums[fmt.Sprintf("knn_k%g_error", pt.Value)] = t.Error.Value
	}
	best := sr.Points[sr.Best()]
	fmt.Fprintf(&b, "\nThe expected error is lowest at k = %g (%.4f, against the noise floor σ² = %.2f).\n", best.Value, best.Report.Totals.Error.Value, sigma*sigma)
	nums["best_k"] = best.Value
	sec := &Section{Text: b.String(), Numbers: nums}
	figs, err := biasvarCharts(d, sr, best.Report)
	if err != nil {
		return nil, err
	}
	sec.Figures = figs
	return sec, nil
}

func joinValues(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// biasvarCharts draws the demo's charts: the decomposition against k,
// and the per-point view at the best k.
func biasvarCharts(d *Env, sr *biasvar.SweepReport, best *biasvar.Report) ([]Figure, error) {
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
	return []Figure{
		{"biasvar_knn_sweep.png", "Expected error, noise, bias² and variance of k-NN regression against k, ± 1 standard error (jackknife over rounds)."},
		{"biasvar_knn_fit.png", fmt.Sprintf("%s: the true f, the mean prediction ± 1 sd over %d training sets, and five single fits.", best.Learner, best.Rounds.Succeeded)},
	}, nil
}
