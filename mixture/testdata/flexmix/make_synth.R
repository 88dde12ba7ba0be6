# Writes the two synthetic data sets of the flexmix references (run once; the
# CSVs are committed and flexmix_ref.R only reads them). From the repository root:
#
#   Rscript mixture/testdata/flexmix/make_synth.R
#
# synth_binary.csv: 500 rows, 20 binary columns b1..b20, 3 components
#   (weights 0.5, 0.3, 0.2), each column Bernoulli with a component-specific
#   probability drawn from Beta(0.5, 0.5).
# synth_counts.csv: 400 rows, 6 count columns c1..c6, 3 components
#   (weights 0.4, 0.35, 0.25), each column Poisson with rates below.
# The last column of each is the true component (1-based); the reference
# script reads only the data columns.

set.seed(20240616)
n <- 500; d <- 20
pro <- c(0.5, 0.3, 0.2)
P <- matrix(rbeta(3 * d, 0.5, 0.5), 3, d)
cl <- sample.int(3, n, replace = TRUE, prob = pro)
Y <- matrix(0L, n, d)
for (i in seq_len(n)) Y[i, ] <- as.integer(runif(d) < P[cl[i], ])
out <- cbind(Y, cl)
writeLines(c(paste(c(paste0("b", 1:d), "component"), collapse = ","),
             apply(out, 1, paste, collapse = ",")),
           "mixture/testdata/flexmix/synth_binary.csv")

set.seed(20240617)
n <- 400; d <- 6
pro <- c(0.4, 0.35, 0.25)
L <- rbind(c(1, 5, 0.5, 10, 2, 3),
           c(6, 1, 3, 2, 8, 0.2),
           c(3, 3, 12, 4, 0.5, 6))
cl <- sample.int(3, n, replace = TRUE, prob = pro)
Y <- matrix(0L, n, d)
for (i in seq_len(n)) Y[i, ] <- rpois(d, L[cl[i], ])
out <- cbind(Y, cl)
writeLines(c(paste(c(paste0("c", 1:d), "component"), collapse = ","),
             apply(out, 1, paste, collapse = ",")),
           "mixture/testdata/flexmix/synth_counts.csv")
