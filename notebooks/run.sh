#!/usr/bin/env bash
# Run latent's notebooks headless with GoNB, the Go kernel for Jupyter.
#
#   notebooks/run.sh                  execute every notebook; fail when a cell fails
#                                     or when a stored text output is stale
#   notebooks/run.sh --update         execute every notebook and save it in place
#                                     with its new outputs (commit the result)
#   notebooks/run.sh --install        only install the tools and the kernel
#   notebooks/run.sh [--update] NAME.ipynb ...   only these notebooks
#
# Idempotent; used by developers and by .ci/run. It installs, when missing:
#   - Debian's jupyter-nbconvert, jupyter-client, jupyter-core (apt-get, as root
#     or through password-less sudo);
#   - GoNB and goimports at the versions pinned in notebooks/tools/go.mod
#     (a module of its own, so the main module does not depend on them), into
#     notebooks/.run/bin;
#   - the GoNB kernel, into notebooks/.run/jupyter, set up with a go.work that
#     uses this working tree: the notebooks import latent as it is here, not a
#     published version. Your own Jupyter set-up is left alone.
#
# To open the notebooks interactively with the same kernel, after --install:
#   JUPYTER_PATH=notebooks/.run/jupyter jupyter lab notebooks/
#
# The check (without --update): every notebook is executed into a temporary
# folder, and each cell's text outputs (stdout, text/plain, Markdown, HTML)
# must equal the stored ones; images must be present where they were stored,
# but their bytes are not compared (PNG bytes are not a contract: an encoder
# or font update changes them without changing the chart). So a notebook
# whose code changed without `--update` fails CI; a chart that changed while
# every printed number stayed the same does not.
#
# The stored outputs are made with fastblas's AVX-512 kernel (the kernel the
# notebooks' matrix products run on by default, on these machines and CI's).
# Another kernel rounds products differently in the last bits, and through
# training the printed numbers move: on a machine whose default kernel is not
# AVX-512 the check compares the text with every number masked (the same
# cells, lines and words; tools/compare.py --numbers=structure) and says how
# many numbers moved, as the gallery check does. NOTEBOOKS_COMPARE=exact or
# NOTEBOOKS_COMPARE=structure forces either mode.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
nbdir="$root/notebooks"
state="$nbdir/.run"
update=0
install_only=0
notebooks=()
for a in "$@"; do
  case "$a" in
    --update) update=1 ;;
    --install) install_only=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown flag $a (see --help)" >&2; exit 2 ;;
    *) notebooks+=("$a") ;;
  esac
done

# 1. Jupyter's headless runner, from Debian.
jupyter=jupyter
if ! jupyter nbconvert --version >/dev/null 2>&1 || ! jupyter kernelspec --version >/dev/null 2>&1; then
  jupyter=/usr/bin/jupyter # what apt-get installs, whatever else is first on PATH
  sudo=""
  [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo="sudo -n"; }
  if { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; } && command -v apt-get >/dev/null; then
    echo "== notebooks: installing jupyter-nbconvert, jupyter-client, jupyter-core (apt-get)"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600 install --no-install-recommends \
      jupyter-nbconvert jupyter-client jupyter-core
  else
    echo "run.sh: jupyter nbconvert is missing; install it, e.g." >&2
    echo "  sudo apt-get install jupyter-nbconvert jupyter-client jupyter-core" >&2
    exit 1
  fi
fi

# 2. GoNB and goimports, pinned by the tools module.
mkdir -p "$state/bin" "$state/jupyter"
export GOBIN="$state/bin"
export PATH="$GOBIN:$PATH"
(cd "$nbdir/tools" && go install tool)

# 3. The kernel, using this working tree through go.work.
export JUPYTER_DATA_DIR="$state/jupyter"
export JUPYTER_PATH="$state/jupyter"
gonb --install --force_deps --raw_error --go_work="$root" >"$state/install.log" 2>&1 ||
  { cat "$state/install.log" >&2; exit 1; }
# The notebooks fetch gonbui at the version the tools module pins; keep the two in step.
want=$(cd "$nbdir/tools" && go list -m -f '{{.Version}}' github.com/janpfeifer/gonb)
if [ "$install_only" = 1 ]; then
  echo "== notebooks: GoNB $want installed in $state; open the notebooks with"
  echo "   JUPYTER_PATH=$state/jupyter jupyter lab $nbdir"
  exit 0
fi

if [ ${#notebooks[@]} = 0 ]; then
  notebooks=("$nbdir"/*.ipynb)
fi
for nb in "${notebooks[@]}"; do
  if [ ! -f "$nb" ]; then
    echo "run.sh: $nb: no such notebook" >&2
    exit 2
  fi
  if ! grep -q "github.com/janpfeifer/gonb@$want" "$nb"; then
    echo "run.sh: $nb does not fetch github.com/janpfeifer/gonb@$want, the version notebooks/tools/go.mod pins" >&2
    exit 1
  fi
done

# The comparison: exact under the AVX-512 kernel the outputs were made with,
# structure elsewhere. `latent version` names the kernel fastblas picks for
# this CPU (the notebooks' default: they neither read LATENT_FASTBLAS* nor
# choose a kernel).
compare="${NOTEBOOKS_COMPARE:-}"
if [ -z "$compare" ] && [ "$update" = 0 ]; then
  kernel=$(cd "$root" && env -u LATENT_FASTBLAS -u LATENT_FASTBLAS_KERNEL go run ./cmd/latent version 2>/dev/null | sed -n 's/^blas: fastblas \([a-z0-9]*\):.*/\1/p')
  if [ "$kernel" = avx512 ]; then
    compare=exact
  else
    compare=structure
    echo "== notebooks: matrix products on the ${kernel:-unknown} kernel, not the AVX-512 kernel the stored outputs were made with: comparing their structure (numbers masked)"
  fi
fi
case "${compare:-exact}" in
  exact|structure) ;;
  *) echo "run.sh: NOTEBOOKS_COMPARE=$compare: use exact or structure" >&2; exit 2 ;;
esac

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb")
  start=$SECONDS
  args=(--to notebook --execute --ExecutePreprocessor.timeout=600
        --ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.record_timing=False)
  if [ "$update" = 1 ]; then
    if ! (cd "$(dirname "$nb")" && "$jupyter" nbconvert "${args[@]}" --inplace "$name" 2>"$out/$name.log"); then
      cat "$out/$name.log" >&2
      echo "FAIL $name: a cell failed (above); the notebook was not changed" >&2
      status=1
      continue
    fi
    echo "updated $name ($((SECONDS - start))s)"
  else
    if ! (cd "$(dirname "$nb")" && "$jupyter" nbconvert "${args[@]}" --output-dir "$out" "$name" 2>"$out/$name.log"); then
      cat "$out/$name.log" >&2
      echo "FAIL $name: a cell failed (above)" >&2
      status=1
      continue
    fi
    if ! /usr/bin/env python3 "$nbdir/tools/compare.py" --numbers="${compare:-exact}" "$nb" "$out/$name"; then
      echo "FAIL $name: the stored outputs are stale; run notebooks/run.sh --update $name and commit it" >&2
      status=1
      continue
    fi
    echo "ok   $name ($((SECONDS - start))s)"
  fi
done
exit $status
