# Times R's mclust 6.0 on the bootstrap benchmarks of latent's mixture
# package (bootstrap_bench_test.go), for the speed comparison in mcboot's
# report. mclust is single-threaded; latent runs the replicates on every
# core. The machine is shared: numbers are provisional, take the median of
# a few runs, in the same sitting as the Go benchmarks:
#
#   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3:/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 \
#     Rscript mixture/testdata/mclust/mcboot_bench.R [repeats]
#   go test ./mixture -run XXX -bench 'Bootstrap|Jackknife' -benchtime 3x -count 3
#
# Prints one line per case: the median elapsed seconds of the repeats.

suppressPackageStartupMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
reps <- if (length(args) > 0) as.integer(args[1]) else 3L

iris <- as.matrix(read.csv("datasets/data/iris.csv")[, 1:4])
faithful <- as.matrix(read.csv("datasets/data/faithful.csv")[, 1:2])
irisVVV <- Mclust(iris, G = 2, modelNames = "VVV", verbose = FALSE)
irisVEV <- Mclust(iris, G = 2, modelNames = "VEV", verbose = FALSE)
faithfulEEE <- Mclust(faithful, G = 3, modelNames = "EEE", verbose = FALSE)

time <- function(name, expr) {
  t <- vapply(seq_len(reps), function(i) {
    set.seed(i)
    system.time(eval(expr))[["elapsed"]]
  }, numeric(1))
  cat(sprintf("%-44s %8.3f s (median of %d)\n", name, median(t), reps))
}

cat(R.version.string, "mclust", as.character(packageVersion("mclust")), "\n")
time("MclustBootstrap iris VVV,2 bs 999", quote(MclustBootstrap(irisVVV, nboot = 999, type = "bs", verbose = FALSE)))
time("MclustBootstrap iris VEV,2 bs 999", quote(MclustBootstrap(irisVEV, nboot = 999, type = "bs", verbose = FALSE)))
time("MclustBootstrap faithful EEE,3 bs 999", quote(MclustBootstrap(faithfulEEE, nboot = 999, type = "bs", verbose = FALSE)))
time("MclustBootstrap iris VVV,2 jk", quote(MclustBootstrap(irisVVV, type = "jk", verbose = FALSE)))
time("mclustBootstrapLRT faithful EEE 999", quote(mclustBootstrapLRT(faithful, modelName = "EEE", nboot = 999, verbose = FALSE)))
