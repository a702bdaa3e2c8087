"""The window of recent articles: their embeddings in one matrix and their terms in an inverted index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from newsdesk.models import Vectors
from newsdesk.stories.dedup import Fingerprint
from newsdesk.stories.lexical import SparseVector


@dataclass
class WindowItem:
    """One article in the window. `story_id` changes when its story is merged into another."""

    id: str
    story_id: str
    title: str
    source: str
    language: str
    published: datetime
    duplicate_of: str | None
    fingerprint: Fingerprint
    terms: SparseVector
    agency: str
    row: int
    names: tuple[frozenset[str], ...] = ()  # its distinct names (word sets), for related articles


class ArticleWindow:
    """Recent articles with their vectors, for nearest-neighbour look-ups; rows are reused after removal."""

    def __init__(self, dim: int, capacity: int = 1024) -> None:
        self.dim = dim
        self.items: dict[str, WindowItem] = {}
        self._matrix = np.zeros((capacity, dim), dtype=np.float32)
        self._ids: list[str | None] = [None] * capacity
        self._free = list(range(capacity - 1, -1, -1))
        self._postings: dict[str, dict[int, float]] = {}

    def add(self, item: WindowItem, embedding: Vectors) -> None:
        """Put an article in the window (its `row` is assigned here)."""
        if not self._free:
            self._grow()
        item.row = self._free.pop()
        self._matrix[item.row] = embedding
        self._ids[item.row] = item.id
        self.items[item.id] = item
        for term, weight in item.terms.items():
            self._postings.setdefault(term, {})[item.row] = weight

    def remove(self, article_id: str) -> WindowItem | None:
        """Take an article out of the window, returning it (None when it was not there)."""
        item = self.items.pop(article_id, None)
        if item is None:
            return None
        self._matrix[item.row] = 0.0
        self._ids[item.row] = None
        self._free.append(item.row)
        for term in item.terms:
            posting = self._postings.get(term)
            if posting is not None:
                posting.pop(item.row, None)
                if not posting:
                    del self._postings[term]
        return item

    def embedding(self, article_id: str) -> Vectors:
        """The stored embedding of an article of the window."""
        row: Vectors = self._matrix[self.items[article_id].row].copy()
        return row

    def similarities(self, embedding: Vectors, terms: SparseVector, embed_weight: float) -> Vectors:
        """Blended embedding and TF-IDF cosine of the query against every row (empty rows score 0)."""
        scores = (self._matrix @ embedding) * embed_weight
        lexical_weight = 1.0 - embed_weight
        for term, weight in terms.items():
            for row, other in self._postings.get(term, {}).items():
                scores[row] += lexical_weight * weight * other
        return scores

    def nearest(
        self, embedding: Vectors, terms: SparseVector, embed_weight: float, k: int, floor: float
    ) -> list[tuple[str, float]]:
        """The k articles most similar to the query with similarity at least `floor`, best first."""
        if not self.items or k <= 0:
            return []
        scores = self.similarities(embedding, terms, embed_weight)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        found = [(self._ids[r], float(scores[r])) for r in top if scores[r] >= floor]
        return sorted(((i, s) for i, s in found if i is not None), key=lambda p: -p[1])

    def _grow(self) -> None:
        old = self._matrix.shape[0]
        self._matrix = np.vstack([self._matrix, np.zeros((old, self.dim), dtype=np.float32)])
        self._ids.extend([None] * old)
        self._free.extend(range(2 * old - 1, old - 1, -1))
