# Writes the two synthetic data sets of the mclust references (run once; the
# CSVs are committed and mclust_ref.R only reads them). From the repository root:
#
#   Rscript mixture/testdata/mclust/make_synth.R
#
# Values are rounded to 4 decimals, so the CSV text is the data exactly.

rmix <- function(n, pro, means, covs) {
  G <- length(pro)
  cl <- sample.int(G, n, replace = TRUE, prob = pro)
  d <- length(means[[1]])
  X <- matrix(0, n, d)
  for (i in seq_len(n)) {
    k <- cl[i]
    X[i, ] <- means[[k]] + drop(rnorm(d) %*% chol(covs[[k]]))
  }
  list(X = round(X, 4), cl = cl)
}

writeset <- function(s, path, names) {
  out <- data.frame(s$X)
  names(out) <- names
  out$component <- s$cl
  lines <- c(paste(c(names, "component"), collapse = ","),
             apply(out, 1, function(r) paste(c(sprintf("%.4f", r[seq_along(names)]),
                                                 sprintf("%d", as.integer(r[length(r)]))),
                                               collapse = ",")))
  writeLines(lines, path)
}

# synth3d: 300 rows, 3 columns, 3 components of different volume, shape and
# orientation (the VVV truth).
set.seed(20240613)
s3 <- rmix(300, pro = c(0.5, 0.3, 0.2),
           means = list(c(0, 0, 0), c(4, 1, -1), c(1, 5, 2)),
           covs = list(matrix(c(1, 0.6, 0.2, 0.6, 1.5, 0.3, 0.2, 0.3, 0.8), 3),
                       matrix(c(0.5, -0.2, 0, -0.2, 0.4, 0.1, 0, 0.1, 0.3), 3),
                       matrix(c(2, 0.8, -0.5, 0.8, 1, 0, -0.5, 0, 1.2), 3)))
writeset(s3, "mixture/testdata/mclust/synth3d.csv", c("x1", "x2", "x3"))

# synth2500: 2500 rows, 2 columns, 4 components: larger than
# mclust.options("subset") = 2000, so mclustBIC runs hc on a random subset.
set.seed(20240614)
s2 <- rmix(2500, pro = c(0.4, 0.3, 0.2, 0.1),
           means = list(c(0, 0), c(5, 0), c(0, 5), c(5, 5)),
           covs = list(matrix(c(1, 0.5, 0.5, 1), 2), matrix(c(0.5, 0, 0, 2), 2),
                       matrix(c(1.5, -0.7, -0.7, 1), 2), diag(0.3, 2)))
writeset(s2, "mixture/testdata/mclust/synth2500.csv", c("x1", "x2"))
