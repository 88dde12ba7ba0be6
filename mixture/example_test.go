package mixture_test

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// Fit two Gaussians to Old Faithful's eruptions and waiting times.
func ExampleFit() {
	f := datasets.Faithful() // 272 rows: eruption length, waiting time (minutes)
	m, rep, err := mixture.Fit(context.Background(), f.X, mixture.Options{K: 2, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s after %d iterations; log-likelihood %.4f per row; BIC %.1f\n",
		rep.Status, rep.Iterations, rep.LogLikelihood, rep.BIC)
	means := m.Means(nil)
	for k, w := range m.Weights(nil) {
		fmt.Printf("component %d: weight %.3f, mean (%.2f, %.1f)\n", k, w, means.At(k, 0), means.At(k, 1))
	}
	// The last iteration: the M-step's ELBO, then the KL gap the next
	// E-step closes (log p(x|θ) = ELBO + KL).
	it := rep.Starts[0].Trace[rep.Iterations-1]
	fmt.Printf("ELBO %.6f + KL %.6f = log-likelihood %.6f\n", it.ELBO, it.KL, it.Next)
	labels, _ := m.Predict(nil, mat.NewDense(2, 2, []float64{1.8, 50, 4.5, 85}))
	fmt.Println("a 1.8 min eruption after 50 min, and 4.5 after 85:", labels)
	// Output:
	// converged after 4 iterations; log-likelihood -4.1554 per row; BIC 2322.2
	// component 0: weight 0.356, mean (2.04, 54.5)
	// component 1: weight 0.644, mean (4.29, 80.0)
	// ELBO -4.155384 + KL 0.000001 = log-likelihood -4.155383
	// a 1.8 min eruption after 50 min, and 4.5 after 85: [0 1]
}

// Choose the number of components and the covariance type by BIC.
func ExampleSelect() {
	x := datasets.Faithful().X
	m, _, sel, err := mixture.Select(context.Background(), x, mixture.SelectOptions{Ks: []int{1, 2, 3, 4}})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range sel.Candidates[4:8] { // the tied rows of the table
		fmt.Printf("%-5s K=%d  BIC %.1f\n", c.Covariance, c.K, c.BIC)
	}
	fmt.Printf("best: K=%d %s\n", m.K(), m.CovarianceType())
	// Output:
	// tied  K=1  BIC 2607.6
	// tied  K=2  BIC 2325.2
	// tied  K=3  BIC 2315.0
	// tied  K=4  BIC 2350.9
	// best: K=3 tied
}

// Build a mixture from known parameters, sample from it and score the draws.
func ExampleNew() {
	m, err := mixture.New(mixture.Diag, mixture.Params{
		Weights: []float64{0.25, 0.75},
		Means:   mat.NewDense(2, 1, []float64{-2, 3}),
		Covariances: []*mat.SymDense{
			mat.NewSymDense(1, []float64{1}),
			mat.NewSymDense(1, []float64{0.25}),
		},
	}, []string{"x"})
	if err != nil {
		log.Fatal(err)
	}
	x := mat.NewDense(10000, m.Dim(), nil)
	labels := make([]int, 10000)
	_ = m.Sample(x, labels, rand.New(rand.NewPCG(1, 2)))
	n0 := 0
	for _, l := range labels {
		if l == 0 {
			n0++
		}
	}
	s, _ := m.Score(x, nil) // ≈ −(entropy) = −(0.562 + 0.25·1.419 + 0.75·0.726) = −1.46
	fmt.Printf("%d of 10000 draws from component 0; mean log-likelihood %.2f\n", n0, s)
	// Output:
	// 2512 of 10000 draws from component 0; mean log-likelihood -1.46
}

// Save a model and load it back: the loaded model predicts the same bits.
func ExampleUnmarshal() {
	m, _, _ := mixture.Fit(context.Background(), datasets.Faithful().X, mixture.Options{K: 2, Covariance: mixture.Spherical})
	data, err := m.Marshal() // or m.Save("model.json", mixture.SaveOptions{})
	if err != nil {
		log.Fatal(err)
	}
	back, err := mixture.Unmarshal(data, "model.json") // or mixture.Load("model.json")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.K(), back.CovarianceType(), back.LogLikelihood() == m.LogLikelihood())
	// Output:
	// 2 spherical true
}
