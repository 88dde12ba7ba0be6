#!/usr/bin/python3
"""Time scikit-learn's BayesianGaussianMixture per variational iteration; print JSON.

The peer of latent's BenchmarkBGMMIterationFull1e5x10K8 (mixture/bgmm_bench_test.go):
the same data (the shared benchmark set, NAME.csv without a header), the same start
(one-hot responsibilities from NAME_labels.csv, the generator's true labels, through
scikit-learn's own _initialize, as bgmm_parity.py does), every prior at scikit-learn's
default (a Dirichlet process), reg_covar 1e-6, exactly ITERS iterations (tol 0).

  /usr/bin/python3 mixture/testdata/bgmm/sklearn_bgmm_bench.py DATA.csv LABELS.csv K \
      [--cov full] [--iters 10] [--repeat 3]

An iteration is what BaseMixture.fit_predict's loop does once: _e_step, _m_step and
_compute_lower_bound, each timed with time.perf_counter (the instance's methods are
wrapped). per_iter_seconds_all holds the median iteration of every repeat (a fresh
estimator each time); per_iter_seconds their median. Run it with OPENBLAS_CORETYPE=SkylakeX
for OpenBLAS's best kernels on this CPU (shared/bench/README.md); bench_vs_sklearn.sh here
interleaves it with latent's benchmark.
"""
import argparse
import json
import platform
import statistics
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture


class FixedRespBGMM(BayesianGaussianMixture):
    """BayesianGaussianMixture started from given responsibilities (resp_init)."""

    def _initialize_parameters(self, X, random_state):
        self._initialize(X, self.resp_init)


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{k: str(v) for k, v in lib.items() if k in ("internal_api", "version", "architecture", "num_threads")}
            for lib in threadpool_info() if lib.get("user_api") == "blas"]


def run_once(X, resp, k, cov, iters):
    gm = FixedRespBGMM(n_components=k, covariance_type=cov, max_iter=iters, tol=0.0, reg_covar=1e-6, random_state=0)
    gm.resp_init = resp
    cls = type(gm)
    t = {"e": [], "m": [], "lb": []}
    orig_e = cls._e_step.__get__(gm, cls)
    orig_m = cls._m_step.__get__(gm, cls)
    orig_lb = cls._compute_lower_bound.__get__(gm, cls)

    def timed(key, fn):
        def w(*a):
            t0 = time.perf_counter()
            r = fn(*a)
            t[key].append(time.perf_counter() - t0)
            return r
        return w

    gm._e_step = timed("e", orig_e)
    gm._m_step = timed("m", orig_m)
    gm._compute_lower_bound = timed("lb", orig_lb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(X)
    n = gm.n_iter_
    per = [t["e"][i] + t["m"][i] + t["lb"][i] for i in range(n)]
    return per, float(gm.lower_bound_)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("labels")
    ap.add_argument("k", type=int)
    ap.add_argument("--cov", default="full")
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    X = np.loadtxt(a.csv, delimiter=",", dtype=np.float64, ndmin=2)
    lab = np.loadtxt(a.labels, dtype=int)
    resp = np.zeros((X.shape[0], a.k))
    resp[np.arange(X.shape[0]), lab] = 1.0
    medians, lbs = [], []
    for _ in range(a.repeat):
        per, lb = run_once(X, resp, a.k, a.cov, a.iters)
        medians.append(statistics.median(per))
        lbs.append(lb)
    n, d = X.shape
    print(json.dumps({
        "sklearn": sklearn.__version__, "numpy": np.__version__, "python": platform.python_version(),
        "blas": blas_info(), "n": n, "d": d, "k": a.k, "covariance_type": a.cov, "iters": a.iters,
        "per_iter_seconds": statistics.median(medians), "per_iter_seconds_all": medians,
        "lower_bound": lbs[-1],
    }))


if __name__ == "__main__":
    main()
