#!/bin/sh
# One MNIST training epoch of the PyTorch example's VAE (784-400-20, ReLU,
# Bernoulli decoder on grey levels, Adam 1e-3, batch 128): latent's
# BenchmarkMNISTEpochVAE784x400x20B128 and $LATENT_SHARED/bench/torch_vae.py
# (PyTorch on CPU, float32 and float64; TORCH_VAE names another copy),
# interleaved, ROUNDS rounds (default 3), in one sitting. Run from anywhere
# in the repository:
#
#	vae/testdata/bench_vs_torch.sh [ROUNDS]
#
# The peer runs with its best settings (OPENBLAS_CORETYPE=SkylakeX,
# OMP_WAIT_POLICY=PASSIVE; see $LATENT_SHARED/bench/README.md, and
# .ci/paths.sh for where LATENT_SHARED points). Each round prints the load
# average, latent's s/epoch and PyTorch's epoch_seconds per dtype.
set -eu
. "$(git rev-parse --show-toplevel)/.ci/paths.sh"
cd "$LATENT_ROOT"
rounds=${1:-3}
peer=${TORCH_VAE:-$LATENT_SHARED/bench/torch_vae.py}
mnist=$(go run ./cmd/latent data fetch mnist)
bin=$(mktemp -d)/vae.test
go test -c -o "$bin" ./vae
go run ./cmd/latent version
for r in $(seq "$rounds"); do
	echo "== round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
	"$bin" -test.run '^$' -test.bench 'MNISTEpoch' -test.benchtime 2x | grep '^Benchmark'
	OPENBLAS_CORETYPE=SkylakeX OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$peer" "$mnist" --epochs-f32 1 --epochs-f64 1 |
		/usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); print("torch", " ".join("%s %.3f s/epoch" % (r["dtype"], r["epoch_seconds_median"]) for r in d["results"]))'
done
rm -rf "$(dirname "$bin")"
