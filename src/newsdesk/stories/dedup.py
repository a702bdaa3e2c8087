"""Copy detection: exact copies by content hash, near-verbatim wire copies by MinHash LSH of shingles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

from newsdesk.stories.text import content_hash, count_words, shingles

NUM_PERM = 128
SHINGLE_WORDS = 5
LSH_THRESHOLD = 0.5  # candidates from the index ...
MIN_JACCARD = 0.6  # ... confirmed when the estimated shingle overlap is at least this
MIN_BODY_WORDS = 30  # shorter bodies are not compared (a one-line body proves nothing)
SEED = 7
SCHEME = "affine32"  # datasketch >= 2 needs the scheme named to rebuild a sketch from stored values


# Sketches are built from this one: making the permutations costs more than hashing a whole body.
TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


@dataclass(frozen=True)
class Fingerprint:
    """What copy detection knows about one article body."""

    content_hash: str | None
    minhash: tuple[int, ...]


@dataclass(frozen=True)
class CopyMatch:
    """An earlier article of the window that the new one copies, and how it was found."""

    article_id: str
    how: str  # "hash" or "minhash"
    similarity: float


def fingerprint_body(text: str, given_hash: str | None = None) -> Fingerprint:
    """Fingerprint a body: the given or computed content hash and a MinHash of its shingles."""
    if count_words(text) < MIN_BODY_WORDS:
        return Fingerprint(given_hash, ())
    words = shingles(text, SHINGLE_WORDS)
    minhash = TEMPLATE.copy()
    minhash.update_batch([s.encode("utf-8") for s in words])
    digest = given_hash or content_hash(text)
    return Fingerprint(digest, tuple(int(v) for v in minhash.hashvalues))


class CopyIndex:
    """The window's fingerprints: find the article a new body copies; forget articles leaving the window."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._by_hash: dict[str, str] = {}
        self._minhashes: dict[str, MinHash] = {}
        self._hash_of: dict[str, str] = {}

    def find(self, fingerprint: Fingerprint) -> CopyMatch | None:
        """The indexed article with the same hash, else the most similar near-verbatim one, else None."""
        if fingerprint.content_hash and fingerprint.content_hash in self._by_hash:
            return CopyMatch(self._by_hash[fingerprint.content_hash], "hash", 1.0)
        if not fingerprint.minhash:
            return None
        query = self._minhash(fingerprint.minhash)
        best: CopyMatch | None = None
        for key in self._lsh.query(query):
            similarity = float(query.jaccard(self._minhashes[key]))
            if similarity >= MIN_JACCARD and (best is None or similarity > best.similarity):
                best = CopyMatch(str(key), "minhash", similarity)
        return best

    def add(self, article_id: str, fingerprint: Fingerprint) -> None:
        """Index an article's fingerprint (a second add of the same id is ignored)."""
        if article_id in self._hash_of or article_id in self._minhashes:
            return
        if fingerprint.content_hash:
            self._by_hash.setdefault(fingerprint.content_hash, article_id)
            self._hash_of[article_id] = fingerprint.content_hash
        if fingerprint.minhash:
            minhash = self._minhash(fingerprint.minhash)
            self._lsh.insert(article_id, minhash)
            self._minhashes[article_id] = minhash

    def remove(self, article_id: str) -> None:
        """Forget an article (it left the window)."""
        digest = self._hash_of.pop(article_id, None)
        if digest is not None and self._by_hash.get(digest) == article_id:
            del self._by_hash[digest]
        if self._minhashes.pop(article_id, None) is not None:
            self._lsh.remove(article_id)

    def __len__(self) -> int:
        return len(set(self._hash_of) | set(self._minhashes))

    @staticmethod
    def _minhash(values: tuple[int, ...]) -> MinHash:
        return MinHash(
            seed=SEED,
            scheme=SCHEME,
            hashvalues=np.array(values, dtype=np.uint64),
            permutations=TEMPLATE.permutations,
        )
