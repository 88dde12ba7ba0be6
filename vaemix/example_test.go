package vaemix_test

import (
	"context"
	"fmt"

	"github.com/latentgo/latent/vae"
	"github.com/latentgo/latent/vaemix"
)

// The comparison `latent vae gmm --model digits-vae.json -k 10` prints, in
// Go: the digits with the CLI's hold-out (20%, the model's seed), a VAE as
// `latent vae train --data digits --latent 2 --hidden 32 --epochs 5 --batch
// 64` trains it, and the mixture fitted to its codes against N(0, I).
func ExampleCompare() {
	ctx := context.Background()
	d := vae.Digits().HoldOut(0.2, 1)
	m, _, err := vae.Train(ctx, d.Train, vae.Options{Model: vae.Config{Latent: 2, Hidden: []int{32}}, Epochs: 5, BatchSize: 64,
		Test: d.Test, Seed: 1, Data: d.Name, Columns: d.Columns})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := vaemix.Compare(ctx, m, d.Train, d.Test, vaemix.Options{K: 10, Seed: 1, TrainLabels: d.TrainLabels, TestLabels: d.TestLabels})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d training codes, %d held-out rows; the mixture describes the held-out codes better than N(0, I): %v\n",
		r.TrainCodes, r.TestRows, r.MixtureLogDensity > r.PriorLogDensity)
	// r.WriteText(os.Stdout) prints the tables `latent vae gmm` prints.
	// Output:
	// 1437 training codes, 360 held-out rows; the mixture describes the held-out codes better than N(0, I): true
}
