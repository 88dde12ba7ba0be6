#!/usr/bin/env bash
# The README's performance table in one command:
#
#   fastblas/bench.sh [ROUNDS] [OUT]        (defaults: 6 rounds, ./fastblas-bench.txt)
#
# Builds the fastblas benchmarks once (with -tags openblas when libopenblas
# and gcc are present, so OpenBLAS runs in the same Go harness), then runs
# ROUNDS rounds, each one pass over every shape with this package's best
# kernel, gonum's default Dgemm and OpenBLAS, so the implementations
# alternate in time and share the machine's load. Then the numpy/OpenBLAS
# peak ($LATENT_SHARED/bench/peak_matmul.py, when found; see .ci/paths.sh),
# the load average, and benchstat's GFLOP/s table with one column per
# implementation.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/paths.sh
rounds=${1:-6}
out=${2:-fastblas-bench.txt}
bin=$(mktemp -d)/fastblas.test
trap 'rm -rf "$(dirname "$bin")"' EXIT

# OpenBLAS 0.3.21 does not know these CPUs: name its best kernel family,
# over any OPENBLAS_CORETYPE in the environment (BENCH_OPENBLAS_CORETYPE wins).
coretype=Haswell
grep -qw avx512f /proc/cpuinfo && coretype=SkylakeX
export OPENBLAS_CORETYPE=${BENCH_OPENBLAS_CORETYPE:-$coretype}
impls='avx512|avx2|gonum'
if command -v gcc >/dev/null && [ -e /usr/lib/x86_64-linux-gnu/libopenblas.so ]; then
  go test -c -o "$bin" -tags openblas ./fastblas
  impls="openblas|$impls"
else
  go test -c -o "$bin" ./fastblas
fi
shapes='(Dgemm(512|1024|2000|VAE.*|1e5x16x16|XtX.*)|Sgemm(1024|2000|VAE.*))'
: >"$out"
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, GOMAXPROCS=${GOMAXPROCS:-default}, OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$out"
for i in $(seq "$rounds"); do
  "$bin" -test.run '^$' -test.bench "^Benchmark${shapes}\$/^impl=(${impls})\$" -test.count 1 | tee -a "$out"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
peak=$LATENT_SHARED/bench/peak_matmul.py
if [ -f "$peak" ] && [ -x /usr/bin/python3 ]; then
  echo "# numpy peak: $(/usr/bin/python3 "$peak" --n 2000 --threads 2)" | tee -a "$out"
  echo "# numpy float32 peak: $(/usr/bin/python3 "$peak" --n 2000 --threads 2 --dtype float32)" | tee -a "$out"
fi
if command -v benchstat >/dev/null; then
  benchstat -col /impl -filter '.unit:GFLOP/s' "$out"
else
  echo "install benchstat for the table: go install golang.org/x/perf/cmd/benchstat@latest"
fi
