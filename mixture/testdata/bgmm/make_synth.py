#!/usr/bin/python3
"""Writes mixture/testdata/bgmm/synth.csv, the synthetic set of bgmm_parity.py.

400 rows, 3 columns, 3 Gaussian components (weights 0.5, 0.3, 0.2) of
different volume, shape and orientation, drawn with numpy's default_rng(14)
and rounded to 4 decimals so the CSV text is the data exactly. The last
column is the true component (1-based); bgmm_parity.py reads only x1..x3.
Run once from the repository root (the CSV is committed):

  /usr/bin/python3 mixture/testdata/bgmm/make_synth.py
"""
import numpy as np

rng = np.random.default_rng(14)
n = 400
weights = np.array([0.5, 0.3, 0.2])
means = np.array([[0.0, 0.0, 0.0], [4.0, 1.0, -1.0], [1.0, 5.0, 2.0]])
covs = np.array([
    [[1.0, 0.6, 0.2], [0.6, 1.5, 0.3], [0.2, 0.3, 0.8]],
    [[0.5, -0.2, 0.0], [-0.2, 0.4, 0.1], [0.0, 0.1, 0.3]],
    [[2.0, 0.8, -0.5], [0.8, 1.0, 0.0], [-0.5, 0.0, 1.2]],
])
comp = rng.choice(3, size=n, p=weights)
X = np.empty((n, 3))
for i in range(n):
    L = np.linalg.cholesky(covs[comp[i]])
    X[i] = means[comp[i]] + L @ rng.standard_normal(3)
with open("mixture/testdata/bgmm/synth.csv", "w") as f:
    f.write("x1,x2,x3,component\n")
    for i in range(n):
        f.write("%.4f,%.4f,%.4f,%d\n" % (X[i, 0], X[i, 1], X[i, 2], comp[i] + 1))
