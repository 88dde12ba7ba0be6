#!/usr/bin/env bash
# One variational iteration of a full-covariance Bayesian mixture, latent
# against scikit-learn's BayesianGaussianMixture, timed in the same sitting
# with the runs interleaved (the machine is shared: compare ratios, not
# absolute times). Prints each round and the medians.
#
#   mixture/testdata/bgmm/bench_vs_sklearn.sh 3     # N=1e5 D=10 K=8, 3 rounds
#
# Both start from the update of q(θ) after the generator's true labels
# (medium_labels.csv) and run 10 iterations per measurement with
# scikit-learn's defaults (Dirichlet-process prior, reg_covar 1e-6).
# Needs the benchmark data ($LATENT_BENCH_DATA, written by
# $LATENT_SHARED/bench/gen_gmm_data.py; see .ci/paths.sh) and Debian's
# /usr/bin/python3 with scikit-learn 1.2 ($LATENT_SHARED/bench/setup.sh);
# OPENBLAS_CORETYPE=SkylakeX gives the peer its best kernels.
set -euo pipefail
. "$(git rev-parse --show-toplevel)/.ci/paths.sh"
cd "$LATENT_ROOT"
rounds=${1:-3}
data=$LATENT_BENCH_DATA
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/mixture.test" ./mixture
for r in $(seq "$rounds"); do
	OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 mixture/testdata/bgmm/sklearn_bgmm_bench.py \
		"$data/medium.csv" "$data/medium_labels.csv" 8 --cov full --iters 10 --repeat 3 >"$tmp/sk$r.json"
	LATENT_BENCH_DATA=$data "$tmp/mixture.test" -test.run '^$' -test.bench 'BGMMIterationFull1e5x10K8$' \
		-test.benchtime 10x -test.count 3 >"$tmp/go$r.txt"
	echo "round $r: $(uptime | sed 's/.*load/load/')"
done
/usr/bin/python3 - "$tmp" "$rounds" <<'PY'
import json, re, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
sk, go = [], []
for r in range(1, rounds + 1):
    d = json.load(open(f"{tmp}/sk{r}.json"))
    sk += d["per_iter_seconds_all"]
    g = []
    for line in open(f"{tmp}/go{r}.txt"):
        m = re.search(r"\s([0-9.]+) ns/op", line)
        if m:
            g.append(float(m.group(1)) / 1e9)
    go += g
    print(f"round {r}: scikit-learn {[round(x, 4) for x in d['per_iter_seconds_all']]} s/iter, "
          f"latent {[round(x, 4) for x in g]} s/iter")
s, g = statistics.median(sk), statistics.median(go)
print(f"medium, full, Dirichlet process: median s/iteration: scikit-learn {s:.4f}, latent {g:.4f}; "
      f"ratio latent/scikit-learn {g / s:.3f}")
PY
