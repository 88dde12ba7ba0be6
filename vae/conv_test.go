package vae

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/nn"
)

// convWithParams returns a copy of a convolutional model whose parameters
// are the nodes in (in Params order), for gradient checks.
func convWithParams(m *Model, in []*autodiff.Node) *Model {
	c := *m
	k := 0
	convs := func(src []*nn.Conv) []*nn.Conv {
		var out []*nn.Conv
		for _, l := range src {
			out = append(out, &nn.Conv{W: in[k], B: in[k+1], Shape: l.Shape, Transpose: l.Transpose, Act: l.Act})
			k += 2
		}
		return out
	}
	mlpOf := func(src *nn.MLP) *nn.MLP {
		out := &nn.MLP{}
		for _, l := range src.Layers {
			out.Layers = append(out.Layers, &nn.Dense{W: in[k], B: in[k+1], Act: l.Act})
			k += 2
		}
		return out
	}
	c.encConv = convs(m.encConv)
	c.enc = mlpOf(m.enc)
	c.dec = mlpOf(m.dec)
	c.decConv = convs(m.decConv)
	return &c
}

// The convolutional VAE's objective (two stride-2 convolutions, the MLP,
// two transposed convolutions) passes the gradient check on 8×8 images,
// ELBO and IWAE k = 3, tanh units.
func TestConvVAEGradient(t *testing.T) {
	m, err := New(Config{Inputs: 64, Latent: 2, Hidden: []int{6}, Activation: nn.Tanh, Arch: ArchConv, ImageH: 8, ImageW: 8, Channels: []int{2, 3}, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.encConv) != 2 || m.enc.Sizes()[0] != 3*2*2 || m.dec.Sizes()[len(m.dec.Sizes())-1] != 12 {
		t.Fatalf("encoder %v, decoder %v", m.enc.Sizes(), m.dec.Sizes())
	}
	x, _ := digits01()
	x = x.Slice(0, 3, 0, 64).(*mat.Dense)
	rng := rand.New(rand.NewPCG(2, 2))
	for _, k := range []int{0, 3} {
		eps := make([]float64, 3*max(k, 1)*2)
		for i := range eps {
			eps[i] = rng.NormFloat64()
		}
		f := func(tp *autodiff.Tape, in []*autodiff.Node) *autodiff.Node {
			mm := convWithParams(m, in)
			e := tp.NewConst(3*max(k, 1), 2)
			copy(e.Value, eps)
			if k == 0 {
				return mm.Objective(tp, tp.Const(x), e, 1, 0).Loss
			}
			return mm.IWObjective(tp, tp.Const(x), e, k).Loss
		}
		if err := autodiff.CheckGradient(f, paramMatrices(m), autodiff.CheckOptions{}); err != nil {
			t.Errorf("k = %d: %v", k, err)
		}
	}
}

// A convolutional VAE trains on the 8×8 digits, records its architecture
// in a version 2 model file that loads bit for bit, samples and scores;
// bad architectures are OptionErrors.
func TestConvVAETrainFile(t *testing.T) {
	x, _ := digits01()
	train := x.Slice(0, 300, 0, 64).(*mat.Dense)
	m, rep, err := Train(context.Background(), train, Options{Model: Config{Latent: 4, Hidden: []int{32}, Arch: ArchConv, ImageH: 8, ImageW: 8, Channels: []int{8, 16}},
		Epochs: 3, BatchSize: 50, Test: x.Slice(300, 400, 0, 64), Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if e := rep.Epochs[2]; !(e.Test.ELBO < 0) || !(e.Test.ELBO > rep.Epochs[0].Test.ELBO) {
		t.Errorf("held-out ELBO %v after 3 epochs, %v after 1", e.Test.ELBO, rep.Epochs[0].Test.ELBO)
	}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"arch": "conv"`)) || !bytes.Contains(data, []byte(`"version": 2`)) {
		t.Error("model file lacks the architecture or version 2")
	}
	back, err := Read(bytes.NewReader(data), "conv.json")
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "saved and loaded", m, back)
	a, b := mat.NewDense(4, 64, nil), mat.NewDense(4, 64, nil)
	if err := m.Sample(a, rand.New(rand.NewPCG(1, SampleStream))); err != nil {
		t.Fatal(err)
	}
	if err := back.Sample(b, rand.New(rand.NewPCG(1, SampleStream))); err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(a, b) {
		t.Error("the loaded model samples differently")
	}
	if _, err := back.LogLikelihood(context.Background(), x.Slice(300, 310, 0, 64), IWAEOptions{K: 10}); err != nil {
		t.Error(err)
	}
	for _, bad := range []Config{
		{Inputs: 64, Arch: ArchConv, ImageH: 4, ImageW: 16, Channels: []int{2, 2, 2, 2}}, // 4 not divisible by 16
		{Inputs: 64, Arch: ArchConv, ImageH: 8, ImageW: 4},                               // 32 values, not 64
		{Inputs: 64, ImageH: 8, ImageW: 8},                                               // image shape without conv
		{Inputs: 64, Arch: "resnet"},
	} {
		if _, err := New(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
