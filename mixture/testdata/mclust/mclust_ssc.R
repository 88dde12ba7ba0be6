# Semi-supervised references from R's mclust (issue 15, item 4): MclustSSC on
# Iris (the four measurements) with a third of the labels known: rows 1, 4,
# 7, ..., 148 (1-based; every third row starting at the first, 50 rows) keep
# their species, the other 100 rows are unlabelled.
#
# Run from the repository root (Debian's r-cran-mclust 6.0.0, with Debian's
# reference BLAS and LAPACK preloaded: json.R says why):
#
#   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3:/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 \
#     Rscript mixture/testdata/mclust/mclust_ssc.R
#
# Writes mixture/testdata/mclust/mclust_ssc.json: for every one of the 14
# models, MclustSSC.fit's result (log-likelihood, df, BIC, parameters, z,
# classification), its per-iteration log-likelihood (the loop is re-run here
# step by step and checked to end on MclustSSC's numbers bit for bit), and
# the model MclustSSC selects. Layout: component first (mean[k][j], ...).

suppressPackageStartupMessages(library(mclust))
source("mixture/testdata/mclust/json.R")
requireReferenceBlas()

raw <- read.csv("datasets/data/iris.csv")
X <- as.matrix(raw[, 1:4])
n <- nrow(X); d <- ncol(X)
known <- seq(1, n, by = 3)
class <- rep(NA_character_, n)
class[known] <- as.character(raw$species[known])
class <- factor(class, levels = sort(unique(raw$species)))
G <- nlevels(class)

compfirst3 <- function(a, d, G) aperm(array(a, c(d, d, G)), c(3, 1, 2))

exportParams <- function(par) {
  v <- par$variance
  out <- list(pro = jvec(par$pro), mean = t(matrix(par$mean, d, G)),
              sigma = compfirst3(v$sigma, d, G))
  if (!is.null(v$scale)) out$scale <- jvec(v$scale)
  if (!is.null(v$shape)) out$shape <- if (is.matrix(v$shape)) t(v$shape) else jvec(v$shape)
  if (!is.null(v$orientation))
    out$orientation <- if (length(dim(v$orientation)) == 3) compfirst3(v$orientation, d, G) else v$orientation
  out
}

# MclustSSC.fit's loop, step by step (same calls, same order), to record the
# log-likelihood of every iteration.
traceSSC <- function(modelName, control = emControl()) {
  z <- matrix(0, n, G)
  for (k in 1:G) z[which(class == levels(class)[k]), k] <- 1
  unknown <- which(is.na(class))
  z[unknown, ] <- 1 / G
  z0 <- z[known, , drop = FALSE]
  loglik0 <- -Inf
  trace <- numeric(0)
  repeat {
    fit.m <- do.call("mstep", list(data = X, z = z, modelName = modelName,
                                   prior = NULL, control = control, warn = FALSE))
    fit.e <- do.call("estep", c(list(data = X, control = control, warn = FALSE), fit.m))
    z <- fit.e$z
    z[known, ] <- z0
    ldens <- do.call("dens", c(list(data = X[-known, , drop = FALSE], logarithm = TRUE), fit.m))
    lcdens <- do.call("cdens", c(list(data = X[known, , drop = FALSE], logarithm = TRUE), fit.m))
    lcdens <- sweep(lcdens, MARGIN = 2, FUN = "+", STATS = log(fit.m$parameters$pro))
    loglik <- sum(ldens) + sum(lcdens * z0)
    trace <- c(trace, loglik)
    if (is.na(loglik) || !(length(trace) < control$itmax[1] && (loglik - loglik0) > control$tol[1])) break
    loglik0 <- loglik
  }
  list(trace = trace, fit = fit.m)
}

models <- mclust.options("emModelNames")
fits <- list()
for (m in models) {
  cat(m, "\n")
  f <- try(mclust:::MclustSSC.fit(X, class, G = G, modelName = m, warn = FALSE), silent = TRUE)
  if (inherits(f, "try-error")) {
    fits[[m]] <- list(model = m, error = as.character(f))
    next
  }
  tr <- traceSSC(m)
  if (!identical(tail(tr$trace, 1), f$loglik)) stop("SSC trace does not reproduce MclustSSC.fit for ", m)
  fits[[m]] <- list(model = m, loglik = f$loglik, df = f$df, bic = f$bic,
                    iterations = length(tr$trace), loglik_trace = tr$trace,
                    parameters = exportParams(f$parameters),
                    z = f$z, classification = as.character(f$classification),
                    mstep_return_code = as.numeric(attr(f, "returnCode")),
                    mstep_warning = attr(f, "WARNING"))
}

sel <- MclustSSC(X, class, verbose = FALSE)

out <- list(command = paste(REFERENCE_BLAS_PRELOAD, "Rscript mixture/testdata/mclust/mclust_ssc.R"),
            peer = list(R = R.version.string, mclust = as.character(packageVersion("mclust")),
                        platform = R.version$platform, blas = blasInfo()),
            data = list(name = "iris", path = "datasets/data/iris.csv",
                        columns = jvec(names(raw)[1:4]), n = n, d = d),
            known_rows = as.integer(known),
            known_labels = as.character(class[known]),
            levels = jvec(levels(class)),
            G = G,
            control = emControl(),
            notes = list(
              start = "z = 1/G for unlabelled rows, one-hot for labelled rows (component k = k-th level of the labels)",
              loop = "mstep(z); estep; labelled rows reset to one-hot; loglik = sum over unlabelled rows of log mixture density + sum over labelled rows of log(pro_k) + log phi_k(x) of the known k; stop when loglik - previous <= tol[1] = 1e-5 (absolute) or iterations = itmax[1]",
              returned = "parameters and loglik are those of the last M-step; z is the z that M-step was given (one E-step behind)",
              df = "(G - 1) + d * G + nVarParams(model, d, G); bic = 2 * loglik - df * log(n)"),
            models = fits,
            selected = list(call = "MclustSSC(X, class)", model = sel$modelName, G = sel$G,
                            loglik = sel$loglik, df = sel$df, bic = sel$bic,
                            BIC = setNames(as.list(sel$BIC[1, ]), colnames(sel$BIC))))
writejson(out, "mixture/testdata/mclust/mclust_ssc.json")
