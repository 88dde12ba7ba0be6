package vaemix

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/vae"
)

// digitsModels are a small VAE and autoencoder trained on the digits
// (20% held out, seed 1), shared by the tests.
var digitsModels = sync.OnceValues(func() (map[string]*vae.Model, *vae.Data) {
	d := vae.Digits().HoldOut(0.2, 1)
	out := map[string]*vae.Model{}
	for name, ae := range map[string]bool{"vae": false, "ae": true} {
		m, _, err := vae.Train(context.Background(), d.Train, vae.Options{Model: vae.Config{Latent: 2, Hidden: []int{16}, Autoencoder: ae},
			Epochs: 3, BatchSize: 64, Seed: 1, Columns: d.Columns})
		if err != nil {
			panic(err)
		}
		out[name] = m
	}
	return out, d
})

// Compare's numbers are the package functions' on the same codes and
// samples: the prior's and the mixture's log-densities of the held-out
// means, the Fréchet distances of decoded samples drawn from the documented
// streams, and the reconstructions'.
func TestCompareNumbers(t *testing.T) {
	models, d := digitsModels()
	m := models["vae"]
	r, err := Compare(context.Background(), m, d.Train, d.Test, Options{K: 3, Samples: 200, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if r.K != 3 || r.Covariance != "full" || r.TrainCodes != 1437 || r.TestRows != 360 || r.Samples != 200 || r.Features != "" || r.FeatureFrechetPrior != nil {
		t.Errorf("got %+v", r)
	}
	testMu, _, _ := m.Encode(d.Test)
	testutil.AssertClose(t, "prior log-density", r.PriorLogDensity, mean(vae.PriorLogDensity(testMu)), 0, 0)
	ll, _ := r.Mixture.ScoreSamples(nil, testMu)
	testutil.AssertClose(t, "mixture log-density", r.MixtureLogDensity, mean(ll), 0, 0)
	if r.MixtureLogDensity <= r.PriorLogDensity {
		t.Errorf("the mixture fitted to the codes describes the held-out codes worse than N(0, I): %v ≤ %v", r.MixtureLogDensity, r.PriorLogDensity)
	}
	prior := mat.NewDense(200, 64, nil)
	if err := m.Sample(prior, rand.New(rand.NewPCG(7, vae.SampleStream))); err != nil {
		t.Fatal(err)
	}
	mix := mat.NewDense(200, 64, nil)
	if err := Sample(mix, m, r.Mixture, rand.New(rand.NewPCG(7, SampleStream))); err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(prior, r.PriorSamples) || !mat.Equal(mix, r.MixtureSamples) {
		t.Error("the report's samples are not those of the documented streams")
	}
	recon, _ := m.Reconstruct(d.Test)
	for _, c := range []struct {
		name string
		x    *mat.Dense
		got  float64
	}{{"prior", prior, r.FrechetPrior}, {"mixture", mix, r.FrechetMixture}, {"reconstructions", recon, r.FrechetReconstruction}} {
		want, _ := vae.FrechetDistance(c.x, d.Test)
		testutil.AssertClose(t, "Fréchet distance of the "+c.name, c.got, want, 0, 0)
	}
	again, _ := Compare(context.Background(), m, d.Train, d.Test, Options{K: 3, Samples: 200, Seed: 7})
	if again.FrechetMixture != r.FrechetMixture || again.MixtureLogDensity != r.MixtureLogDensity {
		t.Error("the same seed gave other numbers")
	}
}

// With labels the distances are also measured in a classifier's features;
// an autoencoder's N(0, I) is named as not its prior.
func TestCompareFeatures(t *testing.T) {
	models, d := digitsModels()
	r, err := Compare(context.Background(), models["ae"], d.Train, d.Test, Options{K: 4, Seed: 1, TrainLabels: d.TrainLabels, TestLabels: d.TestLabels})
	if err != nil {
		t.Fatal(err)
	}
	if r.Samples != 360 || r.FeatureFrechetPrior == nil || r.FeatureFrechetMixture == nil || r.FeatureFrechetReconstruction == nil {
		t.Fatalf("got %+v", r)
	}
	if *r.ClassifierAccuracy < 0.8 || !strings.Contains(r.Features, "MLP 64-64-10") {
		t.Errorf("classifier: accuracy %v, %s", *r.ClassifierAccuracy, r.Features)
	}
	var b bytes.Buffer
	r.WriteText(&b)
	for _, want := range []string{"N(0, I) (not its prior)", "In the 64 hidden ReLU features", "(classifier features)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}

func TestCompareErrors(t *testing.T) {
	models, d := digitsModels()
	m := models["vae"]
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{K: -1}, "Options.K -1"},
		{Options{Samples: 1}, "Options.Samples 1"},
		{Options{K: 2, Covariance: "banded"}, "fitting the mixture"},
	} {
		if _, err := Compare(context.Background(), m, d.Train, d.Test, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error with %q", c.opts, err, c.want)
		}
	}
	g, _, err := mixture.Fit(context.Background(), mat.NewDense(4, 3, []float64{0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1}), mixture.Options{K: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := Sample(mat.NewDense(2, 64, nil), m, g, rand.New(rand.NewPCG(1, 2))); err == nil || !strings.Contains(err.Error(), "3 dimensions") {
		t.Errorf("a mixture of the wrong dimension: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("dst of the wrong width: no panic")
		}
	}()
	Sample(mat.NewDense(2, 5, nil), m, g, rand.New(rand.NewPCG(1, 2)))
}

// WriteText and WriteMarkdown render a report; golden files fix them.
func TestReportText(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	r := &Report{K: 10, Covariance: "full", TrainCodes: 1437, TestRows: 360, Samples: 360, Seed: 1,
		PriorLogDensity: -2.5, MixtureLogDensity: -1.25, FrechetPrior: 3, FrechetMixture: 2.5, FrechetReconstruction: 1.75,
		Iterations: 12, Converged: true, TrainLogLk: -1.125}
	for _, c := range []struct {
		name string
		r    Report
	}{{"pixels", *r}, {"features", func() Report {
		l := *r
		l.Features, l.ClassifierAccuracy = "the 64 hidden ReLU features of an MLP 64-64-10", f(0.95)
		l.FeatureFrechetPrior, l.FeatureFrechetMixture, l.FeatureFrechetReconstruction = f(12), f(8.5), f(4.25)
		return l
	}()}} {
		var text, md bytes.Buffer
		if err := c.r.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if err := c.r.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		testutil.Golden(t, c.name+".txt", text.Bytes())
		testutil.Golden(t, c.name+".md", md.Bytes())
	}
}
