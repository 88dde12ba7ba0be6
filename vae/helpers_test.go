package vae

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/nn"
)

// digits01 returns the 8×8 digits scaled to [0, 1] (divided by 16) and
// their labels.
func digits01() (*mat.Dense, []string) {
	d := datasets.Digits()
	x := mat.DenseCopyOf(d.X)
	x.Scale(1.0/16, x)
	return x, d.Labels
}

// twoClusters returns n binary rows of d pixels from two prototypes
// (the first and second half of the pixels on), each pixel flipped with
// probability 0.05.
func twoClusters(n, d int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 99))
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		c := i % 2
		for j := 0; j < d; j++ {
			on := (j < d/2) == (c == 0)
			if rng.Float64() < 0.05 {
				on = !on
			}
			if on {
				x.Set(i, j, 1)
			}
		}
	}
	return x
}

// withParams returns a copy of m whose parameters are the nodes in
// (in Params order), for gradient checks.
func withParams(m *Model, in []*autodiff.Node) *Model {
	c := *m
	k := 0
	net := func(src *nn.MLP) *nn.MLP {
		out := &nn.MLP{}
		for _, l := range src.Layers {
			out.Layers = append(out.Layers, &nn.Dense{W: in[k], B: in[k+1], Act: l.Act})
			k += 2
		}
		return out
	}
	c.enc = net(m.enc)
	c.dec = net(m.dec)
	if m.logVar != nil {
		c.logVar = in[k]
	}
	return &c
}

// paramMatrices copies m's parameters into matrices, in Params order.
func paramMatrices(m *Model) []mat.Matrix {
	var out []mat.Matrix
	for _, p := range m.Params() {
		out = append(out, mat.DenseCopyOf(p.Dense()))
	}
	return out
}

// sameBits fails unless the two models' parameters are bit-identical.
func sameBits(t *testing.T, what string, a, b *Model) {
	t.Helper()
	pa, pb := a.Params(), b.Params()
	if len(pa) != len(pb) {
		t.Fatalf("%s: %d and %d parameters", what, len(pa), len(pb))
	}
	for k := range pa {
		for i, v := range pa[k].Value {
			if math.Float64bits(v) != math.Float64bits(pb[k].Value[i]) {
				t.Fatalf("%s: parameter %d (%s), entry %d: %v and %v differ", what, k, a.paramName(k), i, v, pb[k].Value[i])
			}
		}
	}
}

// sameHistory fails unless two runs' epoch statistics agree bit for bit
// (wall times aside).
func sameHistory(t *testing.T, what string, a, b []EpochStats) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d and %d epochs", what, len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		vals := func(e EpochStats) []float64 {
			v := []float64{e.Beta, e.Loss, e.ELBO, e.Reconstruction, e.KL, float64(e.ActiveUnits)}
			v = append(v, e.KLPerDim...)
			if e.Test != nil {
				v = append(v, e.Test.ELBO, e.Test.Reconstruction, e.Test.KL)
			}
			return v
		}
		vx, vy := vals(x), vals(y)
		if len(vx) != len(vy) {
			t.Fatalf("%s: epoch %d: different fields", what, i+1)
		}
		for k := range vx {
			if math.Float64bits(vx[k]) != math.Float64bits(vy[k]) {
				t.Fatalf("%s: epoch %d, value %d: %v and %v differ", what, i+1, k, vx[k], vy[k])
			}
		}
	}
}
