package vae_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/vae"
)

// digits returns the 8×8 digits scaled into [0, 1], split into 1500
// training and 297 test images.
func digits() (train, test *mat.Dense) {
	x := datasets.Digits().X
	x.Scale(1.0/16, x)
	return mat.DenseCopyOf(x.Slice(0, 1500, 0, 64)), mat.DenseCopyOf(x.Slice(1500, 1797, 0, 64))
}

// Train a VAE with a two-dimensional code on the 8×8 digits and score the
// held-out images after every epoch: the ELBO rises, its reconstruction
// and KL terms are reported apart, and both latent dimensions are in use.
func ExampleTrain() {
	train, test := digits()
	m, rep, err := vae.Train(context.Background(), train, vae.Options{
		Model:  vae.Config{Latent: 2, Hidden: []int{64}},
		Epochs: 10, BatchSize: 50, Test: test, Seed: 1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	first, last := rep.Epochs[0].Test, rep.Epochs[len(rep.Epochs)-1].Test
	fmt.Printf("model: encoder %v, decoder %v, %d parameters\n", rep.Encoder, rep.Decoder, m.NumParams())
	fmt.Printf("test ELBO rose from %.0f to %.0f nats per image\n", first.ELBO, last.ELBO)
	fmt.Printf("ELBO = −reconstruction − KL: %v\n", fmt.Sprintf("%.6f", last.ELBO) == fmt.Sprintf("%.6f", -last.Reconstruction-last.KL))
	fmt.Printf("active units: %d of %d\n", last.ActiveUnits, m.Latent())
	// Output:
	// model: encoder [64 64 4], decoder [2 64 64], 8772 parameters
	// test ELBO rose from -36 to -26 nats per image
	// ELBO = −reconstruction − KL: true
	// active units: 2 of 2
}

// The generator: codes drawn from the prior N(0, I), decoded into pixel
// probabilities. A generator in the same state gives the same images.
func ExampleModel_Sample() {
	train, _ := digits()
	m, _, err := vae.Train(context.Background(), train, vae.Options{Model: vae.Config{Latent: 2, Hidden: []int{64}}, Epochs: 5, BatchSize: 50, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, b := mat.NewDense(4, 64, nil), mat.NewDense(4, 64, nil)
	m.Sample(a, rand.New(rand.NewPCG(7, vae.SampleStream)))
	m.Sample(b, rand.New(rand.NewPCG(7, vae.SampleStream)))
	r, c := a.Dims()
	fmt.Printf("%d images of %d pixels in [0, 1]: %v; same seed, same images: %v\n", r, c, mat.Min(a) >= 0 && mat.Max(a) <= 1, mat.Equal(a, b))
	// Output:
	// 4 images of 64 pixels in [0, 1]: true; same seed, same images: true
}

// The importance-weighted estimate of log p(x) tightens the ELBO: with
// k = 1 it is a one-sample ELBO, with more samples it rises towards
// log p(x).
func ExampleModel_LogLikelihood() {
	train, test := digits()
	m, _, err := vae.Train(context.Background(), train, vae.Options{Model: vae.Config{Latent: 2, Hidden: []int{64}}, Epochs: 10, BatchSize: 50, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	ev, _ := m.Evaluate(test, vae.EvalOptions{Samples: 100, Seed: 2})
	ll, err := m.LogLikelihood(context.Background(), test, vae.IWAEOptions{K: 1000, Seed: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	iw := vae.Summarise(ll, 1000)
	fmt.Printf("IWAE (k = 1000) above the ELBO: %v, by less than 1 nat: %v\n", iw.LogLik > ev.ELBO, iw.LogLik-ev.ELBO < 1)
	// Output:
	// IWAE (k = 1000) above the ELBO: true, by less than 1 nat: true
}

// A run stopped by its context saves its state in the checkpoint file;
// Resume continues it and ends exactly where the uninterrupted run ends.
func ExampleResume() {
	train, _ := digits()
	dir, _ := os.MkdirTemp("", "vae-example-")
	defer os.RemoveAll(dir)
	opts := vae.Options{Model: vae.Config{Latent: 2, Hidden: []int{32}}, Epochs: 3, BatchSize: 100, Seed: 1,
		Checkpoint: filepath.Join(dir, "run.ckpt")}
	ctx, stop := context.WithCancel(context.Background())
	opts.Progress = func(p vae.Progress) {
		if p.Epoch == 2 && p.Batch == 5 {
			stop() // as Ctrl-C would
		}
	}
	_, _, err := vae.Train(ctx, train, opts)
	var ie *vae.InterruptedError
	fmt.Println("interrupted:", errors.As(err, &ie), ie.At.Epoch, "epochs and", ie.At.Batch, "batches done")

	ck, err := vae.LoadCheckpoint(opts.Checkpoint)
	if err != nil {
		fmt.Println(err)
		return
	}
	resumed, _, err := vae.Resume(context.Background(), ck, train, vae.ResumeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	opts.Checkpoint, opts.Progress = "", nil
	whole, _, _ := vae.Train(context.Background(), train, opts)
	same := true
	for k, p := range whole.Params() {
		same = same && mat.Equal(p.Dense(), resumed.Params()[k].Dense())
	}
	fmt.Println("resumed run equals the uninterrupted one:", same)
	// Output:
	// interrupted: true 1 epochs and 5 batches done
	// resumed run equals the uninterrupted one: true
}
