#!/usr/bin/python3
"""Reference numbers for mixture's scikit-learn parity tests (parity_test.go).

scikit-learn's GaussianMixture runs exactly 20 EM iterations (tol=0) from a
fixed start on Old Faithful (K=3) and Iris (K=3, the four measurements), for
each covariance type, and once with its defaults on Old Faithful (K=2 full,
init kmeans, random_state=0). The start: uniform weights, means = the rows
listed below, every covariance = the pooled covariance of the data
(normalised by N). For tied, diag and spherical the start is projected as
latent's Params documents (and as $LATENT_SHARED/bench/sklearn_gmm.py does):
the weight-averaged covariance, each diagonal, each diagonal's mean.

Regenerate from the repository root with Debian's Python (scikit-learn 1.2):

  go run ./cmd/latent data export faithful > /tmp/faithful.csv
  go run ./cmd/latent data export iris > /tmp/iris.csv
  /usr/bin/python3 mixture/testdata/sklearn_parity.py /tmp/faithful.csv /tmp/iris.csv \
      > mixture/testdata/sklearn_parity.json
"""
import json
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

ITERS = 20
ROWS = {"faithful": [10, 100, 200], "iris": [0, 60, 120]}


def start(X, rows):
    k = len(rows)
    cov = np.cov(X, rowvar=False, bias=True)
    return np.full(k, 1.0 / k), X[rows].copy(), np.array([cov] * k)


def precisions(cov_type, w, covs):
    if cov_type == "full":
        p = np.array([np.linalg.inv(c) for c in covs])
        return 0.5 * (p + np.transpose(p, (0, 2, 1)))
    if cov_type == "tied":
        p = np.linalg.inv(np.tensordot(w, covs, axes=1))
        return 0.5 * (p + p.T)
    if cov_type == "diag":
        return np.array([1.0 / np.diag(c) for c in covs])
    return np.array([1.0 / np.mean(np.diag(c)) for c in covs])


def traced(**kw):
    gm = GaussianMixture(**kw)
    trace = []
    orig = gm._compute_lower_bound

    def lb(log_resp, log_prob_norm):
        v = orig(log_resp, log_prob_norm)
        trace.append(float(v))
        return v

    gm._compute_lower_bound = lb
    return gm, trace


def params(gm, X):
    return {
        "weights": gm.weights_.tolist(),
        "means": gm.means_.tolist(),
        "covariances": np.asarray(gm.covariances_).tolist(),
        "n_iter": int(gm.n_iter_),
        "converged": bool(gm.converged_),
        "lower_bound": float(gm.lower_bound_),
        "score": float(gm.score(X)),
        "bic": float(gm.bic(X)),
        "aic": float(gm.aic(X)),
    }


def main():
    faithful = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
    iris = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, usecols=(0, 1, 2, 3))
    out = {
        "command": "/usr/bin/python3 mixture/testdata/sklearn_parity.py /tmp/faithful.csv /tmp/iris.csv",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "iterations": ITERS,
        "reg_covar": 1e-6,
        "fixed": [],
    }
    for name, X in (("faithful", faithful), ("iris", iris)):
        rows = ROWS[name]
        w, mu, covs = start(X, rows)
        for cov_type in ("full", "tied", "diag", "spherical"):
            gm, trace = traced(
                n_components=len(rows), covariance_type=cov_type, max_iter=ITERS, tol=0.0,
                reg_covar=1e-6, weights_init=w, means_init=mu,
                precisions_init=precisions(cov_type, w, covs), random_state=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                gm.fit(X)
            rec = {"data": name, "rows": rows, "covariance_type": cov_type,
                   "start": {"weights": w.tolist(), "means": mu.tolist(), "covariances": covs.tolist()},
                   "lower_bound_trace": trace}
            rec.update(params(gm, X))
            out["fixed"].append(rec)
    gm = GaussianMixture(n_components=2, covariance_type="full", random_state=0).fit(faithful)
    out["faithful_default"] = params(gm, faithful)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
