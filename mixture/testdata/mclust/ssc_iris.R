# Semi-supervised reference from R's mclust for issue 15, item 4 (partly
# labelled rows): mclust 6.0's MclustSSC.fit on Iris (the four
# measurements) with a third of the labels known, rows 1, 4, 7, ..., 148
# (1-based: every third row from the first, 50 rows); the other 100 rows are
# unlabelled. For each of mclust's 14 models: the number of iterations
# (M-steps), the log-likelihood and the parameters MclustSSC.fit returns.
# mixture/known_test.go fits the models latent has from the same start
# (InitKnown: the M-step of one-hot rows for the labelled rows and 1/G for
# the others) for the same number of iterations and compares.
#
# Run from the repository root (Debian's r-base-core 4.2.2 and
# r-cran-mclust 6.0.0):
#
#   Rscript mixture/testdata/mclust/ssc_iris.R
#
# It writes mixture/testdata/mclust/ssc_iris.json; numbers are printed with
# 17 significant digits, which round-trip a double.

suppressPackageStartupMessages(library(mclust))

raw <- read.csv("datasets/data/iris.csv")
X <- as.matrix(raw[, 1:4])
n <- nrow(X); d <- ncol(X)
known <- seq(1, n, by = 3)
class <- rep(NA_character_, n)
class[known] <- as.character(raw$species[known])
class <- factor(class, levels = sort(unique(as.character(raw$species))))
G <- nlevels(class)

num <- function(x) {
  s <- sprintf("%.17g", x)
  s[!is.finite(x)] <- "null"
  s
}
arr <- function(items) paste0("[", paste(items, collapse = ","), "]")
vec <- function(x) arr(num(as.vector(x)))
str <- function(x) paste0("\"", x, "\"")

# The MclustSSC.fit loop, counting its iterations: mstep, estep, the
# labelled rows reset, the log-likelihood, stop when it gains <= tol[1].
iterations <- function(modelName, control = emControl()) {
  z <- matrix(0, n, G)
  for (k in 1:G) z[which(class == levels(class)[k]), k] <- 1
  unknown <- which(is.na(class))
  z[unknown, ] <- 1 / G
  z0 <- z[known, , drop = FALSE]
  loglik0 <- -Inf
  iter <- 0
  repeat {
    iter <- iter + 1
    fit.m <- mstep(data = X, z = z, modelName = modelName, control = control, warn = FALSE)
    fit.e <- do.call("estep", c(list(data = X, control = control, warn = FALSE), fit.m))
    z <- fit.e$z
    z[known, ] <- z0
    ldens <- do.call("dens", c(list(data = X[-known, , drop = FALSE], logarithm = TRUE), fit.m))
    lcdens <- do.call("cdens", c(list(data = X[known, , drop = FALSE], logarithm = TRUE), fit.m))
    lcdens <- sweep(lcdens, MARGIN = 2, FUN = "+", STATS = log(fit.m$parameters$pro))
    loglik <- sum(ldens) + sum(lcdens * z0)
    if (is.na(loglik) || !(iter < control$itmax[1] && (loglik - loglik0) > control$tol[1])) break
    loglik0 <- loglik
  }
  list(iter = iter, loglik = loglik)
}

models <- mclust.options("emModelNames")
entries <- character(0)
for (m in models) {
  f <- mclust:::MclustSSC.fit(X, class, G = G, modelName = m, warn = FALSE)
  it <- iterations(m)
  if (!identical(it$loglik, f$loglik)) stop("the loop does not reproduce MclustSSC.fit for ", m)
  p <- f$parameters
  sigma <- p$variance$sigma
  sig <- arr(vapply(1:G, function(k) arr(vapply(1:d, function(i) vec(sigma[i, , k]), "")), ""))
  means <- arr(vapply(1:G, function(k) vec(p$mean[, k]), ""))
  entries <- c(entries, paste0(str(m), ":{",
    "\"iterations\":", it$iter, ",",
    "\"loglik\":", num(f$loglik), ",",
    "\"bic\":", num(f$bic), ",",
    "\"df\":", f$df, ",",
    "\"pro\":", vec(p$pro), ",",
    "\"mean\":", means, ",",
    "\"sigma\":", sig, "}"))
}

out <- paste0("{\n",
  "\"command\":\"Rscript mixture/testdata/mclust/ssc_iris.R\",\n",
  "\"peer\":{\"R\":", str(R.version.string), ",\"mclust\":", str(as.character(packageVersion("mclust"))), "},\n",
  "\"data\":\"datasets/data/iris.csv\",\n",
  "\"known_rows\":", arr(known), ",\n",
  "\"levels\":", arr(str(levels(class))), ",\n",
  "\"tol\":", num(emControl()$tol[1]), ",\n",
  "\"note\":\"start: z one-hot for the labelled rows, 1/G for the others; iterations counts M-steps (the first is the start); parameters and loglik are those of the last M-step; layout mean[k][j], sigma[k][i][j]\",\n",
  "\"models\":{\n", paste(entries, collapse = ",\n"), "}}\n")
writeLines(out, "mixture/testdata/mclust/ssc_iris.json", sep = "")
