"""PyTorch peer of latent's convolutional VAE on the 8x8 digits.

The same architecture as `latent vae train --arch conv --channels 16,32
--hidden 64 --latent 4` (encoder Conv2d(1,16,4,2,1)-ReLU-Conv2d(16,32,4,2,1)-
ReLU-flatten-Linear(128,64)-ReLU-Linear(64,8); decoder Linear(4,64)-ReLU-
Linear(64,128)-ReLU-ConvTranspose2d(32,16,4,2,1)-ReLU-ConvTranspose2d(16,1,
4,2,1) logits), PyTorch's default initialisation, Bernoulli decoder on grey
levels (digits / 16), Adam 1e-3, batches of 64 reshuffled each epoch, the
objective the mean over the batch of BCE + KL (as latent minimises it),
float64. Train rows 0..1436 and test rows 1437..1796 of the digits in
their stored order (this script writes both as CSV for latent).

Prints JSON: the test -ELBO (one code per row) after every epoch, the median
epoch time, and the files written. Run:

    /usr/bin/python3 vae/testdata/reference/torch_conv_vae.py DIGITS.csv OUTDIR [EPOCHS] [SEED]

with DIGITS.csv from `latent data export digits` (64 pixel columns and a
label column). vae/testdata/reference/conv_vae_digits.sh runs it beside
latent and writes conv_vae_digits.txt.
"""
import csv
import json
import os
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

path, out = sys.argv[1], sys.argv[2]
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
torch.manual_seed(seed)
torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

with open(path) as f:
    r = csv.reader(f)
    header = next(r)
    rows = [row for row in r]
x = torch.tensor([[float(v) / 16 for v in row[:64]] for row in rows])
os.makedirs(out, exist_ok=True)
for name, lo, hi in [("train.csv", 0, 1437), ("test.csv", 1437, len(rows))]:
    with open(os.path.join(out, name), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header[:64])
        for row in x[lo:hi].tolist():
            w.writerow(["%.17g" % v for v in row])
train, test = x[:1437].reshape(-1, 1, 8, 8), x[1437:].reshape(-1, 1, 8, 8)
L = 4


class ConvVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 16, 4, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 4, 2, 1), nn.ReLU(),
                                 nn.Flatten(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 2 * L))
        self.dec_fc = nn.Sequential(nn.Linear(L, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU())
        self.dec_conv = nn.Sequential(nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 4, 2, 1))

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = h[:, :L], h[:, L:].clamp(-30, 20)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.dec_conv(self.dec_fc(z).reshape(-1, 32, 2, 2))
        return logits, mu, logvar


def loss_rows(model, x):
    logits, mu, logvar = model(x)
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1)
    return bce + kl


model = ConvVAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
history, times = [], []
for epoch in range(epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(len(train))
    model.train()
    for i in range(0, len(train), 64):
        xb = train[perm[i:i + 64]]
        opt.zero_grad()
        loss = loss_rows(model, xb).mean()
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
    with torch.no_grad():
        history.append(loss_rows(model, test).mean().item())
times.sort()
print(json.dumps(dict(torch=torch.__version__, epochs=epochs, seed=seed, test_neg_elbo=history,
                      epoch_seconds_median=times[len(times) // 2], params=sum(p.numel() for p in model.parameters()))))
