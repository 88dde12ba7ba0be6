#!/usr/bin/python3
"""MNIST MLP classifier 784-128-10 in PyTorch (CPU) as a timing peer for
latent's nn package; prints JSON. Conventions as torch_vae.py.

Model: Linear(784,128) -> ReLU -> Linear(128,10), cross-entropy from logits
(F.cross_entropy, mean over the batch), Adam(lr=1e-3), batch 128, shuffled
each epoch, last partial batch kept (469 steps per epoch). Pixels are the
raw IDX bytes / 255 in [0, 1], unscaled.

  epoch_seconds   perf_counter around each epoch's training steps (forward,
                  backward, Adam, loss.item()); data already in memory.
  test_accuracy   after the last epoch, on the 10000 test images.

Usage (set OMP_WAIT_POLICY=PASSIVE and OPENBLAS_CORETYPE=SkylakeX):
  /usr/bin/python3 torch_mlp.py MNIST_DIR [--epochs-f32 3] [--epochs-f64 3]
        [--threads 2] [--batch 128] [--seed 0]
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic == 2051:
        _, n, r, c = struct.unpack(">IIII", data[:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).copy().reshape(n, r * c)
    if magic == 2049:
        return np.frombuffer(data, dtype=np.uint8, offset=8).copy()
    raise ValueError("%s: bad IDX magic %d" % (path, magic))


def run(dtype, epochs, xtr_u8, ytr, xte_u8, yte, a):
    torch.manual_seed(a.seed)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)).to(dtype)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xtr = torch.from_numpy(xtr_u8).to(dtype) / 255.0
    xte = torch.from_numpy(xte_u8).to(dtype) / 255.0
    ytr_t = torch.from_numpy(ytr.astype(np.int64))
    yte_t = torch.from_numpy(yte.astype(np.int64))
    n = xtr.shape[0]
    g = torch.Generator().manual_seed(a.seed + 1)
    epoch_s, losses = [], []
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        total = 0.0
        t0 = time.perf_counter()
        for i in range(0, n, a.batch):
            idx = perm[i : i + a.batch]
            xb, yb = xtr[idx], ytr_t[idx]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        epoch_s.append(time.perf_counter() - t0)
        losses.append(total / n)
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte_t).double().mean().item()
    return {
        "dtype": str(dtype).replace("torch.", ""),
        "epochs": epochs,
        "epoch_seconds": epoch_s,
        "epoch_seconds_median": statistics.median(epoch_s),
        "train_loss": losses,
        "test_accuracy": acc,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mnist_dir")
    ap.add_argument("--epochs-f32", type=int, default=3)
    ap.add_argument("--epochs-f64", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    d = a.mnist_dir
    xtr = read_idx(os.path.join(d, "train-images-idx3-ubyte.gz"))
    ytr = read_idx(os.path.join(d, "train-labels-idx1-ubyte.gz"))
    xte = read_idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"))
    yte = read_idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"))
    results = []
    if a.epochs_f32 > 0:
        results.append(run(torch.float32, a.epochs_f32, xtr, ytr, xte, yte, a))
    if a.epochs_f64 > 0:
        results.append(run(torch.float64, a.epochs_f64, xtr, ytr, xte, yte, a))
    print(json.dumps({
        "tool": "torch MLP 784-128-10",
        "versions": {"torch": torch.__version__, "numpy": np.__version__},
        "torch_threads": torch.get_num_threads(),
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OMP_WAIT_POLICY", "OMP_NUM_THREADS")},
        "batch": a.batch,
        "results": results,
    }))


if __name__ == "__main__":
    sys.exit(main())
