package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
)

// latentMixture compares two densities of a model's codes as generators:
// the prior N(0, I) and a Gaussian mixture fitted to the posterior means
// of the training rows (ex-post density estimation, as Ghosh et al. 2020
// do for deterministic autoencoders). The measures, on held-out rows:
//
//   - the mean log-density of the held-out rows' posterior means under
//     each density (nats per code): how well it covers where the encoder
//     puts new data;
//   - the Fréchet distance between n decoded samples of each density and
//     the held-out rows (lower is better), with the held-out rows'
//     reconstructions for reference: in the data's own features (pixels),
//     and, when the rows are labelled, in the hidden features of an MLP
//     classifier trained on the training rows — the FID's recipe (Heusel
//     et al. 2017) with a classifier of the data at hand in place of
//     Inception.
type latentMixture struct {
	K          int    `json:"k"`
	Covariance string `json:"covariance_type"`
	TrainCodes int    `json:"train_codes"`
	TestRows   int    `json:"test_rows"`
	Samples    int    `json:"samples"`
	Seed       uint64 `json:"seed"`
	// Mean log-density of the held-out codes, nats per code.
	PriorLogDensity   float64 `json:"prior_log_density"`
	MixtureLogDensity float64 `json:"mixture_log_density"`
	// Squared Fréchet distances to the held-out rows.
	FrechetPrior          float64 `json:"frechet_prior"`
	FrechetMixture        float64 `json:"frechet_mixture"`
	FrechetReconstruction float64 `json:"frechet_reconstruction"`
	// The same in the hidden features of a classifier (when labelled).
	Features                     string   `json:"features,omitempty"`
	ClassifierAccuracy           *float64 `json:"classifier_accuracy,omitempty"`
	FeatureFrechetPrior          *float64 `json:"feature_frechet_prior,omitempty"`
	FeatureFrechetMixture        *float64 `json:"feature_frechet_mixture,omitempty"`
	FeatureFrechetReconstruction *float64 `json:"feature_frechet_reconstruction,omitempty"`
	// The mixture's fit.
	Iterations int     `json:"iterations"`
	Converged  bool    `json:"converged"`
	TrainLogLk float64 `json:"train_log_likelihood"`

	gmm                  *mixture.Model
	priorX, mixX         *mat.Dense // decoded samples, rows shuffled for display
	trainCodes, testCode *mat.Dense
}

func compareLatentDensities(ctx context.Context, m *vae.Model, train, test *mat.Dense, trainLabels, testLabels []string, k int, cov mixture.CovarianceType, n int, seed uint64) (*latentMixture, error) {
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
	g, rep, err := mixture.Fit(ctx, trainMu, mixture.Options{K: k, Covariance: cov, Seed: seed, FeatureNames: names})
	if err != nil {
		return nil, fmt.Errorf("fitting the mixture to the codes: %w", err)
	}
	nt, _ := test.Dims()
	nTrain, _ := train.Dims()
	r := &latentMixture{K: k, Covariance: string(cov), TrainCodes: nTrain, TestRows: nt, Samples: n, Seed: seed,
		Iterations: rep.Iterations, Converged: g.Converged(), TrainLogLk: g.LogLikelihood(), gmm: g, trainCodes: trainMu, testCode: testMu}
	ll, err := g.ScoreSamples(nil, testMu)
	if err != nil {
		return nil, err
	}
	r.MixtureLogDensity = mean(ll)
	r.PriorLogDensity = mean(vae.PriorLogDensity(testMu))

	// Samples of each density, decoded.
	zPrior := mat.NewDense(n, m.Latent(), nil)
	m.SampleLatent(zPrior, rand.New(rand.NewPCG(seed, vae.SampleStream)))
	rng := rand.New(rand.NewPCG(seed, 0x9e0))
	zMix := mat.NewDense(n, g.Dim(), nil)
	if err := g.Sample(zMix, nil, rng); err != nil {
		return nil, err
	}
	// Sample groups rows by component; shuffle them for display.
	perm := rng.Perm(n)
	shuffled := mat.NewDense(n, m.Latent(), nil)
	for i, p := range perm {
		shuffled.SetRow(i, zMix.RawRowView(p))
	}
	if r.priorX, err = m.Decode(zPrior); err != nil {
		return nil, err
	}
	if r.mixX, err = m.Decode(shuffled); err != nil {
		return nil, err
	}
	recon, err := m.Reconstruct(test)
	if err != nil {
		return nil, err
	}
	if r.FrechetPrior, err = vae.FrechetDistance(r.priorX, test); err != nil {
		return nil, err
	}
	if r.FrechetMixture, err = vae.FrechetDistance(r.mixX, test); err != nil {
		return nil, err
	}
	if r.FrechetReconstruction, err = vae.FrechetDistance(recon, test); err != nil {
		return nil, err
	}
	if trainLabels == nil || testLabels == nil {
		return r, nil
	}
	feat, acc, desc, err := classifierFeatures(ctx, m, train, trainLabels, test, testLabels, seed)
	if err != nil {
		return nil, err
	}
	r.Features, r.ClassifierAccuracy = desc, &acc
	ft, err := feat(test)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		x   *mat.Dense
		dst **float64
	}{{r.priorX, &r.FeatureFrechetPrior}, {r.mixX, &r.FeatureFrechetMixture}, {recon, &r.FeatureFrechetReconstruction}} {
		f, err := feat(c.x)
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

// classifierFeatures trains an MLP classifier with one hidden layer of
// ReLU units on the labelled training rows and returns the map from rows
// to its hidden features, its accuracy on the held-out rows and a
// description.
func classifierFeatures(ctx context.Context, m *vae.Model, train *mat.Dense, trainLabels []string, test *mat.Dense, testLabels []string, seed uint64) (func(*mat.Dense) (*mat.Dense, error), float64, string, error) {
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
		return nil, 0, "", fmt.Errorf("training the feature classifier: %w", err)
	}
	met, err := clf.Evaluate(test, testLabels)
	if err != nil {
		return nil, 0, "", fmt.Errorf("the feature classifier on the held-out rows: %w", err)
	}
	feat := func(x *mat.Dense) (*mat.Dense, error) { return clf.Hidden(x, 0) }
	desc := fmt.Sprintf("the %d hidden ReLU features of an MLP %d-%d-%d trained on the labelled training rows (%d epochs, held-out accuracy %.3f)",
		hidden, d, hidden, len(clf.Classes), epochs, met.Accuracy)
	return feat, met.Accuracy, desc, nil
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func (r *latentMixture) write(b *bytes.Buffer, autoencoder bool) {
	prior := "prior N(0, I)"
	if autoencoder {
		prior = "N(0, I) (not its prior)"
	}
	fmt.Fprintf(b, "mixture   K = %d, %s covariances, fitted to %d training codes: %d iterations (converged %v), log-likelihood %.3f per code\n\n",
		r.K, r.Covariance, r.TrainCodes, r.Iterations, r.Converged, r.TrainLogLk)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "density of codes\theld-out log-density (nats/code)\tFréchet distance of samples\t")
	fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t\n", prior, r.PriorLogDensity, r.FrechetPrior)
	fmt.Fprintf(tw, "Gaussian mixture\t%.3f\t%.3f\t\n", r.MixtureLogDensity, r.FrechetMixture)
	fmt.Fprintf(tw, "(reconstructions)\t\t%.3f\t\n", r.FrechetReconstruction)
	tw.Flush()
	fmt.Fprintf(b, "\nFréchet distance: squared 2-Wasserstein distance between normals fitted to %d decoded samples and the %d held-out rows, in the data's features (lower is closer); for reference, the held-out rows' own reconstructions.\n", r.Samples, r.TestRows)
	if r.FeatureFrechetPrior != nil {
		fmt.Fprintf(b, "\nIn %s:\n", r.Features)
		tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "density of codes\tFréchet distance of samples (classifier features)\t")
		fmt.Fprintf(tw, "%s\t%.3f\t\n", prior, *r.FeatureFrechetPrior)
		fmt.Fprintf(tw, "Gaussian mixture\t%.3f\t\n", *r.FeatureFrechetMixture)
		fmt.Fprintf(tw, "(reconstructions)\t%.3f\t\n", *r.FeatureFrechetReconstruction)
		tw.Flush()
	}
}

func newVAEGmmCmd(e *env) *cobra.Command {
	var src vaeSource
	var of outFlags
	var model, cov, out, plotPath, latentPlot string
	var k, n int
	var asJSON bool
	c := &cobra.Command{
		Use:   "gmm --model MODEL.json [DATA.csv|-] [--data mnist|digits] [-k K]",
		Short: "Fit a Gaussian mixture to a VAE's codes and compare it with the prior as a generator",
		Long: `Fit a Gaussian mixture (latent gmm's EM) to the posterior means of the
training rows and compare it with the prior N(0, I) as the density codes are
drawn from: the mean log-density of the held-out rows' codes under each, and
the Fréchet distance (squared 2-Wasserstein distance between fitted normals, in
the data's own features) between decoded samples of each and the held-out
rows, with the held-out rows' reconstructions for reference; when the rows
are labelled, also in the hidden features of an MLP classifier trained on the
training rows (the FID's recipe with a classifier of the data at hand).

For a plain autoencoder, whose codes follow no prior, this is how it becomes a
generator (ex-post density estimation, Ghosh et al. 2020). --out writes the
mixture ("latent.gmm" model file; 'latent vae sample --mixture' draws from it),
--plot samples of both densities, --plot-latent the codes with the mixture's
ellipses (two latent dimensions).`,
		Example: `  latent vae gmm --model mnist-vae.json --data mnist -k 10 --out codes-gmm.json --plot gmm-samples.png
  latent vae gmm --model digits-vae.json --data digits -k 10 --plot-latent codes.png --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" {
				return usagef("--model MODEL.json is required")
			}
			if k < 1 || n < 0 {
				return usagef("-k must be at least 1 and -n not negative")
			}
			ct, err := mixture.ParseCovarianceType(cov)
			if err != nil {
				return usageError{err}
			}
			opts := of.options(append([]string{model}, args...)...)
			if err := checkOutputs(opts, []string{out}, plotPath, latentPlot); err != nil {
				return err
			}
			m, err := loadVAEModel(model)
			if err != nil {
				return err
			}
			src.fromModel(cmd, m, args)
			d, err := src.load(e, args, nil)
			if err != nil {
				return err
			}
			if err := checkVAEColumns(d, m); err != nil {
				return err
			}
			if d.test == nil {
				return usagef("%s has no held-out rows to compare against (%s); give --test FILE or --test-fraction", d.name, d.split)
			}
			if n == 0 {
				n = d.testRows
			}
			if latentPlot != "" && m.Latent() != 2 {
				return usagef("--plot-latent: the model has %d latent dimensions; the chart needs 2", m.Latent())
			}
			r, err := compareLatentDensities(cmd.Context(), m, d.x, d.test, d.labels, d.testLabels, k, ct, n, src.seed)
			if err != nil {
				return err
			}
			if out != "" {
				data, err := r.gmm.Marshal()
				if err != nil {
					return err
				}
				if err := fileio.WriteBytes(out, data, opts); err != nil {
					return err
				}
			}
			if plotPath != "" {
				if d.h == 0 {
					return usagef("--plot: the rows of %s are not images; give --image HxW", d.name)
				}
				show := min(n, 20)
				_, dim := r.priorX.Dims()
				ch, err := plots.VAECompare([]plots.ImageSet{{Name: "prior N(0, I)", X: r.priorX.Slice(0, show, 0, dim)},
					{Name: "mixture", X: r.mixX.Slice(0, show, 0, dim)}}, d.h, d.w, "Decoded samples from two densities of codes")
				if err != nil {
					return err
				}
				if err := saveFigure(plotPath, ch, opts); err != nil {
					return err
				}
			}
			if latentPlot != "" {
				fig, err := plots.GMMFit(r.trainCodes, r.gmm, plots.GMMOptions{Title: fmt.Sprintf("A %d-component mixture fitted to the codes", k)})
				if err != nil {
					return err
				}
				if err := saveFigure(latentPlot, fig, opts); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(e.stdout, struct {
					Data  string         `json:"data"`
					Model string         `json:"model"`
					Out   string         `json:"out,omitempty"`
					Cmp   *latentMixture `json:"comparison"`
				}{d.name, model, out, r})
			}
			var b bytes.Buffer
			fmt.Fprintf(&b, "%s: codes of %d training rows from %s, compared on %d held-out rows (%s)\n", d.name, d.trainRows, model, d.testRows, d.split)
			r.write(&b, m.Config().Autoencoder)
			var wrote []string
			for _, p := range []string{out, plotPath, latentPlot} {
				if p != "" {
					wrote = append(wrote, p)
				}
			}
			if len(wrote) > 0 {
				fmt.Fprintf(&b, "\nwrote %s\n", joinStrings(wrote))
			}
			_, err = e.stdout.Write(b.Bytes())
			return err
		},
	}
	fs := c.Flags()
	src.register(fs)
	of.register(fs)
	fs.StringVarP(&model, "model", "m", "", "model file (or checkpoint) written by 'latent vae train'")
	fs.IntVarP(&k, "k", "k", 10, "mixture components")
	fs.StringVar(&cov, "cov", "full", "covariance type: full, diag, spherical or tied")
	fs.IntVarP(&n, "n", "n", 0, "samples drawn from each density (default: as many as held-out rows)")
	fs.Uint64Var(&src.seed, "seed", 1, "seed of the split, the mixture's start and the samples (default: the model's)")
	fs.StringVarP(&out, "out", "o", "", "write the fitted mixture (a latent.gmm model file)")
	fs.StringVar(&plotPath, "plot", "", "draw decoded samples of both densities (.png, .svg or .pdf)")
	fs.StringVar(&latentPlot, "plot-latent", "", "draw the codes with the mixture's ellipses (2 latent dimensions)")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func joinStrings(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(x)
	}
	return b.String()
}
