"""Active stories as centroids: summed member embeddings in a matrix, summed TF-IDF terms in postings."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from newsdesk.models import Vectors
from newsdesk.stories.lexical import SparseVector, add_scaled, dot


@dataclass
class Story:
    """An active story: its id, times, counts and the sums its centroid is made of."""

    id: str
    title: str
    first_seen: datetime
    last_seen: datetime
    row: int
    articles: int = 0
    members: set[str] = field(default_factory=set)
    terms: SparseVector = field(default_factory=dict)
    term_norm2: float = 0.0
    aliases: set[str] = field(default_factory=set)
    names: dict[str, float] = field(default_factory=dict)  # name stem -> reports naming it

    def terms_unit(self) -> SparseVector:
        """The story's summed terms scaled to unit length."""
        length = math.sqrt(self.term_norm2) if self.term_norm2 > 1e-12 else 0.0
        return {t: v / length for t, v in self.terms.items()} if length else {}


@dataclass(frozen=True)
class Candidate:
    """A story scored against an article (or another story)."""

    story_id: str
    score: float


class StoryIndex:
    """The active stories; scores an article's vectors against every centroid at once."""

    def __init__(self, dim: int, capacity: int = 256) -> None:
        self.dim = dim
        self.stories: dict[str, Story] = {}
        self._sums = np.zeros((capacity, dim), dtype=np.float32)
        self._ids: list[str | None] = [None] * capacity
        self._free = list(range(capacity - 1, -1, -1))
        self._postings: dict[str, dict[str, float]] = {}
        self._named_by: dict[str, set[str]] = {}  # name stem -> ids of the stories naming it

    def create(self, story_id: str, title: str, seen: datetime) -> Story:
        """Open a new, empty story."""
        if not self._free:
            self._grow()
        story = Story(story_id, title, seen, seen, self._free.pop())
        self._ids[story.row] = story_id
        self.stories[story_id] = story
        return story

    def add_vectors(self, story: Story, embedding: Vectors, terms: SparseVector, scale: float = 1.0) -> None:
        """Add (scale=1) or take away (scale=-1) one member's vectors from the story's centroid."""
        self._sums[story.row] += scale * embedding
        story.term_norm2 += 2.0 * scale * dot(story.terms, terms) + scale * scale * dot(terms, terms)
        add_scaled(story.terms, terms, scale)
        for term, value in terms.items():
            posting = self._postings.setdefault(term, {})
            posting[story.id] = posting.get(story.id, 0.0) + scale * value

    def add_names(self, story: Story, names: Mapping[str, float]) -> None:
        """Count names in the story (one report's, or a merged story's counts)."""
        for name, count in names.items():
            story.names[name] = story.names.get(name, 0.0) + count
            self._named_by.setdefault(name, set()).add(story.id)

    def name_shares(
        self, names: Sequence[frozenset[str]], weight: Callable[[str], float], least: int
    ) -> dict[str, float]:
        """Per story naming at least `least` of the names: the share of their weight it names (a name weighs
        as its rarest word)."""
        weights = [max(weight(w) for w in name) for name in names]
        total = sum(weights)
        found: dict[str, list[float]] = {}
        for name, value in zip(names, weights, strict=True):
            for story_id in set().union(*(self._named_by.get(w, set()) for w in name)):
                found.setdefault(story_id, []).append(value)
        if total <= 0.0:
            return {}
        return {k: sum(v) / total for k, v in found.items() if len(v) >= least}

    def fade(self, story: Story, factor: float) -> None:
        """Scale the story's summed embedding so newer reports weigh more than older ones."""
        if 0.0 < factor < 1.0:
            self._sums[story.row] *= factor

    def score(
        self, embedding: Vectors, terms: SparseVector, embed_weight: float, decay: Vectors | None = None
    ) -> dict[str, float]:
        """Blended cosine of the query to every story centroid, minus `decay` (indexed by story row)."""
        if not self.stories:
            return {}
        norms = np.linalg.norm(self._sums, axis=1)
        emb = (self._sums @ embedding) / np.maximum(norms, 1e-9)
        lexical = dict.fromkeys(self.stories, 0.0)
        for term, weight in terms.items():
            for story_id, value in self._postings.get(term, {}).items():
                lexical[story_id] += weight * value
        scores: dict[str, float] = {}
        for story_id, story in self.stories.items():
            lex = lexical[story_id] / math.sqrt(story.term_norm2) if story.term_norm2 > 1e-12 else 0.0
            score = embed_weight * float(emb[story.row]) + (1.0 - embed_weight) * lex
            scores[story_id] = score - (float(decay[story.row]) if decay is not None else 0.0)
        return scores

    def centroid(self, story: Story) -> Vectors:
        """The story's unit-length mean embedding."""
        total: Vectors = self._sums[story.row].copy()
        length = float(np.linalg.norm(total))
        if length > 0:
            total /= length
        return total

    def decay_by_row(self, now: datetime, per_day: float, grace_days: float) -> Vectors:
        """Penalty per story row: `per_day` for each day since the story's last article, past a grace."""
        penalty = np.zeros(self._sums.shape[0], dtype=np.float32)
        for story in self.stories.values():
            gap = max(0.0, (now - story.last_seen).total_seconds() / 86_400.0 - grace_days)
            penalty[story.row] = per_day * gap
        return penalty

    def absorb(self, survivor: Story, merged: Story) -> None:
        """Fold `merged` into `survivor` (vectors, counts, members, times) and drop it."""
        self._sums[survivor.row] += self._sums[merged.row]
        for term, value in merged.terms.items():
            posting = self._postings.setdefault(term, {})
            posting[survivor.id] = posting.get(survivor.id, 0.0) + value
        survivor.term_norm2 += 2.0 * dot(survivor.terms, merged.terms) + merged.term_norm2
        add_scaled(survivor.terms, merged.terms)
        survivor.articles += merged.articles
        survivor.members |= merged.members
        survivor.first_seen = min(survivor.first_seen, merged.first_seen)
        survivor.last_seen = max(survivor.last_seen, merged.last_seen)
        survivor.aliases |= merged.aliases | {merged.id}
        self.add_names(survivor, merged.names)
        self.drop(merged)

    def drop(self, story: Story) -> None:
        """Remove a story from the index (merged away or gone dormant)."""
        self.stories.pop(story.id, None)
        self._sums[story.row] = 0.0
        self._ids[story.row] = None
        self._free.append(story.row)
        for term in story.terms:
            posting = self._postings.get(term)
            if posting is not None:
                posting.pop(story.id, None)
                if not posting:
                    del self._postings[term]
        for name in story.names:
            named = self._named_by.get(name)
            if named is not None:
                named.discard(story.id)
                if not named:
                    del self._named_by[name]

    def _grow(self) -> None:
        old = self._sums.shape[0]
        self._sums = np.vstack([self._sums, np.zeros((old, self.dim), dtype=np.float32)])
        self._ids.extend([None] * old)
        self._free.extend(range(2 * old - 1, old - 1, -1))
