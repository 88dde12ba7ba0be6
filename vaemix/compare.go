package vaemix

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/vae"
)

// SampleStream is the PCG stream of the mixture's codes:
// rand.New(rand.NewPCG(seed, SampleStream)) is the generator Compare gives
// Sample, and what `latent vae sample --mixture` passes.
const SampleStream = 0x9e0

// Options configure Compare. The zero value fits 10 full-covariance
// components with seed 0 and draws as many samples as there are held-out
// rows.
type Options struct {
	// K is the number of mixture components; 0 means 10.
	K int
	// Covariance is the mixture's covariance type; "" means full.
	Covariance mixture.CovarianceType
	// Samples is the number of codes drawn from each density and decoded;
	// 0 means as many as held-out rows. It must be at least 2 (the
	// Fréchet distance needs two rows).
	Samples int
	// Seed seeds the mixture's start, the samples and the classifier.
	Seed uint64
	// TrainLabels and TestLabels, when both are given, label the rows
	// (one per row), and the Fréchet distances are also measured in the
	// hidden features of a classifier trained on the training rows.
	TrainLabels, TestLabels []string
}

// Report is the comparison: the prior N(0, I) and a mixture fitted to the
// codes of the training rows, as densities of codes and as generators.
// It marshals to the JSON `latent vae gmm --json` prints.
type Report struct {
	K          int    `json:"k"`
	Covariance string `json:"covariance_type"`
	TrainCodes int    `json:"train_codes"`
	TestRows   int    `json:"test_rows"`
	Samples    int    `json:"samples"`
	Seed       uint64 `json:"seed"`
	// Mean log-density of the held-out codes, nats per code.
	PriorLogDensity   float64 `json:"prior_log_density"`
	MixtureLogDensity float64 `json:"mixture_log_density"`
	// Squared Fréchet distances to the held-out rows, in the data's
	// features: of decoded samples of each density, and of the held-out
	// rows' reconstructions.
	FrechetPrior          float64 `json:"frechet_prior"`
	FrechetMixture        float64 `json:"frechet_mixture"`
	FrechetReconstruction float64 `json:"frechet_reconstruction"`
	// The same in the hidden features of a classifier, when the rows are
	// labelled (nil otherwise); Features describes the classifier.
	Features                     string   `json:"features,omitempty"`
	ClassifierAccuracy           *float64 `json:"classifier_accuracy,omitempty"`
	FeatureFrechetPrior          *float64 `json:"feature_frechet_prior,omitempty"`
	FeatureFrechetMixture        *float64 `json:"feature_frechet_mixture,omitempty"`
	FeatureFrechetReconstruction *float64 `json:"feature_frechet_reconstruction,omitempty"`
	// The mixture's fit: EM iterations, convergence, mean log-likelihood
	// of the training codes.
	Iterations int     `json:"iterations"`
	Converged  bool    `json:"converged"`
	TrainLogLk float64 `json:"train_log_likelihood"`

	// Status is how the mixture's EM ended (JSON keeps Converged).
	Status em.Status `json:"-"`
	// Mixture is the fitted mixture (its Marshal gives a latent.gmm model
	// file), Fit its report.
	Mixture *mixture.Model  `json:"-"`
	Fit     *mixture.Report `json:"-"`
	// PriorSamples and MixtureSamples are the decoded samples (the
	// mixture's in a shuffled order, Sample); TrainMeans and TestMeans the
	// posterior means the mixture was fitted to and scored on.
	PriorSamples, MixtureSamples *mat.Dense `json:"-"`
	TrainMeans, TestMeans        *mat.Dense `json:"-"`

	autoencoder bool // the model is a plain autoencoder: N(0, I) is not its prior
}

// Compare fits a Gaussian mixture to the posterior means of the rows of
// train under m and compares it with N(0, I) on the rows of test (see the
// package doc for the measures). The context cancels the fits. It
// returns an error for options it cannot use, rows that do not fit the
// model, a mixture fit that fails, or, with labels, a classifier that
// does not train.
func Compare(ctx context.Context, m *vae.Model, train, test mat.Matrix, opts Options) (*Report, error) {
	k, cov, n := opts.K, opts.Covariance, opts.Samples
	if k == 0 {
		k = 10
	}
	if cov == "" {
		cov = mixture.Full
	}
	nt, _ := test.Dims()
	if n == 0 {
		n = nt
	}
	switch {
	case k < 1:
		return nil, fmt.Errorf("vaemix: Options.K %d: give at least 1 component", k)
	case n < 2:
		return nil, fmt.Errorf("vaemix: Options.Samples %d: the Fréchet distance needs at least 2 samples (and held-out rows)", n)
	}
	trainMu, _, err := m.Encode(train)
	if err != nil {
		return nil, err
	}
	testMu, _, err := m.Encode(test)
	if err != nil {
		return nil, err
	}
	names := make([]string, m.Latent())
	for j := range names {
		names[j] = "z" + strconv.Itoa(j+1)
	}
	g, rep, err := mixture.Fit(ctx, trainMu, mixture.Options{K: k, Covariance: cov, Seed: opts.Seed, FeatureNames: names})
	if err != nil {
		return nil, fmt.Errorf("vaemix: fitting the mixture to the codes: %w", err)
	}
	nTrain, _ := train.Dims()
	r := &Report{K: k, Covariance: string(cov), TrainCodes: nTrain, TestRows: nt, Samples: n, Seed: opts.Seed,
		Iterations: rep.Iterations, Converged: g.Converged(), TrainLogLk: g.LogLikelihood(), Status: rep.Status,
		Mixture: g, Fit: rep, TrainMeans: trainMu, TestMeans: testMu, autoencoder: m.Autoencoder()}
	ll, err := g.ScoreSamples(nil, testMu)
	if err != nil {
		return nil, err
	}
	r.MixtureLogDensity = mean(ll)
	r.PriorLogDensity = mean(vae.PriorLogDensity(testMu))

	// Decoded samples of each density (the prior's for an autoencoder
	// too: its decoder fed N(0, I) codes).
	zPrior := mat.NewDense(n, m.Latent(), nil)
	m.SampleLatent(zPrior, rand.New(rand.NewPCG(opts.Seed, vae.SampleStream)))
	if r.PriorSamples, err = m.Decode(zPrior); err != nil {
		return nil, err
	}
	r.MixtureSamples = mat.NewDense(n, m.Inputs(), nil)
	if err := Sample(r.MixtureSamples, m, g, rand.New(rand.NewPCG(opts.Seed, SampleStream))); err != nil {
		return nil, err
	}
	recon, err := m.Reconstruct(test)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		x   *mat.Dense
		dst *float64
	}{{r.PriorSamples, &r.FrechetPrior}, {r.MixtureSamples, &r.FrechetMixture}, {recon, &r.FrechetReconstruction}} {
		if *c.dst, err = vae.FrechetDistance(c.x, test); err != nil {
			return nil, err
		}
	}
	if opts.TrainLabels == nil || opts.TestLabels == nil {
		return r, nil
	}
	clf, acc, err := classifier(ctx, m, train, opts.TrainLabels, test, opts.TestLabels, opts.Seed)
	if err != nil {
		return nil, err
	}
	r.Features, r.ClassifierAccuracy = clf.desc, &acc
	ft, err := clf.Hidden(test, 0)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		x   *mat.Dense
		dst **float64
	}{{r.PriorSamples, &r.FeatureFrechetPrior}, {r.MixtureSamples, &r.FeatureFrechetMixture}, {recon, &r.FeatureFrechetReconstruction}} {
		f, err := clf.Hidden(c.x, 0)
		if err != nil {
			return nil, err
		}
		v, err := vae.FrechetDistance(f, ft)
		if err != nil {
			return nil, err
		}
		*c.dst = &v
	}
	return r, nil
}

// Sample fills every row of dst with a sample of the generator whose codes
// come from the mixture g: codes drawn from g with rng (mixture's Sample,
// which groups them by component), put in a random order with rng, and
// decoded by m. It returns an error when g's dimension is not m's latent
// dimension, and panics when dst is empty or does not have m.Inputs()
// columns.
func Sample(dst *mat.Dense, m *vae.Model, g *mixture.Model, rng *rand.Rand) error {
	if dst == nil || dst.IsEmpty() {
		panic("vaemix: Sample: empty dst; its rows are the samples")
	}
	n, c := dst.Dims()
	if c != m.Inputs() {
		panic(fmt.Sprintf("vaemix: Sample: dst has %d columns, the model takes %d", c, m.Inputs()))
	}
	if g.Dim() != m.Latent() {
		return fmt.Errorf("vaemix: Sample: a mixture in %d dimensions, but the model has %d latent dimensions", g.Dim(), m.Latent())
	}
	z := mat.NewDense(n, g.Dim(), nil)
	if err := g.Sample(z, nil, rng); err != nil {
		return err
	}
	shuffled := mat.NewDense(n, g.Dim(), nil)
	for i, p := range rng.Perm(n) {
		shuffled.SetRow(i, z.RawRowView(p))
	}
	x, err := m.Decode(shuffled)
	if err != nil {
		return err
	}
	dst.Copy(x)
	return nil
}

// featureClassifier is the classifier whose hidden features measure the
// samples, with its description.
type featureClassifier struct {
	*nn.Classifier
	desc string
}

// classifier trains an MLP with one hidden layer of ReLU units on the
// labelled training rows and returns it with its held-out accuracy.
func classifier(ctx context.Context, m *vae.Model, train mat.Matrix, trainLabels []string, test mat.Matrix, testLabels []string, seed uint64) (*featureClassifier, float64, error) {
	n, d := train.Dims()
	hidden := min(128, max(16, d))
	epochs := 50
	if n > 20000 {
		epochs = 5
	}
	scaling := "standard"
	if m.Config().Likelihood == vae.Bernoulli {
		scaling = "none" // values in [0, 1], as nn's doc advises for pixels
	}
	clf, _, err := nn.TrainClassifier(ctx, train, trainLabels, nn.ClassifierOptions{Hidden: []int{hidden}, Epochs: epochs,
		BatchSize: 128, ValFraction: -1, Scaling: scaling, Seed: seed})
	if err != nil {
		return nil, 0, fmt.Errorf("vaemix: training the feature classifier: %w", err)
	}
	met, err := clf.Evaluate(test, testLabels)
	if err != nil {
		return nil, 0, fmt.Errorf("vaemix: the feature classifier on the held-out rows: %w", err)
	}
	classes := map[string]bool{}
	for _, l := range trainLabels {
		classes[l] = true
	}
	desc := fmt.Sprintf("the %d hidden ReLU features of an MLP %d-%d-%d trained on the labelled training rows (%d epochs, held-out accuracy %.3f)",
		hidden, d, hidden, len(classes), epochs, met.Accuracy)
	return &featureClassifier{clf, desc}, met.Accuracy, nil
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
