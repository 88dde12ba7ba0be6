#!/usr/bin/env bash
# .ci/fuzz.sh [MINUTES] [PATTERN]: run every fuzzer of the module for MINUTES
# minutes each (default 10), one after the other.
#
# The fuzzers are found with `go test -list 'Fuzz.*'` in every package (or
# those whose name matches PATTERN, a grep -E expression on "pkg FuzzName").
# A fuzzer that finds a failing input stops; go test keeps the input under
# the package's testdata/fuzz/FuzzName/, where plain `go test` runs it from
# then on as a regression input: commit it with the fix. The script goes on
# with the next fuzzer and, at the end, lists what each found, the new
# inputs, and exits 1 if any fuzzer failed.
#
# It is long (13 fuzzers × 10 minutes, over 2 hours by default) and uses
# every core: run it in a quiet sitting, not beside other work. The "execs"
# it reports are go test's last count, which lags behind workers that run
# long batches (FuzzReadCheckpoint's shows a handful while its workers run
# hundreds of thousands).
#   .ci/fuzz.sh 2                  two minutes per fuzzer
#   .ci/fuzz.sh 1 'cmd/latent'     only the command line's fuzzer
set -uo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
pattern=${2:-.}
case "$minutes" in
  ''|*[!0-9.]*) echo "fuzz.sh: MINUTES must be a number, got '$minutes'" >&2; exit 2 ;;
esac

mapfile -t pkgs < <(go list ./...)
targets=()
for p in "${pkgs[@]}"; do
  while read -r name; do
    case "$name" in Fuzz*) targets+=("$p $name") ;; esac
  done < <(go test -list 'Fuzz.*' "$p" 2>/dev/null)
done
mapfile -t targets < <(printf '%s\n' "${targets[@]}" | grep -E -- "$pattern")
if [ ${#targets[@]} = 0 ]; then
  echo "fuzz.sh: no fuzzer matches '$pattern'" >&2
  exit 2
fi
echo "== fuzz: ${#targets[@]} fuzzers, ${minutes} min each"

before=$(git status --porcelain --untracked-files=all -- '*/testdata/fuzz/*' 2>/dev/null)
failed=()
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
for t in "${targets[@]}"; do
  pkg=${t% *}
  name=${t#* }
  dir=$(go list -f '{{.Dir}}' "$pkg")
  echo "== $pkg $name"
  start=$SECONDS
  if (cd "$dir" && go test -run '^$' -fuzz "^${name}\$" -fuzztime "${minutes}m" . >"$log/out" 2>&1); then
    echo "ok   $name ($((SECONDS - start))s): $(grep -Eo 'execs: [0-9]+' "$log/out" | tail -1), $(grep -Eo 'new interesting: [0-9]+' "$log/out" | tail -1)"
  else
    failed+=("$pkg $name")
    echo "FAIL $name ($((SECONDS - start))s):"
    grep -v '^fuzz: elapsed' "$log/out" | tail -40 | sed 's/^/  /'
  fi
done

after=$(git status --porcelain --untracked-files=all -- '*/testdata/fuzz/*' 2>/dev/null)
new=$(comm -13 <(echo "$before" | sort) <(echo "$after" | sort))
if [ -n "$new" ]; then
  echo "== new inputs under testdata/fuzz (regression inputs: commit them with the fix)"
  echo "$new" | sed 's/^?? /  /; s/^ M /  /'
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "== ${#failed[@]} fuzzer(s) failed:"
  printf '  %s\n' "${failed[@]}"
  exit 1
fi
echo "== every fuzzer ran ${minutes} min without a failure"
