#!/usr/bin/python3
"""Peer figure for nn's Iris test: scikit-learn's MLPClassifier on 30 seeded
stratified 80/20 splits of Iris, inputs standardised on the training part,
mean held-out accuracy. Run with Debian's python3 (scikit-learn 1.2):

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 nn/testdata/reference/sklearn_iris.py
"""
import warnings

import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")  # ConvergenceWarning at max_iter
X, y = load_iris(return_X_y=True)
for act, batch in [("relu", "auto"), ("tanh", 16)]:
    accs = []
    for s in range(30):
        xtr, xte, ytr, yte = train_test_split(X, y, test_size=0.2, stratify=y, random_state=s)
        sc = StandardScaler().fit(xtr)
        m = MLPClassifier((64, 32), activation=act, batch_size=batch, random_state=s).fit(sc.transform(xtr), ytr)
        accs.append(m.score(sc.transform(xte), yte))
    print("MLPClassifier((64, 32), activation=%r, batch_size=%r): mean held-out accuracy %.4f over 30 splits (min %.4f)"
          % (act, batch, np.mean(accs), np.min(accs)))
