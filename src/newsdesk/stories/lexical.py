"""Online TF-IDF: document frequencies learnt from the stream itself, bounded, and sparse unit vectors."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

SparseVector = dict[str, float]


class OnlineIdf:
    """Document frequencies over the stream; halved once `max_documents` is reached so memory stays flat."""

    def __init__(self, max_documents: float = 50_000.0) -> None:
        self.max_documents = max_documents
        self.frequency: dict[str, float] = {}
        self.documents = 0.0

    def add(self, terms: Iterable[str]) -> None:
        """Count one document with these terms."""
        self.documents += 1.0
        for term in set(terms):
            self.frequency[term] = self.frequency.get(term, 0.0) + 1.0
        if self.documents >= self.max_documents:
            self.decay()

    def decay(self) -> None:
        """Halve every count and forget terms that fall below one (recent usage weighs more)."""
        self.documents /= 2.0
        self.frequency = {t: f / 2.0 for t, f in self.frequency.items() if f >= 2.0}

    def weight(self, term: str) -> float:
        """Inverse document frequency of the term (smoothed, always positive)."""
        return math.log((self.documents + 1.0) / (self.frequency.get(term, 0.0) + 0.5))


def tfidf_vector(terms: Iterable[str], idf: OnlineIdf) -> SparseVector:
    """Unit-length TF-IDF vector of the terms (sublinear term frequency)."""
    counts = Counter(terms)
    vector = {t: (1.0 + math.log(c)) * idf.weight(t) for t, c in counts.items()}
    return normalise_sparse(vector)


def normalise_sparse(vector: Mapping[str, float]) -> SparseVector:
    """The vector scaled to unit length (an empty or zero vector stays empty)."""
    norm = math.sqrt(sum(v * v for v in vector.values()))
    if norm <= 0.0:
        return {}
    return {t: v / norm for t, v in vector.items() if v != 0.0}


def add_scaled(target: dict[str, float], vector: Mapping[str, float], scale: float = 1.0) -> None:
    """target += scale * vector, in place."""
    for term, value in vector.items():
        target[term] = target.get(term, 0.0) + scale * value


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def norm(vector: Mapping[str, float]) -> float:
    """Euclidean length of a sparse vector."""
    return math.sqrt(sum(v * v for v in vector.values()))
