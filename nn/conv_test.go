package nn

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
)

// A stack of a stride-2 convolution and its transposed layer (the conv
// VAE's pattern: 8×8 → 4×4 → 8×8) passes the gradient check for every
// parameter, tanh units keeping it smooth; the layers' sizes chain.
func TestConvLayersGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	s := autodiff.ConvShape{InC: 1, H: 8, W: 8, OutC: 3, KH: 4, KW: 4, Stride: 2, Pad: 1}
	down, up := NewConv(s, false, Tanh, rng), NewConv(s, true, Linear, rng)
	if down.Out() != 3*4*4 || up.In() != down.Out() || up.Out() != 64 {
		t.Fatalf("sizes %d→%d, %d→%d", down.In(), down.Out(), up.In(), up.Out())
	}
	x := mat.NewDense(2, 64, nil)
	for i := range x.RawMatrix().Data {
		x.RawMatrix().Data[i] = rng.Float64()
	}
	var in []mat.Matrix
	for _, p := range append(down.Params(), up.Params()...) {
		in = append(in, mat.DenseCopyOf(p.Dense()))
	}
	f := func(tp *autodiff.Tape, ps []*autodiff.Node) *autodiff.Node {
		d := &Conv{W: ps[0], B: ps[1], Shape: s, Act: Tanh}
		u := &Conv{W: ps[2], B: ps[3], Shape: s, Transpose: true, Act: Linear}
		return tp.Sum(tp.Square(u.Forward(tp, d.Forward(tp, tp.Const(x)))))
	}
	if err := autodiff.CheckGradient(f, in, autodiff.CheckOptions{}); err != nil {
		t.Error(err)
	}
}
