"""The stored article vectors as an in-process index: sign bits scanned first, int8 rows to rescore.

PostgreSQL here has no pgvector and the SQLite build no vector extension newsdesk may rely on, so one
index serves both: per article 64 bytes of sign bits (of the vector minus the mean) and 512 int8 values
with a scale, about 0.6 MB per 1,000 articles. A query's Hamming distance to every article's bits picks
the candidates (a few ms at 200,000), whose int8 rows give the cosine similarity that ranks them.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from newsdesk.models import DEFAULT_MODEL, Vectors
from newsdesk.store.db import has_one_database
from newsdesk.store.models import ArticleVector

log = logging.getLogger("newsdesk.store.vectors")

RESCORED = 2_000  # candidates the sign bits pass on to the exact similarity
REFRESH_SECONDS = 30.0  # how often the index checks the store for new vectors
LOAD_BATCH = 5_000
DIM = 512  # the multilingual USE vectors; a vector of another size is left out


@dataclass(frozen=True)
class VectorSnapshot:
    """The vectors known at one moment (never changed: a refresh makes a new one)."""

    ids: list[str]
    rows: npt.NDArray[np.int8]  # one int8 row per article
    scales: npt.NDArray[np.float32]  # row * scale is the unit vector
    bits: npt.NDArray[np.uint64]  # sign bits, one row per 64 dimensions (column-major for a fast scan)
    mean: Vectors

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        return int(self.rows.nbytes + self.scales.nbytes + self.bits.nbytes)


def empty_snapshot(dim: int = DIM) -> VectorSnapshot:
    return VectorSnapshot(
        [],
        np.zeros((0, dim), np.int8),
        np.zeros(0, np.float32),
        np.zeros((dim // 64, 0), np.uint64),
        np.zeros(dim, np.float32),
    )


def quantise(vectors: Vectors) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    """int8 rows and per-row scales of unit vectors."""
    peak = np.abs(vectors).max(axis=1)
    peak[peak == 0] = 1.0
    rows = np.round(vectors / peak[:, None] * 127).astype(np.int8)
    return rows, (peak / 127).astype(np.float32)


def sign_bits(vectors: Vectors, mean: Vectors) -> npt.NDArray[np.uint64]:
    """The signs of each centred vector, 64 to a word, one row per word (dimensions a multiple of 64)."""
    packed = np.packbits(vectors - mean > 0, axis=1)
    return np.ascontiguousarray(packed.view(np.uint64).T)


def build_snapshot(ids: list[str], vectors: Vectors, mean: Vectors | None = None) -> VectorSnapshot:
    """An index of these unit vectors (the mean, when not given, is theirs)."""
    if not ids:
        return empty_snapshot(vectors.shape[1] if vectors.ndim == 2 else DIM)
    centre = vectors.mean(axis=0).astype(np.float32) if mean is None else mean
    rows, scales = quantise(vectors)
    return VectorSnapshot(ids, rows, scales, sign_bits(vectors, centre), centre)


def extend_snapshot(old: VectorSnapshot, ids: list[str], vectors: Vectors) -> VectorSnapshot:
    """The old index with these vectors added (the mean of the first build is kept for their bits)."""
    if not old.ids:
        return build_snapshot(ids, vectors)
    rows, scales = quantise(vectors)
    return VectorSnapshot(
        old.ids + ids,
        np.concatenate([old.rows, rows]),
        np.concatenate([old.scales, scales]),
        np.concatenate([old.bits, sign_bits(vectors, old.mean)], axis=1),
        old.mean,
    )


def nearest(
    snapshot: VectorSnapshot, query: Vectors, limit: int, floor: float = -1.0
) -> list[tuple[str, float]]:
    """The ``limit`` articles nearest the query (cosine similarity at least ``floor``), nearest first."""
    if not snapshot.ids or query.shape[0] != snapshot.rows.shape[1]:
        return []
    candidates = np.arange(snapshot.size)
    if snapshot.size > RESCORED:
        code = sign_bits(query[None, :].astype(np.float32), snapshot.mean)[:, 0]
        distance = np.zeros(snapshot.size, dtype=np.uint16)
        for word, bits in zip(code, snapshot.bits, strict=True):
            distance += np.bitwise_count(bits ^ word)
        candidates = np.argpartition(distance, RESCORED)[:RESCORED]
    # einsum, not BLAS: a threaded matrix-vector product costs more CPU than it saves on 2,000 rows
    rows = snapshot.rows[candidates]
    scores = (
        np.einsum("ij,j->i", rows, query.astype(np.float32), dtype=np.float32) * snapshot.scales[candidates]
    )
    order = np.argsort(-scores)[:limit]
    return [(snapshot.ids[candidates[i]], float(scores[i])) for i in order if scores[i] >= floor]


class VectorIndex:
    """The vectors of one store and model in this process, checked for new ones every REFRESH_SECONDS."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model
        self.snapshot = empty_snapshot()
        self.count = 0
        self.checked = float("-inf")
        self._lock = threading.Lock()
        self._checking: threading.Thread | None = None

    def current(self, session: Session) -> VectorSnapshot:
        """The index as known. When the last check is old, the store is checked on a thread of its own, so
        no request waits for it (counting 200,000 stored vectors takes 170 ms on SQLite); only the first
        load, which there is nothing to answer without, is waited for."""
        if time.monotonic() - self.checked < REFRESH_SECONDS:
            return self.snapshot
        engine = session.get_bind().engine
        if self.count == 0 or not has_one_database(engine):  # another thread's connection must see it
            with self._lock:
                if time.monotonic() - self.checked >= REFRESH_SECONDS:
                    self.refresh(session)
        elif self._lock.acquire(blocking=False):
            self.checked = time.monotonic()  # one check at a time
            self._checking = threading.Thread(
                target=self._check_apart, args=(engine,), name="vector-index", daemon=True
            )
            self._checking.start()
        return self.snapshot

    def _check_apart(self, engine: Engine) -> None:
        try:
            with Session(engine) as session:
                self.refresh(session)
        except Exception:  # the index stays as it was; the next check tries again
            log.exception("vector index not refreshed")
        finally:
            self._lock.release()

    def wait(self) -> None:
        """Return once a check started on its own thread is done."""
        if self._checking is not None:
            self._checking.join()

    def refresh(self, session: Session) -> None:
        self.checked = time.monotonic()
        stored = int(session.scalar(select(func.count()).where(ArticleVector.model == self.model)) or 0)
        if stored == self.count:
            return
        known = set(self.snapshot.ids) if stored > self.count else set()
        ids = [
            i
            for i in session.scalars(
                select(ArticleVector.article_id).where(ArticleVector.model == self.model)
            )
            if i not in known
        ]
        vectors = load_vectors(session, ids, self.model)
        kept = [i for i in ids if i in vectors]
        matrix = np.stack([vectors[i] for i in kept]) if kept else np.zeros((0, DIM), np.float32)
        self.snapshot = (
            extend_snapshot(self.snapshot, kept, matrix) if known else build_snapshot(kept, matrix)
        )
        self.count = stored


def load_vectors(session: Session, ids: list[str], model: str) -> dict[str, Vectors]:
    """The unit vectors of these articles, read in batches."""
    found: dict[str, Vectors] = {}
    for start in range(0, len(ids), LOAD_BATCH):
        query = select(ArticleVector.article_id, ArticleVector.vector).where(
            ArticleVector.article_id.in_(ids[start : start + LOAD_BATCH]), ArticleVector.model == model
        )
        for article_id, blob in session.execute(query):
            vector = np.frombuffer(blob, dtype=np.float32)
            norm = float(np.linalg.norm(vector))
            if norm > 0 and vector.shape[0] == DIM:
                found[article_id] = vector / norm
    return found


@cache
def vector_index(url: str, model: str = DEFAULT_MODEL) -> VectorIndex:
    """The process's index of one store's vectors."""
    return VectorIndex(model)
