# Seconds per EM iteration of flexmix's FLXMCmvbinary, K = 50, on the CSV
# given (binarised MNIST rows from famix/testdata/mnistcsv). Run by
# famix/testdata/bench_vs_flexmix.sh; prints one line "flexmix SECONDS".
suppressPackageStartupMessages(library(flexmix))
args <- commandArgs(trailingOnly = TRUE)
Y <- as.matrix(read.csv(args[1]))
iters <- as.integer(args[2])
set.seed(1)
cl <- sample.int(50, nrow(Y), replace = TRUE)
t0 <- proc.time()[["elapsed"]]
f <- flexmix(Y ~ 1, k = 50, model = FLXMCmvbinary(), cluster = cl,
             control = list(iter.max = iters, minprior = 0, tolerance = 0, verbose = 0))
t1 <- proc.time()[["elapsed"]]
cat(sprintf("flexmix %.4f s per iteration (%d iterations, %d rows)\n", (t1 - t0) / f@iter, f@iter, nrow(Y)))
