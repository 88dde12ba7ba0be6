# Bootstrap references from R's mclust (issue 13, item 6): MclustBootstrap for
# the best Mclust model of Old Faithful (EEE,3) and Iris (VEV,2), with each
# resampling type, and the sequential bootstrap LRT (mclustBootstrapLRT).
#
# Run from the repository root (Debian's r-cran-mclust 6.0.0, with Debian's
# reference BLAS and LAPACK preloaded: json.R says why; a few minutes):
#
#   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3:/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 \
#     Rscript mixture/testdata/mclust/mclust_bootstrap.R
#
# Writes mixture/testdata/mclust/mclust_bootstrap.json. The resamples come from
# R's RNG (set.seed(seed) right before each call, the seed recorded), so a Go
# implementation can match the standard errors and intervals only within their
# Monte Carlo error, except the jackknife ("jk"), which uses no random numbers:
# its n leave-one-out fits are recorded in full and can be matched exactly.
# Layout: the component is the first index (mean[k][j], variance[k][i][j]).

suppressPackageStartupMessages(library(mclust))
source("mixture/testdata/mclust/json.R")
requireReferenceBlas()

NBOOT <- 999L
TYPES <- c("bs", "wlbs", "pb", "jk")

compfirst3 <- function(a) aperm(a, c(3, 1, 2))

seSummary <- function(b) {
  s <- summary(b, what = "se")
  list(pro = jvec(s$pro), mean = t(s$mean), variance = compfirst3(s$variance))
}

aveSummary <- function(b) {
  s <- summary(b, what = "ave")
  list(pro = jvec(s$pro), mean = t(s$mean), variance = compfirst3(s$variance))
}

ciSummary <- function(b) {
  s <- summary(b, what = "ci", conf.level = 0.95)
  # pro: 2 x G; mean: 2 x d x G; variance: 2 x d x G (diagonal entries only)
  list(conf_level = 0.95,
       pro = list(lower = jvec(s$pro[1, ]), upper = jvec(s$pro[2, ])),
       mean = list(lower = t(s$mean[1, , ]), upper = t(s$mean[2, , ])),
       variance_diagonal = list(lower = t(s$variance[1, , ]), upper = t(s$variance[2, , ])))
}

bootSet <- function(name, path, cols, seed0) {
  cat("==", name, "\n")
  raw <- read.csv(path)
  X <- as.matrix(raw[, cols])
  mod <- Mclust(X, G = 1:9, verbose = FALSE)
  d <- mod$d; G <- mod$G
  rec <- list(data = list(name = name, path = path, columns = jvec(names(raw)[cols]),
                          n = mod$n, d = d),
              model = mod$modelName, G = G,
              fitted = list(pro = jvec(mod$parameters$pro), mean = t(mod$parameters$mean),
                            variance = compfirst3(mod$parameters$variance$sigma),
                            loglik = mod$loglik),
              bootstrap = list())
  for (i in seq_along(TYPES)) {
    type <- TYPES[i]
    seed <- seed0 + i
    cat("  ", type, "\n")
    set.seed(seed)
    b <- MclustBootstrap(mod, nboot = NBOOT, type = type, verbose = FALSE)
    r <- list(call = sprintf('set.seed(%d); MclustBootstrap(Mclust(X), nboot = %d, type = "%s")',
                             seed, NBOOT, type),
              seed = seed, type = type, nboot = b$nboot, nonfit = b$nonfit,
              se = seSummary(b), ave = aveSummary(b), ci = ciSummary(b))
    if (type == "jk") {
      r$replicates <- list(pro = b$pro, mean = aperm(b$mean, c(1, 3, 2)),
                           variance = aperm(b$variance, c(1, 4, 2, 3)))
      r$note <- "jackknife: replicate b leaves out row b; se = sd * (n - 1) / sqrt(n); ci = ave -+ qnorm(0.975) * se"
    }
    rec$bootstrap[[type]] <- r
  }
  seed <- seed0 + 10L
  cat("   LRT\n")
  set.seed(seed)
  lrt <- mclustBootstrapLRT(X, modelName = mod$modelName, nboot = NBOOT, verbose = FALSE)
  rec$lrt <- list(call = sprintf('set.seed(%d); mclustBootstrapLRT(X, modelName = "%s", nboot = %d)',
                                 seed, mod$modelName, NBOOT),
                  seed = seed, modelName = lrt$modelName, G = jvec(lrt$G),
                  obs = jvec(lrt$obs), p_value = jvec(lrt$p.value),
                  boot = lapply(seq_len(ncol(lrt$boot)), function(g) lrt$boot[, g]))
  rec
}

out <- list(command = paste(REFERENCE_BLAS_PRELOAD, "Rscript mixture/testdata/mclust/mclust_bootstrap.R"),
            peer = list(R = R.version.string, mclust = as.character(packageVersion("mclust")),
                        platform = R.version$platform, blas = blasInfo(), RNGkind = RNGkind()),
            nboot = NBOOT,
            sets = list(faithful = bootSet("faithful", "datasets/data/faithful.csv", 1:2, 100L),
                        iris = bootSet("iris", "datasets/data/iris.csv", 1:4, 200L)))
writejson(out, "mixture/testdata/mclust/mclust_bootstrap.json")
