# Reference numbers from R's mclust for latent's mclust-parity work (issue 13).
#
# Run from the repository root (Debian's r-cran-mclust 6.0.0, with Debian's
# reference BLAS and LAPACK preloaded: json.R says why):
#
#   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3:/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 \
#     Rscript mixture/testdata/mclust/mclust_ref.R
#
# It writes, next to this script, one mclust_<set>.json per data set:
#   faithful   datasets/data/faithful.csv, both columns (n = 272, d = 2)
#   iris       datasets/data/iris.csv, the four measurements (n = 150, d = 4)
#   eruptions  datasets/data/faithful.csv, column eruptions only (1-D: models E, V)
#   synth3d    mixture/testdata/mclust/synth3d.csv, x1..x3 (n = 300, d = 3)
#   synth2500  mixture/testdata/mclust/synth2500.csv, x1, x2 (n = 2500 > 2000:
#              mclustBIC draws a random hc subset; its indices are recorded)
# Layout of the parameters (README.md says it again): the component is always
# the first index: mean[k][j], sigma[k][i][j], shape[k][j] (varying shape),
# orientation[k][i][j] (varying orientation; columns are the eigenvectors).
# Row and component numbers are 1-based, as in R.

suppressPackageStartupMessages(library(mclust))
source("mixture/testdata/mclust/json.R")
requireReferenceBlas()

OUT <- "mixture/testdata/mclust"
MODELS <- mclust.options("emModelNames")
HCUSES <- c("VARS", "STD", "SPH", "PCS", "PCR", "SVD")
PRIOR_MODELS <- setdiff(MODELS, c("EVE", "VEE", "VVE", "EVV"))
TRACE_MAX <- 300  # longest per-iteration log-likelihood trace recorded

peer <- list(R = R.version.string,
             mclust = as.character(packageVersion("mclust")),
             platform = R.version$platform, blas = blasInfo())

# ---------------------------------------------------------------- helpers

compfirst3 <- function(a, d, G) {
  # d x d x G (mclust) -> G x d x d
  aperm(array(a, c(d, d, G)), c(3, 1, 2))
}

exportVariance <- function(v, d, G) {
  out <- list()
  if (!is.null(v$sigmasq)) out$sigmasq <- jvec(v$sigmasq)
  if (!is.null(v$scale)) out$scale <- jvec(v$scale)
  if (!is.null(v$shape)) {
    s <- v$shape
    out$shape <- if (is.matrix(s)) t(s) else jvec(s)  # d x G -> G x d
  }
  if (!is.null(v$orientation)) {
    o <- v$orientation
    out$orientation <- if (length(dim(o)) == 3) compfirst3(o, d, dim(o)[3]) else o
  }
  if (!is.null(v$Sigma)) out$Sigma <- matrix(v$Sigma, d, d)
  if (!is.null(v$cholSigma)) out$cholSigma <- matrix(v$cholSigma, d, d)
  if (!is.null(v$cholsigma)) out$cholsigma <- compfirst3(v$cholsigma, d, G)
  if (!is.null(v$sigma)) {
    out$sigma <- if (d == 1) jvec(v$sigma) else compfirst3(v$sigma, d, G)
  }
  out
}

exportParams <- function(par, d, G) {
  if (is.null(par)) return(NULL)
  list(pro = jvec(par$pro),
       mean = if (d == 1) jvec(par$mean) else t(matrix(par$mean, d, G)),
       variance = exportVariance(par$variance, d, G))
}

infoOf <- function(obj) {
  # mclust's "info" attribute: outer (EM) and, for the iterative M-steps,
  # inner iteration counts and last relative errors. A negative count means
  # mclust stopped at the iteration limit.
  info <- attr(obj, "info")
  if (is.null(info)) return(NULL)
  inner <- attr(info, "inner")
  v <- unlist(info)
  out <- list(iterations = unname(v[1]), error = unname(v[2]))
  if (!is.null(inner)) {
    out$inner_iterations <- unname(inner[1])
    out$inner_error <- unname(inner[2])
  }
  out
}

status <- function(obj) {
  list(return_code = as.numeric(attr(obj, "returnCode")),
       warning = attr(obj, "WARNING"))
}

hcRecord <- function(X, modelName, use, G = 1:9, transformed = TRUE, partitions = TRUE) {
  h <- hc(X, modelName = modelName, use = use)
  rec <- list(call = sprintf('hc(X, modelName = "%s", use = "%s")', modelName, use),
              merges = t(unclass(h)[1:2, , drop = FALSE]))
  storage.mode(rec$merges) <- "integer"
  if (partitions) {
    cl <- hclass(h, G)
    rec$partitions <- setNames(lapply(colnames(cl), function(g) as.integer(cl[, g])), colnames(cl))
  }
  if (transformed) rec$transformed <- attr(h, "data")
  list(h = h, rec = rec)
}

initialZ <- function(X, G, hcPairs, oneD) {
  # mclustBIC's start for G > 1 (no subset): the hc partition cut at G
  # (qclass for one-dimensional data), as a 0/1 matrix.
  cl <- if (oneD) mclust:::qclass(X, G) else hclass(hcPairs, G)
  unmap(cl, groups = 1:max(cl))
}

fitCell <- function(X, modelName, G, z, prior) {
  # One cell of mclustBIC, exactly as mclustBIC computes it.
  if (G == 1) mvn(modelName = modelName, data = X, prior = prior)
  else me(data = X, modelName = modelName, z = z, prior = prior,
          control = emControl(), warn = FALSE)
}

cellTable <- function(X, BIC, ICL, hcPairs, oneD, prior, subsetZ = NULL) {
  # For every cell of the BIC table: BIC as mclustBIC reports it, the
  # log-likelihood, df (nMclustParams), ICL, iterations and status, and the
  # parameters of the fit. Cells are refitted here the way mclustBIC fits
  # them and checked to give mclustBIC's BIC bit for bit.
  n <- NROW(X); d <- NCOL(X)
  Gs <- as.numeric(rownames(BIC))
  models <- colnames(BIC)
  RET <- attr(BIC, "returnCodes")
  cells <- list()
  for (G in Gs) {
    z <- if (G > 1) { if (is.null(subsetZ)) initialZ(X, G, hcPairs, oneD) else subsetZ[[as.character(G)]] } else NULL
    for (m in models) {
      g <- as.character(G)
      out <- if (is.null(subsetZ) || G == 1) fitCell(X, m, G, z, prior)
             else {
               # subset rule: M-step on the subset's hc partition, one E-step on
               # all rows, then EM from that z (as mclustBIC does)
               me(data = X, modelName = m, z = z(m), prior = prior,
                  control = emControl(), warn = FALSE)
             }
      df <- nMclustParams(m, d, G)
      b <- BIC[g, m]
      ll <- out$loglik
      if (!is.na(b)) {
        bb <- bic(m, ll, n, d, G)
        if (!identical(unname(bb), unname(b)))
          stop(sprintf("refit of %s,%d gives BIC %.17g, mclustBIC %.17g", m, G, bb, b))
      } else if (!is.na(ll)) stop(sprintf("refit of NA cell %s,%d gives a number", m, G))
      cell <- list(model = m, G = G, bic = unname(b),
                   loglik = if (is.null(ll)) NA else ll, df = df,
                   icl = if (is.null(ICL)) NULL else unname(ICL[g, m]),
                   return_code = unname(RET[g, m]),
                   warning = attr(out, "WARNING"))
      inf <- infoOf(out)
      if (!is.null(inf)) cell <- c(cell, inf)
      if (!is.na(b)) cell$parameters <- exportParams(out$parameters, d, G)
      cells[[length(cells) + 1]] <- cell
    }
  }
  cells
}

tableOf <- function(T) {
  # G x model matrix with null for NA
  list(G = as.numeric(rownames(T)), models = colnames(T),
       values = matrix(unclass(T), nrow(T), ncol(T)))
}

bestRecord <- function(mod) {
  d <- mod$d; G <- mod$G
  list(call = "Mclust(X, G = 1:9)", model = mod$modelName, G = G,
       bic = mod$bic, icl = mod$icl, loglik = mod$loglik, df = mod$df,
       parameters = exportParams(mod$parameters, d, G),
       z = mod$z,
       classification = as.integer(mod$classification),
       uncertainty = unname(mod$uncertainty))
}

singleStep <- function(X, z, models, prior = NULL, trace = TRUE, withZ = TRUE) {
  # From a fixed z: mstep parameters, then estep on them (log-likelihood
  # and z), me from the same z (converged), and me stopped after k = 1, 2, ...
  # EM iterations (the log-likelihood at each), which is the EM trace.
  n <- NROW(X); d <- NCOL(X); G <- ncol(z)
  res <- list()
  for (m in models) {
    ms <- mstep(data = X, modelName = m, z = z, prior = prior, warn = FALSE)
    rec <- list(mstep = c(list(parameters = exportParams(ms$parameters, d, G)),
                          status(ms), if (!is.null(attr(ms, "info")))
                            list(inner = as.list(unname(unlist(attr(ms, "info")))))))
    es <- do.call("estep", c(list(data = X, modelName = m, warn = FALSE), list(parameters = ms$parameters)))
    rec$estep <- c(list(loglik = es$loglik), if (withZ) list(z = es$z), status(es))
    full <- me(data = X, modelName = m, z = z, prior = prior, control = emControl(), warn = FALSE)
    rec$me <- c(list(loglik = full$loglik, bic = if (is.na(full$loglik)) NA else bic(m, full$loglik, n, d, G),
                     parameters = exportParams(full$parameters, d, G)),
                infoOf(full), status(full))
    if (trace && !is.na(full$loglik)) {
      its <- abs(infoOf(full)$iterations)
      K <- min(its, TRACE_MAX)
      rec$loglik_trace <- vapply(seq_len(K), function(k) {
        o <- suppressWarnings(me(data = X, modelName = m, z = z, prior = prior,
                                 control = emControl(itmax = c(k, .Machine$integer.max)), warn = FALSE))
        o$loglik
      }, numeric(1))
      if (K == its && !identical(rec$loglik_trace[K], full$loglik))
        stop("trace does not end at the converged log-likelihood for ", m)
    }
    res[[m]] <- rec
  }
  res
}

priorRecord <- function(X, models) {
  oneD <- NCOL(X) == 1
  out <- list()
  for (m in models) {
    out[[m]] <- lapply(1:9, function(G) {
      p <- defaultPrior(X, G = G, modelName = m)
      list(G = G, shrinkage = p$shrinkage, mean = jvec(p$mean), dof = p$dof,
           scale = if (is.matrix(p$scale)) p$scale else p$scale)
    })
  }
  out
}

# ---------------------------------------------------------------- one data set

runSet <- function(name, path, cols, subsetSeed = NULL, singleSteps = TRUE, hcAll = TRUE) {
  cat("==", name, "\n")
  raw <- read.csv(path)
  X <- as.matrix(raw[, cols, drop = FALSE])
  colnames(X) <- names(raw)[cols]
  oneD <- ncol(X) == 1
  if (oneD) X <- drop(X)   # mclust treats a vector as one-dimensional data
  n <- NROW(X); d <- NCOL(X)
  models <- if (oneD) c("E", "V") else MODELS
  pmodels <- if (oneD) c("E", "V") else PRIOR_MODELS

  rec <- list(command = paste(REFERENCE_BLAS_PRELOAD, "Rscript mixture/testdata/mclust/mclust_ref.R"),
              peer = peer,
              data = list(name = name, path = path, columns = jvec(names(raw)[cols]), n = n, d = d),
              control = list(emControl = emControl(),
                             hcModelName = mclust.options("hcModelName"),
                             hcUse = mclust.options("hcUse"),
                             subset = mclust.options("subset")),
              models = jvec(models))

  # -- initialisation
  hcPairs <- NULL
  if (!oneD && is.null(subsetSeed)) {
    rec$hc <- list()
    uses <- if (hcAll) HCUSES else "SVD"
    for (u in uses) {
      r <- hcRecord(X, "VVV", u)
      rec$hc$VVV[[u]] <- r$rec
      if (u == "SVD") hcPairs <- r$h
    }
    if (hcAll) for (m in c("EII", "VII", "EEE")) rec$hc[[m]] <- list(SVD = hcRecord(X, m, "SVD", transformed = FALSE, partitions = FALSE)$rec)
  }
  if (oneD) {
    rec$qclass <- setNames(lapply(1:9, function(G) as.integer(mclust:::qclass(X, G))), as.character(1:9))
  }

  # -- the BIC grid, ICL, best model
  subsetZ <- NULL
  if (!is.null(subsetSeed)) {
    set.seed(subsetSeed)
    BIC <- mclustBIC(X, G = 1:9, verbose = FALSE)
    sub <- attr(BIC, "initialization")$subset
    hcPairs <- attr(BIC, "initialization")$hcPairs
    # the same subset drawn again, to record it and check the draw
    set.seed(subsetSeed)
    again <- sample(seq.int(n), size = mclust.options("subset"), replace = FALSE)
    if (!identical(as.integer(again), as.integer(sub))) stop("subset draw not reproduced")
    hr <- hcRecord(X[sub, ], "VVV", "SVD", transformed = FALSE)
    if (!identical(unclass(hr$h)[1:2, ], unclass(hcPairs)[1:2, ])) stop("subset hc not reproduced")
    rec$subset <- list(seed = subsetSeed,
                       rule = "set.seed(seed); sample(seq.int(n), size = 2000, replace = FALSE), drawn inside mclustBIC",
                       rows = as.integer(sub), hc = hr$rec)
    subsetZ <- lapply(setNames(2:9, 2:9), function(G) {
      cl <- hclass(hcPairs, G)
      zs <- unmap(cl, groups = 1:max(cl))
      function(m) {
        ms <- mstep(data = X[sub, ], modelName = m, z = zs, control = emControl(), warn = FALSE)
        do.call("estep", c(list(data = X, modelName = m, warn = FALSE), list(parameters = ms$parameters)))$z
      }
    })
    set.seed(subsetSeed)
    ICL <- mclustICL(X, G = 1:9, verbose = FALSE)
    set.seed(subsetSeed)
    mod <- Mclust(X, G = 1:9, verbose = FALSE)
  } else {
    BIC <- mclustBIC(X, G = 1:9, verbose = FALSE)
    ICL <- mclustICL(X, G = 1:9, verbose = FALSE)
    mod <- Mclust(X, G = 1:9, verbose = FALSE)
  }
  rec$bic_table <- tableOf(BIC)
  rec$icl_table <- tableOf(ICL)
  rec$return_codes <- tableOf(attr(BIC, "returnCodes"))
  rec$top3 <- as.list(pickBIC(BIC, 3))
  rec$cells <- cellTable(X, BIC, ICL, hcPairs, oneD, prior = NULL, subsetZ = subsetZ)
  rec$best <- bestRecord(mod)

  # -- single-step M-step / E-step references and EM traces, from the G = 3 start
  if (singleSteps) {
    z3 <- initialZ(X, 3, hcPairs, oneD)
    rec$single_step <- list(G = 3,
                            start = if (oneD) "unmap(qclass(X, 3))" else 'unmap(hclass(hc(X, "VVV", use = "SVD"), 3))',
                            partition = as.integer(map(z3)),
                            models = singleStep(X, z3, models))
  }

  # -- conjugate prior (priorControl() = defaultPrior)
  if (is.null(subsetSeed)) {
    BICp <- mclustBIC(X, G = 1:9, prior = priorControl(), verbose = FALSE)
    modp <- Mclust(X, G = 1:9, prior = priorControl(), verbose = FALSE)
    rec$prior <- list(call = "mclustBIC(X, G = 1:9, prior = priorControl())",
                      models = jvec(colnames(BICp)),
                      defaultPrior = priorRecord(X, models),
                      bic_table = tableOf(BICp),
                      return_codes = tableOf(attr(BICp, "returnCodes")),
                      cells = cellTable(X, BICp, NULL, hcPairs, oneD, prior = priorControl()),
                      best = bestRecord(modp))
    rec$prior$best$call <- "Mclust(X, G = 1:9, prior = priorControl())"
    if (singleSteps) {
      z3 <- initialZ(X, 3, hcPairs, oneD)
      rec$prior$single_step <- list(G = 3, start = rec$single_step$start,
                                    models = singleStep(X, z3, pmodels, prior = priorControl(),
                                                        trace = FALSE, withZ = FALSE))
    }
  }

  writejson(rec, file.path(OUT, sprintf("mclust_%s.json", name)))
  invisible(mod)
}

sets <- list(
  list(name = "faithful", path = "datasets/data/faithful.csv", cols = 1:2),
  list(name = "iris", path = "datasets/data/iris.csv", cols = 1:4),
  list(name = "eruptions", path = "datasets/data/faithful.csv", cols = 1),
  list(name = "synth3d", path = "mixture/testdata/mclust/synth3d.csv", cols = 1:3),
  list(name = "synth2500", path = "mixture/testdata/mclust/synth2500.csv", cols = 1:2,
       subsetSeed = 2500L, singleSteps = FALSE, hcAll = FALSE))

args <- commandArgs(trailingOnly = TRUE)
for (s in sets) {
  if (length(args) && !(s$name %in% args)) next
  do.call(runSet, s)
}
