package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
)

// demoVAE is the variational-autoencoder part of the tour: a VAE with a
// two-dimensional code on the 8×8 digits, its ELBO per epoch, the
// importance-weighted log-likelihood, reconstructions, samples, the latent
// space and the learned manifold, against a plain autoencoder of the same
// shape. It takes a few seconds.
func demoVAE(ctx context.Context, d *demo) (*demoSection, error) {
	ds := datasets.Digits()
	ds.X.Scale(1.0/16, ds.X)
	const frac = 0.2
	train, trainLabels, test, testLabels := holdOut(ds.X, ds.Labels, frac, d.seed)
	const latent, hidden, epochs, batch = 2, 128, 30, 64
	opts := vae.Options{Model: vae.Config{Latent: latent, Hidden: []int{hidden}}, Epochs: epochs, BatchSize: batch,
		Test: test, Seed: d.seed, Data: "digits", Columns: ds.Columns}
	m, rep, err := vae.Train(ctx, train, opts)
	if err != nil {
		return nil, err
	}
	aeOpts := opts
	aeOpts.Model.Autoencoder = true
	ae, aeRep, err := vae.Train(ctx, train, aeOpts)
	if err != nil {
		return nil, err
	}
	const k = 500
	ll, err := m.LogLikelihood(ctx, test, vae.IWAEOptions{K: k, Seed: d.seed})
	if err != nil {
		return nil, err
	}
	iw := vae.Summarise(ll, k)
	last, aeLast := rep.Epochs[len(rep.Epochs)-1], aeRep.Epochs[len(aeRep.Epochs)-1]

	write := func(name string, fig plots.Figure) error {
		return d.writeWith(name, func(w io.Writer) error { return plots.Encode(w, "png", fig) })
	}
	curves, err := plots.VAECurves(rep, "VAE 64-128-2 on the 8×8 digits")
	if err != nil {
		return nil, err
	}
	if err := write("vae_curves.png", curves); err != nil {
		return nil, err
	}
	_, dim := test.Dims()
	show := test.Slice(0, 10, 0, dim)
	rv, err := m.Reconstruct(show)
	if err != nil {
		return nil, err
	}
	ra, err := ae.Reconstruct(show)
	if err != nil {
		return nil, err
	}
	recon, err := plots.VAECompare([]plots.ImageSet{{Name: "input", X: show}, {Name: "VAE", X: rv}, {Name: "autoencoder", X: ra}}, 8, 8,
		"Held-out digits, reconstructed through a 2-D code")
	if err != nil {
		return nil, err
	}
	if err := write("vae_reconstructions.png", recon); err != nil {
		return nil, err
	}
	samples, err := priorSamples(m, 100, d.seed)
	if err != nil {
		return nil, err
	}
	sc, err := plots.VAESamples(samples, 8, 8, 10, "Samples: z ~ N(0, I), decoded")
	if err != nil {
		return nil, err
	}
	if err := write("vae_samples.png", sc); err != nil {
		return nil, err
	}
	mu, _, err := m.Encode(test)
	if err != nil {
		return nil, err
	}
	ids, names := sortedGroups(testLabels)
	lp, err := plots.VAELatent(mu, 0, 1, ids, names, "Posterior means of the held-out digits")
	if err != nil {
		return nil, err
	}
	if err := write("vae_latent.png", lp); err != nil {
		return nil, err
	}
	mf, err := plots.VAEManifold(m, 15, 8, 8, "The learned manifold: a normal-quantile grid of codes, decoded")
	if err != nil {
		return nil, err
	}
	if err := write("vae_manifold.png", mf); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// VAE × mixture: a Gaussian mixture fitted to the codes of the training
	// digits, as a generator against the prior; and the same for the
	// autoencoder, which has no prior of its own.
	const kMix = 10
	cmp, err := compareLatentDensities(ctx, m, train, test, trainLabels, testLabels, kMix, mixture.Full, nTest(test), d.seed)
	if err != nil {
		return nil, err
	}
	aeCmp, err := compareLatentDensities(ctx, ae, train, test, trainLabels, testLabels, kMix, mixture.Full, nTest(test), d.seed)
	if err != nil {
		return nil, err
	}
	gfig, err := plots.GMMFit(cmp.trainCodes, cmp.gmm, plots.GMMOptions{Title: "A 10-component Gaussian mixture fitted to the VAE's codes"})
	if err != nil {
		return nil, err
	}
	if err := write("vae_mixture.png", gfig); err != nil {
		return nil, err
	}
	gens, err := plots.VAECompare([]plots.ImageSet{
		{Name: "VAE, prior", X: cmp.priorX.Slice(0, 10, 0, dim)},
		{Name: "VAE, mixture", X: cmp.mixX.Slice(0, 10, 0, dim)},
		{Name: "AE, mixture", X: aeCmp.mixX.Slice(0, 10, 0, dim)},
	}, 8, 8, "Decoded samples: codes from the prior or from a fitted mixture")
	if err != nil {
		return nil, err
	}
	if err := write("vae_generators.png", gens); err != nil {
		return nil, err
	}

	nTrain, _ := train.Dims()
	nTest, _ := test.Dims()
	var b strings.Builder
	fmt.Fprintf(&b, "A variational autoencoder learns an encoder q(z|x) = N(μ(x), diag σ²(x)) and a decoder p(x|z) together by maximising the evidence lower bound, ")
	fmt.Fprintf(&b, "ELBO(x) = E_q[log p(x|z)] − KL(q(z|x) ‖ N(0, I)) ≤ log p(x), with gradients through z = μ + σ·ε (Kingma & Welling 2014). ")
	fmt.Fprintf(&b, "Here the %d training digits (pixels divided by 16, %d held out) go through an encoder 64-%d-(2+2) and a Bernoulli decoder 2-%d-64, ", nTrain, nTest, hidden, hidden)
	fmt.Fprintf(&b, "%d epochs of Adam on batches of %d (`latent vae train --data digits --latent 2 --hidden %d --epochs %d --batch %d --seed %d`).\n\n", epochs, batch, hidden, epochs, batch, d.seed)
	fmt.Fprintf(&b, "On the held-out digits the ELBO is %.2f nats per image: a reconstruction term of %.2f nats and a KL term of %.2f nats ", last.Test.ELBO, last.Test.Reconstruction, last.Test.KL)
	fmt.Fprintf(&b, "(per dimension %s; %d of %d dimensions active). ", fmtFloats(last.KLPerDim, 2), last.ActiveUnits, latent)
	fmt.Fprintf(&b, "The importance-weighted estimate with k = %d samples (Burda et al. 2016) tightens the bound to log p(x) ≥ %.2f ± %.2f nats.\n\n", k, iw.LogLik, iw.StdErr)
	fmt.Fprintf(&b, "A plain autoencoder of the same shape reconstructs the held-out digits with a loss of %.2f nats, against the VAE's %.2f: ", aeLast.Test.Reconstruction, last.Test.Reconstruction)
	fmt.Fprintf(&b, "without the KL term it may spread its codes freely, but nothing makes them follow a known distribution, so it has no generator; ")
	fmt.Fprintf(&b, "the VAE's codes are pulled towards N(0, I), so drawing z from the prior and decoding gives new digits, and a grid of codes shows the learned manifold.\n\n")
	better := "better"
	if cmp.MixtureLogDensity < cmp.PriorLogDensity {
		better = "worse"
	}
	fmt.Fprintf(&b, "A Gaussian mixture with %d components fitted by EM to the training codes (`latent vae gmm --model digits-vae.json --data digits -k %d`, with the model trained as above and saved by `--out digits-vae.json`) ", kMix, kMix)
	fmt.Fprintf(&b, "gives the held-out digits' codes a mean log-density of %.2f nats, against %.2f under N(0, I): a %s description of where the encoder puts new digits. ", cmp.MixtureLogDensity, cmp.PriorLogDensity, better)
	fmt.Fprintf(&b, "As generators, measured by the Fréchet distance between %d decoded samples and the held-out digits in %s (lower is closer): ", cmp.Samples, cmp.Features)
	fmt.Fprintf(&b, "prior %.2f, mixture %.2f (for reference, the held-out digits' own reconstructions: %.2f). ", *cmp.FeatureFrechetPrior, *cmp.FeatureFrechetMixture, *cmp.FeatureFrechetReconstruction)
	fmt.Fprintf(&b, "The KL term keeps a VAE's codes near N(0, I), so its prior is a generator of its own; an autoencoder's codes follow no prior: ")
	fmt.Fprintf(&b, "its decoder fed N(0, I) codes scores %.2f, fed codes drawn from a mixture fitted to its own codes %.2f (ex-post density estimation, Ghosh et al. 2020).\n", *aeCmp.FeatureFrechetPrior, *aeCmp.FeatureFrechetMixture)
	return &demoSection{
		Text: b.String(),
		Figures: []demoFigure{
			{File: "vae_curves.png", Caption: "ELBO, reconstruction and KL terms per epoch, training batches and held-out digits"},
			{File: "vae_reconstructions.png", Caption: "Held-out digits above their VAE and autoencoder reconstructions"},
			{File: "vae_samples.png", Caption: "100 samples from the VAE: codes from N(0, I), decoded"},
			{File: "vae_latent.png", Caption: "Posterior means of the held-out digits, coloured by digit"},
			{File: "vae_manifold.png", Caption: "The learned manifold: codes on a normal-quantile grid, decoded"},
			{File: "vae_mixture.png", Caption: "A 10-component Gaussian mixture fitted by EM to the VAE's codes of the training digits"},
			{File: "vae_generators.png", Caption: "Decoded samples: VAE codes from the prior, from the fitted mixture, and autoencoder codes from its fitted mixture"},
		},
		Numbers: map[string]any{
			"train_rows":                 nTrain,
			"test_rows":                  nTest,
			"epochs":                     epochs,
			"test_elbo":                  last.Test.ELBO,
			"test_reconstruction":        last.Test.Reconstruction,
			"test_kl":                    last.Test.KL,
			"active_units":               last.ActiveUnits,
			"iwae_k":                     k,
			"iwae_log_lik":               iw.LogLik,
			"iwae_std_err":               iw.StdErr,
			"autoencoder_reconstruction": aeLast.Test.Reconstruction,
			"params":                     rep.Params,
			"seconds_per_epoch":          meanEpochSeconds(rep),
			"mixture_k":                  kMix,
			"codes_log_density_prior":    cmp.PriorLogDensity,
			"codes_log_density_mixture":  cmp.MixtureLogDensity,
			"frechet_prior":              *cmp.FeatureFrechetPrior,
			"frechet_mixture":            *cmp.FeatureFrechetMixture,
			"frechet_reconstruction":     *cmp.FeatureFrechetReconstruction,
			"ae_frechet_mixture":         *aeCmp.FeatureFrechetMixture,
			"ae_frechet_prior":           *aeCmp.FeatureFrechetPrior,
		},
	}, nil
}

func nTest(x *mat.Dense) int {
	n, _ := x.Dims()
	return n
}

func meanEpochSeconds(rep *vae.Report) float64 {
	s := 0.0
	for _, e := range rep.Epochs {
		s += e.Seconds
	}
	return s / float64(len(rep.Epochs))
}
