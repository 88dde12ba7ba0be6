#!/bin/sh
# Training steps of the 28×28 convolutional VAE (channels 32,64, hidden 256,
# latent 20, batch 128): latent's BenchmarkConvVAEStep28x28C32x64H256L20B128
# against torch_conv_vae_mnist.py beside this script (PyTorch on CPU,
# float64 and float32), interleaved, ROUNDS rounds (default 2), in one
# sitting, with the load average of each round. Run from the repository:
#
#	sh vae/testdata/reference/conv_vae_mnist_bench.sh [ROUNDS] > vae/testdata/reference/conv_vae_mnist_bench.txt
set -eu
cd "$(git rev-parse --show-toplevel)"
rounds=${1:-2}
mnist=$(go run ./cmd/latent data fetch mnist)
bin=$(mktemp -d)/vae.test
go test -c -o "$bin" ./vae
go run ./cmd/latent version | head -1
for r in $(seq "$rounds"); do
	echo "== round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
	"$bin" -test.run '^$' -test.bench 'ConvVAEStep' -test.benchtime 1x | grep '^Benchmark'
	OPENBLAS_CORETYPE=SkylakeX OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 vae/testdata/reference/torch_conv_vae_mnist.py "$mnist" |
		/usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); print("torch (%d threads)" % d["threads"], " ".join("%s %.3f s/step" % (r["dtype"], r["seconds_per_step"]) for r in d["results"]))'
done
rm -rf "$(dirname "$bin")"
