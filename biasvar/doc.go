// Package biasvar measures how much of a learner's error is noise, how much
// is bias and how much is variance, by Monte Carlo: it draws many training
// sets from a process whose truth is known, fits the learner to each, and
// looks at the spread of the predictions at fixed test points, with a
// standard error on every term.
//
// # Set-up
//
// A Problem is a data-generating process: inputs x from a sampler, and
// either y = f(x) + ε with a known f and noise model (regression) or a
// label drawn from a known class posterior P(k|x) (classification). Built
// in: Sine (f = sin 2πx on [0,1]), Cubic, Step, Friedman1 (ten inputs) and
// TwoGaussians (two classes with Bayes posterior σ(2x₁)). The design is
// Random (fresh x's every round: expectations over whole training sets) or
// Fixed (x's drawn once, only y redrawn: the textbook setting of Hastie,
// Tibshirani & Friedman, ESL §7.3).
//
// A Learner fits a Model to (x, y); built in: KNN and KNNClassifier, Poly
// (least squares on a Legendre basis, by QR), Ridge, Tree (CART, with
// scikit-learn's rules), RandomFeatures (minimum-norm least squares on
// random Fourier features), and, on package nn's autodiff core, MLP (a
// regressor), MLPClassifier and Logistic. Users plug in their own with
// LearnerFunc or any type with a Fit method.
//
// Round r = 0…R−1 draws its training set from the PCG stream (Seed, 4r),
// fits, predicts every test point, and (squared loss) draws fresh test
// targets from the stream (Seed, 4r+1); the learner gets the stream
// (Seed, 4r+2). Rounds run on all cores and are reduced in round order, so
// the same seed gives the same bits whatever the number of cores. A round
// whose fit fails is counted and listed in the report, never dropped
// silently.
//
// # Squared loss
//
// With ŷ_r(x) the prediction of round r, f the truth and σ²(x) = Var(ε|x),
// the decomposition of Geman, Bienenstock & Doursat (1992, Neural
// Computation 4(1), §3.1) and ESL eq. 7.9 is
//
//	E[(y − ŷ(x))²] = σ²(x) + (E ŷ(x) − f(x))² + Var ŷ(x)
//	               = noise  + bias²           + variance.
//
// The bias is measured against f, not against noisy y (against y it
// absorbs σ²). Per test point, with μ = mean_r ŷ_r and s² = Σ_r (ŷ_r − μ)²
// / (R−1):
//
//	variance = s²                              (unbiased)
//	bias²    = (μ − f)² − s²/R                 (unbiased)
//	error    = mean_r (ŷ_r − y'_r)²            y'_r = f + fresh noise
//
// The plug-in (μ − f)² overestimates the squared bias by Var ŷ/R on average
// (E μ = E ŷ, Var μ = Var ŷ/R); its unbiased correction can be negative at a
// point where the bias is near 0, and is reported as it is. Both the
// plug-in pair (bias2_plugin, variance_plugin with 1/R) and the corrected
// pair add up exactly to mean_r (ŷ_r − f)². The error is measured against
// fresh noisy targets, independently of the terms, so the report's Check of
// error = noise + bias² + variance is a real test (it holds in expectation;
// the gap is reported with its standard error). Totals average the
// per-point terms over the test points.
//
// Standard errors come from the delete-one jackknife over rounds (Efron &
// Stein 1981; Efron & Tibshirani 1993, ch. 11): each term is recomputed
// without round r, in O(R·m) from the per-point sums (μ₋ᵣ = μ − dᵣ/(R−1),
// SS₋ᵣ = SS − dᵣ²·R/(R−1)), and
//
//	SE² = (R−1)/R · Σ_r (θ₋ᵣ − θ̄)².
//
// Replicates of a total are averages over all test points of the same
// round, so the correlation between test points is kept. For the mean
// (error) this is the usual sd/√R; for the variance and the unbiased bias²,
// U-statistics, it is the standard jackknife variance estimate. The tests
// check the calibration (the spread of estimates over independent runs
// matches the mean reported SE) and the 1/√R shrinkage. The standard
// errors measure the Monte Carlo error over training sets at the given
// test points; when the test points are themselves drawn at random
// (Problem.NTest), their sampling error is not included.
//
// Fidelity: k-NN regression with a fixed design satisfies ESL eq. 7.10,
//
//	Err(x₀) = σ² + [f(x₀) − (1/k) Σ_{l≤k} f(x_(l))]² + σ²/k,
//
// and least squares with p parameters on a fixed design has variance
// σ²·p/N averaged over the training points (ESL §7.3); both are tests.
//
// # Zero-one loss
//
// Domingos (2000, "A unified bias-variance decomposition and its
// applications", ICML, Theorems 2–3): with y* = argmax_k P(k|x) the Bayes
// prediction and y_m the main prediction (the most frequent predicted class
// over rounds, ties to the smaller class),
//
//	N(x) = 1 − P(y*|x)                       noise (Bayes error at x)
//	B(x) = 1[y_m ≠ y*]                       bias
//	V(x) = P_r(ŷ_r ≠ y_m)                    variance
//	c₁   = P_r(ŷ = y*) − P_r(ŷ ≠ y*)·P(y = ŷ | y ≠ y*)
//	c₂   = 1 if B = 0, else −P_r(ŷ = y* | ŷ ≠ y_m)
//	E_{r,y}[1(y ≠ ŷ_r)] = c₁N + B + c₂V      exactly.
//
// With two classes c₁ = 2P_r(ŷ = y*) − 1 and c₂ = ±1. The report gives the
// loss, noise, c₁·noise, bias, variance, the variance at unbiased points
// (V_u = E_x[(1−B)V]), at biased points (V_b = E_x[B·V]) and the net
// variance E_x[c₂V] (= V_u − V_b with two classes). The loss is the
// expectation over y|x computed exactly from the posterior. The mode is not
// a smooth function of the rounds, so the standard errors come from the
// delete-a-group jackknife with 20 groups of rounds: calibrated for the
// loss and the variance, conservative for the bias and the net variance
// (about 1.7 times their spread over independent runs in the calibration
// test).
//
// # Log-loss
//
// Heskes (1998, "Bias/variance decompositions for likelihood-based
// estimators", Neural Computation 10(6)): with q_r(k|x) the predicted
// probabilities, p the true posterior and q̄ ∝ exp(mean_r log q_r) their
// normalised geometric mean,
//
//	E_{r,y}[−log q_r(y)] = H(p) + KL(p ‖ q̄) + E_r KL(q̄ ‖ q_r)
//	                     = noise + bias    + variance,
//
// exactly; the variance equals −log Σ_k exp(mean_r log q_r(k)). Models give
// probabilities through ProbModel (clipped to [1e-15, 1−1e-15] and
// renormalised, as scikit-learn's log_loss) or log-probabilities through
// LogProbModel. Standard errors: delete-one jackknife.
//
// # Sweeps and double descent
//
// Sweep runs the decomposition at each value of a complexity knob (k,
// degree, λ, depth, features) with the same seed, so every setting sees the
// same training sets (common random numbers). Minimum-norm least squares on
// p random Fourier features (Rahimi & Recht 2007) shows the double descent
// of Belkin, Hsu, Ma & Mandal (2019, "Reconciling modern machine-learning
// practice and the classical bias–variance trade-off", PNAS 116(32)): the
// error peaks where p reaches the number of training points, where the fit
// interpolates with a huge norm, and falls again beyond it.
//
// # Bootstrap mode
//
// With a real data set and no known f, Bootstrap follows mlxtend's
// bias_variance_decomp (Raschka, mlxtend.evaluate): R bootstrap resamples
// of the training set, predictions on a fixed test set with targets y,
//
//	error      = mean_{r,i} (ŷ_r(x_i) − y_i)²
//	bias²+noise = mean_i (mean_r ŷ_r(x_i) − y_i)²     mlxtend's avg_bias
//	variance   = mean_{r,i} (ŷ_r(x_i) − mean_r ŷ_r(x_i))²   (1/R)
//
// which add up exactly. Because the bias is measured against noisy targets
// it includes the noise, and the report names it bias2_plus_noise. The
// zero-one version (main prediction = mode) does not add up, and the
// report does not claim it does. Given the same resamples, the numbers
// equal those of the peer script (mlxtend's definitions with scikit-learn)
// to rounding: see testdata/peer.
//
// DataFromTable makes the data set of a table as read from a CSV file (a
// target column by name or number, class labels numbered in order of
// appearance) and, without a test table, holds out a seeded share of the
// rows with datasets.Split, the hold-out every command and notebook of
// latent uses: the same table, share and seed give the same test rows
// everywhere. (Before, `latent biasvar run --data` shuffled with a stream
// of its own, and its test rows were in shuffled order; a bootstrap run
// without --test now holds out other rows than it did, and its numbers
// differ.)
//
// # Reports, errors and progress
//
// A Report (and a SweepReport) marshals to JSON, renders as the CLI prints
// it (WriteText) and as Markdown (WriteMarkdown), and has a Status:
// Complete, Partial (some rounds failed) or Failed (a sweep setting whose
// every round failed). The built-ins are named by strings (NewProblem,
// NewLearner, NewKnob, ParseLoss, ParseDesign, and ParseParams for
// NAME=VALUE parameters with ranges), so that a command line, a notebook
// and a Go program make the same run from the same words.
//
// An invalid request (an option, a name, a learner parameter, a loss that
// does not fit the problem) is an *OptionError naming the option as a Go
// caller spells it (Options.Loss, DataOptions.Target, params); a table
// that does not fit is a *DataError naming the table; no round succeeding
// wraps ErrAllRoundsFailed. OptionError and DataError render with another
// name for the option (Named), which is how cmd/latent speaks of its
// flags. A learner parameter is used as given: 0 is a
// value (degree 0, λ 0) or an *OptionError (k 0, lr 0), never the default,
// and a negative one is an error before any round. The network learners
// train through the divergence rule every latent trainer shares
// (nn.Divergence): a diverging fit fails its round with an
// *nn.DivergedError. A run whose arrays cannot fit in memory is a
// *MemoryError (latent's one memory guard) before any round. Sizes that
// disagree between Go values (targets and rows, training and test
// columns, a fixed design of the wrong shape) are the programmer's
// mistake and panic. Options.Progress is told the rounds done so far out
// of the total (over the whole of a sweep), from the calling goroutine.
//
// # Learning curves and the n_train × knob grid (issue 21)
//
// LearningCurve decomposes one learner at every training-set size ("would
// more data help?", scikit-learn #20213), Grid a knob sweep at every size
// (GridReport.Term gives one heat map per term). ParseSizes reads
// FROM:TO:log (DefaultLogSizes = 10 log-spaced sizes, rounded, repeats
// dropped, as numpy's geomspace), FROM:TO:logN, ranges and lists. Every
// size uses the same seed: the same test points, and with the Fixed design
// the design at n is the first n points of one sequence. Problem.InSample
// scores the fixed design's own inputs, where least squares with p
// coefficients has variance exactly σ²p/n (Hastie, Tibshirani & Friedman
// §7.4); k-NN on a fixed design has bias² = (f(x₀) − mean f at the k
// nearest)² and variance σ²/k (their eq. 7.10). Both are tested at every n.
// k-NN (k = 5) on sin 2πx, σ = 0.3, fixed design, 200 rounds, seed 1
// (`latent biasvar sweep --learner knn --param k=5 --design fixed --n-train
// 10:1000:log --rounds 200`): n = 10: error 0.2139, bias² 0.1083,
// variance 0.0178; n = 77: 0.1145, 0.0069, 0.0175; n = 1000: 0.1093,
// 4.1e-5, 0.0179 — the variance stays at σ²/k = 0.018 while the bias
// vanishes, so beyond n ≈ 100 more data does not help this k.
//
// # Any model from any language
//
// Exec runs a user's command for every round (see Exec for the protocol:
// train.csv on standard input and at $LATENT_TRAIN, test.csv at
// $LATENT_TEST, a seed in $LATENT_SEED, one prediction per line on standard
// output), with a timeout and an *ExecError naming the round; rounds run
// in parallel. A scikit-learn model (fit_predict.py):
//
//	import os, sys, numpy as np, pandas as pd
//	from sklearn.ensemble import RandomForestRegressor
//	train = pd.read_csv(os.environ["LATENT_TRAIN"]); test = pd.read_csv(os.environ["LATENT_TEST"])
//	X, y = train.drop(columns="y").to_numpy(), train["y"].to_numpy()
//	m = RandomForestRegressor(n_estimators=50, random_state=int(os.environ["LATENT_SEED"]) % 2**32).fit(X, y)
//	np.savetxt(sys.stdout, m.predict(test.to_numpy()), fmt="%.17g")
//
// run as `latent biasvar run --learner exec --cmd 'python3 fit_predict.py'
// --problem friedman1 --rounds 100 --workers 2`. A PyTorch model
// (fit_predict_torch.py):
//
//	import os, sys, numpy as np, pandas as pd, torch
//	torch.manual_seed(int(os.environ["LATENT_SEED"]) % 2**63)
//	train = pd.read_csv(os.environ["LATENT_TRAIN"]); test = pd.read_csv(os.environ["LATENT_TEST"])
//	X = torch.tensor(train.drop(columns="y").to_numpy(), dtype=torch.float64)
//	y = torch.tensor(train["y"].to_numpy(), dtype=torch.float64).unsqueeze(1)
//	net = torch.nn.Sequential(torch.nn.Linear(X.shape[1], 32), torch.nn.Tanh(), torch.nn.Linear(32, 1)).double()
//	opt = torch.optim.Adam(net.parameters(), lr=1e-2)
//	for _ in range(500):
//	    opt.zero_grad(); loss = torch.nn.functional.mse_loss(net(X), y); loss.backward(); opt.step()
//	with torch.no_grad():
//	    p = net(torch.tensor(test.to_numpy(), dtype=torch.float64)).squeeze(1).numpy()
//	np.savetxt(sys.stdout, p, fmt="%.17g")
//
// The package's tests use a k-NN program the test writes and builds
// itself (CI needs no Python): its report equals the built-in KNN's to the
// bit for the same seed. FromPredictions (`latent biasvar
// from-predictions`) decomposes a prediction matrix from anywhere (rows
// test points, columns rounds, plus the targets and, when known, the
// truth); on the files `latent biasvar run --dump DIR` writes it gives the
// run's report exactly (Options.KeepPredictions, Report.WritePredictions).
// Without the truth it uses the bootstrap mode's definitions.
//
// # Kohavi–Wolpert and James beside Domingos (zero-one loss)
//
// From the same per-point counts of predicted classes, the zero-one
// report carries Kohavi & Wolpert's (1996) decomposition, error = ½(1 −
// ΣP²) + ½Σ(P − P_D)² + ½(1 − ΣP_D²), and James's (2003), error = noise +
// systematic effect + variance effect, with bias and variance (Domingos's)
// as the learner's behaviour and the two effects as what it costs: see
// KohaviWolpert and James. Both add up exactly at every test point (tested,
// with two-class cases worked by hand); Domingos's c₁·N + B + c₂·V too.
// P_D is the plug-in share of rounds (Kohavi & Wolpert's finite-sample
// correction would break the exact sum and is not applied).
//
// # Density estimators
//
// DecomposeDensity decomposes the log-loss of a fitted density on fresh
// draws from a known mixture (Heskes 1998): noise = the truth's entropy,
// bias = KL(p ‖ q̄), variance = E_D KL(q̄ ‖ q_D) = −log Z, with q̄ ∝
// exp E_D log q_D. The integrals over x are a midpoint rule on a grid (1-D
// and 2-D truths), so the entropy — which a mixture has in no closed form
// — is exact to quadrature error, and so is the identity. Learners: GMM
// (package mixture's EM), GaussianMean (known covariance), KDE (Scott's
// rule or a bandwidth). SweepDensity sweeps K beside BIC's choice on each
// training set (`latent biasvar density`). For K = 1 on Gaussian data the
// closed forms are tested: fitting the mean only, bias 0 and variance
// exactly D/(2n) nats; fitting the full covariance by maximum likelihood,
// q̄ = N(μ, Σ/c) with c = n/(n−D−2), bias (D/2)(c − 1 − ln c) and variance
// ½[Σ_{i≤D} ψ((n−i)/2) + D ln(2/n) + cD/n + D ln c] → D(D+3)/(4n) to first
// order (not D/(2n): the covariance's D(D+1)/2 parameters add their own
// variance). On the built-in three-component truth (ThreeGaussians, n =
// 100, 200 rounds) the log-loss is lowest at K = 3 (bias 0.0026, variance
// 0.044 nats) while BIC picks K = 2 on half the training sets: BIC is
// consistent, not risk-optimal at this n.
//
// # Memory
//
// By default a run keeps every prediction (16·R·m bytes for the squared
// loss). Options.Stream (`--stream`) keeps per-point running moments of 20
// contiguous groups of rounds instead (Welford within a group, in round
// order; Chan, Golub & LeVeque between groups, in group order), so memory
// is flat in R and the bits do not depend on Workers; the standard errors
// are then the delete-a-group jackknife. The zero-one loss streams too:
// it keeps the counts of predicted classes per point and per group, which
// are exact, so its streamed report is the stored one bit for bit. Measured (TestStreamMemoryLarge,
// LATENT_LONG=1): 100,000 rounds × 10,000 test points allocate 10.8 MB in
// all, where the stored matrix would be 16 GB. DecomposeDensity always
// streams.
package biasvar
