#!/usr/bin/env bash
# Rounds per second of the decomposer on 1 and on 2 cores (GOMAXPROCS, and
# so the number of workers), for the k-NN and polynomial learners: REPS
# interleaved repetitions (default 12), each after waiting up to a minute
# for a quiet machine, then benchstat, and the speed-up of the medians and
# of the best runs (interference only ever slows a run down, so on a shared
# machine the best of many short runs is the steadier figure).
#   bash biasvar/testdata/speedup.sh [OUT]      (from anywhere in the repository;
#                                               OUT defaults to biasvar-speedup.txt in the temporary folder)
# Needs benchstat: go install golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
set -euo pipefail
. "$(git rev-parse --show-toplevel)/.ci/paths.sh"
cd "$LATENT_ROOT"
out=${1:-${TMPDIR:-/tmp}/biasvar-speedup.txt}
bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
bin=$bindir/biasvar.test
go test -c -o "$bin" ./biasvar
: > "$out"
echo "load before: $(cat /proc/loadavg)" >&2
# With the kernel's autogroup scheduling on, each login session gets an equal
# share of the CPUs however many threads it runs: when other sessions keep
# both cores busy, no program goes faster on 2 cores than on 1. The
# ParallelCeiling benchmark shows what 2 cores deliver in the same sitting.
echo "sched_autogroup_enabled: $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo n/a)" >&2
# idle prints the share of CPU time the whole machine spent idle over one second.
idle() {
  local a b
  a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  local tot=0 i
  for i in 1 2 3 4 5 6 7 8; do tot=$((tot + b[i] - a[i])); done
  echo $(( 100 * (b[4] + b[5] - a[4] - a[5]) / (tot > 0 ? tot : 1) ))
}
# quiet waits (up to a minute) for 3 seconds in a row at least 90% idle:
# the machine is shared, and a figure taken under load says little.
quiet() {
  local streak=0 t=0
  while [ $streak -lt 3 ] && [ $t -lt 60 ]; do
    if [ "$(idle)" -ge 90 ]; then streak=$((streak + 1)); else streak=0; fi
    t=$((t + 1))
  done
  echo "idle streak $streak after ${t}s; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}
for i in $(seq "${REPS:-12}"); do
  quiet
  # One process per core count, set by the GOMAXPROCS variable: with go1.26
  # `-test.cpu 1,2` ran the first (cpu 1) benchmark at GOMAXPROCS 2, which
  # hid every speed-up. The -2 suffix is added by hand for benchstat.
  GOMAXPROCS=1 "$bin" -test.run '^$' -test.bench 'Rounds|ParallelCeiling' -test.count 1 -test.benchtime 40x | grep '^Benchmark' >> "$out"
  GOMAXPROCS=2 "$bin" -test.run '^$' -test.bench 'Rounds|ParallelCeiling' -test.count 1 -test.benchtime 40x | grep '^Benchmark' | sed -E 's/^(Benchmark[^ \t]*)([ \t])/\1-2\2/; s/-2-2([ \t])/-2\1/' >> "$out"
done
echo "load after: $(cat /proc/loadavg)" >&2
"$(go env GOPATH)/bin/benchstat" -col /gomaxprocs "$out" 2>/dev/null || "$(go env GOPATH)/bin/benchstat" "$out"
awk '{name=$1; cpu=1; if (match(name, /-[0-9]+$/)) {cpu=substr(name, RSTART+1); name=substr(name, 1, RSTART-1)}
      for (k=1; k<=NF; k++) if ($(k+1)=="rounds/s" || $(k+1)=="units/s") r[name, cpu, ++n[name, cpu]]=$k; names[name]=1}
     function median(name, cpu,   m, i, j, a, t) { m=n[name, cpu]; for (i=1;i<=m;i++) a[i]=r[name, cpu, i];
       for (i=1;i<=m;i++) for (j=i+1;j<=m;j++) if (a[j]<a[i]) {t=a[i];a[i]=a[j];a[j]=t}
       return (m%2) ? a[(m+1)/2] : (a[m/2]+a[m/2+1])/2 }
     function best(name, cpu,   i, b) { b=0; for (i=1;i<=n[name, cpu];i++) if (r[name, cpu, i]>b) b=r[name, cpu, i]; return b }
     END { for (nm in names) { m1=median(nm, 1); m2=median(nm, 2); b1=best(nm, 1); b2=best(nm, 2);
       printf "%s: median %.0f per s on 1 core, %.0f on 2: speed-up %.2f×; best %.0f and %.0f: %.2f×\n", nm, m1, m2, m2/m1, b1, b2, b2/b1 } }' "$out"
