package plots_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
)

// digitsVAE is a VAE with a two-dimensional code trained on the 8×8
// digits scaled to [0, 1], as `latent vae train --data digits --latent 2
// --hidden 128 --epochs 40 --batch 64` trains it (without its test
// split), shared by the examples below.
var digitsVAE = sync.OnceValues(func() (*vae.Model, *vae.Report) {
	d := datasets.Digits()
	x := mat.DenseCopyOf(d.X)
	x.Scale(1.0/16, x)
	train, test := x.Slice(0, 1500, 0, 64), x.Slice(1500, 1797, 0, 64)
	m, rep, err := vae.Train(context.Background(), train, vae.Options{
		Model: vae.Config{Latent: 2, Hidden: []int{128}}, Epochs: 40, BatchSize: 64, Test: test, Seed: 1})
	if err != nil {
		panic(err)
	}
	return m, rep
})

// The training curves of a VAE: ELBO, reconstruction and KL terms per
// epoch, on the training batches and the held-out images.
func ExampleVAECurves() {
	_, rep := digitsVAE()
	g, err := plots.VAECurves(rep, "VAE 64-128-2 on the 8×8 digits")
	if err != nil {
		fmt.Println(err)
		return
	}
	save("vae_curves.png", g)
	last := rep.Epochs[len(rep.Epochs)-1]
	fmt.Printf("%d epochs; test ELBO above −30 nats: %v; active units %d of 2\n", len(rep.Epochs), last.Test.ELBO > -30, last.ActiveUnits)
	// Output:
	// 40 epochs; test ELBO above −30 nats: true; active units 2 of 2
}

// Inputs above their reconstructions: held-out digits and the decoded
// means at their posterior means.
func ExampleVAEReconstructions() {
	m, _ := digitsVAE()
	d := datasets.Digits()
	x := mat.DenseCopyOf(d.X.Slice(1500, 1520, 0, 64))
	x.Scale(1.0/16, x)
	r, err := m.Reconstruct(x)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := plots.VAEReconstructions(x, r, 8, 8, "Held-out digits and their reconstructions")
	if err != nil {
		fmt.Println(err)
		return
	}
	save("vae_reconstructions.png", c)
	fmt.Println(c.Grid.Rows, "rows of", c.Grid.Cols)
	// Output:
	// 4 rows of 10
}

// The generator: codes drawn from the prior N(0, I) and decoded.
func ExampleVAESamples() {
	m, _ := digitsVAE()
	s := mat.NewDense(50, m.Inputs(), nil)
	if err := m.Sample(s, rand.New(rand.NewPCG(7, vae.SampleStream))); err != nil {
		fmt.Println(err)
		return
	}
	c, err := plots.VAESamples(s, 8, 8, 10, "Samples from the prior, decoded")
	if err != nil {
		fmt.Println(err)
		return
	}
	save("vae_samples.png", c)
	fmt.Println(c.Grid.Rows, "rows of", c.Grid.Cols)
	// Output:
	// 5 rows of 10
}

// The latent space: each digit's posterior mean, coloured by its label.
func ExampleVAELatent() {
	m, _ := digitsVAE()
	d := datasets.Digits()
	x := mat.DenseCopyOf(d.X)
	x.Scale(1.0/16, x)
	mu, _, err := m.Encode(x)
	if err != nil {
		fmt.Println(err)
		return
	}
	ids, names := plots.GroupsOf(d.Labels)
	p, err := plots.VAELatent(mu, 0, 1, ids, names, "Posterior means of the 8×8 digits")
	if err != nil {
		fmt.Println(err)
		return
	}
	save("vae_latent.png", p)
	fmt.Println(len(names), "digits")
	// Output:
	// 10 digits
}

// The learned manifold: a 15 × 15 grid of codes through the normal
// quantile function, decoded.
func ExampleVAEManifold() {
	m, _ := digitsVAE()
	c, err := plots.VAEManifold(m, 15, 8, 8, "The learned manifold (z1 → right, z2 ↑)")
	if err != nil {
		fmt.Println(err)
		return
	}
	save("vae_manifold.png", c)
	z := plots.ManifoldCodes(15)
	fmt.Printf("top-left code (%.3f, %.3f)\n", z.At(0, 0), z.At(0, 1))
	// Output:
	// top-left code (-1.834, 1.834)
}
