package tour

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
	"github.com/latentgo/latent/vaemix"
)

// The set-up of the tour's VAE: `latent vae train --data digits --latent 2
// --hidden 128 --epochs 30 --batch 64`, IWAE with k = 500, a mixture of 10.
const vaeLatent, vaeHidden, vaeEpochs, vaeBatch, vaeIWAEK, vaeMixK = 2, 128, 30, 64, 500, 10

// vaeRun is what the tour's VAE part measures.
type vaeRun struct {
	d          *vae.Data
	m, ae      *vae.Model
	rep, aeRep *vae.Report
	iw         vae.IWAE
	cmp, aeCmp *vaemix.Report
}

// vaePart is the variational-autoencoder part of the tour: a VAE with a
// two-dimensional code on the 8×8 digits, its ELBO per epoch, the
// importance-weighted log-likelihood, reconstructions, samples, the latent
// space and the learned manifold, against a plain autoencoder of the same
// shape, and a Gaussian mixture fitted to the codes of each (package
// vaemix, as `latent vae gmm`). It takes a few seconds.
func vaePart(ctx context.Context, d *Env) (*Section, error) {
	r := &vaeRun{d: vae.Digits().HoldOut(0.2, d.Seed)}
	opts := vae.Options{Model: vae.Config{Latent: vaeLatent, Hidden: []int{vaeHidden}}, Epochs: vaeEpochs, BatchSize: vaeBatch,
		Test: r.d.Test, Seed: d.Seed, Data: "digits", Columns: r.d.Columns}
	var err error
	if r.m, r.rep, err = vae.Train(ctx, r.d.Train, opts); err != nil {
		return nil, err
	}
	opts.Model.Autoencoder = true
	if r.ae, r.aeRep, err = vae.Train(ctx, r.d.Train, opts); err != nil {
		return nil, err
	}
	ll, err := r.m.LogLikelihood(ctx, r.d.Test, vae.IWAEOptions{K: vaeIWAEK, Seed: d.Seed})
	if err != nil {
		return nil, err
	}
	r.iw = vae.Summarise(ll, vaeIWAEK)
	if err := r.charts(d); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// VAE × mixture: a Gaussian mixture fitted to the codes of the training
	// digits, as a generator against the prior; and the same for the
	// autoencoder, which has no prior of its own.
	mixOpts := vaemix.Options{K: vaeMixK, Covariance: mixture.Full, Seed: d.Seed, TrainLabels: r.d.TrainLabels, TestLabels: r.d.TestLabels}
	if r.cmp, err = vaemix.Compare(ctx, r.m, r.d.Train, r.d.Test, mixOpts); err != nil {
		return nil, err
	}
	if r.aeCmp, err = vaemix.Compare(ctx, r.ae, r.d.Train, r.d.Test, mixOpts); err != nil {
		return nil, err
	}
	c := &chartWriter{d: d}
	c.put("vae_mixture.png")(plots.GMMFit(r.cmp.TrainMeans, r.cmp.Mixture, plots.GMMOptions{Title: "A 10-component Gaussian mixture fitted to the VAE's codes"}))
	c.put("vae_generators.png")(plots.VAECompare([]plots.ImageSet{
		{Name: "VAE, prior", X: r.cmp.PriorSamples.Slice(0, 10, 0, 64)},
		{Name: "VAE, mixture", X: r.cmp.MixtureSamples.Slice(0, 10, 0, 64)},
		{Name: "AE, mixture", X: r.aeCmp.MixtureSamples.Slice(0, 10, 0, 64)},
	}, 8, 8, "Decoded samples: codes from the prior or from a fitted mixture"))
	if c.err != nil {
		return nil, c.err
	}
	return r.section(d), nil
}

// chartWriter writes the tour's charts as PNG, keeping the first error.
type chartWriter struct {
	d   *Env
	err error
}

func (c *chartWriter) put(name string) func(plots.Figure, error) {
	return func(fig plots.Figure, err error) {
		if c.err == nil {
			c.err = err
		}
		if c.err == nil {
			c.err = c.d.writeWith(name, pngWriter(fig))
		}
	}
}

// charts draws the curves, reconstructions, samples, latent map and
// manifold.
func (r *vaeRun) charts(d *Env) error {
	c := &chartWriter{d: d}
	c.put("vae_curves.png")(plots.VAECurves(r.rep, "VAE 64-128-2 on the 8×8 digits"))
	show := r.d.Test.Slice(0, 10, 0, 64)
	rv, err := r.m.Reconstruct(show)
	if err != nil {
		return err
	}
	ra, err := r.ae.Reconstruct(show)
	if err != nil {
		return err
	}
	c.put("vae_reconstructions.png")(plots.VAECompare([]plots.ImageSet{{Name: "input", X: show}, {Name: "VAE", X: rv}, {Name: "autoencoder", X: ra}}, 8, 8,
		"Held-out digits, reconstructed through a 2-D code"))
	samples, err := priorSamples(r.m, 100, d.Seed)
	if err != nil {
		return err
	}
	c.put("vae_samples.png")(plots.VAESamples(samples, 8, 8, 10, "Samples: z ~ N(0, I), decoded"))
	mu, _, err := r.m.Encode(r.d.Test)
	if err != nil {
		return err
	}
	ids, names := plots.SortedGroups(r.d.TestLabels)
	c.put("vae_latent.png")(plots.VAELatent(mu, 0, 1, ids, names, "Posterior means of the held-out digits"))
	c.put("vae_manifold.png")(plots.VAEManifold(r.m, 15, 8, 8, "The learned manifold: a normal-quantile grid of codes, decoded"))
	return c.err
}

// section writes the tour's text and numbers.
func (r *vaeRun) section(d *Env) *Section {
	last, aeLast := r.rep.Epochs[len(r.rep.Epochs)-1], r.aeRep.Epochs[len(r.aeRep.Epochs)-1]
	cmp, aeCmp, iw := r.cmp, r.aeCmp, r.iw
	nTrain, _ := r.d.Train.Dims()
	nTest, _ := r.d.Test.Dims()
	var b strings.Builder
	fmt.Fprintf(&b, "A variational autoencoder learns an encoder q(z|x) = N(μ(x), diag σ²(x)) and a decoder p(x|z) together by maximising the evidence lower bound, ")
	fmt.Fprintf(&b, "ELBO(x) = E_q[log p(x|z)] − KL(q(z|x) ‖ N(0, I)) ≤ log p(x), with gradients through z = μ + σ·ε (Kingma & Welling 2014). ")
	fmt.Fprintf(&b, "Here the %d training digits (pixels divided by 16, %d held out) go through an encoder 64-%d-(2+2) and a Bernoulli decoder 2-%d-64, ", nTrain, nTest, vaeHidden, vaeHidden)
	fmt.Fprintf(&b, "%d epochs of Adam on batches of %d (`latent vae train --data digits --latent 2 --hidden %d --epochs %d --batch %d --seed %d`).\n\n", vaeEpochs, vaeBatch, vaeHidden, vaeEpochs, vaeBatch, d.Seed)
	fmt.Fprintf(&b, "On the held-out digits the ELBO is %.2f nats per image: a reconstruction term of %.2f nats and a KL term of %.2f nats ", last.Test.ELBO, last.Test.Reconstruction, last.Test.KL)
	fmt.Fprintf(&b, "(per dimension %s; %d of %d dimensions active). ", fmtFloats(last.KLPerDim, 2), last.ActiveUnits, vaeLatent)
	fmt.Fprintf(&b, "The importance-weighted estimate with k = %d samples (Burda et al. 2016) tightens the bound to log p(x) ≥ %.2f ± %.2f nats.\n\n", vaeIWAEK, iw.LogLik, iw.StdErr)
	fmt.Fprintf(&b, "A plain autoencoder of the same shape reconstructs the held-out digits with a loss of %.2f nats, against the VAE's %.2f: ", aeLast.Test.Reconstruction, last.Test.Reconstruction)
	fmt.Fprintf(&b, "without the KL term it may spread its codes freely, but nothing makes them follow a known distribution, so it has no generator; ")
	fmt.Fprintf(&b, "the VAE's codes are pulled towards N(0, I), so drawing z from the prior and decoding gives new digits, and a grid of codes shows the learned manifold.\n\n")
	better := map[bool]string{false: "better", true: "worse"}[cmp.MixtureLogDensity < cmp.PriorLogDensity]
	fmt.Fprintf(&b, "A Gaussian mixture with %d components fitted by EM to the training codes (`latent vae gmm --model digits-vae.json --data digits -k %d`, with the model trained as above and saved by `--out digits-vae.json`) ", vaeMixK, vaeMixK)
	fmt.Fprintf(&b, "gives the held-out digits' codes a mean log-density of %.2f nats, against %.2f under N(0, I): a %s description of where the encoder puts new digits. ", cmp.MixtureLogDensity, cmp.PriorLogDensity, better)
	fmt.Fprintf(&b, "As generators, measured by the Fréchet distance between %d decoded samples and the held-out digits in %s (lower is closer): ", cmp.Samples, cmp.Features)
	fmt.Fprintf(&b, "prior %.2f, mixture %.2f (for reference, the held-out digits' own reconstructions: %.2f). ", *cmp.FeatureFrechetPrior, *cmp.FeatureFrechetMixture, *cmp.FeatureFrechetReconstruction)
	fmt.Fprintf(&b, "The KL term keeps a VAE's codes near N(0, I), so its prior is a generator of its own; an autoencoder's codes follow no prior: ")
	fmt.Fprintf(&b, "its decoder fed N(0, I) codes scores %.2f, fed codes drawn from a mixture fitted to its own codes %.2f (ex-post density estimation, Ghosh et al. 2020).\n", *aeCmp.FeatureFrechetPrior, *aeCmp.FeatureFrechetMixture)
	return &Section{
		Text: b.String(),
		Figures: []Figure{
			{File: "vae_curves.png", Caption: "ELBO, reconstruction and KL terms per epoch, training batches and held-out digits"},
			{File: "vae_reconstructions.png", Caption: "Held-out digits above their VAE and autoencoder reconstructions"},
			{File: "vae_samples.png", Caption: "100 samples from the VAE: codes from N(0, I), decoded"},
			{File: "vae_latent.png", Caption: "Posterior means of the held-out digits, coloured by digit"},
			{File: "vae_manifold.png", Caption: "The learned manifold: codes on a normal-quantile grid, decoded"},
			{File: "vae_mixture.png", Caption: "A 10-component Gaussian mixture fitted by EM to the VAE's codes of the training digits"},
			{File: "vae_generators.png", Caption: "Decoded samples: VAE codes from the prior, from the fitted mixture, and autoencoder codes from its fitted mixture"},
		},
		Numbers: map[string]any{
			"train_rows": nTrain, "test_rows": nTest, "epochs": vaeEpochs,
			"test_elbo": last.Test.ELBO, "test_reconstruction": last.Test.Reconstruction, "test_kl": last.Test.KL, "active_units": last.ActiveUnits,
			"iwae_k": vaeIWAEK, "iwae_log_lik": iw.LogLik, "iwae_std_err": iw.StdErr,
			"autoencoder_reconstruction": aeLast.Test.Reconstruction, "params": r.rep.Params, "seconds_per_epoch": meanEpochSeconds(r.rep),
			"mixture_k": vaeMixK, "codes_log_density_prior": cmp.PriorLogDensity, "codes_log_density_mixture": cmp.MixtureLogDensity,
			"frechet_prior": *cmp.FeatureFrechetPrior, "frechet_mixture": *cmp.FeatureFrechetMixture, "frechet_reconstruction": *cmp.FeatureFrechetReconstruction,
			"ae_frechet_mixture": *aeCmp.FeatureFrechetMixture, "ae_frechet_prior": *aeCmp.FeatureFrechetPrior,
		},
	}
}

func meanEpochSeconds(rep *vae.Report) float64 {
	s := 0.0
	for _, e := range rep.Epochs {
		s += e.Seconds
	}
	return s / float64(len(rep.Epochs))
}

func fmtFloats(v []float64, prec int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'f', prec, 64)
	}
	return "[" + strings.Join(s, " ") + "]"
}
