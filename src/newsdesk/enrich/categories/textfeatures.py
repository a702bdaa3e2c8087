"""Text clean-up and TF-IDF word features (unigrams and bigrams) as sparse rows, numpy only."""

from __future__ import annotations

import html
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

ENTITY_REMNANT_RE = re.compile(r"\s?#(\d{2,5});")  # "it #39;s" → "it's" (entities whose "&" was lost)
NAMED_REMNANT_RE = re.compile(r"(?<!&)\b(quot|amp|lt|gt|nbsp);")
WORD_RE = re.compile(r"\w+")
SURROGATE_RE = re.compile("[\ud800-\udfff]")  # lone halves of a pair: no encoder can read them
SPACE_RE = re.compile(r"\s+")
MAX_FEATURE_CHARS = 5_000  # title and lead decide the category; the rest only costs time


@dataclass(frozen=True)
class SparseRows:
    """Rows of a sparse matrix in CSR form; every row has at least one entry (the bias column 0)."""

    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    n_columns: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def take(self, rows: np.ndarray) -> SparseRows:
        """The given rows, in that order."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        picks = [np.arange(s, e) for s, e in zip(starts, ends, strict=True)]
        flat = np.concatenate(picks) if picks else np.zeros(0, dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(ends - starts)])
        return SparseRows(indptr, self.indices[flat], self.values[flat], self.n_columns)


@dataclass(frozen=True)
class Vocabulary:
    """Terms (column i+1 is terms[i]; column 0 is the bias) and their inverse document frequencies."""

    terms: tuple[str, ...]
    idf: np.ndarray

    def index(self) -> dict[str, int]:
        return {term: i + 1 for i, term in enumerate(self.terms)}


def clean_text(text: str) -> str:
    """Undo HTML entities (also ones that lost their "&"), drop stray backslashes and lone surrogates."""
    text = ENTITY_REMNANT_RE.sub(lambda m: chr(int(m.group(1))) if int(m.group(1)) < 0x110000 else " ", text)
    text = NAMED_REMNANT_RE.sub(lambda m: f"&{m.group(1)};", text)
    text = SURROGATE_RE.sub(" ", html.unescape(text).replace("\\", " "))
    return SPACE_RE.sub(" ", text).strip()


def extract_terms(text: str) -> list[str]:
    """Lower-cased words and word bigrams of the (cleaned) text."""
    words = WORD_RE.findall(clean_text(text[:MAX_FEATURE_CHARS]).lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def build_vocabulary(texts: Sequence[str], min_df: int = 2) -> Vocabulary:
    """Terms seen in at least ``min_df`` texts, with smoothed idf = ln((1+n)/(1+df)) + 1."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(extract_terms(text)))
    terms = tuple(sorted(t for t, n in df.items() if n >= min_df))
    n = len(texts)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in terms], dtype=np.float32)
    return Vocabulary(terms, idf)


def vectorise(
    texts: Iterable[str], vocabulary: Vocabulary, index: dict[str, int] | None = None
) -> SparseRows:
    """Sublinear TF-IDF rows (1 + ln tf) · idf, L2-normalised, plus a constant bias column 0."""
    index = index if index is not None else vocabulary.index()
    indptr, indices, values = [0], [], []
    for text in texts:
        counts = Counter(i for i in (index.get(t) for t in extract_terms(text)) if i is not None)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        weights = (1 + np.log(weights)) * vocabulary.idf[cols - 1] if len(cols) else weights
        norm = float(np.linalg.norm(weights))
        indices.extend([0, *cols.tolist()])
        values.extend([1.0, *(weights / norm if norm else weights).tolist()])
        indptr.append(len(indices))
    return SparseRows(
        np.asarray(indptr, dtype=np.int64),
        np.asarray(indices, dtype=np.int64),
        np.asarray(values, dtype=np.float32),
        len(vocabulary.terms) + 1,
    )
