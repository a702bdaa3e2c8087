"""The numpy logistic regression and sparse TF-IDF rows behave like their dense textbook versions."""

from __future__ import annotations

import numpy as np

from newsdesk.enrich.categories import build_vocabulary, sparse_dot, vectorise
from newsdesk.enrich.categories.textfeatures import clean_text, extract_terms
from newsdesk.training.softmax import sparse_tdot, train_softmax


def dense_of(rows) -> np.ndarray:  # type: ignore[no-untyped-def]
    out = np.zeros((rows.n_rows, rows.n_columns))
    for r in range(rows.n_rows):
        for k in range(rows.indptr[r], rows.indptr[r + 1]):
            out[r, rows.indices[k]] += rows.values[k]
    return out


TEXTS = ["Stocks rise as oil falls", "Oil prices fall again", "Team wins the cup final", "Cup final tonight"]


def test_clean_text_undoes_entity_remnants_and_backslashes() -> None:
    assert (
        clean_text("Wall St. #39;s bears #36;5 quot;deal quot; a\\b  &amp; c")
        == 'Wall St.\'s bears$5 "deal " a b & c'
    )
    # lone surrogates go; a numeric reference to one is U+FFFD, as HTML5 reads it
    assert clean_text("Oil \ud800 rose #56320; &#xD800; again") == "Oil rose \ufffd again"


def test_terms_are_words_and_bigrams() -> None:
    assert extract_terms("Oil falls") == ["oil", "falls", "oil falls"]


def test_sparse_products_match_dense_ones() -> None:
    vocabulary = build_vocabulary(TEXTS, min_df=1)
    rows = vectorise(TEXTS, vocabulary)
    dense = dense_of(rows)
    assert np.allclose(np.linalg.norm(dense[:, 1:], axis=1), 1.0)
    weights = np.random.default_rng(0).normal(size=(rows.n_columns, 3))
    grads = np.random.default_rng(1).normal(size=(rows.n_rows, 3))
    assert np.allclose(sparse_dot(rows, weights), dense @ weights)
    assert np.allclose(sparse_tdot(rows, grads), dense.T @ grads)
    picked = rows.take(np.array([2, 0]))
    assert np.allclose(dense_of(picked), dense[[2, 0]])


def test_unknown_words_leave_only_the_bias() -> None:
    rows = vectorise(["zzz qqq"], build_vocabulary(TEXTS, min_df=1))
    assert rows.indices.tolist() == [0] and rows.values.tolist() == [1.0]


def test_softmax_regression_learns_a_separable_problem() -> None:
    rng = np.random.default_rng(0)
    centers = np.array([[3.0, 0.0], [0.0, 3.0], [-3.0, -3.0]])
    labels = np.repeat(np.arange(3), 30)
    dense = centers[labels] + rng.normal(scale=0.5, size=(90, 2))
    sparse = vectorise([""] * 90, build_vocabulary(TEXTS, min_df=1))
    model = train_softmax(dense, sparse, labels, 3, (1e-3, 1e-3))
    assert np.mean(model.probabilities(dense, sparse).argmax(axis=1) == labels) > 0.97
