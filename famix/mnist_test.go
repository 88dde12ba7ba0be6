package famix

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/vae"
)

// TestMNISTBernoulliNatsLong fits a 50-component Bernoulli mixture
// (Laplace smoothing) to one fixed binarisation of the 60,000 MNIST
// training images and scores the 10,000 test images binarised as
// `latent vae train --data mnist --binarize --seed 1` binarises its test
// set (vae.Binarize(test, 1)), in nats per image: the number beside the
// VAE's −ELBO in the README (issue 16, item 4). Minutes: LATENT_LONG=1.
func TestMNISTBernoulliNatsLong(t *testing.T) {
	testutil.Long(t, "fits a K = 50 Bernoulli mixture to MNIST (minutes)")
	dir, err := datasets.FindMNIST("")
	if err != nil {
		t.Skip(err)
	}
	mn, err := datasets.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	grey := func(im *datasets.Images) *mat.Dense {
		x := im.Dense()
		x.Scale(1.0/255, x)
		return x
	}
	train, err := vae.Binarize(grey(mn.Train), 2)
	if err != nil {
		t.Fatal(err)
	}
	test, err := vae.Binarize(grey(mn.Test), 1)
	if err != nil {
		t.Fatal(err)
	}
	_, d := train.Dims()
	fams := make([]Family, d)
	for j := range fams {
		fams[j] = Bernoulli
	}
	m, rep, err := Fit(context.Background(), train, nil, Options{K: 50, Columns: fams, Smoothing: 1, EM: em.Options{MaxIter: 100, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Score(context.Background(), test, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("K = 50 Bernoulli mixture: %d iterations (%s), train %.2f, test %.2f nats per image (−log p(x))", rep.Iterations, rep.Status, -rep.LogLikelihood, -s)
	// Larochelle & Murray (2011), Table 2: a 500-component mixture of
	// Bernoullis reaches −137.64 on binarised MNIST; 50 components do worse,
	// and far better than independent pixels (about −206).
	if math.IsNaN(s) || -s < 137 || -s > 200 {
		t.Errorf("test nats per image: got %v, want between 137 and 200", -s)
	}
}
