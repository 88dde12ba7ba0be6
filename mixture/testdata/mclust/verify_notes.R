# Checks that NOTES.md describes mclust 6.0 correctly: every algorithm NOTES.md
# states is re-implemented here in plain R, from the description alone, and
# compared with mclust's own functions. It writes nothing; it stops at the
# first disagreement and prints "all checks passed" at the end.
#
#   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3:/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 \
#     Rscript mixture/testdata/mclust/verify_notes.R
#
# Checked: the hc transformations (use = VARS, STD, SPH, PCS, PCR, SVD); the
# VVV hierarchical agglomeration merge by merge (criterion, slot bookkeeping,
# tie rule, labels) on Faithful, Iris and synth3d; hclass; qclass; every
# M-step (the 14 models, E and V) from a fixed z; the E-step log-likelihood;
# the EM stopping rule; nMclustParams and BIC; ICL; the conjugate-prior M-step
# of VVV, EEE, VII, EII, VVI, EEI; defaultPrior.

suppressPackageStartupMessages(library(mclust))
source("mixture/testdata/mclust/json.R")
requireReferenceBlas()

close <- function(got, want, tol, what) {
  got <- as.numeric(got); want <- as.numeric(want)
  if (length(got) != length(want)) stop(what, ": length ", length(got), " vs ", length(want))
  err <- max(abs(got - want) / pmax(1, abs(want)))
  if (!is.finite(err) || err > tol) stop(sprintf("%s: max relative error %.3g > %.3g", what, err, tol))
  invisible(err)
}

load <- function(path, cols) {
  raw <- read.csv(path)
  X <- as.matrix(raw[, cols, drop = FALSE])
  colnames(X) <- names(raw)[cols]
  X
}
sets <- list(faithful = load("datasets/data/faithful.csv", 1:2),
             iris = load("datasets/data/iris.csv", 1:4),
             synth3d = load("mixture/testdata/mclust/synth3d.csv", 1:3))

# ------------------------------------------------------------------ hc data transformations
transform <- function(X, use) {
  n <- nrow(X); p <- ncol(X)
  switch(use,
         VARS = X,
         STD = scale(X),
         PCR = { S <- scale(X); S %*% svd(S)$v },
         PCS = { C <- scale(X, scale = FALSE); C %*% svd(C)$v },
         SPH = { C <- scale(X, scale = FALSE); e <- svd(crossprod(C) / n)
                 C %*% e$v %*% diag(1 / sqrt(e$d), p) },
         SVD = { S <- scale(X); s <- svd(S)
                 S %*% s$v %*% diag(1 / sqrt(s$d), p) })
}
for (nm in names(sets)) for (use in c("VARS", "STD", "SPH", "PCS", "PCR", "SVD")) {
  X <- sets[[nm]]
  Z <- attr(hc(X, "VVV", use = use), "data")
  mine <- transform(X, use)
  # columns may differ in sign (SVD); compare column by column up to sign
  for (j in seq_len(ncol(Z))) {
    s <- sign(sum(Z[, j] * mine[, j]))
    close(mine[, j] * s, Z[, j], 1e-12, paste("transform", nm, use, j))
  }
}
cat("hc transformations: ok\n")

# ------------------------------------------------------------------ hcVVV, merge by merge
# NOTES.md, "hc". A cluster C of m rows is kept as: its scaled sum x_C = sqrt(m) * mean,
# its trace t_C = tr W_C, its term T_C, the matrix its Cholesky factor stands for right
# after it was formed (M_C, = W_C up to what the parts contributed), and the rows mclust
# keeps of that factor: min(m - 1, p) copies of the factor's first row, the k-th read
# back as (0, ..., 0, r1[k..p]) -- so for m >= 3 and p >= 2 the stored matrix S_C is not
# W_C. term(l, t, M) = l log(beta (t + alpha) / l) if l <= p, else
# l log(det(M / l) + beta (t + alpha) / l) (the trace form when det is 0); alpha =
# traceW(Z / sqrt(n p)), beta = 1. Costs are computed once, when a pair first exists:
# singletons (i, j): v = (z_i - z_j) * sqrt(1/2), t = v.v, cost = 2 log(beta (t + alpha) / 2)
# - (log(alpha beta) + log(alpha beta)); after a merge into slot c, for every other slot k:
# v = sqrt(m_c / m) x_k - sqrt(m_k / m) x_c, t = (t_c + t_k) + v.v, M = M_c + S_k + v v',
# cost = term(m, t, M) - (T_c + T_k). Dot products add in index order (reference BLAS).
# The chosen pair (smallest cost, ties: the last in the order j = 2..m, i = 1..j-1)
# merges into the lower slot; the last slot's cluster moves into the higher one.
hcVVVasMclust <- function(Z) {
  n <- nrow(Z); p <- ncol(Z)
  alpha <- max(traceWseq(Z / sqrt(n * p)), .Machine$double.eps)
  beta <- 1
  ablog <- log(beta * alpha)
  rthalf <- 0.7071067811865476
  dot <- function(v) { s <- 0; for (k in seq_along(v)) s <- s + v[k] * v[k]; s }
  vvvtij <- function(l, tr, M) {
    if (l <= p) return(l * log(beta * (tr + alpha) / l))
    if (tr == 0) return(l * log((alpha * beta) / l))
    R <- tryCatch(chol(M), error = function(e) NULL)
    if (is.null(R) || any(diag(R) == 0)) return(l * log(beta * (tr + alpha) / l))
    s <- sqrt(1 / l)
    detlog <- 2 * sum(log(abs(diag(R) * s)))
    if (detlog <= 0) l * log(exp(detlog) + beta * (tr + alpha) / l)
    else l * (log(1 + exp(-detlog) * (beta * (tr + alpha) / l)) + detlog)
  }
  storedOf <- function(M, m) {
    q <- min(m - 1, p); S <- matrix(0, p, p)
    if (q == 0) return(S)
    R <- tryCatch(chol(M), error = function(e) NULL)
    r1 <- if (!is.null(R)) R[1, ] else if (M[1, 1] > 0) M[1, ] / sqrt(M[1, 1]) else rep(0, p)
    for (k in 1:q) { v <- c(rep(0, k - 1), r1[k:p]); S <- S + tcrossprod(v) }
    S
  }
  # cluster: rows, m, x (= sqrt(m) * mean, as mclust stores it), tr, term, Mtrue, Mstored
  cl <- lapply(1:n, function(i) list(rows = i, m = 1, x = Z[i, ], tr = 0, term = ablog,
                                     Mtrue = matrix(0, p, p), Mstored = matrix(0, p, p)))
  cost <- matrix(Inf, n, n)
  for (j in 2:n) for (i in 1:(j - 1)) {
    v <- (Z[i, ] - Z[j, ]) * rthalf
    tr <- dot(v)
    cost[i, j] <- 2 * log(beta * (tr + alpha) / 2) - (ablog + ablog)
  }
  last <- 0; mcount <- n
  merges <- matrix(0L, n - 1, 2)
  # the cost of merging the newest cluster C (slot c) with K (slot k), as the update loop does
  updCost <- function(C, K, jBeforeOld) {
    ni <- C$m; ri <- ni
    if (K$m == 1) {
      nij <- ni + 1; qij <- 1 / nij; qi <- ri * qij; si <- sqrt(qi); sj <- sqrt(qij)
      v <- K$x * si - sj * C$x            # dcopy x(j); dscal si; daxpy -sj x(iold)
      tr <- C$tr + dot(v)
      termj <- ablog
      sA <- sj; sB <- si                  # scaled-sum weights for (K, C)
    } else {
      nj <- K$m; nij <- ni + nj; qij <- 1 / nij; qi <- ri * qij; qj <- nj * qij
      si <- sqrt(qi); sj <- sqrt(qj)
      v <- K$x * si - sj * C$x
      tr <- (C$tr + K$tr) + dot(v)
      termj <- K$term
      sA <- sj; sB <- si
    }
    M <- C$Mtrue + K$Mstored + tcrossprod(v)
    tm <- vvvtij(nij, tr, M)
    list(d = tm - (C$term + termj), tr = tr, tm = tm, M = M, m = nij,
         wK = sA, wC = sB)
  }
  saved <- list()
  for (s in 1:(n - 1)) {
    best <- Inf; bi <- 0; bj <- 0
    for (j in 2:mcount) for (i in 1:(j - 1)) if (cost[i, j] <= best) { best <- cost[i, j]; bi <- i; bj <- j }
    A <- cl[[bi]]; B <- cl[[bj]]
    merges[s, ] <- as.integer(sort(c(min(A$rows), min(B$rows))))
    m <- A$m + B$m
    if (bi == last || bj == last) {
      other <- if (bi == last) bj else bi
      u <- saved[[as.character(other)]]
      C <- cl[[last]]; K <- cl[[other]]
      x <- if (other < last) u$wK * K$x + u$wC * C$x else u$wC * C$x + u$wK * K$x
      new <- list(rows = c(A$rows, B$rows), m = m, x = x, tr = u$tr, term = u$tm, Mtrue = u$M)
    } else {
      # recompute as the "global minimum" branch does (stale cost; term = dopt + termi + termj)
      if (B$m == 1) {
        if (A$m == 1) { si <- rthalf; sj <- rthalf; v <- (A$x - B$x) * rthalf; tr <- dot(v) }
        else { nij <- A$m + 1; qij <- 1 / nij; qi <- A$m * qij; si <- sqrt(qi); sj <- sqrt(qij)
               v <- A$x * sj - si * B$x; tr <- A$tr + dot(v) }
      } else {
        if (A$m == 1) { nij <- B$m + 1; qij <- 1 / nij; qj <- B$m * qij; si <- sqrt(qij); sj <- sqrt(qj)
                        v <- A$x * sj - si * B$x; tr <- B$tr + dot(v) }
        else { nij <- A$m + B$m; qij <- 1 / nij; si <- sqrt(A$m * qij); sj <- sqrt(B$m * qij)
               v <- A$x * sj - si * B$x; tr <- (A$tr + B$tr) + dot(v) }
      }
      M <- A$Mstored + B$Mstored + tcrossprod(v)
      new <- list(rows = c(A$rows, B$rows), m = m, x = si * A$x + sj * B$x, tr = tr,
                  term = best + (A$term + B$term), Mtrue = M)
    }
    new$Mstored <- storedOf(new$Mtrue, m)
    cl[[bi]] <- new
    if (bj != mcount) {
      cl[[bj]] <- cl[[mcount]]
      for (i in seq_len(mcount - 1)) { if (i == bj) next; cost[min(i, bj), max(i, bj)] <- cost[min(i, mcount), max(i, mcount)] }
    }
    cl[[mcount]] <- NULL; mcount <- mcount - 1
    last <- bi
    if (mcount == 1) break
    saved <- list()
    for (k in seq_len(mcount)) if (k != bi) {
      u <- updCost(cl[[bi]], cl[[k]], k < bi)
      cost[min(k, bi), max(k, bi)] <- u$d
      saved[[as.character(k)]] <- u
    }
  }
  merges
}
traceWseq <- function(x) { n <- nrow(x); fac <- 1 / sqrt(n); ss <- 0
  for (j in 1:ncol(x)) { u <- 0; for (i in 1:n) u <- u + fac * x[i, j]; col <- x[, j] - fac * u; s <- 0; for (i in 1:n) s <- s + col[i] * col[i]; ss <- ss + s }
  ss }
traceWseq <- function(x) {
  # mclust's traceW (Fortran mcltrw): column sums of x / sqrt(n) accumulated in order,
  # then the sum of squared deviations column by column
  n <- nrow(x); fac <- 1 / sqrt(n); ss <- 0
  for (j in 1:ncol(x)) {
    u <- 0; for (i in 1:n) u <- u + fac * x[i, j]
    col <- x[, j] - fac * u
    s <- 0; for (i in 1:n) s <- s + col[i] * col[i]
    ss <- ss + s
  }
  ss
}
for (nm in names(sets)) for (use in c("VARS", "STD", "SPH", "PCS", "PCR", "SVD")) {
  X <- sets[[nm]]
  h <- hc(X, "VVV", use = use)
  mine <- hcVVVasMclust(attr(h, "data"))
  theirs <- t(unclass(h)[1:2, ])
  if (!identical(as.integer(mine), as.integer(theirs))) {
    k <- which(rowSums(mine != theirs) > 0)[1]
    stop(sprintf("hc VVV %s %s: first different merge %d: mine (%d,%d), mclust (%d,%d)",
                 nm, use, k, mine[k, 1], mine[k, 2], theirs[k, 1], theirs[k, 2]))
  }
}
cat("hc VVV agglomeration, every merge (Faithful, Iris, synth3d; all six transformations): ok\n")

# hclass: replay merges, relabel the larger name to the smaller, then number
# the groups 1..G in order of first appearance
naiveHclass <- function(merges, n, G) {
  lab <- seq_len(n)
  for (s in seq_len(n - G)) lab[lab == merges[s, 2]] <- merges[s, 1]
  match(lab, unique(lab))
}
for (nm in names(sets)) {
  X <- sets[[nm]]
  h <- hc(X, "VVV", use = "SVD")
  cl <- hclass(h, 1:9)
  mrg <- t(unclass(h)[1:2, ])
  for (G in 1:9) if (!identical(as.integer(cl[, G]), naiveHclass(mrg, nrow(X), G)))
    stop("hclass ", nm, " G=", G)
}
cat("hclass: ok\n")

# qclass (one-dimensional start)
naiveQclass <- function(x, k) {
  eps <- sd(x) * sqrt(.Machine$double.eps)
  q <- NA; m <- k
  while (length(q) < k + 1) { m <- m + 1; q <- unique(quantile(x, seq(0, 1, length = m))) }
  if (length(q) > k + 1) q <- q[-order(diff(q))[1:(length(q) - k - 1)]]
  q[1] <- min(x) - eps; q[length(q)] <- max(x) + eps
  cl <- rep(0, length(x))
  for (i in 1:k) cl[x >= q[i] & x < q[i + 1]] <- i
  cl
}
x1 <- sets$faithful[, 1]
for (k in 1:9) if (!identical(naiveQclass(x1, k), mclust:::qclass(x1, k))) stop("qclass ", k)
cat("qclass: ok\n")

# ------------------------------------------------------------------ M-steps
suff <- function(X, z) {
  n <- nrow(X); p <- ncol(X); G <- ncol(z)
  nk <- colSums(z)
  mu <- t(z) %*% X / nk                      # G x p
  W <- lapply(1:G, function(k) { D <- sweep(X, 2, mu[k, ]); crossprod(D * sqrt(z[, k])) })
  list(n = n, p = p, G = G, nk = nk, pro = nk / n, mu = mu, W = W)
}
gmean <- function(v) exp(mean(log(v)))
eigdesc <- function(W) { e <- eigen(W, symmetric = TRUE); list(values = e$values, vectors = e$vectors) }

TOLIN <- sqrt(.Machine$double.eps)   # emControl()$tol[2]

mstepMine <- function(model, X, z, start = NULL, inEM = FALSE) {
  # start: the inner iteration's starting values (NULL: mstep's own start);
  # inEM: the VEV start me uses at its first iteration (scale = geomean / n)
  s <- suff(X, z); n <- s$n; p <- s$p; G <- s$G; nk <- s$nk; W <- s$W
  state <- NULL
  Wsum <- Reduce(`+`, W)
  sig <- switch(model,
    EII = { l <- sum(diag(Wsum)) / (n * p); lapply(1:G, function(k) diag(l, p)) },
    VII = lapply(1:G, function(k) diag(sum(diag(W[[k]])) / (nk[k] * p), p)),
    EEI = lapply(1:G, function(k) diag(diag(Wsum) / n, p)),
    VVI = lapply(1:G, function(k) diag(diag(W[[k]]) / nk[k], p)),
    EVI = { dk <- sapply(1:G, function(k) gmean(diag(W[[k]])))   # det(diag W_k)^(1/p)
            l <- sum(dk) / n
            lapply(1:G, function(k) diag(l * diag(W[[k]]) / dk[k], p)) },
    VEI = { A <- rep(1, p); lam <- rep(1, G)
            if (!is.null(start)) { A <- start$A; lam <- start$lam }
            repeat {
              lam0 <- lam; A0 <- A
              lam <- sapply(1:G, function(k) sum(diag(W[[k]]) / A) / (p * nk[k]))
              A <- rowSums(sapply(1:G, function(k) diag(W[[k]]) / lam[k])); A <- A / gmean(A)
              err <- max(abs(lam0 - lam) / (1 + lam), abs(A0 - A) / (1 + A))
              if (err <= TOLIN) break
            }
            state <- list(A = A, lam = lam)
            lapply(1:G, function(k) diag(lam[k] * A, p)) },
    EEE = lapply(1:G, function(k) Wsum / n),
    VVV = lapply(1:G, function(k) W[[k]] / nk[k]),
    EEV = { e <- lapply(W, eigdesc); om <- rowSums(sapply(e, `[[`, "values"))
            l <- gmean(om) / n; A <- om / gmean(om)
            lapply(1:G, function(k) l * e[[k]]$vectors %*% diag(A, p) %*% t(e[[k]]$vectors)) },
    VEV = { e <- lapply(W, eigdesc); om <- sapply(e, `[[`, "values")   # p x G
            A <- rowSums(om); A <- A / gmean(A)
            lam <- if (inEM) rep(gmean(rowSums(om)) / n, G) else gmean(rowSums(om)) / (nk * n)
            if (!is.null(start)) { A <- start$A; lam <- start$lam }
            repeat {
              A0 <- A; lam0 <- lam
              lam <- sapply(1:G, function(k) sum(om[, k] / A0) / (nk[k] * p))
              A <- rowSums(sapply(1:G, function(k) om[, k] / lam[k])); A <- A / gmean(A)
              err <- max(abs(A0 - A) / (1 + A), abs(lam - lam0) / (1 + lam))
              if (err < TOLIN) break
            }
            state <- list(A = A, lam = lam)
            lapply(1:G, function(k) lam[k] * e[[k]]$vectors %*% diag(A, p) %*% t(e[[k]]$vectors)) },
    EVV = { dk <- sapply(W, function(w) det(w)^(1 / p)); l <- sum(dk) / n
            lapply(1:G, function(k) l * W[[k]] / dk[k]) },
    VEE = { lam <- rep(1, G); prev <- .Machine$double.xmax / 2
            repeat {
              C <- Reduce(`+`, lapply(1:G, function(k) W[[k]] / lam[k]))
              C <- C / gmean(eigen(C, symmetric = TRUE, only.values = TRUE)$values)
              Ci <- solve(C)
              lam <- sapply(1:G, function(k) sum(diag(W[[k]] %*% Ci)) / (p * nk[k]))
              trgt <- sum(nk) * p + p * sum(log(lam) * nk)
              err <- abs(trgt - prev) / (1 + abs(trgt)); prev <- trgt
              if (err <= TOLIN) break
            }
            lapply(1:G, function(k) lam[k] * C) },
    EVE = , VVE = {
            om <- sapply(W, function(w) max(eigen(w, symmetric = TRUE, only.values = TRUE)$values))
            D <- diag(p); A <- matrix(1, p, G); prev <- .Machine$double.xmax / 2
            if (!is.null(start)) { D <- start$D; A <- start$A }
            repeat {
              # MM 1 (the orientation from F = sum_k A_k^-1 D' W_k - om_k A_k^-1 D')
              F <- Reduce(`+`, lapply(1:G, function(k) { T <- diag(1 / A[, k], p) %*% t(D); T %*% W[[k]] - om[k] * T }))
              sv <- svd(F); D <- t(sv$u %*% t(sv$v))
              # MM 2 (F = sum_k W_k D A_k^-1 - max(1/A_k) W_k D)
              F <- Reduce(`+`, lapply(1:G, function(k) { T <- W[[k]] %*% D; T %*% diag(1 / A[, k], p) - max(1 / A[, k]) * T }))
              sv <- svd(F); D <- sv$u %*% t(sv$v)
              B <- sapply(1:G, function(k) diag(t(D) %*% W[[k]] %*% D))   # p x G
              if (model == "EVE") { A <- apply(B, 2, function(b) b / gmean(b)); lam <- NULL }
              else { B <- sweep(B, 2, nk, "/"); lam <- apply(B, 2, gmean); A <- sweep(B, 2, lam, "/") }
              trgt <- sum(sapply(1:G, function(k) sum(diag(t(D) %*% W[[k]] %*% D) / A[, k])))
              err <- abs(trgt - prev) / (1 + abs(trgt)); prev <- trgt
              if (err <= TOLIN) break
            }
            if (model == "EVE") lam <- rep(trgt / (n * p), G)
            state <- list(D = D, A = A)
            lapply(1:G, function(k) lam[k] * D %*% diag(A[, k], p) %*% t(D)) })
  list(pro = s$pro, mu = s$mu, sigma = sig, state = state)
}

X <- sets$iris
z3 <- unmap(hclass(hc(X, "VVV", use = "SVD"), 3))
for (m in mclust.options("emModelNames")) {
  ms <- mstep(X, m, z3)
  mine <- mstepMine(m, X, z3)
  close(mine$pro, ms$parameters$pro, 1e-13, paste("mstep pro", m))
  close(t(mine$mu), ms$parameters$mean, 1e-13, paste("mstep mean", m))
  close(unlist(mine$sigma), ms$parameters$variance$sigma, 1e-12, paste("mstep sigma", m))
}
# one-dimensional E and V
x1 <- sets$faithful[, 1]
zq <- unmap(mclust:::qclass(x1, 3))
nk <- colSums(zq); mu <- colSums(zq * x1) / nk
Wk <- sapply(1:3, function(k) sum(zq[, k] * (x1 - mu[k])^2))
close(sum(Wk) / length(x1), mstep(x1, "E", zq)$parameters$variance$sigmasq, 1e-13, "mstep E")
close(Wk / nk, mstep(x1, "V", zq)$parameters$variance$sigmasq, 1e-13, "mstep V")
cat("M-steps (14 models on Iris from the hc start at G = 3; E and V on eruptions): ok\n")

# ------------------------------------------------------------------ E-step log-likelihood
loglikMine <- function(X, par) {
  G <- length(par$pro); S <- par$variance$sigma
  dens <- sapply(1:G, function(k) par$pro[k] * mclust::dmvnorm(X, par$mean[, k], S[, , k]))
  sum(log(rowSums(dens)))
}
for (m in mclust.options("emModelNames")) {
  ms <- mstep(X, m, z3)
  es <- estep(X, m, parameters = ms$parameters)
  close(loglikMine(X, ms$parameters), es$loglik, 1e-12, paste("estep loglik", m))
}
cat("E-step log-likelihood: ok\n")

# ------------------------------------------------------------------ EM stopping rule
# me stops after the first iteration k with |l_k - l_{k-1}| / (1 + |l_k|) <= tol[1] = 1e-5
# (l_0 = +huge, so never at k = 1), where l_k is the log-likelihood of the E-step after
# the k-th M-step; the reported log-likelihood is l_k.
for (m in c("VVV", "EEE", "VEV", "EVE")) {
  full <- me(X, m, z3)
  its <- attr(full, "info")[1]
  l <- sapply(1:its, function(k) suppressWarnings(me(X, m, z3, control = emControl(itmax = c(k, .Machine$integer.max))))$loglik)
  rel <- abs(diff(l)) / (1 + abs(l[-1]))
  if (!(all(rel[-length(rel)] > 1e-5) && rel[length(rel)] <= 1e-5)) stop("EM stopping rule ", m)
  if (!identical(l[its], full$loglik)) stop("EM loglik ", m)
}
cat("EM stopping rule: ok\n")

# Inside me, the iterative M-steps start from the previous EM iteration's values
# (VEI, VEV: shape and scale; EVE, VVE: orientation and shapes), VEE restarts its
# scales at 1 every iteration; at the first iteration VEI starts from 1, VEV from the
# normalised eigenvalue sums with scale = their geometric mean / n, EVE and VVE from
# D = I, A = 1.
estepMine <- function(X, fit) {
  G <- length(fit$pro)
  dens <- sapply(1:G, function(k) fit$pro[k] * mclust::dmvnorm(X, fit$mu[k, ], fit$sigma[[k]]))
  list(z = dens / rowSums(dens), loglik = sum(log(rowSums(dens))))
}
for (m in c("VEI", "VEV", "EVE", "VVE", "VEE")) {
  z <- z3; st <- NULL
  for (k in 1:4) {
    fit <- mstepMine(m, X, z, start = if (m == "VEE") NULL else st, inEM = TRUE)
    st <- fit$state
    es <- estepMine(X, fit)
    z <- es$z
    ref <- suppressWarnings(me(X, m, z3, control = emControl(itmax = c(k, .Machine$integer.max))))$loglik
    close(es$loglik, ref, 1e-12, paste("me inner warm start", m, "iteration", k))
  }
}
cat("inner M-step starts inside me (VEI, VEV, EVE, VVE warm; VEE restarted): ok\n")

# ------------------------------------------------------------------ df, BIC, ICL
dfMine <- function(m, d, G) {
  cov <- switch(m, EII = 1, VII = G, EEI = d, VEI = G + d - 1, EVI = 1 + G * (d - 1), VVI = G * d,
                EEE = d * (d + 1) / 2, VEE = G + (d - 1) + d * (d - 1) / 2,
                EVE = 1 + G * (d - 1) + d * (d - 1) / 2, VVE = G + G * (d - 1) + d * (d - 1) / 2,
                EEV = 1 + (d - 1) + G * d * (d - 1) / 2, VEV = G + (d - 1) + G * d * (d - 1) / 2,
                EVV = 1 + G * (d * (d + 1) / 2 - 1), VVV = G * d * (d + 1) / 2)
  (G - 1) + G * d + cov
}
for (m in mclust.options("emModelNames")) for (d in 1:5) for (G in 1:9)
  if (dfMine(m, d, G) != nMclustParams(m, d, G)) stop("df ", m, d, G)
mod <- Mclust(X, verbose = FALSE)
close(2 * mod$loglik - mod$df * log(nrow(X)), mod$bic, 1e-14, "BIC")
hard <- mod$z == apply(mod$z, 1, max)
close(mod$bic + 2 * sum(log(mod$z[hard])), mod$icl, 1e-13, "ICL")
cat("df, BIC, ICL: ok\n")

# ------------------------------------------------------------------ conjugate prior
pr <- priorControl()
for (m in c("VVV", "EEE", "VII", "EII", "VVI", "EEI", "EEV")) {
  pp <- defaultPrior(X, G = 3, modelName = m)
  s <- suff(X, z3); n <- s$n; p <- s$p; G <- s$G; nk <- s$nk
  kap <- pp$shrinkage; nu <- pp$dof; mu0 <- pp$mean
  mupost <- t(sapply(1:G, function(k) (nk[k] * s$mu[k, ] + kap * mu0) / (nk[k] + kap)))
  B <- lapply(1:G, function(k) { dd <- s$mu[k, ] - mu0; (nk[k] * kap / (nk[k] + kap)) * tcrossprod(dd) })
  sig <- switch(m,
    VVV = lapply(1:G, function(k) (pp$scale + s$W[[k]] + B[[k]]) / (nu + nk[k] + p + 2)),
    EEE = { S <- pp$scale + Reduce(`+`, s$W) + Reduce(`+`, B); lapply(1:G, function(k) S / (nu + n + p + 1 + G)) },
    VII = lapply(1:G, function(k) diag((pp$scale + sum(diag(s$W[[k]])) + sum(diag(B[[k]]))) / (nu + nk[k] * p + 2 + p), p)),
    # EII: mclust's mseiip starts the sum at 0 (the prior scale is not added) and takes the
    # scatter about the shrunk mean: sum_k sum_i z_ik |x_i - mupost_k|^2 + sum_k tr B_k
    EII = { ss <- sum(sapply(1:G, function(k) sum(z3[, k] * rowSums(sweep(X, 2, mupost[k, ])^2))))
            l <- (ss + sum(sapply(B, function(b) sum(diag(b))))) / (nu + n * p + 2 + G * p)
            lapply(1:G, function(k) diag(l, p)) },
    VVI = lapply(1:G, function(k) diag((pp$scale + diag(s$W[[k]]) + diag(B[[k]])) / (nu + nk[k] + 3), p)),
    EEI = { v <- pp$scale + diag(Reduce(`+`, s$W)) + diag(Reduce(`+`, B)); lapply(1:G, function(k) diag(v / (nu + n + 2 + G), p)) },
    # EEV: mclust's mseevp sets any positive shrinkage to 0 ("pshrnk .gt. zero"), so
    # mstep's EEV MAP has no mean shrinkage and no B_k, divisor nu + d + 1 + n
    EEV = { e <- lapply(1:G, function(k) eigdesc(pp$scale + s$W[[k]])); om <- rowSums(sapply(e, `[[`, "values"))
            l <- gmean(om) / (nu + p + 1 + n); A <- om / gmean(om)
            lapply(1:G, function(k) l * e[[k]]$vectors %*% diag(A, p) %*% t(e[[k]]$vectors)) })
  if (m == "EEV") mupost <- s$mu
  ms <- mstep(X, m, z3, prior = pr)
  # EEI: mclust's mseeip leaves the means unshrunk (the sample means)
  close(t(if (m == "EEI") s$mu else mupost), ms$parameters$mean, 1e-13, paste("prior mean", m))
  close(unlist(sig), ms$parameters$variance$sigma, 1e-12, paste("prior sigma", m))
}
# Inside me (EM with the prior) three MAP M-steps differ from mstep's:
# EII (meeiip): scatter about the sample means, divisor nu + (n + G) d + 2;
# EEI (meeeip): divisor nu + n + 2 (means unshrunk, as in mseeip);
# EVI (meevip): lambda = sum_k gm(s_k) / (nu + n + 2), s_k = lambda0 + diag W_k + diag B_k;
# EEV (meeevp): the full MAP (shrunk means, B_k), divisor nu + d + 2 + n.
s <- suff(X, z3); n <- s$n; p <- s$p; G <- s$G; nk <- s$nk
for (m in c("EII", "EEI", "EVI", "EEV", "VVV", "VII")) {
  pp <- defaultPrior(X, G = 3, modelName = m)
  kap <- pp$shrinkage; nu <- pp$dof; mu0 <- pp$mean
  mupost <- t(sapply(1:G, function(k) (nk[k] * s$mu[k, ] + kap * mu0) / (nk[k] + kap)))
  B <- lapply(1:G, function(k) { dd <- s$mu[k, ] - mu0; (nk[k] * kap / (nk[k] + kap)) * tcrossprod(dd) })
  fit <- switch(m,
    EII = { l <- (sum(sapply(s$W, function(w) sum(diag(w)))) + sum(sapply(B, function(b) sum(diag(b))))) / (nu + (n + G) * p + 2)
            list(mu = mupost, sigma = lapply(1:G, function(k) diag(l, p))) },
    EEI = { v <- (pp$scale + diag(Reduce(`+`, s$W)) + diag(Reduce(`+`, B))) / (nu + n + 2)
            list(mu = s$mu, sigma = lapply(1:G, function(k) diag(v, p))) },
    EVI = { sk <- lapply(1:G, function(k) pp$scale + diag(s$W[[k]]) + diag(B[[k]]))
            l <- sum(sapply(sk, gmean)) / (nu + n + 2)
            list(mu = mupost, sigma = lapply(1:G, function(k) diag(l * sk[[k]] / gmean(sk[[k]]), p))) },
    EEV = { e <- lapply(1:G, function(k) eigdesc(pp$scale + s$W[[k]] + B[[k]])); om <- rowSums(sapply(e, `[[`, "values"))
            l <- gmean(om) / (nu + p + 2 + n); A <- om / gmean(om)
            list(mu = mupost, sigma = lapply(1:G, function(k) l * e[[k]]$vectors %*% diag(A, p) %*% t(e[[k]]$vectors))) },
    VVV = list(mu = mupost, sigma = lapply(1:G, function(k) (pp$scale + s$W[[k]] + B[[k]]) / (nu + nk[k] + p + 2))),
    VII = list(mu = mupost, sigma = lapply(1:G, function(k) diag((pp$scale + sum(diag(s$W[[k]])) + sum(diag(B[[k]]))) / (nu + nk[k] * p + 2 + p), p))))
  fit$pro <- s$pro
  one <- suppressWarnings(me(X, m, z3, prior = pr, control = emControl(itmax = c(1, .Machine$integer.max))))
  close(estepMine(X, fit)$loglik, one$loglik, 1e-12, paste("MAP M-step inside me", m))
}
# defaultPrior
for (G in 1:9) {
  pp <- defaultPrior(X, G = G, modelName = "VVV")
  close(pp$scale, (1 / G)^(2 / 4) * var(X), 1e-15, "defaultPrior VVV scale")
  pp <- defaultPrior(X, G = G, modelName = "VII")
  close(pp$scale, (1 / G)^(2 / 4) * sum(apply(X, 2, var)) / 4, 1e-15, "defaultPrior VII scale")
  if (pp$dof != 6 || pp$shrinkage != 0.01) stop("defaultPrior dof/shrinkage")
}
pp <- defaultPrior(x1, G = 3, modelName = "V")
close(pp$scale, var(x1) / 9, 1e-15, "defaultPrior V scale")
cat("conjugate prior M-steps (mstep: VVV, EEE, VII, EII, VVI, EEI, EEV; inside me: EII, EEI, EVI, EEV, VVV, VII) and defaultPrior: ok\n")
cat("all checks passed\n")
