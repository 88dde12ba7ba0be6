package mixture_test

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
)

// Online EM, one batch at a time (scikit-learn's partial_fit): here the
// Old Faithful eruptions in batches of 68 rows, three passes.
func ExampleOnline_PartialFit() {
	x := datasets.Faithful().X
	n, d := x.Dims()
	f, err := mixture.NewOnline(mixture.OnlineOptions{Options: mixture.Options{K: 2, Seed: 1}})
	if err != nil {
		panic(err)
	}
	for pass := 0; pass < 3; pass++ {
		for lo := 0; lo < n; lo += 68 {
			batch := x.Slice(lo, min(lo+68, n), 0, d).(*mat.Dense)
			if err := f.PartialFit(context.Background(), batch, nil); err != nil {
				panic(err)
			}
		}
	}
	m := f.Model()
	ll, _ := m.Score(x, nil)
	fmt.Printf("%d batches, step of the last %.3f, %.2f per row\n", f.Batches(), f.Step(f.Batches()), ll)
	// Output: 12 batches, step of the last 0.115, -4.16 per row
}
