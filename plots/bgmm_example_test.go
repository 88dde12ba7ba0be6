package plots_test

import (
	"context"
	"fmt"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
)

// A Dirichlet-process mixture with room for 10 components on Old
// Faithful: the weights per iteration, the unneeded components falling
// away; and the fit of the components it kept (their point estimates).
func ExampleBGMMWeights() {
	f := datasets.Faithful()
	b, rep, err := mixture.FitBayes(context.Background(), f.X, mixture.BayesOptions{K: 10, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.BGMMWeights(rep.WeightTrace(), plots.BGMMOptions{Title: "Old Faithful, a Dirichlet process with K = 10"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("bgmm_weights.png", p)
	fit, err := plots.GMMFit(f.X, b.EffectiveModel(0), plots.GMMOptions{Title: "Old Faithful: the components the Dirichlet process kept"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("bgmm_fit.png", fit)
	fmt.Printf("%d of %d components have weight ≥ 1%%\n", b.EffectiveComponents(0), b.K())
	// Output:
	// 2 of 10 components have weight ≥ 1%
}
