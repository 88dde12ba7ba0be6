package autodiff

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// convShapes are random geometries: 1–3 channels in and out, stride 1–2,
// padding 0–2, kernels 1–4, non-square images.
func convShapes(rng *rand.Rand, n int) []ConvShape {
	var out []ConvShape
	for len(out) < n {
		s := ConvShape{InC: 1 + rng.IntN(3), H: 3 + rng.IntN(5), W: 3 + rng.IntN(5), OutC: 1 + rng.IntN(3),
			KH: 1 + rng.IntN(4), KW: 1 + rng.IntN(4), Stride: 1 + rng.IntN(2), Pad: rng.IntN(3)}
		if s.Check() == nil {
			out = append(out, s)
		}
	}
	// The shapes of the conv VAE: 28×28 → 14×14 → 7×7 and 8×8 → 4×4.
	return append(out, ConvShape{InC: 1, H: 28, W: 28, OutC: 2, KH: 4, KW: 4, Stride: 2, Pad: 1},
		ConvShape{InC: 2, H: 8, W: 8, OutC: 3, KH: 4, KW: 4, Stride: 2, Pad: 1})
}

// naiveConv is the convolution's definition as nested loops.
func naiveConv(s ConvShape, x, w, b []float64) []float64 {
	oh, ow := s.OutH(), s.OutW()
	y := make([]float64, s.OutC*oh*ow)
	for o := 0; o < s.OutC; o++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				v := 0.0
				if b != nil {
					v = b[o]
				}
				for c := 0; c < s.InC; c++ {
					for ky := 0; ky < s.KH; ky++ {
						for kx := 0; kx < s.KW; kx++ {
							iy, ix := oy*s.Stride-s.Pad+ky, ox*s.Stride-s.Pad+kx
							if iy >= 0 && iy < s.H && ix >= 0 && ix < s.W {
								v += w[((o*s.InC+c)*s.KH+ky)*s.KW+kx] * x[(c*s.H+iy)*s.W+ix]
							}
						}
					}
				}
				y[(o*oh+oy)*ow+ox] = v
			}
		}
	}
	return y
}

// naiveConvTranspose is the transposed convolution's definition: each
// input pixel scatters its kernel onto the output (PyTorch's
// ConvTranspose2d with output_padding 0).
func naiveConvTranspose(s ConvShape, x, w, b []float64) []float64 {
	oh, ow := s.OutH(), s.OutW()
	y := make([]float64, s.InC*s.H*s.W)
	for c := 0; c < s.InC; c++ {
		for p := 0; p < s.H*s.W; p++ {
			if b != nil {
				y[c*s.H*s.W+p] = b[c]
			}
		}
	}
	for o := 0; o < s.OutC; o++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				v := x[(o*oh+oy)*ow+ox]
				for c := 0; c < s.InC; c++ {
					for ky := 0; ky < s.KH; ky++ {
						for kx := 0; kx < s.KW; kx++ {
							iy, ix := oy*s.Stride-s.Pad+ky, ox*s.Stride-s.Pad+kx
							if iy >= 0 && iy < s.H && ix >= 0 && ix < s.W {
								y[(c*s.H+iy)*s.W+ix] += v * w[((o*s.InC+c)*s.KH+ky)*s.KW+kx]
							}
						}
					}
				}
			}
		}
	}
	return y
}

// Conv2D and ConvTranspose2D equal their nested-loop definitions to 1e-12
// on random shapes (stride 2, padding, several channels among them), with
// and without bias, over a batch of 3 images.
func TestConvMatchesNestedLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, s := range convShapes(rng, 40) {
		for _, bias := range []bool{false, true} {
			x := randMat(rng, 3, s.InSize(), -1, 1)
			xt := randMat(rng, 3, s.OutSize(), -1, 1)
			w := randMat(rng, s.OutC, s.KernelSize(), -1, 1)
			var b, bt *mat.Dense
			var bv, btv []float64
			if bias {
				b, bt = randMat(rng, 1, s.OutC, -1, 1), randMat(rng, 1, s.InC, -1, 1)
				bv, btv = b.RawRowView(0), bt.RawRowView(0)
			}
			tp := NewTape()
			node := func(m *mat.Dense) *Node {
				if m == nil {
					return nil
				}
				return tp.Const(m)
			}
			y := tp.Conv2D(tp.Const(x), tp.Const(w), node(b), s)
			yt := tp.ConvTranspose2D(tp.Const(xt), tp.Const(w), node(bt), s)
			for i := 0; i < 3; i++ {
				testutil.AssertCloseSlice(t, "Conv2D", y.Value[i*s.OutSize():(i+1)*s.OutSize()], naiveConv(s, x.RawRowView(i), w.RawMatrix().Data, bv), 1e-12, 1e-12)
				testutil.AssertCloseSlice(t, "ConvTranspose2D", yt.Value[i*s.InSize():(i+1)*s.InSize()], naiveConvTranspose(s, xt.RawRowView(i), w.RawMatrix().Data, btv), 1e-12, 1e-12)
			}
		}
	}
}

// Both ops pass the gradient checker (inputs, filters and biases) on
// random shapes, stride 2 and padding among them.
func TestConvGradCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, s := range convShapes(rng, 12)[:12] {
		in := []mat.Matrix{randMat(rng, 2, s.InSize(), -1, 1), randMat(rng, s.OutC, s.KernelSize(), -1, 1), randMat(rng, 1, s.OutC, -1, 1)}
		f := func(t *Tape, in []*Node) *Node { return t.Conv2D(in[0], in[1], in[2], s) }
		if err := CheckGradient(f, in, CheckOptions{}); err != nil {
			t.Errorf("Conv2D %+v: %v", s, err)
		}
		in = []mat.Matrix{randMat(rng, 2, s.OutSize(), -1, 1), randMat(rng, s.OutC, s.KernelSize(), -1, 1), randMat(rng, 1, s.InC, -1, 1)}
		ft := func(t *Tape, in []*Node) *Node { return t.ConvTranspose2D(in[0], in[1], in[2], s) }
		if err := CheckGradient(ft, in, CheckOptions{}); err != nil {
			t.Errorf("ConvTranspose2D %+v: %v", s, err)
		}
	}
}

// The transposed convolution is the adjoint of the convolution:
// ⟨Conv2D(u, w), v⟩ = ⟨u, ConvTranspose2D(v, w)⟩ to rounding.
func TestConvTransposeIsAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, s := range convShapes(rng, 10) {
		u, v, w := randMat(rng, 1, s.InSize(), -1, 1), randMat(rng, 1, s.OutSize(), -1, 1), randMat(rng, s.OutC, s.KernelSize(), -1, 1)
		tp := NewTape()
		cu := tp.Conv2D(tp.Const(u), tp.Const(w), nil, s)
		tv := tp.ConvTranspose2D(tp.Const(v), tp.Const(w), nil, s)
		l, r := 0.0, 0.0
		for i, x := range cu.Value {
			l += x * v.RawMatrix().Data[i]
		}
		for i, x := range tv.Value {
			r += x * u.RawMatrix().Data[i]
		}
		testutil.AssertClose(t, "⟨Cu, v⟩ vs ⟨u, Cᵀv⟩", l, r, 1e-12, 1e-12)
	}
}

// Conv2D and ConvTranspose2D against PyTorch's conv2d and
// conv_transpose2d (the latter with the output_padding that restores
// H×W), values and the gradients of Σ y ⊙ g with respect to input,
// filters and bias, at 1e-12: testdata/reference/torch_conv.json, written
// by torch_conv.py beside it (PyTorch 1.13, float64).
func TestConvAgainstTorch(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "reference", "torch_conv.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Op                 string
			Shape              ConvShape
			X, W, Y, G, DX, DW [][]float64
			B, DB              []float64
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 8 {
		t.Fatalf("%d cases, want 8", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		x, w, b := NewParam(len(c.X), len(c.X[0]), flatten(c.X)), NewParam(len(c.W), len(c.W[0]), flatten(c.W)), NewParam(1, len(c.B), c.B)
		tp := NewTape()
		var y *Node
		if c.Op == "conv2d" {
			y = tp.Conv2D(x, w, b, c.Shape)
		} else {
			y = tp.ConvTranspose2D(x, w, b, c.Shape)
		}
		what := func(s string) string { return fmt.Sprintf("%s %+v: %s", c.Op, c.Shape, s) }
		testutil.AssertCloseSlice(t, what("y"), y.Value, flatten(c.Y), 1e-12, 1e-12)
		tp.BackwardWith(y, flatten(c.G))
		testutil.AssertCloseSlice(t, what("∂x"), x.Grad, flatten(c.DX), 1e-12, 1e-12)
		testutil.AssertCloseSlice(t, what("∂w"), w.Grad, flatten(c.DW), 1e-12, 1e-12)
		testutil.AssertCloseSlice(t, what("∂b"), b.Grad, c.DB, 1e-12, 1e-12)
	}
}

func flatten(rows [][]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
