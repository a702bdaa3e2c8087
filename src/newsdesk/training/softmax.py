"""Fit the categories' logistic regression (dense and sparse feature blocks) with scipy's L-BFGS."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize  # type: ignore[import-untyped]

from newsdesk.enrich.categories import SoftmaxModel, SparseRows, softmax, sparse_dot


def sparse_tdot(rows: SparseRows, grads: np.ndarray) -> np.ndarray:
    """rows.T @ grads for CSR rows."""
    row_of = np.repeat(np.arange(rows.n_rows), np.diff(rows.indptr))
    weighted = rows.values[:, None] * grads[row_of]
    columns = [
        np.bincount(rows.indices, weights=weighted[:, c], minlength=rows.n_columns)
        for c in range(grads.shape[1])
    ]
    return np.stack(columns, axis=1)


def loss_and_gradient(
    flat: np.ndarray, dense: np.ndarray, sparse: SparseRows, onehot: np.ndarray, l2: tuple[float, float]
) -> tuple[float, np.ndarray]:
    """Mean cross-entropy plus L2 (the sparse bias row is not penalised), and its gradient."""
    k = onehot.shape[1]
    split = dense.shape[1] * k
    wd, ws = flat[:split].reshape(-1, k), flat[split:].reshape(-1, k)
    probs = softmax(dense @ wd + sparse_dot(sparse, ws))
    n = len(onehot)
    loss = -float(np.sum(onehot * np.log(probs + 1e-12))) / n
    penalty_ws = ws[1:]
    loss += 0.5 * l2[0] * float(np.sum(wd * wd)) + 0.5 * l2[1] * float(np.sum(penalty_ws * penalty_ws))
    delta = (probs - onehot) / n
    gd = dense.T @ delta + l2[0] * wd
    gs = sparse_tdot(sparse, delta)
    gs[1:] += l2[1] * penalty_ws
    return loss, np.concatenate([gd.ravel(), gs.ravel()])


MAX_ITERATIONS = 300


def train_softmax(
    dense: np.ndarray, sparse: SparseRows, labels: np.ndarray, n_classes: int, l2: tuple[float, float]
) -> SoftmaxModel:
    """Fit the model by L-BFGS; l2 = (penalty of dense weights, penalty of sparse weights)."""
    onehot = np.eye(n_classes)[labels]
    x0 = np.zeros(dense.shape[1] * n_classes + sparse.n_columns * n_classes)
    result = minimize(
        loss_and_gradient,
        x0,
        args=(dense, sparse, onehot, l2),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": MAX_ITERATIONS, "maxcor": 10},
    )
    flat = np.asarray(result.x)
    split = dense.shape[1] * n_classes
    return SoftmaxModel(flat[:split].reshape(-1, n_classes), flat[split:].reshape(-1, n_classes))
