package vae

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/nn"
)

// The conditional objectives' gradients (the one-hot label beside x in
// the encoder and beside z in the decoder), with ε frozen, pass the
// central-difference check on a tiny tanh network with 3 classes.
func TestConditionalObjectiveGradient(t *testing.T) {
	x := mat.NewDense(4, 3, []float64{0.1, 0.9, 0.5, 0.3, 0.2, 0.8, 1, 0, 0.6, 0.4, 0.7, 0.05})
	cls := []int{0, 2, 1, 2}
	rng := rand.New(rand.NewPCG(8, 8))
	m, err := New(Config{Inputs: 3, Latent: 2, Hidden: []int{4}, Activation: nn.Tanh, Classes: []string{"a", "b", "c"}, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		for i := range p.Value {
			p.Value[i] += 0.1 * rng.NormFloat64()
		}
	}
	for _, k := range []int{0, 1, 4} { // 0: the ELBO
		eps := make([]float64, 4*max(k, 1)*2)
		for i := range eps {
			eps[i] = rng.NormFloat64()
		}
		f := func(tp *autodiff.Tape, in []*autodiff.Node) *autodiff.Node {
			mm := withParams(m, in)
			e := tp.NewConst(4*max(k, 1), 2)
			copy(e.Value, eps)
			cond := mm.oneHot(tp, cls, 0, 4, 1)
			if k == 0 {
				return mm.ObjectiveGiven(tp, tp.Const(x), cond, e, 0.7, 0).Loss
			}
			return mm.IWObjectiveGiven(tp, tp.Const(x), cond, e, k).Loss
		}
		if err := autodiff.CheckGradient(f, paramMatrices(m), autodiff.CheckOptions{}); err != nil {
			t.Errorf("k = %d: %v", k, err)
		}
	}
}

// A closed-form check of the conditioning in both networks: a linear
// Gaussian decoder whose mean moves with the class, x = Wᵀz + b + v_y +
// N(0, σ²I), and an encoder set to its exact posterior (its mean linear
// in x and the one-hot y). Every importance weight is then p(x | y), so
// every IWAE estimate equals log N(x; b + v_y, WᵀW + σ²I) to rounding,
// for whichever class the row is given.
func TestConditionalExactPosterior(t *testing.T) {
	const d, L, C, s2 = 3, 2, 3, 0.25
	wd := mat.NewDense(L, d, []float64{1, 1, 0, 0.5, -0.5, 0})
	bd := []float64{0.3, -0.2, 0.1}
	v := [][]float64{{0, 0, 0}, {1, -1, 0.5}, {-2, 0.5, 1}}
	m, err := New(Config{Inputs: d, Latent: L, Hidden: []int{}, Likelihood: Gaussian, Variance: s2, Classes: []string{"a", "b", "c"}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dec, enc := m.dec.Layers[0], m.enc.Layers[0] // dec: (L+C)×d, enc: (d+C)×2L
	clear(dec.W.Value)
	copy(dec.W.Value, wd.RawMatrix().Data)
	for c := 0; c < C; c++ {
		copy(dec.W.Value[(L+c)*d:(L+c+1)*d], v[c])
	}
	copy(dec.B.Value, bd)
	clear(enc.W.Value)
	clear(enc.B.Value)
	for j := 0; j < L; j++ {
		sj := mat.Dot(wd.RowView(j), wd.RowView(j))
		for i := 0; i < d; i++ {
			a := wd.At(j, i) / (s2 + sj)
			enc.W.Value[i*2*L+j] = a
			enc.B.Value[j] -= a * bd[i]
			for c := 0; c < C; c++ {
				enc.W.Value[(d+c)*2*L+j] -= a * v[c][i]
			}
		}
		enc.B.Value[L+j] = -math.Log(1 + sj/s2)
	}
	var cov mat.SymDense
	cov.SymOuterK(1, wd.T())
	for i := 0; i < d; i++ {
		cov.SetSym(i, i, cov.At(i, i)+s2)
	}
	x := mat.NewDense(4, d, []float64{0, 0, 0, 1, -1, 0.5, 2, 2, -1, -0.3, 0.4, 0.9})
	labels := []string{"a", "b", "c", "b"}
	ll, err := m.LogLikelihood(context.Background(), x, IWAEOptions{K: 50, Seed: 3, Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	other := []string{"c", "c", "a", "a"}
	ll2, err := m.LogLikelihood(context.Background(), x, IWAEOptions{K: 50, Seed: 3, Labels: other})
	if err != nil {
		t.Fatal(err)
	}
	ll, labels = append(ll, ll2...), append(labels, other...)
	for i := 0; i < 8; i++ {
		c := strings.Index("abc", labels[i])
		mean := make([]float64, d)
		for j := range mean {
			mean[j] = bd[j] + v[c][j]
		}
		normal, ok := distmv.NewNormal(mean, &cov, nil)
		if !ok {
			t.Fatal("covariance not positive definite")
		}
		want := normal.LogProb(x.RawRowView(i % 4))
		testutil.AssertClose(t, "IWAE vs exact log p(x | y)", ll[i], want, 1e-12, 1e-12)
	}
}

// A conditional VAE trains on labelled rows, samples a chosen class,
// saves and loads bit for bit (a version 2 file), and refuses what needs
// a label it was not given.
func TestConditionalTrainSampleFile(t *testing.T) {
	x, labels := digits01()
	train, trainLabels := x.Slice(0, 500, 0, 64).(*mat.Dense), labels[:500]
	test, testLabels := x.Slice(500, 600, 0, 64), labels[500:600]
	o := Options{Model: Config{Hidden: []int{32}, Latent: 4}, Epochs: 15, BatchSize: 50, Labels: trainLabels, Test: test, TestLabels: testLabels, Seed: 2}
	m, rep, err := Train(context.Background(), train, o)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Classes(); len(got) != 10 || got[0] != "0" || got[9] != "9" {
		t.Fatalf("classes %v", got)
	}
	if rep.Encoder[0] != 74 || rep.Decoder[0] != 14 || m.Trained().Kind != "cvae" {
		t.Errorf("encoder %v, decoder %v, kind %q", rep.Encoder, rep.Decoder, m.Trained().Kind)
	}
	s := mat.NewDense(5, 64, nil)
	if err := m.SampleClass(s, "7", rand.New(rand.NewPCG(1, SampleStream))); err != nil {
		t.Fatal(err)
	}
	if err := m.SampleClass(s, "x", rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), `"x" is not a class`) {
		t.Errorf("unknown class: %v", err)
	}
	for name, err := range map[string]error{
		"Sample":    m.Sample(s, rand.New(rand.NewPCG(1, 1))),
		"Encode":    second3(m.Encode(test)),
		"Evaluate":  second(m.Evaluate(test, EvalOptions{})),
		"IWAE":      second(m.LogLikelihood(context.Background(), test, IWAEOptions{K: 2})),
		"Interpol.": second(m.Interpolate(x.RawRowView(0), x.RawRowView(1), 3)),
	} {
		if !errors.Is(err, ErrConditional) {
			t.Errorf("%s on a conditional model: %v, want ErrConditional", name, err)
		}
	}
	// Reconstructions given the labels run (the label-free form refuses);
	// the reconstruction term with the true labels is checked against the
	// shifted labels' below.
	if _, err := m.ReconstructGiven(test, testLabels); err != nil {
		t.Error(err)
	}
	if _, err := m.Reconstruct(test); !errors.Is(err, ErrConditional) {
		t.Errorf("Reconstruct on a conditional model: %v", err)
	}
	termRight, err := m.ReconstructionTermGiven(test, testLabels)
	if err != nil {
		t.Fatal(err)
	}
	// The right labels explain the held-out digits better than shifted ones.
	right, err := m.Evaluate(test, EvalOptions{Labels: testLabels, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	shifted := make([]string, len(testLabels))
	for i, l := range testLabels {
		shifted[i] = string(rune('0' + (int(l[0]-'0')+5)%10))
	}
	other, err := m.Evaluate(test, EvalOptions{Labels: shifted, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !(right.ELBO > other.ELBO) {
		t.Errorf("held-out ELBO with the true labels %v, with shifted labels %v", right.ELBO, other.ELBO)
	}
	if termOther, err := m.ReconstructionTermGiven(test, shifted); err != nil || !(termRight < termOther) {
		t.Errorf("reconstruction term with the true labels %v, with shifted labels %v (%v)", termRight, termOther, err)
	}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"version": 2`)) || !bytes.Contains(data, []byte(`"classes": [`)) {
		t.Errorf("model file lacks version 2 or its classes")
	}
	back, err := Read(bytes.NewReader(data), "cvae.json")
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "saved and loaded", m, back)
	if again, _ := back.Marshal(); !bytes.Equal(again, data) {
		t.Error("the loaded model marshals differently")
	}
	v1 := bytes.Replace(data, []byte(`"version": 2`), []byte(`"version": 1`), 1)
	if _, err := Read(bytes.NewReader(v1), "v1.json"); err == nil || !strings.Contains(err.Error(), "body.classes") {
		t.Errorf("a version 1 file with classes: %v", err)
	}
	// Unconditional models still write version 1.
	u, _, err := Train(context.Background(), train, Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if ud, _ := u.Marshal(); !bytes.Contains(ud, []byte(`"version": 1`)) {
		t.Error("an unconditional model is not written as version 1")
	}
	// Bad labels are errors before any work.
	bad := o
	bad.Labels = trainLabels[:10]
	if _, _, err := Train(context.Background(), train, bad); err == nil {
		t.Error("10 labels for 500 rows trained")
	}
	bad = o
	bad.TestLabels = nil
	if _, _, err := Train(context.Background(), train, bad); !errors.Is(err, ErrConditional) {
		t.Errorf("no test labels: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func second3[T, U any](_ T, _ U, err error) error { return err }
