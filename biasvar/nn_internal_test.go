package biasvar

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/nn"
)

// The tape-free forward pass used for predictions equals package nn's own
// (the tape's Forward and the classifier's PredictProba), for tanh and
// ReLU networks.
func TestForwardMatchesNN(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	x := mat.NewDense(7, 3, nil)
	for i := 0; i < 7; i++ {
		for j := 0; j < 3; j++ {
			x.Set(i, j, rng.NormFloat64())
		}
	}
	for _, act := range []nn.Activation{nn.Tanh, nn.ReLU, nn.Sigmoid} {
		net, err := nn.NewMLP(nn.MLPConfig{Sizes: []int{3, 6, 4, 2}, Hidden: act, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		identity := &scaler{mean: make([]float64, 3), scale: []float64{1, 1, 1}, buf: make([]float64, 3)}
		f := newForward(net, identity)
		tape := autodiff.NewTape()
		want := net.Forward(tape, tape.Const(x))
		for i := 0; i < 7; i++ {
			got := f.run(x.RawRowView(i))
			for k := range got {
				testutil.AssertClose(t, string(act)+" forward", got[k], want.At(i, k), 1e-14, 1e-12)
			}
		}
	}
	labels := []string{"0", "2", "1", "2", "0", "1", "2"}
	c, _, err := nn.TrainClassifier(context.Background(), x, labels, nn.ClassifierOptions{Hidden: []int{5}, Epochs: 20, BatchSize: 7, ValFraction: -1, Patience: -1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := newClassModel(c)
	want, err := c.PredictProba(x)
	if err != nil {
		t.Fatal(err)
	}
	q := make([]float64, 3)
	for i := 0; i < 7; i++ {
		m.PredictProba(q, x.RawRowView(i))
		for k, v := range q {
			// nn's column k is class Classes[k]; ours is class k.
			col := -1
			for kk, s := range c.Classes() {
				if s == strconv.Itoa(k) {
					col = kk
				}
			}
			testutil.AssertClose(t, "class probability", v, want.At(i, col), 1e-14, 1e-12)
		}
	}
}
