package plots_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
)

// A mixture fitted to Old Faithful with a fifth of its rows missing one
// value: the rows completed by their conditional means, the imputed ones
// ringed.
func ExampleGMMFitImputed() {
	f := datasets.Faithful()
	x := mat.DenseCopyOf(f.X)
	rng := rand.New(rand.NewPCG(15, 2))
	holes := 0
	for i := 0; i < 272; i++ {
		if rng.Float64() < 0.2 {
			x.Set(i, rng.IntN(2), math.NaN())
			holes++
		}
	}
	m, _, err := mixture.Fit(context.Background(), x, mixture.Options{K: 2, Seed: 1, Missing: true, FeatureNames: f.Columns})
	if err != nil {
		fmt.Println(err)
		return
	}
	fig, err := plots.GMMFitImputed(x, m, plots.GMMOptions{Title: fmt.Sprintf("Old Faithful, %d rows with a hole", holes)})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("gmm_imputed.png", fig)
	fmt.Println(holes, "rows imputed")
	// Output:
	// 47 rows imputed
}

// Gaussian-mixture regression: a mixture fitted to (waiting, eruptions)
// predicts the eruption's length from the waiting time, with its
// conditional band.
func ExampleGMR() {
	f := datasets.Faithful()
	m, _, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.GMR(m, 1, 0, f.X, plots.GMROptions{Title: "Old Faithful: eruption length given the waiting time"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("gmm_gmr.png", p)
	mean, err := m.Regress(nil, nil, []int{1}, mat.NewDense(2, 1, []float64{55, 85}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("after 55 min: %.2f min; after 85 min: %.2f min\n", mean.At(0, 0), mean.At(1, 0))
	// Output:
	// after 55 min: 2.04 min; after 85 min: 4.42 min
}
