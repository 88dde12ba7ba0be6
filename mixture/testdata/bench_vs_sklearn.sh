#!/usr/bin/env bash
# One full-covariance EM iteration, latent against scikit-learn, timed in the
# same sitting with the runs interleaved (the machine is shared: compare
# ratios, not absolute times). Prints each round and the medians.
#
#   mixture/testdata/bench_vs_sklearn.sh medium 3   # N=1e5 D=10 K=8, 20 iterations per run
#   mixture/testdata/bench_vs_sklearn.sh large 2    # N=1e6 D=16 K=16, 3 iterations per run
#
# Needs the benchmark data ($LATENT_BENCH_DATA, written by
# $LATENT_SHARED/bench/gen_gmm_data.py; both beside the repository by
# default, see .ci/paths.sh) and Debian's /usr/bin/python3 with scikit-learn
# 1.2; OPENBLAS_CORETYPE=SkylakeX gives the peer its best kernels
# ($LATENT_SHARED/bench/README.md). Run from anywhere in the repository.
set -euo pipefail
. "$(git rev-parse --show-toplevel)/.ci/paths.sh"
cd "$LATENT_ROOT"
set=${1:-medium}
rounds=${2:-3}
data=$LATENT_BENCH_DATA
case $set in
medium) k=8 iters=20 repeat=3 bench=Full1e5x10K8 ;;
large) k=16 iters=3 repeat=1 bench=Full1e6x16K16 ;;
*) echo "usage: $0 medium|large [rounds]" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/mixture.test" ./mixture
for r in $(seq "$rounds"); do
	OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 "$LATENT_SHARED/bench/sklearn_gmm.py" "$data/$set.csv" "$k" --cov full \
		--fixed-iters "$iters" --init-file "$data/${set}_init.json" --repeat "$repeat" --npy-cache >"$tmp/sk$r.json"
	LATENT_BENCH_DATA=$data "$tmp/mixture.test" -test.run '^$' -test.bench "EMIteration$bench\$" \
		-test.benchtime "${iters}x" -test.count 3 >"$tmp/go$r.txt"
	echo "round $r: $(uptime | sed 's/.*load/load/')"
done
/usr/bin/python3 - "$tmp" "$rounds" "$set" <<'PY'
import json, re, statistics, sys
tmp, rounds, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sk, go, flops = [], [], None
for r in range(1, rounds + 1):
    d = json.load(open(f"{tmp}/sk{r}.json"))
    sk += d["per_iter_seconds_all"]
    flops = d["flops_per_iter"]["total"]
    for line in open(f"{tmp}/go{r}.txt"):
        m = re.search(r"\s([0-9.]+) ns/op", line)
        if m:
            go.append(float(m.group(1)) / 1e9)
    print(f"round {r}: scikit-learn {[round(x, 4) for x in d['per_iter_seconds_all']]} s/iter, "
          f"latent {[round(x, 4) for x in go[-3:]]} s/iter")
s, g = statistics.median(sk), statistics.median(go)
print(f"{name}: median s/iteration: scikit-learn {s:.4f} ({flops / s / 1e9:.2f} GFLOP/s), "
      f"latent {g:.4f} ({flops / g / 1e9:.2f} GFLOP/s); ratio latent/scikit-learn {g / s:.3f}")
print(f"(GFLOP/s counts scikit-learn's nominal 4·N·K·D² = {flops:.3g} flops per iteration)")
PY
