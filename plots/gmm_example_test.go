package plots_test

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
)

// A fitted mixture on two features: points by component, 95% ellipses,
// contours of the log density.
func ExampleGMMFit() {
	f := datasets.Faithful()
	m, _, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		fmt.Println(err)
		return
	}
	fig, err := plots.GMMFit(f.X, m, plots.GMMOptions{Title: "Old Faithful, K = 2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("gmm_fit.png", fig)
	fmt.Printf("%T\n", fig)
	// Output:
	// *plot.Plot
}

// BIC against K for every covariance type, the choice ringed.
func ExampleGMMSelection() {
	_, _, sel, err := mixture.Select(context.Background(), datasets.Faithful().X, mixture.SelectOptions{Ks: []int{1, 2, 3, 4, 5, 6}})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.GMMSelection(sel)
	if err != nil {
		fmt.Println(err)
		return
	}
	save("gmm_bic.png", p)
	b := sel.Candidates[sel.Best]
	fmt.Printf("chosen: K=%d %s\n", b.K, b.Covariance)
	// Output:
	// chosen: K=3 tied
}

// EM's convergence: log-likelihood and ELBO per iteration, and what the
// M-step and the E-step (the KL gap) each gain.
func ExampleGMMConvergence() {
	f := datasets.Faithful()
	_, rep, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1, Init: mixture.InitRandom, Tol: 1e-8, MaxIter: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	g, err := plots.GMMConvergence(rep.Starts[0].Trace, "EM on Old Faithful, K = 2")
	if err != nil {
		fmt.Println(err)
		return
	}
	save("gmm_convergence.png", g)
	fmt.Println(rep.Status, rep.Decreases)
	// Output:
	// converged 0
}

// One feature: the histogram with the mixture's density and its weighted
// components.
func ExampleGMMDensity1D() {
	f := datasets.Faithful()
	m, _, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.GMMDensity1D(mat.Col(nil, 0, f.X), m, 0, plots.GMMOptions{Title: "Old Faithful eruption lengths"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("gmm_density.png", p)
	fmt.Println(p.X.Label.Text)
	// Output:
	// eruptions
}
