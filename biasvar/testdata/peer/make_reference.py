#!/usr/bin/python3
"""Reference data for biasvar's TestBootstrapMatchesPeer.

Runs the peer script biasvar_peer.py of the shared peer benchmarks (an mlxtend-style
bootstrap decomposition with scikit-learn 1.2) with its defaults, keeps its
JSON output and its train/test CSVs, and records the bootstrap resample
indices its mode (A) used: bootstrap_decomp draws them with
np.random.RandomState(123).choice(n, n, replace=True), one per round, in
order. The indices are checked by replaying mode (A) with them.

Usage (from the repository root; .ci/paths.sh says where LATENT_SHARED is,
beside the repository by default):
  . .ci/paths.sh
  /usr/bin/python3 biasvar/testdata/peer/make_reference.py \
      "$LATENT_SHARED/bench/biasvar_peer.py" biasvar/testdata/peer
"""
import importlib.util
import json
import os
import subprocess
import sys

import numpy as np

peer_path, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
res = subprocess.run([sys.executable, peer_path, "--out", out], check=True, capture_output=True, text=True)
peer_out = json.loads(res.stdout)
peer_out["train_csv"] = "biasvar_train.csv"
peer_out["test_csv"] = "biasvar_test.csv"
with open(os.path.join(out, "peer_output.json"), "w") as fh:
    json.dump(peer_out, fh, indent=1)

spec = importlib.util.spec_from_file_location("peer", peer_path)
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)

tr = np.loadtxt(os.path.join(out, "biasvar_train.csv"), delimiter=",")
te = np.loadtxt(os.path.join(out, "biasvar_test.csv"), delimiter=",")
xtr, ytr, xte, yte = tr[:, 0], tr[:, 1], te[:, 0], te[:, 1]
n, rounds = xtr.shape[0], peer_out["rounds"]
rs = np.random.RandomState(123)  # the seed bootstrap_decomp uses
idx = [rs.choice(np.arange(n), size=n, replace=True) for _ in range(rounds)]

for name, make in peer.estimators().items():
    pred = np.array([make().fit(xtr[i, None], ytr[i]).predict(xte[:, None]) for i in idx])
    main = pred.mean(axis=0)
    replay = {"avg_expected_loss": np.mean((pred - yte) ** 2), "avg_bias": np.mean((main - yte) ** 2),
              "avg_var": np.mean((pred - main) ** 2)}
    ref = peer_out["results"][name]["bootstrap_mlxtend_style"]
    for k, v in replay.items():
        assert v == ref[k], (name, k, v, ref[k])

with open(os.path.join(out, "resamples.json"), "w") as fh:
    json.dump({"generator": "numpy.random.RandomState(123).choice(n, n, replace=True), one per round",
               "n": n, "rounds": rounds, "indices": [i.tolist() for i in idx]}, fh, separators=(",", ":"))
print("ok: %d resamples of %d rows replay the peer's numbers exactly" % (rounds, n))
