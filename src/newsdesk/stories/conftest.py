"""Fixtures of the stories tests: the real embedding model (loaded once) and a small keyword embedder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from newsdesk.models import Embedder, Vectors, load_embedder, normalise_rows

TESTDATA = Path(__file__).parent / "testdata"
BENCH = Path(__file__).resolve().parents[3] / ".." / "shared" / "bench"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder()


class KeywordEmbedder:
    """A tiny deterministic embedder for logic tests: one axis per keyword, summed and normalised."""

    name = "keywords"
    dim = 16

    def __init__(self, keywords: Sequence[str]) -> None:
        self.keywords = list(keywords)

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            lowered = text.lower()
            for axis, word in enumerate(self.keywords):
                if word in lowered:
                    out[row, axis % self.dim] += 1.0
        return normalise_rows(out)


@pytest.fixture
def keywords() -> KeywordEmbedder:
    return KeywordEmbedder(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"])
