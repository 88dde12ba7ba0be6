# Seconds of mclust 6.0's hc (VVV, use = "SVD": mclustBIC's default) on the
# first 2,000 rows of a benchmark set (../shared/bench, medium.csv: N = 1e5,
# D = 10), and of Mclust(iris[, 1:4]) (mclustBIC's 126 cells and the refit).
#
#   Rscript mixture/testdata/mclust/time_hc_mclust.R DATA/medium.csv REPEATS
#
# prints one JSON object per task: the elapsed and CPU seconds of each
# repeat (mclust is single-threaded: on a shared machine its CPU time is
# about its time alone). bench_vs_mclust_hc.sh runs it beside latent's
# benchmarks (BenchmarkHC2000x10, BenchmarkMclustIris).
suppressMessages(library(mclust))
a <- commandArgs(trailingOnly = TRUE)
x <- as.matrix(read.csv(a[1], header = FALSE, nrows = 2000))
repeats <- as.integer(a[2])
X <- as.matrix(iris[, 1:4])
timed <- function(name, f) {
  secs <- cpu <- numeric(repeats)
  for (r in 1:repeats) {
    t0 <- proc.time()
    out <- f()
    t1 <- proc.time() - t0
    secs[r] <- t1[["elapsed"]]
    cpu[r] <- t1[["user.self"]] + t1[["sys.self"]]
  }
  cat(sprintf('{"task": "%s", "seconds": [%s], "cpu_seconds": [%s]}\n', name,
              paste(sprintf("%.4f", secs), collapse = ", "), paste(sprintf("%.4f", cpu), collapse = ", ")))
  out
}
h <- timed("hc2000x10", function() hc(x, modelName = "VVV", use = "SVD"))
m <- timed("mclust_iris", function() Mclust(X, G = 1:9, verbose = FALSE))
stopifnot(m$modelName == "VEV", m$G == 2)
