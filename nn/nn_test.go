package nn

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/testutil"
)

func nan() float64 { return math.NaN() }

// A two-layer network with each activation, its softmax cross-entropy and
// every parameter, passes the gradient checker (catalog A-01 at the layer
// level).
func TestDenseGradCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	rnd := func(r, c int) mat.Matrix {
		d := make([]float64, r*c)
		for i := range d {
			d[i] = rng.NormFloat64()
		}
		return mat.NewDense(r, c, d)
	}
	x := rnd(6, 4)
	for _, act := range []Activation{Sigmoid, Tanh, ReLU, Linear} {
		f := func(t *autodiff.Tape, in []*autodiff.Node) *autodiff.Node {
			h := (&Dense{W: in[0], B: in[1], Act: act}).Forward(t, t.Const(x))
			out := (&Dense{W: in[2], B: in[3]}).Forward(t, h)
			return t.Mean(t.SoftmaxCrossEntropy(out, []int{0, 1, 2, 0, 1, 2}))
		}
		if err := autodiff.CheckGradient(f, []mat.Matrix{rnd(4, 5), rnd(1, 5), rnd(5, 3), rnd(1, 3)}, autodiff.CheckOptions{}); err != nil {
			t.Errorf("%s: %v", act, err)
		}
	}
}

// Glorot-uniform weights lie in ±√(6/(in+out)) with variance a²/3; He
// weights have variance 2/in. The sample variances of 200×300 weights are
// checked to 5 standard errors (the SE of a sample variance is about
// σ²·√(2/n) for a normal, less for a uniform).
func TestInit(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	in, out := 200, 300
	n := float64(in * out)
	g := NewDense(in, out, Tanh, GlorotUniform, rng)
	a := math.Sqrt(6 / float64(in+out))
	variance := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x * x
		}
		return s / float64(len(v))
	}
	for _, w := range g.W.Value {
		if math.Abs(w) > a {
			t.Fatalf("Glorot weight %v outside ±%v", w, a)
		}
	}
	if want, got := a*a/3, variance(g.W.Value); math.Abs(got-want) > 5*want*math.Sqrt(2/n) {
		t.Errorf("Glorot variance %v, want %v", got, want)
	}
	h := NewDense(in, out, ReLU, InitAuto, rng)
	if want, got := 2/float64(in), variance(h.W.Value); math.Abs(got-want) > 5*want*math.Sqrt(2/n) {
		t.Errorf("He variance %v, want %v", got, want)
	}
	for _, b := range append(g.B.Value, h.B.Value...) {
		if b != 0 {
			t.Fatal("biases must start at 0")
		}
	}
}

// NewMLP builds the layers asked for, the same bits for the same seed, and
// refuses bad configurations.
func TestNewMLP(t *testing.T) {
	m1, err := NewMLP(MLPConfig{Sizes: []int{4, 8, 3}, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := NewMLP(MLPConfig{Sizes: []int{4, 8, 3}, Seed: 5})
	if !slices.Equal(m1.Sizes(), []int{4, 8, 3}) || m1.Layers[0].Act != ReLU || m1.Layers[1].Act != Linear {
		t.Errorf("sizes %v, activations %s %s", m1.Sizes(), m1.Layers[0].Act, m1.Layers[1].Act)
	}
	if !slices.Equal(m1.Layers[0].W.Value, m2.Layers[0].W.Value) {
		t.Error("same seed, different weights")
	}
	if m1.NumParams() != 4*8+8+8*3+3 {
		t.Errorf("NumParams %d", m1.NumParams())
	}
	for _, bad := range []MLPConfig{{Sizes: []int{4}}, {Sizes: []int{4, 0, 3}}, {Sizes: []int{2, 2}, Hidden: "swish"}, {Sizes: []int{2, 2}, Init: "lecun"}} {
		if _, err := NewMLP(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// Every row appears once per epoch, batches have the asked size but the
// last, and the order depends only on the seed.
func TestBatches(t *testing.T) {
	b := NewBatches(10, 4, 7)
	if b.Len() != 3 {
		t.Errorf("Len %d, want 3", b.Len())
	}
	var first []int
	for epoch := 0; epoch < 2; epoch++ {
		b.Shuffle()
		var all, sizes []int
		for idx := b.Next(); idx != nil; idx = b.Next() {
			all = append(all, idx...)
			sizes = append(sizes, len(idx))
		}
		if !slices.Equal(sizes, []int{4, 4, 2}) {
			t.Errorf("batch sizes %v", sizes)
		}
		if epoch == 0 {
			first = slices.Clone(all)
		} else if slices.Equal(first, all) {
			t.Error("two epochs in the same order")
		}
		slices.Sort(all)
		if !slices.Equal(all, seq(10)) {
			t.Errorf("epoch %d covers %v", epoch, all)
		}
	}
	c := NewBatches(10, 4, 7)
	c.Shuffle()
	var again []int
	for idx := c.Next(); idx != nil; idx = c.Next() {
		again = append(again, idx...)
	}
	if !slices.Equal(first, again) {
		t.Error("same seed, different order")
	}
}

// The split holds out round(frac·n_c) rows per class, the same ones for the
// same seed, and never a whole class.
func TestStratifiedSplit(t *testing.T) {
	y := make([]int, 0, 103)
	for c, n := range []int{50, 50, 2, 1} {
		for i := 0; i < n; i++ {
			y = append(y, c)
		}
	}
	tr, va := stratifiedSplit(y, 4, 0.2, 1)
	count := make([]int, 4)
	for _, i := range va {
		count[y[i]]++
	}
	if !slices.Equal(count, []int{10, 10, 0, 0}) { // round(0.4) = 0; a class of 1 stays in training
		t.Errorf("held out per class %v, want [10 10 0 0]", count)
	}
	if len(tr)+len(va) != len(y) {
		t.Errorf("%d + %d rows", len(tr), len(va))
	}
	tr2, va2 := stratifiedSplit(y, 4, 0.2, 1)
	if !slices.Equal(tr, tr2) || !slices.Equal(va, va2) {
		t.Error("same seed, different split")
	}
}

func TestSortedClasses(t *testing.T) {
	if got := sortedClasses([]string{"10", "2", "1", "2"}); !slices.Equal(got, []string{"1", "2", "10"}) {
		t.Errorf("numeric labels sorted as %v", got)
	}
	if got := sortedClasses([]string{"b", "10", "a"}); !slices.Equal(got, []string{"10", "a", "b"}) {
		t.Errorf("text labels sorted as %v", got)
	}
}

// Hidden's first layer is relu(x̃·W + b) with x̃ the classifier's scaling.
func TestClassifierHidden(t *testing.T) {
	iris := datasets.Iris()
	clf, _, err := TrainClassifier(context.Background(), iris.X, iris.Labels, ClassifierOptions{Hidden: []int{5, 3}, Epochs: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	h, err := clf.Hidden(iris.X, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := h.Dims(); r != 150 || c != 5 {
		t.Fatalf("Hidden(x, 0) is %d×%d, want 150×5", r, c)
	}
	net := clf.Network()
	mean, scale := clf.Scaler()
	w, b := net.Layers[0].W.Dense(), net.Layers[0].B.Value
	for _, i := range []int{0, 77, 149} {
		for u := 0; u < 5; u++ {
			z := b[u]
			for j := 0; j < 4; j++ {
				z += (iris.X.At(i, j) - mean[j]) / scale[j] * w.At(j, u)
			}
			testutil.AssertClose(t, "hidden unit", h.At(i, u), max(z, 0), 1e-12, 1e-12)
		}
	}
	if h2, _ := clf.Hidden(iris.X, 1); h2 == nil {
		t.Error("Hidden(x, 1): nil")
	} else if _, c := h2.Dims(); c != 3 {
		t.Errorf("Hidden(x, 1) has %d columns, want 3", c)
	}
	defer func() {
		if recover() == nil {
			t.Error("Hidden(x, 2) on a network with 2 hidden layers did not panic")
		}
	}()
	clf.Hidden(iris.X, 2)
}
