"""Multinomial logistic regression over a dense and a sparse feature block: the scoring side (numpy)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsdesk.enrich.categories.textfeatures import SparseRows


@dataclass(frozen=True)
class SoftmaxModel:
    """Weights of the dense block (d × k) and of the sparse block (v × k; row 0 holds the bias)."""

    dense: np.ndarray
    sparse: np.ndarray

    def scores(self, dense: np.ndarray, sparse: SparseRows) -> np.ndarray:
        return np.asarray(dense @ self.dense + sparse_dot(sparse, self.sparse), dtype=np.float64)

    def probabilities(self, dense: np.ndarray, sparse: SparseRows) -> np.ndarray:
        return softmax(self.scores(dense, sparse))


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


def sparse_dot(rows: SparseRows, weights: np.ndarray) -> np.ndarray:
    """rows @ weights for CSR rows (every row non-empty)."""
    products = rows.values[:, None] * weights[rows.indices]
    return np.asarray(np.add.reduceat(products, rows.indptr[:-1], axis=0))
