"""PyTorch peer of latent's BenchmarkConvVAEStep28x28C32x64H256L20B128.

The network of `latent vae train --data mnist --arch conv --channels 32,64
--hidden 256` (encoder Conv2d(1,32,4,2,1)-ReLU-Conv2d(32,64,4,2,1)-ReLU-
flatten-Linear(3136,256)-ReLU-Linear(256,40); decoder Linear(20,256)-ReLU-
Linear(256,3136)-ReLU-ConvTranspose2d(64,32,4,2,1)-ReLU-
ConvTranspose2d(32,1,4,2,1)), Bernoulli decoder, Adam 1e-3, batches of 128:
times 50 training steps on the first 6400 MNIST training images and prints
the seconds per step, float64 and float32, as JSON. Run:

    /usr/bin/python3 vae/testdata/reference/torch_conv_vae_mnist.py MNIST_DIR

MNIST_DIR holds train-images-idx3-ubyte(.gz) (`latent data fetch mnist`
prints it).
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def images(d):
    for name in ["train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"]:
        p = os.path.join(d, name)
        if os.path.exists(p):
            op = gzip.open if p.endswith(".gz") else open
            with op(p, "rb") as f:
                data = f.read()
            return np.frombuffer(data, np.uint8, offset=16).reshape(-1, 1, 28, 28)[:6400] / 255.0
    sys.exit("no train-images-idx3-ubyte in " + d)


L = 20


class ConvVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
                                 nn.Flatten(), nn.Linear(3136, 256), nn.ReLU(), nn.Linear(256, 2 * L))
        self.dec_fc = nn.Sequential(nn.Linear(L, 256), nn.ReLU(), nn.Linear(256, 3136), nn.ReLU())
        self.dec_conv = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = h[:, :L], h[:, L:].clamp(-30, 20)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.dec_conv(self.dec_fc(z).reshape(-1, 64, 7, 7)), mu, logvar


x0 = images(sys.argv[1])
results = []
for dtype in [torch.float64, torch.float32]:
    torch.manual_seed(1)
    x = torch.tensor(x0, dtype=dtype)
    model = ConvVAE().to(dtype)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(xb):
        opt.zero_grad()
        logits, mu, logvar = model(xb)
        bce = F.binary_cross_entropy_with_logits(logits, xb, reduction="none").flatten(1).sum(1)
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1)
        (bce + kl).mean().backward()
        opt.step()

    step(x[:128])
    perm = torch.randperm(len(x))
    t0 = time.perf_counter()
    for i in range(0, len(x), 128):
        step(x[perm[i:i + 128]])
    results.append(dict(dtype=str(dtype).replace("torch.", ""), seconds_per_step=(time.perf_counter() - t0) / 50))
print(json.dumps(dict(torch=torch.__version__, threads=torch.get_num_threads(), results=results)))
