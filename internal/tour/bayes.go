package tour

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
)

// bayesPart is the tour's Bayesian-mixture part: a Dirichlet-process
// mixture with room for 10 components finds Old Faithful's components by
// itself, with the full ELBO split into its terms.
func bayesPart(ctx context.Context, d *Env) (*Section, error) {
	f := datasets.Faithful()
	n, _ := f.X.Dims()
	const k = 10
	o := mixture.BayesOptions{K: k, Seed: d.Seed, NInit: 4, MaxIter: 500, FeatureNames: f.Columns}
	b, rep, err := mixture.FitBayes(ctx, f.X, o)
	if err != nil {
		return nil, err
	}
	if rep.Status != em.StatusConverged {
		return nil, fmt.Errorf("the Dirichlet-process fit did not converge in %d iterations", rep.Iterations)
	}
	o.WeightPrior = mixture.DirichletDistribution
	_, drep, err := mixture.FitBayes(ctx, f.X, o)
	if err != nil {
		return nil, err
	}
	pr := b.Priors()
	var s strings.Builder
	fmt.Fprintf(&s, "A Bayesian Gaussian mixture fitted by variational inference to Old Faithful (%d eruptions), with room for **K = %d** components and a Dirichlet-process prior on the weights ", n, k)
	fmt.Fprintf(&s, "(stick-breaking, concentration α₀ = 1/K = %.2g; scikit-learn's BayesianGaussianMixture defaults for every prior; `latent gmm fit faithful.csv -k 10 --bayes dirichlet-process --n-init 4`). ", pr.WeightConcentration)
	fmt.Fprintf(&s, "No K is chosen: the components the data do not need lose their weight. ")
	fmt.Fprintf(&s, "After %d iterations (best of %d starts), **%d of the %d components have a weight of at least 1%%** — Old Faithful's two kinds of eruption — and the other %d fall below %.1g:\n\n",
		rep.Iterations, len(rep.Starts), b.EffectiveComponents(0), k, k-b.EffectiveComponents(0), maxOff(b))
	s.WriteString("| component | weight E[π_k] | mean length | mean waiting | sd length | sd waiting |\n|---|---|---|---|---|---|\n")
	w := b.Weights(nil)
	means := b.Means(nil)
	for c := 0; c < k; c++ {
		cov := b.Covariance(nil, c)
		mark := ""
		if w[c] < mixture.DefaultEffectiveThreshold {
			mark = " (off)"
		}
		fmt.Fprintf(&s, "| %d%s | %.3g | %.2f | %.1f | %.2f | %.1f |\n", c, mark, w[c], means.At(c, 0), means.At(c, 1), math.Sqrt(cov.At(0, 0)), math.Sqrt(cov.At(1, 1)))
	}
	e := rep.ELBO
	s.WriteString("\nThe switched-off components sit at the prior (the data's mean, the prior's spread), holding almost no points. ")
	fmt.Fprintf(&s, "The fit maximises the ELBO, here with every constant kept, so that it is a true lower bound on the evidence log p(X) of the model: ")
	fmt.Fprintf(&s, "**ELBO = %.2f nats** = E log p(X | Z, θ) %.2f − KL of the assignments %.2f − KL of the weights %.2f − KL of the means and precisions %.2f. ", e.ELBO, e.LogLik, e.KLAssignments, e.KLWeights, e.KLParams)
	fmt.Fprintf(&s, "scikit-learn's lower_bound_ drops the constants: %.2f here. ", rep.LowerBound)
	if rep.Decreases == 0 {
		s.WriteString("The ELBO never fell by more than rounding. ")
	} else {
		fmt.Fprintf(&s, "The ELBO fell by more than rounding in %d iterations (flagged in the report). ", rep.Decreases)
	}
	fmt.Fprintf(&s, "With a Dirichlet distribution on the weights instead (same α₀), %d components keep ≥ 1%% and the ELBO is %.2f nats.\n", drep.Effective, drep.ELBO.ELBO)
	nums := map[string]any{
		"k":                   k,
		"effective":           b.EffectiveComponents(0),
		"weights":             w,
		"iterations":          rep.Iterations,
		"best_start":          rep.Best,
		"elbo":                e.ELBO,
		"elbo_log_likelihood": e.LogLik,
		"kl_assignments":      e.KLAssignments,
		"kl_weights":          e.KLWeights,
		"kl_params":           e.KLParams,
		"lower_bound":         rep.LowerBound,
		"decreases":           rep.Decreases,
		"dirichlet_effective": drep.Effective,
		"dirichlet_elbo":      drep.ELBO.ELBO,
	}
	sec := &Section{Text: s.String(), Numbers: nums}
	figs := []struct {
		file, caption string
		make          func() (plots.Figure, error)
	}{
		{"bgmm_weights.png", "The Dirichlet-process mixture's ten component weights, iteration by iteration (log scale): two stay, eight fall away; the dashed line is the 1% threshold.",
			func() (plots.Figure, error) {
				return plots.BGMMWeights(rep.WeightTrace(), plots.BGMMOptions{Title: "Old Faithful: a Dirichlet process with room for K = 10"})
			}},
		{"bgmm_fit.png", "The components the Dirichlet process kept, their point estimates with 95% ellipses and the log density's contours.",
			func() (plots.Figure, error) {
				return plots.GMMFit(f.X, b.EffectiveModel(0), plots.GMMOptions{Title: "Old Faithful: the components the Dirichlet process kept"})
			}},
	}
	for _, fg := range figs {
		fig, err := fg.make()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fg.file, err)
		}
		if err := d.save(fg.file, fig); err != nil {
			return nil, err
		}
		sec.Figures = append(sec.Figures, Figure{File: fg.file, Caption: fg.caption})
	}
	return sec, nil
}

// maxOff returns the largest weight of a switched-off component.
func maxOff(b *mixture.BayesModel) float64 {
	m := 0.0
	for _, w := range b.Weights(nil) {
		if w < mixture.DefaultEffectiveThreshold {
			m = math.Max(m, w)
		}
	}
	return m
}
