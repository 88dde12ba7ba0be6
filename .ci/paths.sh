# Where latent's scripts find the files that live beside the repository.
# Source it from the repository (POSIX sh and bash):
#
#   . "$(git rev-parse --show-toplevel)/.ci/paths.sh"
#
# It sets LATENT_ROOT, the root of this checkout, and, unless they are set
# already, LATENT_SHARED (the team's shared folder: the peers' benchmark
# scripts in bench/ and the reference notes) and LATENT_BENCH_DATA (the
# benchmark data sets that $LATENT_SHARED/bench/gen_gmm_data.py writes).
# Both default to folders beside the repository's main checkout: for a
# clone at /src/latent, /src/shared and /src/bench-data; a git worktree of
# that clone finds the same ones. The Go tests find them the same way
# (internal/testutil: SharedDir, BenchDataDir).
if LATENT_ROOT=$(git rev-parse --show-toplevel 2>/dev/null); then
  latent_common=$(cd "$LATENT_ROOT" && git rev-parse --path-format=absolute --git-common-dir)
  latent_beside=$(dirname "$(dirname "$latent_common")")
else
  LATENT_ROOT=$(pwd)
  latent_beside=$(dirname "$LATENT_ROOT")
fi
: "${LATENT_SHARED:=$latent_beside/shared}"
: "${LATENT_BENCH_DATA:=$latent_beside/bench-data}"
export LATENT_ROOT LATENT_SHARED LATENT_BENCH_DATA
unset latent_common latent_beside
