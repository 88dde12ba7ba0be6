// Package mixture fits Gaussian mixture models by EM, as scikit-learn's
// GaussianMixture does, and selects among them by BIC, as R's mclust does;
// and Bayesian Gaussian mixtures by variational inference, as
// scikit-learn's BayesianGaussianMixture does (FitBayes).
//
// # The model
//
// A mixture of K Gaussians in D dimensions has the density
//
//	p(x | θ) = Σ_k π_k N(x | μ_k, Σ_k),   π_k ≥ 0, Σ_k π_k = 1,
//
// with a latent component z_i ∈ {1…K} behind each row x_i. The covariances
// take one of scikit-learn's four forms (Options.Covariance): full (each
// Σ_k free), tied (one Σ shared), diag (each Σ_k diagonal) and spherical
// (each Σ_k = σ_k²I), or one of mclust's 14 (and 2 univariate) models,
// which include those four (see "mclust's models").
//
// # EM (Bishop, PRML §9.2; Dempster, Laird & Rubin 1977)
//
// Package em runs the iterations; this package supplies the two steps.
// The E-step computes each row's responsibilities in log space (catalog
// N-02):
//
//	log q_ik = log π_k + log N(x_i | μ_k, Σ_k) − log Σ_j π_j N(x_i | μ_j, Σ_j)
//	log N(x | μ, Σ) = −½ D log 2π + log det A − ½ ‖A (x − μ)‖²,  AᵀA = Σ⁻¹,
//
// with A = L⁻¹ for the Cholesky factor L of Σ (never an explicit inverse;
// scikit-learn stores Aᵀ as precisions_cholesky_), the log-sum-exp of
// internal/logmath, and the statistics of the rows weighted by w_i·q_ik:
//
//	n_k = Σ_i w_i q_ik,  m_k = Σ_i w_i q_ik (x_i − c_k) / n_k,
//	M2_k = Σ_i w_i q_ik (x_i − c_k − m_k)(x_i − c_k − m_k)ᵀ,
//
// centred at c_k, the component's current mean, which is close to the new
// one, so no digits cancel (catalog M-16, N-04; scikit-learn's diag and tied
// covariances use E[xxᵀ] − μμᵀ, #30382, #3945). Blocks of rows are merged by
// Chan, Golub & LeVeque's pairwise update (see package em). The M-step
// (PRML eq. 9.24–9.26, with scikit-learn's regularisation) is
//
//	n'_k = n_k + 10ε,   π_k = n'_k / Σ_j n'_j,   μ_k = c_k + m_k n_k / n'_k,
//	full       Σ_k = S_k / n'_k + r·I
//	tied       Σ   = Σ_k S_k / Σ_k n'_k + r·I
//	diag       Σ_k = diag(S_k) / n'_k + r·I
//	spherical  σ_k² = tr(S_k) / (D n'_k) + r
//
// where S_k is the scatter about the new mean, r = RegCovar (default 1e-6),
// and the floor 10ε keeps an empty component finite (N-05, M-18). A
// covariance that is still not positive definite is an error naming the
// component, its weight and its points (ErrIllDefinedCovariance; M-12),
// never a NaN. The M-step also returns E_q log p(x, z | θ_new) from the
// statistics, so that the report's ELBO and KL gap cost no extra pass.
//
// The log-likelihood reported is the mean per row (per unit of weight) of
// the parameters returned (an E-step after the last M-step); scikit-learn's
// lower_bound_, the value before the last M-step, is Report.LowerBound
// (catalog M-30). fit-then-predict equals scikit-learn's fit_predict
// (M-22): Predict evaluates the returned parameters.
//
// # Starting points
//
// As scikit-learn's init_params: kmeans (k-means++ seeding, then Lloyd's
// iterations, then the M-step of the hard labels; the default), k-means++
// (the seeds alone), random (uniform responsibilities), random_from_data
// (K distinct rows); hc (mclust's hierarchical start, below); or Options.Start with weights, means and covariances or
// precisions, any part of which replaces the method's (when all are given
// the method is not run, scikit-learn #26015); or Options.WarmStart, a
// fitted model to continue. NInit starts draw from one random stream and the
// best final log-likelihood wins.
//
// # Model choice
//
// NumParams counts the free parameters p (scikit-learn's _n_parameters);
//
//	BIC = −2 log L + p ln n   (Schwarz 1978)
//	AIC = −2 log L + 2p       (Akaike 1974)
//
// with log L the total log-likelihood and n the number of rows (the total
// weight), lower is better, as in scikit-learn. R's mclust (Fraley &
// Raftery 2002; Scrucca, Fop, Murphy & Raftery 2016, "mclust 5", The R
// Journal 8(1)) reports 2 log L − p ln n = −BIC, higher is better; reports
// carry it as MclustBIC. Select fits a grid of K and covariance types and
// keeps the lowest criterion; a fit that fails in the grid is reported in
// the table, not fatal.
//
// # Differences from scikit-learn 1.2
//
//   - Covariances and merged statistics are centred (see above), so they
//     agree with scikit-learn's to rounding on well-scaled data and stay
//     correct where its uncentred formulas cancel.
//   - Options.Weights gives rows frequency weights (scikit-learn's
//     GaussianMixture has no sample_weight).
//   - An empty component keeps its previous mean; scikit-learn's mean of no
//     points is 0 (the origin).
//   - k-means uses latent's random stream, so kmeans and the random starts
//     differ from scikit-learn's draws; given the same start (Options.Start)
//     the iterations agree to rounding (testdata/sklearn_parity.json: 20
//     iterations, every covariance type, mean log-likelihood within 1e-13
//     relative, parameters within 1e-11).
//   - A row whose responsibility q for a component is so small that
//     q·(1 + its squared Mahalanobis distance) < 2⁻⁵²·π_k adds less than one
//     rounding unit, all such rows together, to that component's mean and
//     scatter; the E-step skips it there (it still counts in n_k). With
//     separated components most pairs are skipped, which halves the work.
//   - User-given precisions are turned into covariances by their Cholesky
//     factor; scikit-learn keeps the Cholesky factor of the precision. The
//     first E-step agrees to rounding.
//   - The reported log-likelihood is that of the returned parameters, and
//     the report holds every iteration's log-likelihood, ELBO and KL gap.
//
// # Covariance families
//
// Everything that depends on the form of the covariances lives in one file
// per family behind the unexported interface family (covariance.go): its
// number of free parameters, the M-step of the covariances from each
// component's scatter about its new mean, the precision factor and
// log-determinant, the E-step's kernel (the squared Mahalanobis distances of
// a block of rows), the draw of one row, the model file's form, the closest
// form of full-form Params, and the full-form Covariance and
// PrecisionCholesky. full.go, tied.go, diag.go and spherical.go hold the
// four types; the registry in covariance.go is the one place that maps a
// CovarianceType to its family. The sufficient statistics (stats.go, merged
// by Chan, Golub & LeVeque), the M-step of weights and means, the E-step's
// responsibilities, the passes over the data and the file's envelope are
// shared; a family says whether its M-step reads each component's full D×D
// scatter or its diagonal only, and the statistics hold that much.
//
// # mclust's models
//
// R's mclust (Fraley & Raftery 2002; Scrucca, Fop, Murphy & Raftery 2016)
// fits the eigen-decomposition of Banfield & Raftery (1993) and Celeux &
// Govaert (1995, "Gaussian parsimonious clustering models", Pattern
// Recognition 28:781–793)
//
//	Σ_k = λ_k D_k A_k D_kᵀ,   λ_k > 0, A_k = diag(a_k), Π_j a_kj = 1, D_k orthogonal,
//
// volume λ_k, shape A_k and orientation D_k each Equal for all components,
// Variable, or the Identity, in the order of the letters of the model's
// name. Each is a CovarianceType and a family (one file each; the shared
// layout is parsimonious.go); scikit-learn's four are four of them under
// their own names: the same constants (VVV == Full), the same M-steps and
// the same bits. With W_k = S_k the scatter about the new mean (plus n_k·r·I
// when RegCovar r > 0, which for the four is their Σ_k + r·I) and n = Σ n_k,
// Ω_k = diag of W_k's eigenvalues, decreasing, L_k its eigenvectors:
//
//	model  Σ_k            M-step                                           covariance parameters (nVarParams)
//	EII    λI             λ = Σ_k tr W_k / (nD)                             1
//	VII    λ_k I          λ_k = tr W_k / (n_k D)          (spherical)       K
//	EEI    λA             λA = diag(Σ_k W_k) / n                            D
//	VEI    λ_k A          fixed point (below)                               K + D − 1
//	EVI    λA_k           A_k ∝ diag W_k, λ = Σ_k |diag W_k|^(1/D) / n      1 + K(D − 1)
//	VVI    λ_k A_k        diag(W_k) / n_k                 (diag)            KD
//	EEE    λDADᵀ          Σ_k W_k / n                     (tied)            D(D + 1)/2
//	VEE    λ_k DADᵀ       fixed point                                       K + D − 1 + D(D − 1)/2
//	EVE    λDA_kDᵀ        MM (below)                                        1 + K(D − 1) + D(D − 1)/2
//	VVE    λ_k DA_kDᵀ     MM                                                K + K(D − 1) + D(D − 1)/2
//	EEV    λD_kAD_kᵀ      D_k = L_k, A ∝ Σ_k Ω_k, λ = |Σ_k Ω_k|^(1/D) / n  1 + (D − 1) + K·D(D − 1)/2
//	VEV    λ_k D_kAD_kᵀ   D_k = L_k, fixed point in λ_k, A                  K + (D − 1) + K·D(D − 1)/2
//	EVV    λD_kA_kD_kᵀ    C_k = W_k/|W_k|^(1/D), λ = Σ_k |W_k|^(1/D) / n    1 − K + K·D(D + 1)/2
//	VVV    λ_k D_kA_kD_kᵀ W_k / n_k                       (full)            K·D(D + 1)/2
//	E      σ²             Σ_k W_k / n                     (D = 1)           1
//	V      σ²_k           W_k / n_k                       (D = 1)           K
//
// NumParams adds K·D means and K − 1 weights: mclust's nMclustParams, and
// scikit-learn's _n_parameters for its four (the counts agree). The closed
// forms are Celeux & Govaert's (§3) and mclust's ms* routines. The others
// iterate inside the M-step:
//
//   - VEI, VEE, VEV (Celeux & Govaert's fixed points): alternate the
//     maximisers of Q in the volumes given the shape and in the shape given
//     the volumes: λ_k = tr(W_k C⁻¹)/(D n_k) and C ∝ Σ_k W_k/λ_k with C = A
//     (diagonal W_k for VEI), DADᵀ (VEE) or A with W_k replaced by Ω_k
//     (VEV, whose axes are W_k's own for any decreasing shape).
//   - EVE, VVE (the MM algorithm of Browne & McNicholas 2014, "Estimating
//     common principal components in high dimensions", ADAC 8:217–226): given
//     the axes D, the variances along them are closed (diag(DᵀW_kD) over the
//     volume's count), and D decreases Σ_k tr(W_k D Δ_k⁻¹ Dᵀ) by two
//     majorisations per iteration, each minimised by the polar factor of a
//     D×D matrix (axesMM in parsimonious.go).
//
// They stop as mclust's do, with its inner tolerance sqrt(ε) (emControl's
// tol[2]): on the relative change of the parameters (VEI, VEV) or of the
// target, −2 times the profile log-likelihood (VEE, EVE, VVE), or after
// 200 iterations (mclust has no cap; its reference fits need at most 40,
// but EVE's MM can creep on ill-conditioned scatters of many dimensions,
// and the next M-step goes on from there); the first
// M-step of a fit starts where mclust's mstep does (A = I; D = I; the
// pooled shape). EM stays monotone however early they stop, because every
// M-step after the first starts from the previous parameters and every
// inner iteration raises Q (a generalised EM; Meng & Rubin 1993): the
// guard that mclust's VEE, which restarts its volumes at 1 in every M-step,
// does not have. Against mclust 6.0 (testdata/mclust/mstep_models.R, on
// iris and faithful from hclass(hc(X), 3)): one M-step agrees with mstep to
// about 1e-14, EM with me's iterations to 1e-15 in log-likelihood (VEE
// 1e-8, from that restart), and the fits behind mclustBIC's table to 1e-11
// in BIC. mclust's VVE weights its majorisation by the shapes without the
// volumes, which is not VVE's: its M-step does not maximise Q (on iris, Q
// −244.97 against ours −243.95) and its BIC cells are lower than ours by
// 0.15–1.9 on those sets. A model of variable volumes treats a volume below
// 1e-14 of the largest as singular (a component of one point), since
// λ_k·D_kAD_kᵀ stays well conditioned however small λ_k is. The model file
// stores mclust's parameters: scale (a number or K), shape ([D] or [K][D],
// each of product 1), orientation ([D][D] or [K][D][D], axes in columns,
// signs and order canonical), the parts the model has. The models with an
// orientation factor each Σ_k in full and run the E-step on the full
// kernels (Options.Kernel); the others on the diagonal one.
//
// # mclust's hierarchical start and Mclust (hc*.go, select_mclust*.go)
//
// HC is mclust's model-based agglomerative hierarchical clustering
// (Banfield & Raftery 1993; Fraley 1998, "Algorithms for model-based
// Gaussian hierarchical clustering", SIAM J. Sci. Comput. 20(1)): from n
// singletons, each step merges the two clusters whose union raises the
// classification log-likelihood's criterion least. For the VVV model a
// cluster C of m rows with scatter W_C has the term
//
//	m · log( [m > d] det(W_C / m) + (tr W_C + α) / m ),
//
// regularised as mclust does (α = traceW of the data over √(nd), β = 1);
// a merge costs the union's term less its parts'. The costs live in a
// packed triangle searched in mclust's order with its tie rule (the last
// minimum), the union takes the lower slot and the last slot moves into
// the upper, and, as mclust.f:hcvvv, a cluster's later determinants use
// the rows of its Cholesky factor mclust stores (copies of the first row)
// rather than W_C: testdata/mclust/NOTES.md §6 has the bookkeeping, which
// decides ties and, on some data, merges. The data are first transformed
// as hc(use = …) (Scrucca & Raftery 2015): SVD by default (standardised,
// rotated and scaled by 1/√ of the singular values), VARS, STD, SPH, PCS,
// PCR, or RND (random merges from Seed). More than MaxRows (2,000) rows:
// a uniform subset drawn from Seed is clustered, as mclustBIC does (R's
// draw cannot be replayed; HCOptions.Rows takes given rows). Hierarchy.
// Partition cuts the tree at K (mclust's hclass, groups numbered by first
// row). Against mclust 6.0 every merge agrees on Old Faithful, Iris and a
// synthetic 3-D set for every transformation on mclust's transformed data,
// and on ours for VARS, STD and SVD. Only the VVV criterion is
// implemented (mclustBIC uses hcEII when n ≤ d). The search keeps each
// column's minimum: a merge computes the new cluster's costs against the
// others (a D×D Cholesky factor each) and rescans only the columns whose
// minimum it touched, instead of scanning all n²/2 costs.
//
// InitHC starts a Fit from the one-hot partition at K (rows outside the
// subset weigh nothing in the first M-step; one column: mclust's qclass
// quantile classes). SelectOptions.Mclust (MclustDefaults: K = 1…9, every
// model) fits each cell as mclustBIC: one tree for the grid; mclust's EM
// (an M-step then an E-step; stop at |ℓ_k − ℓ_{k−1}| / (1 + |ℓ_k|) ≤
// 1e-5; no regularisation; a component of √ε rows or a covariance mclust
// calls singular fails the cell, reported with mclust's reason); with a
// subset, the M-step on the subset's partition and an E-step on all rows
// first; K = 1 the single Gaussian; VVE by mclust's own iteration
// (mclustVVE: its majorisation weighted by the shapes alone, so that the
// cells are mclust's, see vve.go). Ties between cells go as mclust's
// pickBIC; the best is refitted as Mclust refits it, with its extra
// M-step when the weights and mean responsibilities differ by more than
// √ε (not for VEE, EVE, VVE, VEV, whose mstep reports code 2 and so keeps
// EM's parameters in mclust). Against mclustBIC(X, G = 1:9) every cell of
// Faithful, Iris, eruptions, synth3d and synth2500 agrees to 1.3e-4 in BIC
// and the best cell's parameters to 1e-4 (select_mclust_test.go).
//
// # Messy data: missing values, weights, known labels, fixed parts
//
// Options.Missing makes NaN cells missing values, missing at random, and
// EM handles them exactly (Ghahramani & Jordan 1994; Little & Rubin 2002,
// ch. 11): a row observing the coordinates O and missing M is scored by
// the marginal density of x_O, and its statistics are those of the row
// completed by each component's conditional mean, with the conditional
// covariance added to the scatter:
//
//	log q_ik ∝ log π_k + log N(x_O | μ_kO, Σ_kOO),
//	x̂_ikM = μ_kM + Σ_kMO Σ_kOO⁻¹ (x_O − μ_kO),   C_k = Σ_kMM − Σ_kMO Σ_kOO⁻¹ Σ_kOM,
//	S_k += q_ik [(x̂_ik − μ)(x̂_ik − μ)ᵀ + C_k in the M×M block].
//
// The statistics have the shape of complete data, so every family's
// M-step is unchanged; the algebra reads a family only through its
// full-form covariance, so every family, present or future, has it. Rows
// are grouped by pattern of missing coordinates, and a pattern's Cholesky
// factor of Σ_kOO, regression and C_k are computed once per component and
// iteration (missing.go). The ELBO adds the entropy of q(x_M | z, x_O),
// ½|M|(1 + log 2π) + ½ log det C_k, so the report's ELBO and KL gap stay
// exact. The initialisation runs on the rows completed by column means. A
// monotone bivariate pattern reaches Anderson's (1957) closed-form
// estimates to 1e-10 (missing_test.go); a Monte Carlo study with 20% of the
// cells missing completely at random finds the estimates unbiased and
// better than complete-case analysis (missing_mc_test.go). With no NaN the
// fit has today's bits. A model fitted so (or Model.AllowMissing) scores,
// predicts and evaluates rows with NaN cells by their observed
// coordinates; other models refuse NaN (catalog M-01).
//
// The same algebra conditions the mixture: Model.Condition(given, values)
// is the mixture of the other coordinates, with weights ∝ π_k N(v | μ_kO,
// Σ_kOO) and the conditional means and covariances (Bishop, PRML §2.3.1);
// Model.Regress is Gaussian-mixture regression on many rows, the
// conditional mean and sd of the other coordinates; Model.Impute fills each
// NaN cell with its conditional mean (and sd), Model.ImputeDraw with a
// draw from its conditional distribution (multiple imputation, Rubin
// 1987).
//
// Options.Weights are frequency weights (integer weights give the fit of
// the rows repeated, to 1e-12), in Fit, FitSource (a Source's blocks carry
// them), Select, Bootstrap and BootstrapLRT (which also take missing
// values; see "Bootstrap inference") and the statistics: the log-likelihoods are per unit of
// weight and BIC's n is the sum of the weights, which reports say.
// Options.ForRows takes the weights and labels of a resample.
//
// Options.Known gives some rows their component (semi-supervised EM;
// McLachlan & Peel 2000, §2.19; mclust's MclustSSC): a labelled row keeps
// one-hot responsibilities and adds log π_c N(x | μ_c, Σ_c) to the
// log-likelihood; the start, InitKnown, is the M-step of the labels with
// 1/K for the others. With every row labelled the start is the class-wise
// maximum-likelihood estimate. Against mclust 6.0's MclustSSC on Iris with
// a third of the labels known, from the same start, the parameters agree
// to 1e-13 (testdata/mclust/ssc_iris.R). Options.ClassNames name the
// classes (Model.Classes, Model.ClassOf).
//
// Options.Fix holds weights, means or covariances at the values of
// Options.Start: EM maximises over the other parts (with the means fixed,
// the covariances are the scatter about them), and NumParams and BIC count
// the free parameters only.
//
// The model file records what the fit did (optional fields, absent for
// plain data): "missing" with the reader's markers, "fixed", "classes".
// The report's DataReport counts missing cells, incomplete rows and
// patterns, labelled rows, and says whether rows were weighted.
//
// # Data larger than memory, and speed
//
// FitSource fits a Source read block by block in every iteration (the
// CLI's `latent gmm fit --stream` reads a CSV file so), initialised on a
// sample held in memory; with the same start it gives the bits of Fit.
//
// SelectSource is Select over a Source (`latent gmm fit --stream -k 1:9
// --cov all`): every candidate's EM runs on its own goroutine and all of
// them read the source in shared scans (em.Shared). A scan starts when
// every candidate still running has asked for its next pass and hands each
// block, copied, to each of them; a candidate that converges or fails
// leaves, and its restarts follow one another in its own passes. The file
// is thus read max_c P_c times instead of Σ_c P_c, P_c = Σ_starts
// (iterations + 1) the passes of candidate c. Each candidate reads the
// same blocks in the same order as alone and merges them in em's fixed
// pairwise order, so it has the bits of its FitSource alone (and of Fit).
// Memory: per candidate, 4·Workers blocks of BlockRows × D floats and the
// statistics of the blocks in flight (K·D² floats each), plus the one
// block of the scan; the data are never held.
//
// # Online (stepwise) EM (Online, FitOnline)
//
// Online EM (Cappé & Moulines 2009, "On-line expectation–maximization
// algorithm for latent data models", JRSS B 71(3); Liang & Klein 2009,
// "Online EM for unsupervised models", NAACL; Sato & Ishii 2000 for
// Gaussian mixtures) replaces the E-step's sum over all rows by a
// stochastic approximation. The sufficient statistics per unit of weight,
// s = (n_k, μ̄_k, M2_k) with n_k = E[q_k], μ̄_k = E[q_k x]/n_k and M2_k the
// scatter about μ̄_k, are moved after each batch B_t, E-step under the
// current θ_{t−1}:
//
//	s_t = (1 − η_t) s_{t−1} + η_t s̄(B_t; θ_{t−1}),   θ_t = M-step(s_t),
//	η_1 = 1,   η_t = (t + t0)^(−α),  α ∈ (0.5, 1]   (DefaultAlpha 0.7, DefaultT0 10),
//
// the convex combination taken on the counts, means and scatters by the
// weighted pairwise formula (Chan, Golub & LeVeque 1979) with weights
// a = (1 − η) n_k^{t−1} and b = η n̄_k(B_t):
//
//	n = a + b,  μ̄ = μ̄_a + (b/n) δ,  M2 = (1 − η) M2_a + η M2̄_b + (ab/n) δδᵀ,  δ = μ̄_b − μ̄_a,
//
// which is the exact interpolation of the moments E[q_k], E[q_k x] and
// E[q_k xxᵀ] without their cancellation. The M-step is the family's own
// (mstep, then covarianceFamily.mstep) on these statistics: every
// covariance type, mclust's iterative ones included. Σ_t η_t = ∞ and
// Σ_t η_t² < ∞ hold for α ∈ (0.5, 1] (Robbins–Monro), which is Cappé &
// Moulines' condition for convergence to a stationary point of the
// likelihood; α = 1 weighs the batches most evenly, smaller α forgets the
// early, poor steps faster (Liang & Klein recommend 0.5–0.7 with small
// batches). The defaults are scikit-learn's for its online learner
// LatentDirichletAllocation (learning_decay 0.7, learning_offset 10), the
// same schedule; the first step is 1 whatever t0, since the
// initialisation's parameters carry no statistics. The batches must come
// in random order (rows sorted by class are not a sample of the data).
// On the 1e5 × 10, K = 8 set of shared/bench, batches of 1000 rows reach
// the batch fit's mean log-likelihood within 7.1e-4 per row in 3 passes
// (TestOnlineMediumLong). Each batch's E-step runs over blocks of
// BlockRows rows merged in em's fixed order: the bits for a seed do not
// depend on Workers.
//
// The E-step of full and tied covariances has two kernels
// (Options.Kernel) for its two products per chunk of rows and component,
// the Mahalanobis distances and the scatter. By default they run as matrix
// products on fastblas's kernels (kernel_gemm.go), called explicitly:
// importing mixture leaves the program's gonum BLAS alone, and whether the
// program installs fastblas (fastblas.Enable) does not change a bit.
// KernelGo runs them as register-tiled Go loops (kernel.go): about D²
// multiply-adds per row and component (D(D+1)/2 for the triangular
// Mahalanobis distance, as many for the symmetric scatter), half of
// scikit-learn's nominal 4·N·K·D² flops per iteration. The two agree to
// rounding. The Cholesky factorisations of matrices larger than 64×64 run
// their products on fastblas too (linalg.go). The package reads no
// environment variable.
// The benchmarks (bench_test.go) time one iteration on scikit-learn's
// benchmark shapes; testdata/bench_vs_sklearn.sh times both in one
// sitting.
//
// The models without orientation (EII, VII, EEI, VEI, EVI, VVI, E, V)
// take their own E-step (estep_diag.go): D multiply-adds per row and
// component read from x directly, no differences kept, the statistics from
// the rows each component keeps; it gives the general path's bits. The
// models with an orientation keep no differences either (logProbLean,
// absorbStatsX): each component's go through one chunk-sized buffer into
// its product, and the kept rows' are recomputed for the statistics. The
// exponentials of a chunk go through logmath.ExpTo (math.Exp's bits, four
// at a time with AVX2+FMA); the diagonal distances, the subtractions and
// the diagonal statistics through AVX2 kernels whose lanes do the scalar
// loops' operations in their order (kernel_diag_amd64.s); the per-row sums
// run two or four rows side by side: every path keeps its bits
// (TestEStepSameBits, TestAxesEStep, logmath's TestExpToSameBits). What is
// left is mostly the bookkeeping per row and component that every model
// pays (normRows, absorbRows). VEE, EVE and VVE, of one common
// orientation D, rotate each chunk of rows once, y_i = Dᵀ(x_i − c), and
// take diagonal distances to the rotated means on the Gemm kernel (one
// D×D product per row instead of one per row and component; to rounding
// the general path's distances, so their fits moved in the last bits when
// it came; TestAxesEStep). Against mclust's me() on that set
// (parsimonious_bench_test.go; testdata/mclust/bench_vs_mclust_models.sh
// times both in one sitting, interleaved; bench_vs_mclust_models.txt is
// its output), one iteration takes, in CPU time, 0.33–0.51× mclust's for
// the models without orientation (whose mclust iteration is short, 0.05–
// 0.07 s), 0.16–0.18× for VEE, EVE, VVE, EEV and VEV, 0.26× for EVV and
// 0.11–0.12× for EEE and VVV (mclust's iteration is half as long for the
// models of mclust2.f, which sum the scatter by rank-one updates, as for
// VVV), on a machine at load average 7–23 (2026-12-02, provisional; on two
// idle cores latent's elapsed time is about half its CPU time): the
// issue's 0.1× is not reached.
//
// # Bayesian mixtures by variational inference (bgmm*.go)
//
// FitBayes fits scikit-learn's BayesianGaussianMixture (Bishop, PRML
// §10.2; Blei & Jordan 2006, "Variational inference for Dirichlet process
// mixtures", Bayesian Analysis 1(1)). The priors, as scikit-learn names
// and defaults them (BayesOptions, BayesPriors):
//
//	π ~ Dir(α₀, …, α₀), or sticks v_k ~ Beta(1, α₀), π_k = v_k Π_{j<k}(1 − v_j)   α₀ = 1/K
//	Λ_k ~ W(Ψ₀⁻¹, ν₀),  μ_k | Λ_k ~ N(m₀, (β₀Λ_k)⁻¹)     ν₀ = D, β₀ = 1, m₀ = the data's mean,
//	                                                   Ψ₀ = their covariance (diag: its diagonal, spherical: its mean)
//
// and the variational posterior q(z) q(π) Π_k N(μ_k | m_k, (β_kΛ_k)⁻¹)
// W(Λ_k | W_k, ν_k). Each iteration is one pass over the rows, the E-step
//
//	ln ρ_ik = E ln π_k + ½ E ln|Λ_k| − ½ D ln 2π − ½ D/β_k − ½ ν_k (x_i − m_k)ᵀ W_k (x_i − m_k),  q_ik ∝ ρ_ik,
//	E ln|Λ_k| = Σ_{i<D} ψ((ν_k − i)/2) + D ln 2 + ln|W_k|   (PRML eq. 10.46, 10.65),
//
// which is the mixture's E-step on the point estimates m_k, (ν_kW_k)⁻¹
// with log weights E ln π_k + ½(E ln|Λ_k| − ln|ν_kW_k|) − D/(2β_k), so that
// it streams, runs on every core and merges as EM's does; then the update
// of q(θ) from the merged statistics n_k = Σ_i w_i q_ik (+10ε, as
// scikit-learn), x̄_k and S_k = the family's M-step covariance plus
// reg_covar (PRML eq. 10.58–10.63):
//
//	Dirichlet: α_k = α₀ + n_k;  process: a_k = 1 + n_k, b_k = α₀ + Σ_{j>k} n_j
//	β_k = β₀ + n_k,  m_k = (β₀m₀ + n_k x̄_k)/β_k,  ν_k = ν₀ + n_k,
//	ν_k (ν_kW_k)⁻¹ = Ψ₀ + n_k S_k + (n_kβ₀/β_k)(x̄_k − m₀)(x̄_k − m₀)ᵀ   (full; diag its diagonal,
//	                                                                spherical its mean diagonal)
//
// with E ln π_k = ψ(α_k) − ψ(Σα), or ψ(a_k) − ψ(a_k + b_k) + Σ_{j<k}(ψ(b_j) −
// ψ(a_j + b_j)). Tied covariances share one q(Λ) = W(W, ν) with
// ν = ν₀ + N/K and W⁻¹ = Ψ₀ + (1/K) Σ_k [n_kS_k + (n_kβ₀/β_k) d_k d_kᵀ]: the
// Wishart closest (Σ_k KL) to the K components' own optima, each
// component's precision having the prior W(Ψ₀⁻¹, ν₀). For diag and
// spherical covariances the updates are those of Normal–Gamma models, one
// Gamma(ν_k/2, ν_kσ²_kj/2) precision per feature (prior Gamma(ν₀/2,
// Ψ₀_j/2)) or one Gamma(Dν_k/2, Dν_kσ²_k/2) per component (prior
// Gamma(Dν₀/2, DΨ₀/2)), whose mean is the point estimate 1/σ². The Dirichlet
// process is truncated in q only, as scikit-learn does (Kurihara, Welling
// & Vlassis 2007, "Accelerated variational Dirichlet process mixtures",
// NIPS 19): no row goes beyond component K, and the sticks and components
// beyond it keep their prior, which costs the bound nothing. Tol is on the
// change of scikit-learn's lower bound, a total over the rows.
//
// The report gives two bounds per iteration, for q_n(z) from q_{n−1}(θ)
// and q_n(θ) updated from it. scikit-learn's lower_bound_ drops what is
// constant at the update's optimum:
//
//	L = Σ_i H(q_i) − Σ_k ln B(W_k, ν_k)' − ln C(q(π)) − ½ D Σ_k ln β_k
//
// (ln B' the Wishart normaliser without its π term, for every type and K
// times the shared one for tied; ln C the Dirichlet's or −Σ_k ln B(a_k, b_k)).
// The full ELBO keeps every constant (ELBO; PRML eq. 10.70–10.77):
//
//	ELBO = E ln p(X | Z, μ, Λ) − KL(q(Z) ‖ p(Z | π)) − KL(q(π) ‖ p(π)) − Σ_k KL(q(μ_k, Λ_k) ‖ p(μ_k, Λ_k)) ≤ ln p(X),
//	E ln p(X | Z, μ, Λ) = Σ_k ½ [n_k (E ln|Λ_k| − D ln 2π − D/β_k) − tr(E[Λ_k] Q_k)],  Q_k = Σ_i w_i q_ik (x_i − m_k)(x_i − m_k)ᵀ,
//	KL(q(μ_k|Λ_k) ‖ p(μ_k|Λ_k)) = ½ D ln(β_k/β₀) − ½ D + ½ Dβ₀/β_k + ½ β₀ (m_k − m₀)ᵀ E[Λ_k] (m_k − m₀),
//
// plus the Wishart's (or the Gammas') KL and the Dirichlet's (or the
// Betas'), all from the merged statistics. It is a true lower bound on
// ln p(X), checked against the closed-form evidence of one Gaussian
// (Murphy 2007, "Conjugate Bayesian analysis of the Gaussian
// distribution", eq. 266; with K = 1 the family holds the exact posterior
// and the two agree to 2e-12) and against the evidence enumerated over
// every labelling or partition of small data. An iteration whose ELBO
// falls by more than em.RoundOff is flagged (BayesIteration.Decrease) and
// counted. For full and tied covariances the iterations are coordinate
// ascent (exactly so with reg_covar 0, where the ELBO less lower_bound_ is
// a constant), and the ELBO never falls; scikit-learn's diag and spherical
// E-step takes the Wishart's E ln|Λ_k| for the Gamma precisions, so it
// is not, and its ELBO falls now and then. BayesOptions.CoordinateAscent
// takes their own, Σ_j (ψ(ν_k/2) − ln(ν_kσ²_kj/2)) for diag and
// D(ψ(Dν_k/2) − ln(Dν_kσ²_k/2)) for spherical, and the ELBO never falls.
//
// Outputs: Predict, PredictProba, ScoreSamples and Score are scikit-learn's,
// from ln ρ_ik (ScoreSamples is ln Σ_k ρ_ik, not a log density); Sample draws
// from the point estimates E[π], m_k, (ν_kW_k)⁻¹ (PointEstimate, and
// EffectiveModel for the components above a weight, for charts). The
// posterior predictive density integrates over q(θ) exactly (PRML eq.
// 10.81): Σ_k E[π_k] St(x | m_k, (1+β_k)ν_k/((ν_k+1−D)β_k)·(ν_kW_k)⁻¹,
// ν_k+1−D), for diag a product of univariate t with ν_k degrees of freedom
// and scales (1+β_k)σ²_kj/β_k, for spherical a t with Dν_k; the Dirichlet
// process's mass beyond K, Π_k E[1 − v_k], goes to the prior's predictive.
// EffectiveComponents counts the weights of at least 1%
// (DefaultEffectiveThreshold). Model files are of kind "bgmm" (q(θ) as
// scikit-learn's attributes, the priors; loaded strictly).
//
// The E-step of a fit is its own (bgmm_estep.go), with the results of the
// mixture's kernel to rounding: rows shifted once by m₀, every
// component's Mahalanobis distance from one product (X̃·[A_1ᵀ … A_Kᵀ]),
// no exponential where exp(ln ρ − max) < 2⁻⁵³, the statistics of a row only
// where they exceed rounding (as EStep). Differences from scikit-learn 1.2:
// the centred statistics and merges of EM; frequency weights
// (BayesOptions.Weights; scikit-learn has none); StartResp, a given q(z);
// the full ELBO; CoordinateAscent; FitBayesSource initialises on a sample.
//
// # Errors
//
// Callers branch with errors.Is and errors.As, never on a message: a bad
// field of Options is an *OptionError naming it (ErrBadOption), bad data
// wrap ErrBadData, bad start or loaded parameters ErrBadParams, a collapsed
// component is a *ComponentError (ErrIllDefinedCovariance), and a zero
// Model's methods return ErrNotFitted. Messages name options
// (Options.RegCovar), never a command line's flags.
//
// # Model files
//
// Marshal, Save, Load, Read and Unmarshal use latent's model-file envelope
// (kind "gmm", schema 1) with the fields weights, means, covariances (in
// the type's shape: full [K][D][D], tied [D][D], diag [K][D], spherical
// [K]; mclust's other models an object of scale, shape and orientation,
// see above), covariance_type, feature_names, reg_covar, seed, n_iter, converged
// and log_likelihood. Loading is strict and validates the meaning of every
// field, naming the field and component; a saved model predicts the same
// bits after loading.
//
// A parameters file holds starting parameters in full form (weights [K],
// means [K][D], covariances [K][D][D]) whatever the covariance type:
// FullParams writes one from a model, and ReadParams and LoadParams read it,
// or a model file, into Params for Options.Start or New.
//
// Package table reads data files: whole (table.Read), or as a Source that
// FitSource reads again in every iteration (table.OpenCSV), with
// table.Reservoir for the uniform sample of its rows the initialisation
// runs on, as `latent gmm fit --stream` does.
//
// # Conjugate prior (Options.Prior)
//
// Fraley & Raftery (2007), "Bayesian regularization for normal mixture
// estimation and model-based clustering", J. Classification 24:155–181, as
// R's mclust implements it (priorControl, defaultPrior, the me…p
// routines): given Σ_k, μ_k ~ N(μ_P, Σ_k/κ_P), and Σ_k ~ inverse-Wishart(ν_P,
// Λ_P) (for the spherical and diagonal forms an inverse-gamma on each
// variance, scale λ_P). EM then climbs to the posterior mode: the E-step is
// unchanged, and the M-step, from the counts n_k, sample means x̄_k and
// scatters W_k = Σ_i w_i q_ik (x_i − x̄_k)(x_i − x̄_k)ᵀ, sets
//
//	μ_k = (n_k x̄_k + κ_P μ_P) / (n_k + κ_P),
//	B_k = n_k κ_P / (n_k + κ_P) · (x̄_k − μ_P)(x̄_k − μ_P)ᵀ,
//	VVV  Σ_k = (Λ_P + W_k + B_k) / (ν_P + n_k + D + 2)
//	EEE  Σ   = (Λ_P + Σ_k (W_k + B_k)) / (ν_P + n + D + 1 + K)
//	VVI  (Σ_k)_jj = (λ_P + (W_k + B_k)_jj) / (ν_P + n_k + 3)
//	VII  σ_k² = (λ_P + tr(W_k + B_k)) / (ν_P + n_k D + 2 + D)
//	EII  σ² = Σ_k tr(W_k + B_k) / (ν_P + (n + K) D + 2)      (no λ_P)
//	EEI  λA = diag(λ_P + Σ_k (W_k + B_k)) / (ν_P + n + 2)    (means x̄_k)
//	EVI  s_k = λ_P + diag(W_k + B_k), A_k = s_k/gm(s_k), λ = Σ_k gm(s_k) / (ν_P + n + 2)
//	VEI  w_k = λ_P + diag(W_k + B_k); VEI's fixed point with
//	     λ_k = Σ_j w_kj/a_j / (D n_k + ν_P + 3), A ∝ Σ_k w_k/λ_k
//	EEV  Λ_P + W_k + B_k = D_k Ω_k D_kᵀ, s = Σ_k Ω_k, A = s/gm(s),
//	     λ = gm(s) / (ν_P + n + D + 2)
//	VEV  VEV's fixed point on Λ_P + W_k + B_k in place of W_k (ν_P enters nowhere)
//	E    σ² = (λ_P + Σ_k (W_k + B_k)) / (ν_P + n + K + 2)
//	V    σ_k² = (λ_P + W_k + B_k) / (ν_P + n_k + 3)
//
// (gm the geometric mean; each line is the M-step inside mclust 6.0's
// me…p routine of the model, src/mclust.f, which mclustBIC and Mclust
// use; mclust's standalone mstep differs for EII, EEI, EVI and EEV,
// testdata/mclust/NOTES.md §7). With κ_P = 0 the means are the sample
// means and the terms from the mean's prior drop out (K in EEE, 1 in VVI,
// EEI, EVI, VEI, EEV, D in VII; EII's K·D, E's K and V's 3 stay, as in
// mclust). One component is fitted as mclustBIC's G = 1 cells, by the
// single Gaussian's MAP of the model's shape (mclust's mvn…p): VII's
// formula for EII, E and V, VVI's for EEI, VEI and EVI, VVV's for EEV and
// VEV. mclust's defaults, the zero Prior: κ_P = 0.01, μ_P the columns'
// means, ν_P = D + 2, and Λ_P = (1/K)^(2/D) cov(X) for the models with
// orientation (D×D scatter), λ_P = (1/K)^(2/D) Σ_j var(x_j)/D for the
// others (var(x)/K² for E and V). The family hook is the optional
// interface priorFamily (prior.go, prior_models.go): a family with a MAP
// M-step implements priorMStep; VEE, EVE, VVE and EVV refuse
// Options.Prior with an *OptionError, as mclust has no MAP M-step for them
// (its me routines for them take no prior and mclustBIC drops them under
// one). The reported log-likelihood and BIC are those of the MAP
// parameters, without the log prior, as mclust's; the log-likelihood EM
// monitors may then fall slightly between iterations. On the committed
// references every cell of mclustBIC(prior = priorControl()) agrees to
// 5e-12 in BIC, for the 10 models on Iris, Old Faithful and the synthetic
// 3-D set and for E and V on Faithful's eruptions, and me()'s iterations
// and parameters from the same partition to 1e-9 (testdata/mclust).
//
// # Bootstrap inference and the LRT for K (Bootstrap, BootstrapLRT)
//
// Bootstrap is mclust's MclustBootstrap (O'Hagan, Murphy, Scrucca &
// Gormley 2019; Basford et al. 1997): B replicates of the data — n rows
// drawn with replacement (Nonparametric), every row weighted by an Exp(1)
// draw over its maximum (WeightedLikelihood; Newton & Raftery 1994), n rows
// drawn from the fitted mixture (Parametric), or each row left out
// (Jackknife) — each refitted with the model's form and K by mclust's EM
// (bootstrap_me.go: from responsibilities, M-step then E-step, stopping
// when |ℓ_k − ℓ_{k−1}| / (1 + |ℓ_k|) ≤ 1e-5; me.weighted's absolute rule on
// Σ w_i log f(x_i) for the weighted bootstrap), started from the fitted
// posterior of the replicate's rows. From the replicates θ^(b): SE = sd of
// θ^(b) (divisor B − 1; jackknife sd·(B − 1)/√B), intervals the (1 ∓ L)/2
// quantiles (R's type 7; jackknife mean ∓ z·SE). Label switching: because
// every replicate starts from the fitted posterior, mclust applies no
// permutation; the report counts the replicates whose components a
// matching to the fitted ones would permute (the permutation maximising
// Σ_k Σ_i ẑ_ik z^b_{i,π(k)}, by the Hungarian algorithm), and MatchFitted
// applies it. Two facts of mclust's that matter for parity: it starts from
// its object's z, the posterior of the parameters before Mclust's final
// M-step (BootstrapOptions.Posterior takes it); and an Mclust object does
// not keep its prior, so MclustBootstrap refits a prior fit's replicates
// by maximum likelihood (BootstrapOptions.Prior is explicit). Unless
// Posterior is given, the model is first refitted by the replicates' EM
// (Report.Refit), so that replicates measure the sampling variation and
// not also EM's way from an unconverged fit (Fit's default tolerance).
// mclust's tolerance, the default, stops a replicate started at the
// fitted posterior before it moves along a flat direction of the
// likelihood: on Old Faithful (tied, K = 3) the jackknife SEs of the two
// overlapping components' weights are 0.022 and 0.030 at 1e-5, 0.057 and
// 0.061 with converged replicates (Tol 1e-10, whatever the start), and the
// nonparametric bootstrap's 0.048 and 0.052. Tol 1e-8 is the safer choice
// when the speed allows.
//
// BootstrapLRT is mclustBootstrapLRT (McLachlan 1987, Applied Statistics
// 36:318–324): for K = 1, 2, …, LRTS = 2(ℓ_{K+1} − ℓ_K) of the fits to the
// data; B samples of n rows from the K-component fit, each fitted with K
// and K + 1 components from the observed fits' parameters; p = (1 +
// #{LRTS_b ≥ LRTS}) / (B + 1); sequential until p > Level, or every test up
// to MaxK.
//
// Weights and missing values (BootstrapOptions.Weights, a model with
// Missing; LRTOptions.Weights, Missing) are those of Fit. Weights enter
// mclust's EM as in me.weighted's M-step — counts Σ z_ik w_i, means and
// scatters of z·w, ℓ = Σ w_i log f(x_i) — under me's relative rule, the
// change and the count floor taken per unit of mean weight (so weights of
// 1 give the unweighted bits, and doubled weights the same bits). The
// resampling units are the rows of positive weight, each with its weight,
// as mclust's MclustBootstrap resamples rows: bs draws n units with their
// weights, wlbs multiplies w_i by its Exp(1) draw (then rescales to a
// largest weight of 1, as me.weighted), jk leaves out a unit and its
// weight; an integer weight is therefore not that many copies of the row
// (copies would be resampled one by one). pb draws round(Σ w) unweighted
// rows, the sample the frequency weights stand for, so there it is. The
// LRT fits the data with the weights and draws samples of round(Σ w)
// rows. Missing values take missing.go's exact EM inside mclust's EM
// (bootstrap_missing.go): the E-step scores a row by the density of its
// observed coordinates, the M-step reads each row completed by component
// k's conditional mean x̂_ik and adds z_ik w_i C_k (the conditional
// covariance of the missing block) to the scatter. The refit and every
// replicate start from the model's posterior and completions; a first
// jackknife replicate equals Fit with Missing from the same start to
// 1e-9. A parametric draw keeps the data's patterns: draw t stands for a
// row of the data (by cumulative weight, paired at random) and its cells
// missing in that row are NaN, treating the patterns as fixed (MCAR
// simulation); drawing complete rows instead would report the SEs of
// complete data. For one bivariate Gaussian with half of a column
// missing the parametric SE of its mean matches Little & Rubin's (2002,
// §7.2) √(σ₂₂(ρ²/n + (1 − ρ²)/n_o)) within Monte Carlo error. Rows
// without NaN are computed by the complete-data operations, so complete
// data keep their bits. Summaries of huge values (variances near 1e297)
// are recomputed in scaled form where the plain sums overflow.
//
// Replicate b draws from its own PCG stream of (Seed, b) (of (Seed, K, b)
// in the LRT) and the replicates are fitted in parallel and merged in
// order; failed fits are redrawn within mclust's max.nonfit, counted in
// replicate order: the same seed gives the same bits on any number of
// cores. Against mclust 6.0 (testdata/mclust, mclust_bootstrap.json and
// mcboot_ref.json): jackknives equal mclust's leave-one-out fits to 1e-14;
// bootstrap SEs and averages of 999 resamples agree within their Monte
// Carlo errors (an SE's is, by the delta method, √((m₄ − σ⁴)/(4σ²B)),
// about 2.2% of it for normal values); observed LRTS equal mclust's from
// its hc starts, p-values and bootstrap distributions agree.
//
// # Reports
//
// Report, Selection and Evaluation marshal to JSON, and their WriteText
// methods print them as `latent gmm fit` and `latent gmm score` do
// (Selection.WriteMarkdown gives its table in Markdown). Options.Progress
// and SelectOptions.Progress receive a Progress after every EM iteration or
// every fit of a selection.
package mixture
