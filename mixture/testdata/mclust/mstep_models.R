# References for mclust's 14 multivariate models and E, V (mixture/eii.go …
# evv.go, univariate_*.go), from R's mclust (Debian's r-cran-mclust 6.0.0).
#
#   Rscript mixture/testdata/mclust/mstep_models.R   # from the repository root
#
# writes mixture/testdata/mclust/mstep_models.json, which
# mixture/parsimonious_test.go reads. For iris (4 columns) and faithful (2),
# and faithful's eruptions alone for E and V:
#
#  - "labels": hclass(hc(X), 3), the partition of hc's defaults (VVV on
#    the variables, use = "VARS") cut at 3; z is its one-hot matrix
#    (unmap).
#  - "mstep": mstep(modelName, X, z): one M-step from that z.
#  - "me": me(modelName, X, z) with emControl()'s defaults: EM from that z
#    (its first step an M-step), with its log-likelihood, the number of
#    iterations (M-steps) and the parameters.
#  - "bic": for every model and G = 2, 3, the fit mclustBIC (Mclust) makes:
#    me from the partition of mclust.options' hc (VVV on the SVD
#    transformation, hcUse = "SVD") cut at G, with that partition, so that a
#    fit from the same z can be checked without mclust's hc; mclust_bic is
#    mclustBIC's own number.
#
# The data are read from datasets/data/*.csv, the files latent embeds.
suppressMessages(library(mclust))
stopifnot(packageVersion("mclust") == "6.0.0")

read <- function(name) as.matrix(read.csv(file.path("datasets", "data", paste0(name, ".csv")), check.names = FALSE))
iris4 <- read("iris")[, 1:4]
storage.mode(iris4) <- "double"
faith <- read("faithful")
storage.mode(faith) <- "double"
multi <- c("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV")

# params returns pro, mean (G rows of d) and sigma (G d×d matrices, or G
# variances for one dimension) of a fit.
params <- function(p, d, G) {
  mu <- matrix(p$mean, nrow = d)
  out <- list(pro = I(as.numeric(p$pro)), mean = lapply(1:G, function(k) I(as.numeric(mu[, k]))))
  if (d == 1) {
    s <- p$variance$sigmasq
    out$sigma <- I(as.numeric(if (length(s) == 1) rep(s, G) else s))
  } else {
    out$sigma <- lapply(1:G, function(k) lapply(1:d, function(i) I(as.numeric(p$variance$sigma[i, , k]))))
  }
  out
}

fits <- function(X, models, labels) {
  d <- NCOL(X); G <- max(labels)
  z <- unmap(labels)
  res <- list()
  for (m in models) {
    ms <- mstep(modelName = m, data = X, z = z)
    fit <- me(modelName = m, data = X, z = z)
    info <- attr(fit, "info")
    res[[m]] <- list(
      mstep = params(ms$parameters, d, G),
      me = c(list(loglik = fit$loglik, iterations = as.integer(info[[1]]),
                  return_code = attr(fit, "returnCode")),
             params(fit$parameters, d, G)))
  }
  res
}

set <- function(name, X, models) {
  labels <- as.integer(hclass(hc(X), 3))
  list(name = name, columns = I(colnames(X)), labels = labels, models = fits(X, models, labels))
}

bics <- function(name, X, models, Gs) {
  hcp <- hc(X, modelName = mclust.options("hcModelName"), use = mclust.options("hcUse"))
  n <- NROW(X); d <- NCOL(X)
  out <- list()
  for (G in Gs) {
    labels <- as.integer(hclass(hcp, G))
    ref <- mclustBIC(X, G = G, modelNames = models, initialization = list(hcPairs = hcp))
    for (m in models) {
      fit <- me(modelName = m, data = X, z = unmap(labels))
      out[[length(out) + 1]] <- list(data = name, model = m, G = G, labels = labels,
        loglik = fit$loglik, iterations = as.integer(attr(fit, "info")[[1]]),
        n_params = nMclustParams(m, d, G),
        bic = bic(m, fit$loglik, n, d, G), mclust_bic = ref[as.character(G), m])
    }
  }
  out
}

erupt <- faith[, "eruptions", drop = FALSE]
ref <- list(
  mclust_version = as.character(packageVersion("mclust")),
  command = "Rscript mixture/testdata/mclust/mstep_models.R",
  sets = list(set("iris", iris4, multi), set("faithful", faith, multi), set("eruptions", erupt, c("E", "V"))),
  bic = c(bics("iris", iris4, multi, 2:3), bics("faithful", faith, multi, 2:3), bics("eruptions", erupt, c("E", "V"), 2:3)))
# I() keeps vectors of one value arrays (auto_unbox makes them scalars).
jsonlite::write_json(ref, "mixture/testdata/mclust/mstep_models.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
