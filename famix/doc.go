// Package famix fits finite mixtures of non-Gaussian component families on
// latent's EM driver (package em): Bernoulli per column (multivariate
// binary) and Poisson per column (counts).
//
// Both families are products over the d columns given the component k, so
// their sufficient statistics are the same: N_k = Σ_i w_i q_ik and
// S_kj = Σ_i w_i q_ik x_ij, mergeable across blocks of rows. The M-step
// maximising E_q log p(x, z | θ) is π_k = N_k / Σ w and
//
//	Bernoulli: p_kj = (S_kj + a) / (N_k + a + b)   (a = b = 0: maximum likelihood;
//	           a Beta(a+1, b+1) prior's MAP, Laplace smoothing at a = b = 1)
//	Poisson:   λ_kj = S_kj / N_k
//
// with log-densities Σ_j log(x_j p_kj + (1 − x_j)(1 − p_kj)) and
// Σ_j (x_j log λ_kj − λ_kj − log Γ(x_j + 1)). Free parameters: K − 1 + K d.
// The forms match R's flexmix FLXMCmvbinary and FLXMCmvpois (Leisch 2004,
// Grün & Leisch 2008), which the tests reproduce from the same start.
//
// Sources: McLachlan & Peel, Finite Mixture Models (2000), ch. 2;
// F. Leisch, "FlexMix", J. Stat. Softw. 11(8), 2004.
package famix
