#!/usr/bin/env bash
# mclust's hierarchical initialisation and Mclust(iris) against latent, in
# the same sitting, interleaved round by round (the machine is shared:
# compare CPU times, and label the numbers provisional with the load).
#
#   mixture/testdata/mclust/bench_vs_mclust_hc.sh [rounds] > mixture/testdata/mclust/bench_vs_mclust_hc.txt
#
# hc: VVV on the SVD transformation of the first 2,000 rows of the medium
# bench set (N = 1e5, D = 10; $LATENT_BENCH_DATA). Iris: the 126 fits of
# mclustBIC(iris[, 1:4], G = 1:9) and the refit of the best (latent:
# Select(MclustDefaults())). Needs Rscript with mclust.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
rounds=${1:-3}
data=${LATENT_BENCH_DATA:-/work/bench-data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/mixture.test" ./mixture
for r in $(seq "$rounds"); do
	Rscript mixture/testdata/mclust/time_hc_mclust.R "$data/medium.csv" 2 >>"$tmp/r.jsonl"
	(cd mixture && LATENT_BENCH_DATA=$data "$tmp/mixture.test" -test.run '^$' -test.bench 'HC2000x10$|MclustIris$' \
		-test.benchtime 2x -test.count 1 -test.cpu 1 >>"$tmp/go.txt")
	echo "round $r: load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
/usr/bin/python3 - "$tmp" <<'PY'
import json, re, statistics, sys, resource
tmp = sys.argv[1]
r, rc = {}, {}
for line in open(f"{tmp}/r.jsonl"):
    d = json.loads(line)
    r.setdefault(d["task"], []).extend(d["seconds"])
    rc.setdefault(d["task"], []).extend(d["cpu_seconds"])
g = {}
names = {"HC2000x10": "hc2000x10", "MclustIris": "mclust_iris"}
for line in open(f"{tmp}/go.txt"):
    m = re.match(r"Benchmark(\w+?)(-\d+)?\s+\d+\s+([0-9.]+) ns/op", line)
    if m:
        g.setdefault(names[m.group(1)], []).append(float(m.group(3)) / 1e9)
print("provisional: a shared 2-core machine; latent runs on one core (-test.cpu 1), so its elapsed time")
print("is comparable with single-threaded mclust's CPU time when the machine is busy")
print(f"{'task':12} {'mclust s':>9} {'mclust cpu':>10} {'latent s':>9} {'latent/mclust cpu':>18}")
for t in r:
    a, c = statistics.median(r[t]), statistics.median(rc[t])
    b = statistics.median(g.get(t, [float('nan')]))
    print(f"{t:12} {a:9.3f} {c:10.3f} {b:9.3f} {b / c:18.3f}")
PY
