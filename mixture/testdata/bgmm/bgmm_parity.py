#!/usr/bin/python3
"""Reference numbers for latent's variational (Bayesian) mixture parity tests (issue 14).

scikit-learn's BayesianGaussianMixture runs exactly 20 iterations (tol=0)
from given one-hot responsibilities, for each covariance type (full, tied,
diag, spherical) and each weight prior (dirichlet_process,
dirichlet_distribution), on Old Faithful (K = 5) and on a synthetic set
(synth.csv here, K = 6), every prior at scikit-learn's default.

The start. scikit-learn 1.2 has no API for initial responsibilities, so
FixedRespBGMM subclasses BayesianGaussianMixture and overrides
_initialize_parameters(X, random_state) to call self._initialize(X, resp)
with the given one-hot resp (the attribute resp_init). That is exactly what
the stock method does after it has computed resp from init_params (kmeans,
random, ...), so the first variational M-step is the stock one (nk, xk, sk
from resp with reg_covar, then weights, means, precisions); the random
state is never used.
The labels: rows sorted by the first column (a stable sort, ties kept in
row order), the i-th row in that order gets label floor(i * K / n); they
are written out in full ("labels", 0-based).

The per-iteration bound. The instance's _compute_lower_bound is wrapped (as
sklearn_parity.py does for GaussianMixture) and every value it returns is
recorded: these are the lower_bound values fit() itself compares, one per
iteration, in order. The script checks them against separate fits with
max_iter = 1, 2, 5 and 20 (fresh, not warm-started): each fit's
lower_bound_ must equal the trace entry bit for bit.

Recorded per case: the priors used (scikit-learn's resolved *_prior_
attributes), the state right after the initialisation M-step, the
lower_bound_ trace, the final weights_, means_, covariances_,
precisions_cholesky_, weight_concentration_ (for dirichlet_process the pair
of Beta parameters as [alpha, beta]), mean_precision_,
degrees_of_freedom_, the weights after every iteration, score_samples,
score and predict on the training rows, and predict_proba on the first 20
rows; and the BLAS numpy uses (threadpoolctl).

Regenerate from the repository root with Debian's Python (scikit-learn 1.2):

  /usr/bin/python3 mixture/testdata/bgmm/make_synth.py   # once; synth.csv is committed
  /usr/bin/python3 mixture/testdata/bgmm/bgmm_parity.py

It writes mixture/testdata/bgmm/bgmm_parity.json.
"""
import json
import os
import platform
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

ITERS = 20
CHECK_ITERS = (1, 2, 5, 20)
PROBA_ROWS = 20  # predict_proba is recorded for the first rows only
COV_TYPES = ("full", "tied", "diag", "spherical")
PRIORS = ("dirichlet_process", "dirichlet_distribution")
SETS = (
    ("faithful", "datasets/data/faithful.csv", (0, 1), 5),
    ("synth", "mixture/testdata/bgmm/synth.csv", (0, 1, 2), 6),
)
OUT = "mixture/testdata/bgmm/bgmm_parity.json"


class FixedRespBGMM(BayesianGaussianMixture):
    """BayesianGaussianMixture started from given responsibilities.

    The responsibilities are an attribute set after construction (resp_init),
    not an __init__ parameter: scikit-learn validates __init__'s parameters
    by introspection, and BayesianGaussianMixture's own stay untouched.
    """

    def _initialize_parameters(self, X, random_state):
        self._initialize(X, np.asarray(self.resp_init, dtype=np.float64))


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{k: str(v) for k, v in lib.items() if k in ("internal_api", "version", "filepath", "architecture")}
            for lib in threadpool_info() if lib.get("user_api") == "blas"]


def load(path, cols):
    with open(path) as f:
        header = f.readline().strip().split(",")
    X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols, ndmin=2)
    return X, [header[c] for c in cols]


def labels_for(X, k):
    n = X.shape[0]
    order = np.argsort(X[:, 0], kind="stable")
    lab = np.empty(n, dtype=int)
    lab[order] = (np.arange(n) * k) // n
    return lab


def onehot(lab, k):
    resp = np.zeros((lab.shape[0], k))
    resp[np.arange(lab.shape[0]), lab] = 1.0
    return resp


def conc(wc):
    if isinstance(wc, tuple):
        return [np.asarray(wc[0]).tolist(), np.asarray(wc[1]).tolist()]
    return np.asarray(wc).tolist()


def weights_of(gm):
    # the weights_ scikit-learn's _set_parameters derives from weight_concentration_
    wc = gm.weight_concentration_
    if gm.weight_concentration_prior_type == "dirichlet_process":
        s = wc[0] + wc[1]
        tmp = wc[1] / s
        w = wc[0] / s * np.hstack((1, np.cumprod(tmp[:-1])))
        return w / np.sum(w)
    return wc / np.sum(wc)


def state(gm):
    return {
        "weight_concentration": conc(gm.weight_concentration_),
        "mean_precision": np.asarray(gm.mean_precision_).tolist(),
        "means": gm.means_.tolist(),
        "degrees_of_freedom": np.asarray(gm.degrees_of_freedom_).tolist(),
        "covariances": np.asarray(gm.covariances_).tolist(),
        "precisions_cholesky": np.asarray(gm.precisions_cholesky_).tolist(),
    }


def make(resp, k, cov_type, prior_type, max_iter):
    gm = FixedRespBGMM(
        n_components=k, covariance_type=cov_type,
        weight_concentration_prior_type=prior_type, max_iter=max_iter, tol=0.0,
        reg_covar=1e-6, n_init=1, random_state=0)
    gm.resp_init = resp
    return gm


def traced_fit(X, resp, k, cov_type, prior_type):
    gm = make(resp, k, cov_type, prior_type, ITERS)
    trace, wtrace, init = [], [], {}
    orig_lb = gm._compute_lower_bound
    orig_init = gm._initialize

    def lb(log_resp, log_prob_norm):
        v = orig_lb(log_resp, log_prob_norm)
        trace.append(float(v))
        wtrace.append(weights_of(gm).tolist())
        return v

    def initialize(X_, resp_):
        orig_init(X_, resp_)
        init.update(state(gm))
        init["weights"] = weights_of(gm).tolist()

    gm._compute_lower_bound = lb
    gm._initialize = initialize
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(X)
    if len(trace) != ITERS:
        raise SystemExit("expected %d bound evaluations, got %d" % (ITERS, len(trace)))
    if trace[-1] != gm.lower_bound_:
        raise SystemExit("last traced bound is not lower_bound_")
    return gm, trace, wtrace, init


def check_trace(X, resp, k, cov_type, prior_type, trace):
    for m in CHECK_ITERS:
        gm = make(resp, k, cov_type, prior_type, m)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gm.fit(X)
        if gm.lower_bound_ != trace[m - 1]:
            raise SystemExit("%s/%s: max_iter=%d gives %r, trace has %r"
                             % (cov_type, prior_type, m, gm.lower_bound_, trace[m - 1]))


def main():
    out = {
        "command": "/usr/bin/python3 mixture/testdata/bgmm/bgmm_parity.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
        "blas": blas_info(),
        "iterations": ITERS,
        "tol": 0.0,
        "reg_covar": 1e-6,
        "start": "one-hot responsibilities from 'labels' via FixedRespBGMM._initialize_parameters -> _initialize(X, resp)",
        "label_rule": "stable argsort of column 0; the i-th row in that order gets floor(i*K/n)",
        "trace_checked_against_max_iter": list(CHECK_ITERS),
        "cases": [],
    }
    for name, path, cols, k in SETS:
        X, columns = load(path, cols)
        lab = labels_for(X, k)
        resp = onehot(lab, k)
        for prior_type in PRIORS:
            for cov_type in COV_TYPES:
                gm, trace, wtrace, init = traced_fit(X, resp, k, cov_type, prior_type)
                check_trace(X, resp, k, cov_type, prior_type, trace)
                cp = gm.covariance_prior_
                rec = {
                    "data": name, "path": path, "columns": columns,
                    "n": int(X.shape[0]), "d": int(X.shape[1]), "n_components": k,
                    "covariance_type": cov_type,
                    "weight_concentration_prior_type": prior_type,
                    "labels": lab.tolist(),
                    "priors": {
                        "weight_concentration_prior": float(gm.weight_concentration_prior_),
                        "mean_precision_prior": float(gm.mean_precision_prior_),
                        "mean_prior": np.asarray(gm.mean_prior_).tolist(),
                        "degrees_of_freedom_prior": float(gm.degrees_of_freedom_prior_),
                        "covariance_prior": np.asarray(cp).tolist(),
                    },
                    "initial": init,
                    "lower_bound_trace": trace,
                    "weights_trace": wtrace,
                    "n_iter": int(gm.n_iter_),
                    "converged": bool(gm.converged_),
                    "lower_bound": float(gm.lower_bound_),
                    "weights": gm.weights_.tolist(),
                }
                rec.update(state(gm))
                rec["predict_proba_head"] = gm.predict_proba(X[:PROBA_ROWS]).tolist()
                rec["score_samples"] = gm.score_samples(X).tolist()
                rec["score"] = float(gm.score(X))
                rec["predict"] = gm.predict(X).tolist()
                out["cases"].append(rec)
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        f.write(encode(out))
        f.write("\n")
    os.replace(tmp, OUT)


def encode(o, ind=0):
    """JSON with objects indented and each innermost array on one line.

    Floats are written by json (repr: the shortest string that reads back
    as the same double).
    """
    pad = " " * (ind + 1)
    if isinstance(o, dict):
        items = [pad + json.dumps(k) + ": " + encode(v, ind + 1) for k, v in o.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * ind + "}"
    if isinstance(o, list) and any(isinstance(v, (list, dict)) for v in o):
        items = [pad + encode(v, ind + 1) for v in o]
        return "[\n" + ",\n".join(items) + "\n" + " " * ind + "]"
    return json.dumps(o)


if __name__ == "__main__":
    main()
