// Package em is a driver for the expectation–maximisation algorithm over
// models whose E-step yields mergeable sufficient statistics (the Gaussian
// mixtures of package mixture are one).
//
// # The algorithm
//
// For data x = (x_1, …, x_N) with weights w_i, latent variables z_i and
// parameters θ, every distribution q(z) splits the log-likelihood into two
// parts (Neal & Hinton 1998; Bishop, PRML §9.4, eq. 9.70):
//
//	log p(x | θ) = ELBO(q, θ) + KL(q ‖ p(z | x, θ))
//	ELBO(q, θ)   = Σ_i w_i ( E_{q_i} log p(x_i, z_i | θ) + H(q_i) )
//	KL           = Σ_i w_i Σ_z q_i(z) log( q_i(z) / p(z | x_i, θ) ) ≥ 0
//
// Iteration n of EM (Dempster, Laird & Rubin 1977) maximises the ELBO by
// coordinate ascent:
//
//	E-step: q_{n−1}(z_i) = p(z_i | x_i, θ_{n−1})   (KL = 0: ELBO = log p(x | θ_{n−1}))
//	M-step: θ_n = argmax_θ Σ_i w_i E_{q_{n−1}} log p(x_i, z_i | θ)
//
// so that
//
//	log p(x | θ_n) = ELBO(q_{n−1}, θ_n) + KL(q_{n−1} ‖ p(z | x, θ_n))
//	               ≥ ELBO(q_{n−1}, θ_n) ≥ ELBO(q_{n−1}, θ_{n−1}) = log p(x | θ_{n−1}):
//
// the likelihood never falls (DLR77, Theorem 1). Run reports, for every
// iteration, log p(x | θ_{n−1}), ELBO(q_{n−1}, θ_n), log p(x | θ_n) and the
// gap between the last two, which is the KL divergence the next E-step
// closes; Iteration.Decrease flags a fall of the log-likelihood larger than
// rounding (RoundOff). The ELBO needs no extra pass over the data: the
// model's M-step returns E_q log p(x, z | θ_n) from the statistics, the
// E-step adds the entropy Σ w_i H(q_i), and log p(x | θ_n) is the next
// E-step's log-likelihood (a final E-step after the last iteration gives the
// log-likelihood of the parameters returned).
//
// All log-likelihoods in reports are means per unit of weight (per row when
// unweighted), as in scikit-learn.
//
// # Stopping, restarts and warm starts
//
// As scikit-learn's GaussianMixture (sklearn/mixture/_base.py, fit_predict):
// iteration n computes the log-likelihood L_{n−1} of θ_{n−1} in its E-step,
// runs its M-step, and stops when |L_{n−1} − L_{n−2}| < Tol (L_{−1} = −∞,
// or Options.Previous for a warm start), or after MaxIter iterations. The
// defaults are scikit-learn's: Tol 1e-3, MaxIter 100, one start. So the
// number of iterations and the parameters returned are scikit-learn's; in
// addition Run computes L_n, the log-likelihood of the returned parameters
// (scikit-learn's lower_bound_ is L_{n−1}, reported here as LowerBound;
// catalog M-30).
//
// With NInit > 1 the starts draw from one random stream that advances from
// start to start (catalog M-24; scikit-learn #7377 reused one seed), and the
// start with the highest final log-likelihood is returned (M-23; a NaN
// counts as −∞ and the first start is kept when none is finite, M-17).
//
// # Parallel, deterministic, streamable
//
// The E-step runs over blocks of Options.BlockRows rows, on Options.Workers
// goroutines. Each block's statistics are computed alone and merged in a
// fixed pairwise order that depends only on the number of blocks (a binary
// counter: push blocks in order, merge the top two while they cover equally
// many blocks, fold what remains from the top). The result therefore has the
// same bits for any number of workers, and the same for a file read block by
// block (a Source whose BlockIter fills the caller's buffer; package table's
// OpenCSV is one) as for the same rows in memory: that is what lets a fit
// stream a file larger than memory.
// Pairwise merging also keeps the rounding error of the sums at O(log B) for
// B blocks. Only a window of 4 × Workers blocks is in flight, so a pass
// over a stream holds a bounded number of rows in memory.
//
// Run is built from Pass (one E-step over a Source) and Passer (repeated
// passes of one model, reusing workers and buffers); models that need the
// rows' positions get each block's first row index, and an error about
// one row is a RowError naming it.
//
// Models keep their statistics numerically safe by accumulating second
// moments around a shift close to the answer (mixture uses the previous
// iteration's means) and merging partial results with the pairwise update
// of Chan, Golub & LeVeque (1979), "Updating formulae and a pairwise
// algorithm for computing sample variances":
//
//	n = n_a + n_b,  δ = m_b − m_a,  m = m_a + δ·n_b/n,
//	M2 = M2_a + M2_b + δδᵀ·n_a·n_b/n,
//
// never as E[xxᵀ] − μμᵀ, which cancels catastrophically (scikit-learn
// #3945, #30382).
//
// Shared lets several fits, each running Run on its own goroutine, read
// one Source in the same scans: a scan starts when every fit still joined
// has asked for a pass (Blocks) and copies each block to each of them, so
// each fit sees the blocks it would see alone and keeps its bits; a fit
// that ends leaves (mixture.SelectSource fits a whole model-selection grid
// so, one scan per iteration instead of one per candidate and iteration).
//
// # References
//
//   - A. P. Dempster, N. M. Laird, D. B. Rubin (1977). Maximum likelihood from
//     incomplete data via the EM algorithm. JRSS B 39(1):1–38.
//   - R. M. Neal, G. E. Hinton (1998). A view of the EM algorithm that
//     justifies incremental, sparse, and other variants. In Learning in
//     Graphical Models, 355–368.
//   - C. M. Bishop (2006). Pattern Recognition and Machine Learning, §9.2–9.4.
//   - T. F. Chan, G. H. Golub, R. J. LeVeque (1979). Updating formulae and a
//     pairwise algorithm for computing sample variances. Stanford
//     STAN-CS-79-773.
package em
