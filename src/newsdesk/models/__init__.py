"""Model loading and runtimes: one loader per model, one copy of each per process, nothing downloaded."""

from newsdesk.models.e5 import category_logits
from newsdesk.models.use import (
    DEFAULT_MODEL,
    Embedder,
    EmbeddingModelMissing,
    Vectors,
    embed_texts,
    load_embedder,
    normalise_rows,
)

__all__ = [
    "DEFAULT_MODEL",
    "Embedder",
    "EmbeddingModelMissing",
    "Vectors",
    "category_logits",
    "embed_texts",
    "load_embedder",
    "normalise_rows",
]
