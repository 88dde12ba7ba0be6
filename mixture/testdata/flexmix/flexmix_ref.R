# Reference numbers from R's flexmix for latent's Bernoulli and Poisson
# mixture families (issue 16): FLXMCmvbinary and FLXMCmvpois, K = 2, 3, 4,
# from a given initial partition, control = list(minprior = 0,
# iter.max = 200, tolerance = 1e-10).
#
# Run from the repository root (Debian's r-cran-flexmix 2.3.18):
#
#   Rscript mixture/testdata/flexmix/flexmix_ref.R
#
# Writes mixture/testdata/flexmix/flexmix_ref.json. Data sets:
#   digits        datasets/data/digits.csv, the 64 pixels binarised as pixel > 8
#                 (1797 rows), FLXMCmvbinary
#   synth_binary  mixture/testdata/flexmix/synth_binary.csv, b1..b20 (500 rows),
#                 FLXMCmvbinary
#   synth_counts  mixture/testdata/flexmix/synth_counts.csv, c1..c6 (400 rows),
#                 FLXMCmvpois
# The initial partition (recorded in full, "cluster"): rows ordered by their
# row sum, ties by row number (a stable order), the i-th row in that order
# (0-based) gets cluster floor(i * K / n) + 1.
#
# Two starts from that partition, both recorded:
#   "vector": flexmix(..., cluster = cl), flexmix's own use of a partition:
#             initPosteriors gives posterior 0.9 to the row's cluster and 0.1
#             to every other, normalised per row (so 0.9/(0.9 + 0.1 (K - 1))),
#             not a hard 0/1 start;
#   "onehot": flexmix(..., cluster = unmap(cl)), a K-column 0/1 matrix, which
#             flexmix takes as the initial posterior as it is: a hard start.
# Each fit's loop is re-run here step by step (the same operations in the
# same order as flexmix's FLXfit for these models) to record the
# log-likelihood of every iteration; the script checks the last one is
# flexmix's logLik bit for bit. Layout: component first (center[k][j]).

suppressPackageStartupMessages(library(flexmix))
source("mixture/testdata/mclust/json.R")

CONTROL <- list(minprior = 0, iter.max = 200, tolerance = 1e-10)
KS <- 2:4
POSTERIOR_ROWS <- 100  # digits: posterior recorded for the first rows only

startPartition <- function(Y, K) {
  n <- nrow(Y)
  o <- order(rowSums(Y), seq_len(n))
  cl <- integer(n)
  cl[o] <- ((seq_len(n) - 1L) * K) %/% n + 1L
  cl
}

onehot <- function(cl, K) {
  z <- matrix(0, length(cl), K)
  z[cbind(seq_along(cl), cl)] <- 1
  z
}

# The component log-densities exactly as FLXMCmvbinary / FLXMCmvpois define
# them (defineComponent's logLik), one column per component.
compLogLik <- function(family, Y, par) {
  K <- nrow(par)
  sapply(seq_len(K), function(k) {
    p <- par[k, ]
    if (family == "mvbinary") {
      P <- matrix(p, nrow = nrow(Y), ncol = length(p), byrow = TRUE)
      rowSums(log(Y * P + (1 - Y) * (1 - P)))
    } else {
      colSums(dpois(t(Y), p, log = TRUE))
    }
  })
}

logRowSums <- function(m) {
  M <- m[cbind(seq_len(nrow(m)), max.col(m, "first"))]
  M + log(rowSums(exp(m - M)))
}

# FLXfit's loop for a single FLXMC model, constant prior, no groups, no
# weights, classify = "weighted", minprior = 0 (no component is removed).
traceFit <- function(family, Y, post0, control) {
  logpu <- log(post0)
  post <- exp(logpu - logRowSums(logpu))
  llh <- -Inf
  trace <- numeric(0)
  for (iter in seq_len(control$iter.max)) {
    prior <- matrix(colMeans(post), nrow = 1)
    par <- t(sapply(seq_len(ncol(post)), function(k) {
      w <- post[, k]
      colSums(w * Y) / sum(w)
    }))
    pu <- compLogLik(family, Y, par)
    pu <- sweep(pu, 2, log(prior), "+")
    logpu <- pu
    post <- exp(logpu - logRowSums(logpu))
    llh.old <- llh
    llh <- sum(logRowSums(logpu))
    trace <- c(trace, llh)
    if (abs(llh - llh.old) / (abs(llh) + 0.1) < control$tolerance) break
  }
  list(trace = trace, iter = iter)
}

fitOne <- function(family, Y, K, start) {
  cl <- startPartition(Y, K)
  cluster <- if (start == "vector") cl else onehot(cl, K)
  model <- if (family == "mvbinary") FLXMCmvbinary() else FLXMCmvpois()
  set.seed(1)  # flexmix draws random numbers only for cluster = NULL; fixed anyway
  fit <- flexmix(Y ~ 1, k = K, cluster = cluster, model = model, control = CONTROL)
  ps <- fit@posterior$scaled
  if (any(rowSums(ps == apply(ps, 1, max)) > 1))
    stop(sprintf("%s K=%d %s: a row's posterior has tied maxima; cluster would be random", family, K, start))
  pname <- if (family == "mvbinary") "center" else "lambda"
  par <- t(sapply(fit@components, function(cc) cc[[1]]@parameters[[pname]]))
  post0 <- if (start == "vector") {
    pu <- matrix(0.1, nrow(Y), K)
    for (k in seq_len(K)) pu[cl == k, k] <- 0.9
    pu
  } else cluster
  tr <- traceFit(family, Y, post0, CONTROL)
  if (!identical(tail(tr$trace, 1), fit@logLik) || tr$iter != fit@iter)
    stop(sprintf("%s K=%d %s: step-by-step loop gives %.17g in %d iterations, flexmix %.17g in %d",
                 family, K, start, tail(tr$trace, 1), tr$iter, fit@logLik, fit@iter))
  list(K = K, start = start,
       call = sprintf("flexmix(Y ~ 1, k = %d, cluster = %s, model = FLXMC%s(), control = list(minprior = 0, iter.max = 200, tolerance = 1e-10))",
                      K, if (start == "vector") "cl" else "unmap(cl)", family),
       cluster_start = as.integer(cl),
       loglik = fit@logLik, iterations = fit@iter, converged = fit@converged,
       loglik_trace = tr$trace,
       df = fit@df, BIC = BIC(fit), AIC = AIC(fit), ICL = ICL(fit),
       prior = jvec(fit@prior),
       parameters = setNames(list(par), pname),
       size = as.integer(fit@size),
       posterior = fit@posterior$scaled,
       cluster = as.integer(fit@cluster))
}

runSet <- function(name, path, family, Y, note) {
  cat("==", name, "\n")
  fits <- list()
  for (K in KS) for (start in c("vector", "onehot")) {
    f <- fitOne(family, Y, K, start)
    if (name == "digits") {
      f$posterior_rows <- POSTERIOR_ROWS
      f$posterior <- f$posterior[seq_len(POSTERIOR_ROWS), , drop = FALSE]
    }
    fits[[length(fits) + 1]] <- f
  }
  list(name = name, path = path, family = family, note = note,
       n = nrow(Y), d = ncol(Y), columns = jvec(colnames(Y)),
       column_sums = colSums(Y), fits = fits)
}

dig <- read.csv("datasets/data/digits.csv")
Yd <- as.matrix(dig[, paste0("p", 0:63)])
Yd <- (Yd > 8) * 1L
sb <- read.csv("mixture/testdata/flexmix/synth_binary.csv")
Yb <- as.matrix(sb[, paste0("b", 1:20)])
sc <- read.csv("mixture/testdata/flexmix/synth_counts.csv")
Yc <- as.matrix(sc[, paste0("c", 1:6)])

out <- list(command = "Rscript mixture/testdata/flexmix/flexmix_ref.R",
            peer = list(R = R.version.string, flexmix = as.character(packageVersion("flexmix")),
                        platform = R.version$platform),
            control = CONTROL,
            rules = list(
              start = "rows ordered by row sum, ties by row number; i-th (0-based) gets floor(i*K/n)+1",
              vector_start = "posterior 0.9 for the row's cluster, 0.1 elsewhere, normalised per row",
              onehot_start = "posterior = the 0/1 matrix of the partition",
              iteration = "prior = colMeans(posterior); M-step center/lambda_k = colSums(w_k * y)/sum(w_k); E-step; loglik = sum_i log sum_k prior_k f_k(y_i)",
              convergence = "stop when |loglik - previous| / (|loglik| + 0.1) < tolerance, or after iter.max iterations",
              returned = "parameters from the last M-step, loglik of the last E-step, prior = colMeans of the last posterior (one half-step after the prior that loglik used)",
              binary_loglik = "sum_j log(y_j p_j + (1 - y_j)(1 - p_j)), no smoothing (p = 0 or 1 allowed)",
              poisson_loglik = "sum_j dpois(y_j, lambda_j, log = TRUE) (R's dpois: Loader's saddle-point form, equal to y log(lambda) - lambda - lgamma(y + 1) to rounding)",
              df = "K - 1 + K * d; BIC = -2 loglik + df log(n); ICL = -2 clogLik + df log(n), clogLik = sum_i log(prior_c f_c(y_i)) at c = the row's cluster (max.col of the posterior), with the prior and parameters that loglik used",
              cluster = "max.col(posterior): exact ties would be broken at random by R (none occur here)"),
            sets = list(
              runSet("digits", "datasets/data/digits.csv", "mvbinary", Yd,
                     "columns p0..p63 binarised as pixel > 8 (1 if the 0..16 value exceeds 8)"),
              runSet("synth_binary", "mixture/testdata/flexmix/synth_binary.csv", "mvbinary", Yb,
                     "columns b1..b20"),
              runSet("synth_counts", "mixture/testdata/flexmix/synth_counts.csv", "mvpois", Yc,
                     "columns c1..c6")))
writejson(out, "mixture/testdata/flexmix/flexmix_ref.json")
