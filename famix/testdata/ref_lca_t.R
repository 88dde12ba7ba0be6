# Reference fits for famix's categorical (latent class analysis) and
# multivariate Student-t families, written with the published EM / ECM
# equations (no R package implements the t-mixture's ECM on Debian:
# teigen is not packaged; poLCA neither). Run from the repository root:
#
#   Rscript famix/testdata/ref_lca_t.R
#
# Writes famix/testdata/lca.csv, famix/testdata/tmix.csv and
# famix/testdata/ref_lca_t.json. Both fits start from the partition
# cluster(i) = ((i - 1) mod K) + 1 (1-based row i) with one M-step, then run
# ITER iterations (E-step, M-step), and record the log-likelihood of the final
# parameters (one more E-step), every iteration's log-likelihood, and the
# parameters. famix's TestReferenceLCA / TestReferenceT reproduce them
# (go test ./famix -run Reference -v).
#
# LCA: Goodman (1974), the EM of poLCA (Linzer & Lewis 2011) without priors:
#   p_kjl = sum_i q_ik [x_ij = l] / sum_i q_ik, levels in C-locale sorted order.
# Student-t: Peel & McLachlan (2000), ECM: u_ik = (nu_k + p)/(nu_k + delta_ik),
#   mu_k = sum tau u x / sum tau u, Sigma_k = sum tau u (x-mu)(x-mu)' / sum tau,
#   nu_k root of -digamma(nu/2) + log(nu/2) + 1
#                + sum tau (log u - u)/sum tau + digamma((nu_old + p)/2) - log((nu_old + p)/2).
#   The first M-step (from the partition) is Gaussian (u = 1) with nu = 30.

ITER <- 40
set.seed(20261202)

num <- function(x) sprintf("%.17g", x)
jvec <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
jmat <- function(m) paste0("[", paste(apply(m, 1, jvec), collapse = ","), "]")
jstr <- function(s) paste0("[", paste0('"', s, '"', collapse = ","), "]")

## ---- latent class analysis ------------------------------------------------
n <- 600; K <- 3
labs <- list(c("no", "yes"), c("low", "mid", "high"), c("a", "b", "c", "d"), c("blue", "green", "red"), c("n", "y"))
truth <- sample.int(K, n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
X <- sapply(seq_along(labs), function(j) {
  L <- length(labs[[j]])
  sapply(truth, function(k) {
    pr <- rep(0.1 / (L - 1), L); pr[((k + j) %% L) + 1] <- 0.9
    sample(labs[[j]], 1, prob = pr)
  })
})
colnames(X) <- paste0("q", seq_along(labs))
write.csv(X, "famix/testdata/lca.csv", row.names = FALSE, quote = FALSE)
X <- as.matrix(read.csv("famix/testdata/lca.csv", colClasses = "character"))
lev <- lapply(seq_len(ncol(X)), function(j) sort(unique(X[, j]), method = "radix"))
codes <- sapply(seq_len(ncol(X)), function(j) match(X[, j], lev[[j]]))

lcaM <- function(post) {
  pk <- colSums(post)
  list(pi = pk / sum(pk), p = lapply(seq_len(ncol(codes)), function(j)
    t(sapply(seq_len(K), function(k) sapply(seq_along(lev[[j]]), function(l) sum(post[codes[, j] == l, k]) / pk[k])))))
}
lcaLogJoint <- function(par) {
  sapply(seq_len(K), function(k) {
    lp <- rep(log(par$pi[k]), n)
    for (j in seq_len(ncol(codes))) lp <- lp + log(par$p[[j]][k, codes[, j]])
    lp
  })
}
lse <- function(lp) { m <- apply(lp, 1, max); m + log(rowSums(exp(lp - m))) }
cl <- ((seq_len(n) - 1) %% K) + 1
post <- diag(K)[cl, ]
par <- lcaM(post)
trace <- c()
for (it in seq_len(ITER)) {
  lp <- lcaLogJoint(par); ll <- lse(lp)
  trace <- c(trace, sum(ll))
  par <- lcaM(exp(lp - ll))
}
llLCA <- sum(lse(lcaLogJoint(par)))
lcaJSON <- paste0('{"iterations":', ITER, ',"K":', K, ',"loglik":', num(llLCA),
  ',"trace":', jvec(trace), ',"weights":', jvec(par$pi),
  ',"levels":[', paste(sapply(lev, jstr), collapse = ","), ']',
  ',"p":[', paste(sapply(par$p, jmat), collapse = ","), ']}')

## ---- Student-t mixture ----------------------------------------------------
nt <- 300; Kt <- 2; p <- 2
zt <- rep(1:2, c(180, 120))
mus <- rbind(c(0, 0), c(5, 3))
Y <- t(sapply(zt, function(k) {
  w <- rchisq(1, 4) / 4
  mus[k, ] + c(rnorm(1), 0.6 * rnorm(1) + 0.5 * rnorm(1)) / sqrt(w)
}))
colnames(Y) <- c("y1", "y2")
write.csv(Y, "famix/testdata/tmix.csv", row.names = FALSE, quote = FALSE)
Y <- as.matrix(read.csv("famix/testdata/tmix.csv"))

tDens <- function(par) {
  sapply(seq_len(Kt), function(k) {
    S <- par$Sigma[[k]]; R <- chol(S)
    dif <- sweep(Y, 2, par$mu[k, ])
    delta <- colSums(backsolve(R, t(dif), transpose = TRUE)^2)
    nu <- par$nu[k]
    lgamma((nu + p) / 2) - lgamma(nu / 2) - p / 2 * log(nu * pi) - sum(log(diag(R))) -
      (nu + p) / 2 * log1p(delta / nu)
  })
}
tDelta <- function(par, k) {
  R <- chol(par$Sigma[[k]]); dif <- sweep(Y, 2, par$mu[k, ])
  colSums(backsolve(R, t(dif), transpose = TRUE)^2)
}
solveNu <- function(c) {
  g <- function(lnu) { nu <- exp(lnu); -digamma(nu / 2) + log(nu / 2) + 1 + c }
  if (g(log(1e6)) >= 0) return(1e6)
  exp(uniroot(g, c(log(1e-3), log(1e6)), tol = 1e-14, maxiter = 1000)$root)
}
tM <- function(tau, par, first) {
  out <- list(pi = colSums(tau) / nt, mu = matrix(0, Kt, p), Sigma = list(), nu = par$nu)
  for (k in seq_len(Kt)) {
    if (first) { u <- rep(1, nt) } else {
      d <- tDelta(par, k); u <- (par$nu[k] + p) / (par$nu[k] + d)
    }
    tu <- tau[, k] * u
    mu <- colSums(tu * Y) / sum(tu)
    dif <- sweep(Y, 2, mu)
    out$mu[k, ] <- mu
    out$Sigma[[k]] <- crossprod(dif * sqrt(tu)) / sum(tau[, k])
    if (!first && par$fixed == 0) {
      a <- (par$nu[k] + p) / 2; b <- (par$nu[k] + d) / 2
      elog <- digamma(a) - log(b)
      out$nu[k] <- solveNu(sum(tau[, k] * (elog - u)) / sum(tau[, k]))
    }
  }
  out$fixed <- par$fixed
  out
}
fitT <- function(nu0, fixed) {
  cl <- ((seq_len(nt) - 1) %% Kt) + 1
  par <- tM(diag(Kt)[cl, ], list(nu = rep(nu0, Kt), fixed = fixed), TRUE)
  trace <- c()
  for (it in seq_len(ITER)) {
    lp <- sweep(tDens(par), 2, log(par$pi), "+"); ll <- lse(lp)
    trace <- c(trace, sum(ll))
    par <- tM(exp(lp - ll), par, FALSE)
  }
  lp <- sweep(tDens(par), 2, log(par$pi), "+")
  paste0('{"iterations":', ITER, ',"K":', Kt, ',"fixed_nu":', num(fixed), ',"loglik":', num(sum(lse(lp))),
    ',"trace":', jvec(trace), ',"weights":', jvec(par$pi), ',"means":', jmat(par$mu),
    ',"covariances":[', paste(sapply(par$Sigma, jmat), collapse = ","), '],"nu":', jvec(par$nu), '}')
}
tJSON <- c(fitT(30, 0), fitT(4, 4))

writeLines(paste0('{"lca":', lcaJSON, ',"t":[', paste(tJSON, collapse = ","), ']}'), "famix/testdata/ref_lca_t.json")
cat("LCA loglik", num(llLCA), "\n")
