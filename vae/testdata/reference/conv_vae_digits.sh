#!/bin/sh
# latent's convolutional VAE against its PyTorch peer (torch_conv_vae.py
# beside this script) on the 8x8 digits: the same architecture (channels
# 16,32, hidden 64, latent 4), the same split (rows 0..1436 train,
# 1437..1796 test), 30 epochs, batch 64, Adam 1e-3, float64; seeds 1..3,
# interleaved, in one sitting. Prints the test −ELBO after the last epoch
# and the median epoch time of each run, with the load average. Run from
# the repository:
#
#	sh vae/testdata/reference/conv_vae_digits.sh > vae/testdata/reference/conv_vae_digits.txt
set -eu
root=$(git rev-parse --show-toplevel)
cd "$root"
dir=$(mktemp -d)
go build -o "$dir/latent" ./cmd/latent
"$dir/latent" data export digits --out "$dir/digits.csv" >/dev/null
echo "# $(go run ./cmd/latent version | head -1); PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
for seed in 1 2 3; do
	echo "== seed $seed: load $(cut -d' ' -f1-3 /proc/loadavg)"
	/usr/bin/python3 vae/testdata/reference/torch_conv_vae.py "$dir/digits.csv" "$dir/split" 30 "$seed" |
		/usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); print("torch   test -ELBO %.3f  epoch %.3f s  params %d" % (d["test_neg_elbo"][-1], d["epoch_seconds_median"], d["params"]))'
	"$dir/latent" vae train "$dir/split/train.csv" --test "$dir/split/test.csv" --image 8x8 --arch conv --channels 16,32 --hidden 64 \
		--latent 4 --epochs 30 --batch 64 --seed "$seed" --json |
		/usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); e = d["report"]["epochs"]; t = sorted(x["seconds"] for x in e); print("latent  test -ELBO %.3f  epoch %.3f s  params %d" % (-e[-1]["test"]["elbo"], t[len(t) // 2], d["report"]["params"]))'
done
rm -rf "$dir"
