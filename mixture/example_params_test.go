package mixture_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// Print a fit as `latent gmm fit` does.
func ExampleReport_WriteText() {
	f := datasets.Faithful()
	_, rep, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		log.Fatal(err)
	}
	rep.WriteText(os.Stdout)
	// Output:
	// 272 rows × 2 columns (eruptions, waiting)
	// 2 components, full covariances, init kmeans, seed 1: converged after 4 iterations (tol 0.001)
	// log-likelihood -4.155383 per row (-1130.2641 in total), 11 free parameters
	// BIC 2322.1920, AIC 2282.5281 (scikit-learn's sign, lower is better); mclust's BIC 2·logL − p·ln n = -2322.1920 (higher is better)
	//
	//   component  weight  mean eruptions  mean waiting  sd eruptions  sd waiting
	//           0  0.3559          2.0365         54.48        0.2632       5.806
	//           1  0.6441          4.2898         79.97        0.4121       6.002
	//
	// EM, per row: log p(x|θ_n) = ELBO(q_{n-1}, θ_n) + KL(q_{n-1} ‖ p(z|x, θ_n)); the E-step closes the KL gap
	//   iter  log p(x|θ_{n-1})  ELBO(q_{n-1},θ_n)  log p(x|θ_n)     KL gap
	//      1       -4.20374758        -4.17027424   -4.16003515  1.024e-02
	//      2       -4.16003515        -4.15616540   -4.15552969  6.357e-04
	//      3       -4.15552969        -4.15541312   -4.15538916  2.396e-05
	//      4       -4.15538916        -4.15538384   -4.15538259  1.242e-06
}

// Print the table of a selection as `latent gmm fit -k 1:3 --cov full,tied` does.
func ExampleSelection_WriteText() {
	x := datasets.Faithful().X
	_, _, sel, err := mixture.Select(context.Background(), x, mixture.SelectOptions{Ks: []int{1, 2, 3},
		Covariances: []mixture.CovarianceType{mixture.Full, mixture.Tied}})
	if err != nil {
		log.Fatal(err)
	}
	sel.WriteText(os.Stdout)
	sel.WriteMarkdown(os.Stdout)
	// Output:
	// Model selection by BIC (lower is better; mclust's BIC is -BIC, higher is better):
	//
	//   covariance  K      BIC      AIC      ICL  log-lik/row  params  iter  converged
	//         full  1  2607.62  2589.59  2607.62     -4.74190       5     2       true
	//         full  2  2322.19  2282.53  2322.70     -4.15538      11     4       true
	//         full  3  2335.40  2274.10  2365.22     -4.11783      17    12       true
	//         tied  1  2607.62  2589.59  2607.62     -4.74190       5     2       true
	//         tied  2  2325.22  2296.37  2326.71     -4.19186       8     3       true
	//         tied  3  2314.99  2275.33  2352.14     -4.14215      11    11       true ← best
	//
	// | K | full | tied |
	// |---|---|---|
	// | 1 | 2607.6 | 2607.6 |
	// | 2 | 2322.2 | 2325.2 |
	// | 3 | 2335.4 | **2315.0** |
}

// Export a fitted model's parameters in full form, and start a fit of
// another covariance type from them.
func ExampleReadParams() {
	f := datasets.Faithful()
	m, _, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	file, _ := json.Marshal(m.FullParams()) // a parameters file: k, covariance_type, weights, means, covariances
	p, ignored, err := mixture.ReadParams(bytes.NewReader(file), "start.json", 2)
	if err != nil {
		log.Fatal(err)
	}
	_, rep, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Covariance: mixture.Diag, Start: p})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ignored %v; diag from %s: %s after %d iterations, BIC %.1f\n", ignored, rep.Init, rep.Status, rep.Iterations, rep.BIC)

	_, _, err = mixture.ReadParams(strings.NewReader(`{"weights": [1], "means": [[1, 2, 3]], "covariances": [[[1]]]}`), "bad.json", 2)
	fmt.Println(err)
	// Output:
	// ignored []; diag from given: converged after 2 iterations, BIC 2346.1
	// mixture: bad.json: bad parameters: means[0] has 3 values; the data have 2 columns
}

// Score new data under a fitted model, as `latent gmm score` does.
func ExampleModel_Evaluate() {
	f := datasets.Faithful()
	m, _, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	ev, err := m.Evaluate(f.X.Slice(0, 100, 0, 2), nil)
	if err != nil {
		log.Fatal(err)
	}
	ev.WriteText(os.Stdout)
	// Output:
	// 100 rows; log-likelihood -4.239663 per row (-423.9663 in total)
	// BIC 898.5894, AIC 869.9325 on these data (scikit-learn's sign, lower is better); mclust's BIC -898.5894 (higher is better); 11 free parameters
}
