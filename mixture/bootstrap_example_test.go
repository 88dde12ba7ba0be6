package mixture_test

import (
	"context"
	"fmt"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// Standard errors of a fitted mixture's parameters by the jackknife
// (deterministic) and by 999 nonparametric resamples, as mclust's
// MclustBootstrap computes them.
func ExampleBootstrap() {
	ctx := context.Background()
	f := datasets.Faithful()
	m, _, err := mixture.Fit(ctx, f.X, mixture.Options{K: 3, Covariance: mixture.Tied, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		fmt.Println(err)
		return
	}
	jk, err := mixture.Bootstrap(ctx, f.X, m, mixture.BootstrapOptions{Type: mixture.Jackknife})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("jackknife: %d replicates, SE of the weights %.2f %.2f %.2f\n", len(jk.Replicates), jk.SE.Weights[0], jk.SE.Weights[1], jk.SE.Weights[2])
	bs, err := mixture.Bootstrap(ctx, f.X, m, mixture.BootstrapOptions{NBoot: 999, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("bootstrap: %d replicates (%s), SE of the first mean waiting time %.1f min\n", len(bs.Replicates), bs.Status, bs.SE.Means[0][1])
	// Output:
	// jackknife: 272 replicates, SE of the weights 0.03 0.04 0.03
	// bootstrap: 999 replicates (complete), SE of the first mean waiting time 2.3 min
}

// The sequential bootstrap likelihood ratio test for the number of
// components (mclust's mclustBootstrapLRT), printed as `latent gmm lrt`
// prints it.
func ExampleBootstrapLRT() {
	rep, err := mixture.BootstrapLRT(context.Background(), datasets.Faithful().X,
		mixture.LRTOptions{Covariance: mixture.Tied, MaxK: 3, NBoot: 99, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range rep.Tests {
		fmt.Printf("%d vs %d: LRTS %.0f, p = %.2f\n", t.K, t.K+1, t.Statistic, t.PValue)
	}
	fmt.Println(rep.Selected, "components,", rep.Status)
	// Output:
	// 1 vs 2: LRTS 299, p = 0.01
	// 2 vs 3: LRTS 28, p = 0.01
	// 3 components, all_significant
}
