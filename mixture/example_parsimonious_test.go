package mixture_test

import (
	"context"
	"fmt"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// mclust's models are covariance types: here VEV (equal shape, variable
// volume and orientation), which R's Mclust(iris[, 1:4]) picks with two
// components at BIC −561.7285 (mclust's sign), fitted without
// regularisation as mclust fits.
func ExampleFit_mclustModel() {
	iris := datasets.Iris()
	cov, _ := mixture.ParseCovarianceType("VEV")
	m, rep, err := mixture.Fit(context.Background(), iris.X, mixture.Options{
		K: 2, Covariance: cov, RegCovar: mixture.NoRegCovar, Tol: 1e-8, NInit: 3, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s, K = %d: %d free parameters, BIC %.4f\n", m.CovarianceType().MclustName(), m.K(), rep.NumParams, rep.MclustBIC)
	fmt.Println("mclust's models:", mixture.MclustModels)
	// Output:
	// VEV, K = 2: 26 free parameters, BIC -561.7285
	// mclust's models: [EII spherical EEI VEI EVI diag tied VEE EVE VVE EEV VEV EVV full]
}
