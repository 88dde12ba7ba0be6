package nn

import (
	"testing"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/datasets"
)

// BenchmarkMNISTEpochMLP784x128x10B128 times one epoch (469 steps) of the
// 784-128-10 ReLU classifier on the 60000 MNIST training images: forward,
// backward, Adam 1e-3, batch 128 reshuffled, pixels in [0, 1] unscaled, as
// the PyTorch peer nn/testdata/reference/torch_mlp.py does. Skipped without the
// MNIST files.
func BenchmarkMNISTEpochMLP784x128x10B128(b *testing.B) {
	m, err := datasets.LoadMNIST("")
	if err != nil {
		b.Skipf("MNIST not available: %v", err)
	}
	x := m.Train.Dense()
	y := make([]int, m.Train.N)
	for i, l := range m.Train.Labels {
		y[i] = int(l)
	}
	net, _ := NewMLP(MLPConfig{Sizes: []int{784, 128, 10}, Seed: 1})
	opt := NewAdam(net.Params(), AdamOptions{})
	batches := NewBatches(m.Train.N, 128, 1)
	tape := autodiff.NewTape()
	lab := make([]int, 128)
	epoch := func() float64 {
		batches.Shuffle()
		sum := 0.0
		for idx := batches.Next(); idx != nil; idx = batches.Next() {
			tape.Reset()
			lab = lab[:len(idx)]
			for k, i := range idx {
				lab[k] = y[i]
			}
			loss := tape.Mean(tape.SoftmaxCrossEntropy(net.Forward(tape, GatherRows(tape, x, idx)), lab))
			tape.Backward(loss)
			opt.Step()
			sum += loss.Scalar() * float64(len(idx))
		}
		return sum / float64(m.Train.N)
	}
	epoch() // warm the tape
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		epoch()
	}
}
