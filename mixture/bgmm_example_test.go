package mixture_test

import (
	"context"
	"fmt"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// A Dirichlet-process mixture with room for 10 components on Old
// Faithful keeps two; the full ELBO splits into the expected
// log-likelihood and its KL terms, and the posterior predictive density
// scores new points.
func ExampleFitBayes() {
	f := datasets.Faithful()
	b, rep, err := mixture.FitBayes(context.Background(), f.X, mixture.BayesOptions{K: 10, FeatureNames: f.Columns})
	if err != nil {
		fmt.Println(err)
		return
	}
	e := rep.ELBO
	fmt.Printf("%d of %d components have weight ≥ 1%%, after %d iterations\n", b.EffectiveComponents(0), b.K(), rep.Iterations)
	fmt.Printf("ELBO %.2f = %.2f − %.2f − %.2f − %.2f\n", e.ELBO, e.LogLik, e.KLAssignments, e.KLWeights, e.KLParams)
	ld, err := b.PredictiveLogDensity(nil, f.X.Slice(0, 2, 0, 2))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("log p(x | X) of the first two eruptions: %.3f %.3f\n", ld[0], ld[1])
	// Output:
	// 2 of 10 components have weight ≥ 1%, after 44 iterations
	// ELBO -1181.04 = -962.77 − 176.99 − 4.49 − 36.79
	// log p(x | X) of the first two eruptions: -4.622 -3.813
}
