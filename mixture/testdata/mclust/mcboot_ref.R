# Extra bootstrap references from R's mclust for latent's mcboot tests
# (issue 13, items 5 and 6), for covariance models latent already has
# (mclust_bootstrap.json's Iris model, VEV, comes with mcmodels' families):
#
#   * Iris, Mclust(X, G = 2, modelNames = "VVV"): MclustBootstrap jk (every
#     leave-one-out fit), bs and pb (999, seeded);
#   * Faithful, Mclust(X, G = 3, modelNames = "VVI", prior = priorControl()):
#     MclustBootstrap jk of a fit under the conjugate prior (its third
#     component has weight 1.4e-5). Note: an Mclust object does not keep
#     its prior, so MclustBootstrap's do.call("me", object) refits every
#     replicate by maximum likelihood; one leave-one-out fit fails;
#   * Iris, mclustBootstrapLRT(X, "VVV", maxG = 3, nboot = 999): every test
#     of 1 vs 2, 2 vs 3, 3 vs 4.
#
# Run from the repository root with the reference BLAS (see json.R):
#
#   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3:/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 \
#     Rscript mixture/testdata/mclust/mcboot_ref.R
#
# Writes mixture/testdata/mclust/mcboot_ref.json (layout as
# mclust_bootstrap.json's, plus each fit's z, the start of every replicate).

suppressPackageStartupMessages(library(mclust))
source("mixture/testdata/mclust/json.R")
requireReferenceBlas()

compfirst3 <- function(a) aperm(a, c(3, 1, 2))
summ <- function(b, what) {
  s <- summary(b, what = what)
  list(pro = jvec(s$pro), mean = t(s$mean), variance = compfirst3(s$variance))
}

bootCase <- function(name, path, cols, G, model, prior, types, seed0) {
  cat("==", name, "\n")
  X <- as.matrix(read.csv(path)[, cols])
  mod <- if (is.null(prior)) Mclust(X, G = G, modelNames = model, verbose = FALSE) else
    Mclust(X, G = G, modelNames = model, prior = prior, verbose = FALSE)
  rec <- list(data = list(path = path, columns = jvec(colnames(X)), n = nrow(X), d = ncol(X)),
              model = mod$modelName, G = mod$G, prior = !is.null(prior),
              fitted = list(pro = jvec(mod$parameters$pro), mean = t(mod$parameters$mean),
                            variance = compfirst3(mod$parameters$variance$sigma),
                            loglik = mod$loglik, z = mod$z),
              bootstrap = list())
  for (i in seq_along(types)) {
    type <- types[i]
    seed <- seed0 + i
    set.seed(seed)
    b <- MclustBootstrap(mod, nboot = 999, type = type, verbose = FALSE)
    r <- list(seed = seed, type = type, nboot = b$nboot, nonfit = b$nonfit,
              se = summ(b, "se"), ave = summ(b, "ave"))
    if (type == "jk")
      r$replicates <- list(pro = b$pro, mean = aperm(b$mean, c(1, 3, 2)),
                           variance = aperm(b$variance, c(1, 4, 2, 3)))
    rec$bootstrap[[type]] <- r
  }
  rec
}

X <- as.matrix(read.csv("datasets/data/iris.csv")[, 1:4])
set.seed(310)
lrt <- mclustBootstrapLRT(X, modelName = "VVV", nboot = 999, maxG = 3, verbose = FALSE)

out <- list(command = paste(REFERENCE_BLAS_PRELOAD, "Rscript mixture/testdata/mclust/mcboot_ref.R"),
            peer = list(R = R.version.string, mclust = as.character(packageVersion("mclust")),
                        platform = R.version$platform, blas = blasInfo(), RNGkind = RNGkind()),
            cases = list(
              iris_vvv2 = bootCase("iris VVV,2", "datasets/data/iris.csv", 1:4, 2, "VVV", NULL, c("jk", "bs", "pb"), 300L),
              faithful_vvi3_prior = bootCase("faithful VVI,3 prior", "datasets/data/faithful.csv", 1:2, 3, "VVI",
                                             priorControl(), c("jk"), 320L)),
            lrt_iris_vvv = list(call = 'set.seed(310); mclustBootstrapLRT(X, modelName = "VVV", nboot = 999, maxG = 3)',
                                seed = 310L, G = jvec(lrt$G), obs = jvec(lrt$obs), p_value = jvec(lrt$p.value),
                                boot = lapply(seq_len(ncol(lrt$boot)), function(g) lrt$boot[, g])))
writejson(out, "mixture/testdata/mclust/mcboot_ref.json")
