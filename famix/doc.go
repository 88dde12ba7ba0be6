// Package famix fits finite mixtures of component families other than the
// Gaussian-only ones of package mixture, on latent's EM driver (package em):
// Bernoulli (multivariate binary), categorical per column (latent class
// analysis), Poisson per column (counts), the multivariate Student-t, and
// mixed-type tables, whose columns each have a family.
//
// # The model
//
// A component is a product of blocks, each one family over some columns,
// conditionally independent given the component z:
//
//	p(x | θ) = Σ_k π_k Π_b f_{b,k}(x_b)
//
// A single-family mixture has one block; in a mixed-type table the
// Gaussian (or t) columns form one multivariate block with a full
// covariance, and the Bernoulli, categorical and Poisson columns one block
// per family. Each family is one file behind the unexported family
// interface (family.go): the log-density of a block of rows for the E-step,
// its sufficient statistics, the M-step from merged statistics, its number
// of free parameters, sampling, and its model-file form. em merges the
// statistics of blocks of rows in a fixed order, so a fit has the same bits
// for any number of workers.
//
// # The families and their M-steps
//
// With r_ik = w_i q_ik (row weight times responsibility), N_k = Σ_i r_ik and
// π_k = N_k / Σ_i w_i:
//
//	Bernoulli    log f_k = Σ_j x_j log p_kj + (1 − x_j) log(1 − p_kj)
//	             p_kj = (Σ_i r_ik x_ij + a) / (N_k + 2a)
//	categorical  log f_k = Σ_j log p_{k,j,x_j}
//	             p_kjl = (Σ_i r_ik [x_ij = l] + a) / (N_k + L_j a)
//	Poisson      log f_k = Σ_j x_j log λ_kj − λ_kj − log Γ(x_j + 1)
//	             λ_kj = Σ_i r_ik x_ij / N_k
//	Gaussian     μ_k = Σ r x / N_k,  Σ_k = Σ r (x − μ)(x − μ)ᵀ / N_k + εI
//	Student-t    see below
//
// a is Options.Smoothing: the mode under a Beta(a+1, a+1) or Dirichlet(a+1,
// …, a+1) prior, so that a pixel that is always 0 in a component cannot give
// log 0 (a = 1 is Laplace smoothing; a = 0, maximum likelihood, is flexmix's
// FLXMCmvbinary and poLCA's). The Bernoulli and Poisson E-steps are one
// matrix product each (x·(log p − log(1 − p))ᵀ, x·(log λ)ᵀ, on fastblas),
// and so are their statistics (rᵀx).
//
// Free parameters (for BIC): K − 1 weights, and K d (Bernoulli, Poisson),
// K Σ_j (L_j − 1) (categorical), K (p + p(p+1)/2) (Gaussian), plus K for the
// t's ν when it is estimated.
//
// # The Student-t by ECM
//
// The t is a scale mixture of normals, x | u, z = k ~ N(μ_k, Σ_k / u),
// u ~ Gamma(ν_k/2, ν_k/2), so EM treats u as a second latent variable
// (McLachlan & Peel 2000, §7.5; Peel & McLachlan 2000). Given θ, u | x,
// z = k ~ Gamma((ν + p)/2, (ν + δ)/2) with δ = (x − μ)ᵀ Σ⁻¹ (x − μ):
//
//	u_ik = (ν_k + p) / (ν_k + δ_ik),   E log u = ψ((ν_k + p)/2) − log((ν_k + δ_ik)/2)
//	μ_k  = Σ r u x / Σ r u,            Σ_k = Σ r u (x − μ)(x − μ)ᵀ / N_k + εI
//	ν_k  : −ψ(ν/2) + log(ν/2) + 1 + Σ_i r_ik (E log u_ik − u_ik) / N_k = 0
//
// the last by bisection on log ν in [1e-3, 1e6] (1e6 when there is no root:
// the data are lighter-tailed than any t); Options.Nu > 0 fixes ν instead.
// This is the ECM algorithm of Liu & Rubin (1995) in Peel & McLachlan's
// form: both CM-steps use the E-step's u, and the likelihood never falls.
// The first M-step, from a partition, is Gaussian (u ≡ 1) with ν = 30.
//
// # The ELBO
//
// em's trace reports, per iteration, log p(x | θ_{n−1}) ≤ ELBO(q_{n−1},
// θ_n) ≤ log p(x | θ_n). Each family's M-step returns its exact part of
// E_q log p(x, z | θ_n), every constant included (the Poisson's −Σ log x!,
// carried as a statistic); the t's adds E_q log p(u | ν) and the entropy of
// q(u), so that its ELBO is the bound on the complete model (x, z, u).
//
// # Initialisation, selection, files, tables
//
// Each of em.Options.NInit starts draws a hard partition (k-means++ seed rows
// on columns scaled to unit variance, a categorical column counting 1 for a
// mismatch, or a uniform random partition as flexmix's default) and runs
// one M-step from it; FitFromPosterior starts from a given posterior, as
// flexmix's cluster argument. Select fits each K of a list and ranks them
// by BIC = −2 log L + p log n, ICL = BIC − 2 Σ_i w_i log max_k z_ik
// (Biernacki, Celeux & Govaert 2000, in mclust's form) or AIC.
//
// ReadTable reads a CSV file whose columns have families: text labels for a
// categorical column (sorted bytewise; each row holds its label's index), and
// numbers checked against their family's support, each bad value an error
// at file:line:column. Model files are kind "latent.mix" in the versioned
// envelope of internal/modelfile, read strictly (an unknown, missing or
// malformed field is named, body.blocks[1].params.p[0][2]).
//
// # Checks
//
// The tests reproduce R's flexmix (FLXMCmvbinary, FLXMCmvpois; 12 fits,
// mixture/testdata/flexmix), a hand-written R EM for latent class analysis
// and an R implementation of the t mixture's ECM
// (testdata/ref_lca_t.R), check each M-step against brute-force
// perturbation, the ELBO ordering for every family, the categorical family
// with two labels against the Bernoulli (1e-12), the t with ν = 1e6 and 1e9
// against the Gaussian, the t's robustness to 5% outliers, and the recovery
// of a simulated mixed-type table (adjusted Rand index ≥ 0.9).
//
// # Sources
//
//   - G. McLachlan, D. Peel (2000). Finite Mixture Models. Wiley; ch. 2, 7.
//   - D. Peel, G. J. McLachlan (2000). Robust mixture modelling using the t
//     distribution. Statistics and Computing 10:339–348.
//   - C. Liu, D. B. Rubin (1995). ML estimation of the t distribution using
//     EM and its extensions, ECM and ECME. Statistica Sinica 5:19–39.
//   - L. A. Goodman (1974). Exploratory latent structure analysis using both
//     identifiable and unidentifiable models. Biometrika 61:215–231;
//     D. A. Linzer, J. B. Lewis (2011). poLCA. J. Stat. Softw. 42(10).
//   - F. Leisch (2004). FlexMix. J. Stat. Softw. 11(8); B. Grün, F. Leisch
//     (2008). FlexMix version 2. J. Stat. Softw. 28(4).
//   - C. Biernacki, G. Celeux, G. Govaert (2000). Assessing a mixture model
//     for clustering with the integrated completed likelihood. IEEE TPAMI
//     22(7):719–725.
package famix
