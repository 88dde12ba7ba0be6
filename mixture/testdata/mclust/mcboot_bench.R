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
#
# One sitting (2 shared cores, load average ~10; medians of 3; Go on both
# cores with KernelGemm):
#
#   case                               mclust 6.0    latent    ratio
#   bs 999, Iris VVV,2                   0.636 s    0.137 s    0.22
#   bs 999, Faithful EEE,3               2.549 s    1.430 s    0.56 (0.37 s on one core, KernelGo, in a quieter moment)
#   jk, Iris VVV,2 (150 fits)            0.040 s    0.009 s    0.23
#   LRT 999 × 3 tests, Faithful EEE     17.946 s    5.845 s    0.33 (mclust also runs mclustBIC G = 1:9)
#   bs 999, Iris VEV,2 (mclust's pick)   1.203 s    (VEV comes with mcmodels)

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
