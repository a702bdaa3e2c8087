"""Fit the categories' logistic regression (dense and sparse feature blocks) with L-BFGS, in numpy."""

from __future__ import annotations

import numpy as np

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


def minimise_lbfgs(
    fun: object, x0: np.ndarray, max_iter: int = 300, memory: int = 10, tol: float = 1e-6
) -> np.ndarray:
    """Minimise a smooth convex function given as fun(x) -> (value, gradient), with Armijo backtracking."""
    assert callable(fun)
    x = x0.copy()
    value, grad = fun(x)
    history: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(max_iter):
        direction = -two_loop(grad, history)
        slope = float(grad @ direction)
        if slope >= 0:
            direction, slope, history = -grad, -float(grad @ grad), []
        step = 1.0
        while True:
            candidate = x + step * direction
            new_value, new_grad = fun(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s, yv = candidate - x, new_grad - grad
        if float(s @ yv) > 1e-12:
            history = [*history[-(memory - 1) :], (s, yv, 1.0 / float(s @ yv))]
        converged = abs(value - new_value) <= tol * max(1.0, abs(value))
        x, value, grad = candidate, new_value, new_grad
        if converged or float(np.max(np.abs(grad))) < 1e-7:
            break
    return x


def two_loop(grad: np.ndarray, history: list[tuple[np.ndarray, np.ndarray, float]]) -> np.ndarray:
    """L-BFGS two-loop recursion: an approximation of H⁻¹ · grad."""
    q = grad.copy()
    alphas = []
    for s, y, rho in reversed(history):
        alpha = rho * float(s @ q)
        q -= alpha * y
        alphas.append(alpha)
    if history:
        s, y, _ = history[-1]
        q *= float(s @ y) / float(y @ y)
    for (s, y, rho), alpha in zip(history, reversed(alphas), strict=True):
        q += (alpha - rho * float(y @ q)) * s
    return q


def train_softmax(
    dense: np.ndarray, sparse: SparseRows, labels: np.ndarray, n_classes: int, l2: tuple[float, float]
) -> SoftmaxModel:
    """Fit the model by L-BFGS; l2 = (penalty of dense weights, penalty of sparse weights)."""
    onehot = np.eye(n_classes)[labels]
    x0 = np.zeros(dense.shape[1] * n_classes + sparse.n_columns * n_classes)
    flat = minimise_lbfgs(lambda x: loss_and_gradient(x, dense, sparse, onehot, l2), x0)
    split = dense.shape[1] * n_classes
    return SoftmaxModel(flat[:split].reshape(-1, n_classes), flat[split:].reshape(-1, n_classes))
