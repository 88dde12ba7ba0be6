# Seconds per EM iteration of mclust's me() for each of its 14 models, on a
# benchmark set of ../shared/bench (gen_gmm_data.py), from the set's fixed
# start: z = the E-step of NAME_init.json's parameters, then `iters`
# iterations (tol 0: no early stop; the inner tolerance is mclust's).
#
#   Rscript mixture/testdata/mclust/time_me_models.R DATA/medium.csv DATA/medium_init.json 5 3 [MODEL,…]
#
# prints one JSON object per model: its name, the seconds per iteration of
# each repeat (elapsed, and CPU: mclust is single-threaded, so on a shared
# machine its CPU time is about its time alone), the iterations run and the
# final log-likelihood.
# bench_vs_mclust_models.sh runs it beside latent's benchmarks.
suppressMessages(library(mclust))
a <- commandArgs(trailingOnly = TRUE)
x <- as.matrix(read.csv(a[1], header = FALSE))
init <- jsonlite::fromJSON(a[2])
iters <- as.integer(a[3]); repeats <- as.integer(a[4])
models <- if (length(a) >= 5) strsplit(a[5], ",")[[1]] else mclust.options("emModelNames")
G <- length(init$weights); d <- ncol(x)
sigma <- array(0, c(d, d, G))
for (k in 1:G) sigma[, , k] <- init$covariances[k, , ]
par <- list(pro = init$weights, mean = t(init$means),
            variance = list(modelName = "VVV", d = d, G = G, sigma = sigma, cholsigma = sigma))
for (k in 1:G) par$variance$cholsigma[, , k] <- chol(sigma[, , k])
z <- estep(modelName = "VVV", data = x, parameters = par)$z
ctl <- emControl(tol = c(0, sqrt(.Machine$double.eps)), itmax = c(iters, .Machine$integer.max))
for (m in models) {
  secs <- cpu <- numeric(repeats); ll <- NA; its <- NA
  for (r in 1:repeats) {
    t0 <- proc.time()
    fit <- me(modelName = m, data = x, z = z, control = ctl)
    el <- proc.time() - t0
    its <- abs(as.integer(attr(fit, "info")[[1]]))
    secs[r] <- el[["elapsed"]] / its
    cpu[r] <- (el[["user.self"]] + el[["sys.self"]]) / its
    ll <- fit$loglik
  }
  cat(jsonlite::toJSON(list(model = m, per_iter_seconds = I(secs), cpu_per_iter_seconds = I(cpu), iterations = its,
                            loglik = if (is.null(ll)) NA else ll), auto_unbox = TRUE, digits = NA), "\n")
}
