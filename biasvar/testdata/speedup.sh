#!/usr/bin/env bash
# Rounds per second of the decomposer on 1 and on 2 cores (GOMAXPROCS, and
# so the number of workers), for the k-NN and polynomial learners:
# 6 interleaved repetitions, then benchstat and the speed-up of the medians.
#   bash biasvar/testdata/speedup.sh            (from the repository root)
# Needs benchstat: go install golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
set -euo pipefail
out=${1:-/tmp/biasvar-speedup.txt}
go test -c -o /tmp/biasvar.test ./biasvar
: > "$out"
echo "load before: $(cat /proc/loadavg)" >&2
for i in 1 2 3 4 5 6; do
  /tmp/biasvar.test -test.run '^$' -test.bench 'Rounds' -test.cpu 1,2 -test.count 1 | grep '^Benchmark' >> "$out"
done
echo "load after: $(cat /proc/loadavg)" >&2
"$(go env GOPATH)/bin/benchstat" -col /gomaxprocs "$out" 2>/dev/null || "$(go env GOPATH)/bin/benchstat" "$out"
awk '{name=$1; cpu=1; if (match(name, /-[0-9]+$/)) {cpu=substr(name, RSTART+1); name=substr(name, 1, RSTART-1)}
      for (k=1; k<=NF; k++) if ($(k+1)=="rounds/s") r[name, cpu, ++n[name, cpu]]=$k; names[name]=1}
     function median(name, cpu,   m, i, j, a, t) { m=n[name, cpu]; for (i=1;i<=m;i++) a[i]=r[name, cpu, i];
       for (i=1;i<=m;i++) for (j=i+1;j<=m;j++) if (a[j]<a[i]) {t=a[i];a[i]=a[j];a[j]=t}
       return (m%2) ? a[(m+1)/2] : (a[m/2]+a[m/2+1])/2 }
     END { for (nm in names) { m1=median(nm, 1); m2=median(nm, 2);
       printf "%s: median %.0f rounds/s on 1 core, %.0f on 2: speed-up %.2f×\n", nm, m1, m2, m2/m1 } }' "$out"
