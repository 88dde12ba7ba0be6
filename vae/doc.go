// Package vae trains variational autoencoders on latent's own autodiff
// core: an encoder network that maps data x to a distribution over codes
// z, a decoder network that maps a code back to a distribution over data,
// both fitted together by maximising the evidence lower bound. The
// decoder fed codes from the prior is a generator; a plain deterministic
// autoencoder is included as the baseline.
//
// # The model and the bound
//
// The generative model draws a code from the prior and data given the
// code; the encoder approximates the posterior by a diagonal Gaussian
// whose parameters a network computes from x:
//
//	p(z) = N(0, I),   p_θ(x | z) = decoder,   q_φ(z | x) = N(μ_φ(x), diag σ²_φ(x)).
//
// For any q, log p(x) splits into a bound and a gap (Kingma & Welling
// 2014, eq. 1–3):
//
//	log p(x) = ELBO(x) + KL(q(z | x) ‖ p(z | x)),
//	ELBO(x)  = E_q[log p(x | z)] − KL(q(z | x) ‖ p(z))  ≤ log p(x),
//
// the same split that drives EM (the E-step closes the gap exactly; here
// the encoder closes it as well as a Gaussian family allows). The first
// term of the ELBO rewards reconstruction, the second keeps the codes near
// the prior. Both are reported apart, in nats per row. With a diagonal
// Gaussian q the KL term has a closed form (Kingma & Welling 2014,
// appendix B; catalog N-09):
//
//	KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²).
//
// The reconstruction term is estimated with one code per row drawn by
// reparameterisation (§2.4, "SGVB"), which makes the draw a differentiable
// function of the encoder's outputs for fixed noise:
//
//	z = μ + exp(½ log σ²) ⊙ ε,   ε ~ N(0, I),   ∂z/∂μ = 1,   ∂z/∂log σ² = ½ σ ε.
//
// The encoder outputs log σ², clamped to [LogVarMin, LogVarMax] = [−30, 20]
// before it is exponentiated (catalog N-10), so that neither σ² nor the KL
// term overflows whatever the weights do.
//
// The decoders: Bernoulli, with the decoder's outputs ℓ as logits,
//
//	log p(x | z) = Σ_j x_j log σ(ℓ_j) + (1 − x_j) log σ(−ℓ_j) = −Σ_j BCE(ℓ_j, x_j),
//
// computed from the logits (log σ(ℓ) = −softplus(−ℓ); catalog N-07, N-08),
// never as log of a sigmoid; and Gaussian with the decoder's outputs as
// means and a variance that is fixed or learned per column,
//
//	log p(x | z) = −½ Σ_j (log 2π + log σ_j² + (x_j − μ_j(z))² / σ_j²).
//
// The Bernoulli decoder takes x ∈ [0, 1]: binary data, or grey levels as
// the PyTorch example uses them (its "test loss" is then a cross-entropy
// rather than a likelihood of a proper density on [0, 1]; Loaiza-Ganem &
// Cunningham 2019 give the continuous Bernoulli's normaliser). Values
// outside [0, 1] are refused with a pointer to the Gaussian decoder
// (catalog V-04). The Gaussian decoder sees standardised data by default;
// the ELBO is reported in the data's units, the log-Jacobian Σ_j log s_j
// of the scaling included.
//
// # Training
//
// Adam (Kingma & Ba 2015) minimises the mean over a minibatch of
//
//	Recon_i + β · KL_i,
//
// β = 1 being the ELBO itself; β ≠ 1 is the β-VAE (Higgins et al. 2017).
// KL warm-up raises β linearly from 0 over the first epochs (Bowman et al.
// 2016, §3.1; Sønderby et al. 2016). Cyclical annealing (Fu et al. 2019,
// eq. 6; Options.Anneal) repeats the ramp: the T steps of the run are cut
// into M cycles of P = T/M steps, and at step t of the cycle that began at
// step ⌊c·P⌋,
//
//	β_t = β · min(1, (t − ⌊c·P⌋) / (P·R)),
//
// a rise over the share R of each cycle and a plateau at β for the rest
// (M = 4, R = 0.5 by default, the paper's setting); each return to β = 0
// lets the encoder re-learn codes the decoder uses before the KL term
// pulls them to the prior. BetaSchedule gives the value of every step,
// identical to the authors' frange_cycle_linear. Free bits (Kingma et al. 2016, eq. 15)
// replace the KL term by Σ_j max(λ, mean over the batch of KL_j), so that
// no dimension is pushed below λ nats. The defaults are the PyTorch
// example's: 784-400-20 with ReLU units, Bernoulli decoder, Adam 1e-3,
// batches of 128, 10 epochs, and PyTorch's initialisation of linear layers
// (U(±1/√fan_in) for weights and biases). It reaches a test −ELBO of about
// 105–106 nats per MNIST image after 10 epochs, as the example does.
//
// After each epoch the held-out rows are scored (Evaluate): the ELBO and
// its terms, the KL per latent dimension, and the active units, the
// dimensions whose posterior mean varies across the data,
//
//	A_u = Cov_x(E_q[u | x]) > 0.01     (Burda et al. 2016, §5.2),
//
// a posterior-collapse monitor: a decoder that ignores z leaves every
// q(z | x) at the prior, no active unit and a KL term of 0 (catalog V-10).
//
// Training loses nothing. With Options.Checkpoint, the whole state — the
// model, Adam's moments and step count, the position inside the epoch,
// the epoch's running sums and the states of the random streams — is
// written atomically after every epoch and when the context is cancelled
// (Ctrl-C in the CLI); Resume continues it, and the resumed run ends with
// exactly the bits of one that was never interrupted. A checkpoint is a
// JSON envelope followed by a binary payload of its arrays (8 bytes per
// number), whose size follows from the shapes the envelope declares:
// checkpoints of any size that fits in memory are written and read back,
// and a file that is cut or altered is refused (checkpoints of schema 1,
// all in JSON, still load). A model file stays JSON text, capped as every
// model file is; Save refuses a model too large for it, which then lives
// in its checkpoint. Every step goes
// through the divergence rule all of latent's trainers share
// (nn.Divergence): a reconstruction or KL term, objective or gradient that
// stops being finite, a term below the least value it can take (a KL
// below 0), or an objective a thousandfold farther from 0 than at the
// session's first step ends training with a DivergedError naming the step
// and the term; the last checkpoint is left as it was (catalog V-07,
// N-40).
//
// Reproducibility: Options.Seed seeds the weights, the batch order, the
// noise and the binarisation through separate PCG streams; matrix
// products are summed in a fixed order, so a seed gives the same bits
// whatever GOMAXPROCS is.
//
// # Log-likelihood
//
// The importance-weighted bound of Burda, Grosse & Salakhutdinov (2016,
// eq. 8), with k codes from the encoder,
//
//	log p(x) ≥ E[ log (1/k) Σ_{i=1..k} p(x | z_i) p(z_i) / q(z_i | x) ],   z_i ~ q(z | x),
//
// is the ELBO at k = 1 and tightens to log p(x) as k grows; LogLikelihood
// computes it by log-sum-exp of the log-weights, with k = 5000 by default
// as in the paper's tables. When q is the exact posterior every weight
// equals p(x), so the estimate is exact for any k: the tests check this on
// a linear Gaussian model, against the closed-form log N(x; b, WᵀW + σ²I).
//
// # Importance-weighted training
//
// With Options.IWK = k > 1 training maximises that bound instead of the
// ELBO (Burda et al. 2016, §3; IWObjective). Each row draws k codes by
// reparameterisation, z_s = μ + σ ⊙ ε_s, and the batch's loss is
//
//	−L_k(x) = −log (1/k) Σ_s w_s,   log w_s = log p(x | z_s) + log p(z_s) − log q(z_s | x),
//
// with log p(z_s) − log q(z_s | x) = ½ Σ_j (ε_sj² − z_sj² + log σ_j²),
// written through the frozen ε so that every path from the encoder is
// differentiated. The tape's gradient is then Burda et al.'s estimator
// (§3): with the normalised weights w̃_s = w_s / Σ_t w_t (the softmax
// that log-sum-exp passes back),
//
//	∇ L_k = Σ_s w̃_s ∇ log w_s(x, μ_φ(x) + σ_φ(x) ⊙ ε_s; θ, φ),
//
// the reparameterised gradient of each log-weight, averaged with weights
// that favour the codes that explain x best (the ELBO's gradient is
// k = 1, w̃ = 1). L_1 is the ELBO; E[L_k] ≤ E[L_{k+1}] ≤ log p(x)
// (their Theorem 1), so a larger k trains on a tighter bound at k times
// the decoder's cost. β, warm-up, cyclical schedules and free bits act on
// the ELBO's KL term, which the bound does not have, and are refused with
// k > 1; k = 1 trains the ELBO with its closed-form KL, bit for bit. The
// epoch's Loss is −L_k; its ELBO, Reconstruction and KL stay the ELBO's
// terms, the reconstruction averaged over the k codes.
//
// # Conditional generation
//
// With Options.Labels (Config.Classes) the model is a conditional VAE
// (Sohn, Lee & Yan 2015, §4.1): both networks take the one-hot class y
// beside their input,
//
//	q_φ(z | x, y) = N(μ_φ(x, y), diag σ²_φ(x, y)),   p_θ(x | z, y) = decoder([z | onehot(y)]),   p(z) = N(0, I),
//
// and the bound is the ELBO of log p(x | y),
//
//	log p(x | y) ≥ E_q[log p(x | z, y)] − KL(q(z | x, y) ‖ N(0, I)),
//
// (their eq. 4, with the prior independent of y, as in the "CVAE"
// variant of §4.2 that the PyTorch and pythae examples use). Training,
// the IWAE bound (of log p(x | y)), the collapse monitor and the KL terms
// are the unconditional ones with y fed along. SampleClass(dst, y, rng)
// decodes codes from the prior given y: the generator of a chosen class;
// SampleClasses gives a row per class. Methods that take no label
// (Sample, Encode, Decode, Reconstruct, Interpolate) refuse a conditional
// model (ErrConditional); EncodeGiven, ReconstructGiven,
// ReconstructionTermGiven and the Labels of EvalOptions, IWAEOptions and
// AssessOptions take them. The classes are kept, in
// order, in the model file (schema 2).
//
// # The VampPrior
//
// With Config.Prior = PriorVamp the prior is the "variational mixture of
// posteriors" of Tomczak & Welling (2018, eq. 9): the encoder's own
// posteriors at K learned pseudo-inputs u_k (Config.PseudoInputs, 500 by
// default as in the paper),
//
//	p_λ(z) = (1/K) Σ_k q_φ(z | u_k),
//
// the pseudo-inputs trained with the networks (clamped to [0, 1] for a
// Bernoulli decoder, as pythae's hardtanh does; Train starts them at K
// training rows, the paper code's use_training_data_init). The KL term has
// no closed form and is estimated with the same reparameterised draw as
// the reconstruction (§3),
//
//	KL ≈ log q(z | x) − log p_λ(z),   log p_λ(z) = lse_k log N(z; μ(u_k), diag σ²(u_k)) − log K,
//
// computed on the tape as matrix products over the K components and a
// row log-sum-exp, so the gradient reaches the pseudo-inputs through the
// encoder. Evaluate estimates the KL the same way (KLPerDim is then nil:
// a mixture prior's KL does not split by dimension), the IWAE weights use
// log p_λ(z), and Sample draws a component uniformly, then z ~ q(z | u_k).
// One draw of the KL can be negative, so the divergence rule's floor of 0
// on the KL term is lifted; free bits are refused. The pseudo-inputs are
// kept in the model file (schema 2) and PseudoInputs returns them.
//
// # The convolutional architecture
//
// With Config.Arch = ArchConv the rows are ImageH × ImageW grey images
// and the encoder begins with stride-2 convolutions (4×4 kernels,
// padding 1, Config.Channels channels, 32 then 64 by default, each
// halving the image: 28×28 → 14×14 → 7×7, 8×8 → 4×4 → 2×2) with the hidden
// activation, flattened into the fully connected layers of Config.Hidden
// and the linear layer of μ and log σ²; the decoder mirrors it, its
// fully connected layers ending in the hidden activation at the shape of
// the last convolution, then transposed convolutions (autodiff's
// ConvTranspose2D, PyTorch's ConvTranspose2d(4, stride 2, padding 1))
// back to one channel, the last one linear (logits or means). This is the
// layout of the convolutional VAEs of pythae's and PyTorch's examples.
// The architecture, the image shape and the channels are kept in the
// model file (schema 2), the layers initialised as PyTorch does.
//
// # Using a model
//
// A Model is opaque (Config, Columns, Scaling and Trained read it).
// Encode gives μ and log σ² of q(z | x); Decode gives the mean of
// p(x | z) (probabilities for the Bernoulli decoder); Reconstruct is
// Decode(μ(x)); Sample(dst, rng) decodes codes drawn from the prior into
// the rows of dst (SampleStream is the stream latent's CLI seeds);
// Interpolate decodes the straight line between two posterior means.
// Assess scores rows as `latent vae eval` does (Evaluate, and the IWAE
// bound on the first rows with their own ELBO); Report, Eval and
// Assessment have WriteText, the text the CLI prints. Save and Load write
// and read "latent.vae" model files (internal/modelfile), validated on
// load down to the layer shapes; CheckColumns checks data columns against
// a model's by name.
//
// Data prepares rows as the CLI, the demo and the notebooks use them:
// Digits (the 8×8 digits divided by 16), MNIST, or NewData for a table,
// with HoldOut for the seeded hold-out of datasets.Split.
//
// Options.Progress (and ResumeOptions', IWAEOptions') is the one progress
// hook; bad options are *OptionError naming the option; data errors wrap
// ErrNoData or ErrRange; a diverged run is a *DivergedError
// (ErrDiverged, shared with nn), an interrupted one an *InterruptedError;
// sizes that cannot fit in memory are a *MemoryError (ErrMemory), from
// latent's one memory guard, before anything is allocated.
//
// # The autoencoder baseline
//
// With Config.Autoencoder the encoder gives the code itself, z = f(x),
// and the loss is the reconstruction term alone: no KL term, no noise. It
// reconstructs at least as well as the VAE but its codes follow no known
// distribution, so it has no generator and no bound on log p(x);
// Sample and LogLikelihood refuse it (ErrAutoencoder).
//
// # Sources
//
//   - Kingma, D. P. & Welling, M. (2014). Auto-encoding variational Bayes.
//     ICLR. arXiv:1312.6114. (The ELBO, eq. 3; reparameterisation, §2.4;
//     the Gaussian KL, appendix B; the MNIST manifold, Fig. 4.)
//   - Burda, Y., Grosse, R. & Salakhutdinov, R. (2016). Importance weighted
//     autoencoders. ICLR. arXiv:1509.00519. (The k-sample bound, eq. 8;
//     Theorem 1; its gradient, §3; active units, §5.2; k = 5000 for
//     test log-likelihoods.)
//   - Sohn, K., Lee, H. & Yan, X. (2015). Learning structured output
//     representation using deep conditional generative models. NeurIPS.
//     (The conditional VAE, §4.)
//   - Tomczak, J. M. & Welling, M. (2018). VAE with a VampPrior.
//     AISTATS. arXiv:1705.07120. (The prior, eq. 9; its KL by Monte
//     Carlo, §3; pseudo-inputs, Table 1's direction.)
//   - Kingma, D. P. & Ba, J. (2015). Adam: a method for stochastic
//     optimization. ICLR.
//   - Higgins, I. et al. (2017). β-VAE: learning basic visual concepts
//     with a constrained variational framework. ICLR.
//   - Bowman, S. R. et al. (2016). Generating sentences from a continuous
//     space. CoNLL. (KL annealing.) Sønderby, C. K. et al. (2016). Ladder
//     variational autoencoders. NeurIPS. (Warm-up.)
//   - Fu, H., Li, C., Liu, X., Gao, J., Celikyilmaz, A. & Carin, L. (2019).
//     Cyclical annealing schedule: a simple approach to mitigating KL
//     vanishing. NAACL. arXiv:1903.10145. (Eq. 6; their code's
//     frange_cycle_linear.)
//   - Kingma, D. P. et al. (2016). Improved variational inference with
//     inverse autoregressive flow. NeurIPS. (Free bits, eq. 15.)
//   - Loaiza-Ganem, G. & Cunningham, J. P. (2019). The continuous
//     Bernoulli: fixing a pervasive error in variational autoencoders.
//     NeurIPS.
//   - The PyTorch example, pytorch/examples vae/main.py: the architecture,
//     optimiser and test loss reproduced here; PyTorch's torch.nn.Linear
//     for the initialisation.
package vae
