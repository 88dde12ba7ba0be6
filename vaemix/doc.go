// Package vaemix fits a Gaussian mixture to a variational autoencoder's
// codes, as a learned prior, and compares it with the VAE's own prior
// N(0, I) as the density codes are drawn from when the decoder is used as
// a generator.
//
// # Why a mixture on the codes
//
// The KL term of the ELBO pulls each q(z | x) towards N(0, I), but the
// codes of all the training rows together — the aggregate posterior
// q(z) = (1/n) Σ_i q(z | x_i) — need not fill N(0, I): they form clusters
// with gaps between them, and a code drawn from N(0, I) that lands in a
// gap decodes to something between classes (Dai & Wipf 2019). Fitting a
// density to the posterior means of the training rows after training and
// drawing codes from it instead ("ex-post density estimation", Ghosh et
// al. 2020) costs one EM fit; it is also how a plain autoencoder, whose
// codes follow no prior at all, becomes a generator.
//
// # The measures
//
// Compare fits K components by EM (package mixture) to the posterior means
// μ(x) of the training rows and reports, on the held-out rows:
//
//   - the mean log-density of the held-out rows' posterior means under
//     each density, in nats per code: log N(μ; 0, I) against
//     log Σ_k π_k N(μ; μ_k, Σ_k). A higher value is a better description
//     of where the encoder puts new data;
//   - the squared Fréchet distance between n decoded samples of each
//     density and the held-out rows, with the held-out rows' own
//     reconstructions Decode(μ(x)) as the floor a code of this size allows:
//     in the data's own features (pixels), and, when the rows are
//     labelled, in the hidden features of an MLP classifier trained on the
//     labelled training rows — the recipe of the FID (Heusel et al. 2017)
//     with a classifier of the data at hand in place of Inception.
//
// The Fréchet distance (vae.FrechetDistance) is the 2-Wasserstein distance
// between normals fitted to two sets of rows (Dowson & Landau 1982),
//
//	d² = ‖m_a − m_b‖² + tr(C_a + C_b − 2 (C_a^½ C_b C_a^½)^½);
//
// lower is closer.
//
// The classifier has one hidden layer of min(128, max(16, d)) ReLU units
// (d the number of columns), trained with Adam on batches of 128 for 50
// epochs (5 beyond 20000 rows), without a validation split, on the rows as
// they are for a Bernoulli decoder (values in [0, 1]) and standardised
// otherwise; its held-out accuracy is reported beside the distances.
//
// Randomness: Options.Seed seeds the mixture's k-means start, the
// classifier, and the samples: the prior's codes from the PCG stream
// (Seed, vae.SampleStream), the mixture's from (Seed, SampleStream), the
// streams latent's CLI uses, so `latent vae gmm` and Compare give the same
// numbers.
//
// # Sources
//
//   - Ghosh, P., Sajjadi, M. S. M., Vergari, A., Black, M. & Schölkopf, B.
//     (2020). From variational to deterministic autoencoders. ICLR.
//     (Ex-post density estimation with a Gaussian mixture.)
//   - Dai, B. & Wipf, D. (2019). Diagnosing and enhancing VAE models. ICLR.
//     (The aggregate posterior does not match the prior.)
//   - Heusel, M. et al. (2017). GANs trained by a two time-scale update rule
//     converge to a local Nash equilibrium. NeurIPS. (The FID.)
//   - Dowson, D. C. & Landau, B. V. (1982). The Fréchet distance between
//     multivariate normal distributions. Journal of Multivariate Analysis
//     12(3).
package vaemix
