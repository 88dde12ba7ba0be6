package vae

import (
	"context"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
)

// BenchmarkMNISTEpochVAE784x400x20B128 times one training epoch (469
// steps: forward, backward, Adam) of the PyTorch example's VAE on the
// 60000 MNIST training images: 784-400-(20+20), 20-400-784, ReLU,
// Bernoulli decoder on grey levels, Adam 1e-3, batches of 128 reshuffled,
// one code per image, as shared/bench/torch_vae.py times PyTorch ("s/epoch"
// is its epoch_seconds). The per-epoch evaluation and checkpoint are not
// timed. Skipped without the MNIST files.
func BenchmarkMNISTEpochVAE784x400x20B128(b *testing.B) {
	mn, err := datasets.LoadMNIST("")
	if err != nil {
		b.Skipf("MNIST not available: %v", err)
	}
	benchEpochs(b, mn.Train.Dense())
}

// BenchmarkSyntheticEpochVAE784x400x20B128 is the same epoch on 60000
// uniform [0, 1) rows (no zeros for the matrix products to skip), for
// machines without MNIST.
func BenchmarkSyntheticEpochVAE784x400x20B128(b *testing.B) {
	x := mat.NewDense(60000, 784, nil)
	raw := x.RawMatrix().Data
	for i := range raw {
		raw[i] = float64((i*2654435761)%1000) / 1000
	}
	benchEpochs(b, x)
}

// BenchmarkConvVAEStep28x28C32x64H256L20B128 times training steps of the
// convolutional VAE on 28×28 images (channels 32, 64; 256 hidden units;
// 20 latent dimensions; batches of 128), on the first 6400 MNIST training
// images (50 steps, "s/step"; an MNIST epoch is 469 steps), as
// testdata/reference/torch_conv_vae_mnist.py times PyTorch's same network.
func BenchmarkConvVAEStep28x28C32x64H256L20B128(b *testing.B) {
	mn, err := datasets.LoadMNIST("")
	if err != nil {
		b.Skipf("MNIST not available: %v", err)
	}
	x := mn.Train.Dense().Slice(0, 6400, 0, 784).(*mat.Dense)
	tr, err := prepare(x, Options{Model: Config{Hidden: []int{256}, Arch: ArchConv, ImageH: 28, ImageW: 28}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	tr.startEpoch()
	tr.step(tr.perm[:128])
	b.ResetTimer()
	start := time.Now()
	steps := 0
	for i := 0; i < b.N; i++ {
		tr.startEpoch()
		for k := 0; k < tr.batches(); k++ {
			if err := tr.step(tr.perm[k*128 : (k+1)*128]); err != nil {
				b.Fatal(err)
			}
			steps++
		}
	}
	b.ReportMetric(time.Since(start).Seconds()/float64(steps), "s/step")
}

func benchEpochs(b *testing.B, x *mat.Dense) {
	tr, err := prepare(x, Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	nb := tr.batches()
	epoch := func() {
		tr.startEpoch()
		for k := 0; k < nb; k++ {
			idx := tr.perm[k*tr.s.BatchSize : min((k+1)*tr.s.BatchSize, len(tr.perm))]
			if err := tr.step(idx); err != nil {
				b.Fatal(err)
			}
		}
	}
	// Warm the tape on a few steps.
	tr.startEpoch()
	for k := 0; k < 3; k++ {
		tr.step(tr.perm[k*128 : (k+1)*128])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		epoch()
	}
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/epoch")
}

// BenchmarkIWAEK5000Row times the importance-weighted estimate of one
// MNIST-sized row with k = 5000 samples, on an untrained 784-400-20 model.
func BenchmarkIWAEK5000Row(b *testing.B) {
	m, err := New(Config{Inputs: 784, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	x := mat.NewDense(1, 784, nil)
	for j := 0; j < 784; j += 3 {
		x.Set(0, j, 1)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.LogLikelihood(context.Background(), x, IWAEOptions{K: 5000}); err != nil {
			b.Fatal(err)
		}
	}
}
