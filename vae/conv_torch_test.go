package vae

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// The convolutional VAE against its PyTorch peer on the 8×8 digits: the
// same architecture, split, epochs and optimiser (testdata/reference/
// torch_conv_vae.py, conv_vae_digits.sh). The mean test −ELBO of latent's
// runs with seeds 1–3 is within 1 nat of the mean of PyTorch's committed
// runs (conv_vae_digits.txt: 25.768, 25.270, 25.472; latent's were
// 25.933, 26.266, 25.248 in the same sitting).
func TestConvVAEMatchesTorchDigits(t *testing.T) {
	testutil.Long(t, "trains three convolutional VAEs on the digits for 30 epochs")
	data, err := os.ReadFile(filepath.Join("testdata", "reference", "conv_vae_digits.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var torch []float64
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 3 && f[0] == "torch" {
			v, err := strconv.ParseFloat(f[3], 64)
			if err != nil {
				t.Fatal(err)
			}
			torch = append(torch, v)
		}
	}
	if len(torch) != 3 {
		t.Fatalf("%d PyTorch runs in conv_vae_digits.txt, want 3", len(torch))
	}
	x, _ := digits01()
	train, test := x.Slice(0, 1437, 0, 64).(*mat.Dense), x.Slice(1437, 1797, 0, 64)
	var ours []float64
	for seed := uint64(1); seed <= 3; seed++ {
		_, rep, err := Train(context.Background(), train, Options{Model: Config{Latent: 4, Hidden: []int{64}, Arch: ArchConv, ImageH: 8, ImageW: 8, Channels: []int{16, 32}},
			Epochs: 30, BatchSize: 64, Test: test, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		ours = append(ours, -rep.Epochs[29].Test.ELBO)
	}
	mean := func(v []float64) float64 { return (v[0] + v[1] + v[2]) / 3 }
	t.Logf("test −ELBO: latent %v (mean %.3f), PyTorch %v (mean %.3f)", ours, mean(ours), torch, mean(torch))
	if d := math.Abs(mean(ours) - mean(torch)); d > 1 {
		t.Errorf("mean test −ELBO %.3f, PyTorch's %.3f: %.3f nats apart, want ≤ 1", mean(ours), mean(torch), d)
	}
}
