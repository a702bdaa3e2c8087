"""The in-process vector index: sign bits pick candidates, int8 rows rank them like exact cosine."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from newsdesk.models import DEFAULT_MODEL, Vectors
from newsdesk.store import Store, transaction
from newsdesk.store.articles import save_article
from newsdesk.store.enrichment import save_vector
from newsdesk.store.test_store import make_source, record
from newsdesk.store.vectors import RESCORED, VectorIndex, build_snapshot, extend_snapshot, nearest


def unit_rows(count: int, seed: int) -> Vectors:
    rows = np.random.default_rng(seed).standard_normal((count, 512)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_nearest_agrees_with_exact_cosine_beyond_the_rescored_candidates() -> None:
    vectors = unit_rows(RESCORED * 5, 1)
    snapshot = build_snapshot([f"a{i}" for i in range(len(vectors))], vectors)
    for target in (3, 4321, 9999):
        noisy = vectors[target] + 0.05 * unit_rows(1, target)[0]
        query = noisy / np.linalg.norm(noisy)
        found = nearest(snapshot, query, 5)
        assert found[0][0] == f"a{target}"
        assert abs(found[0][1] - float(vectors[target] @ query)) < 0.02


def test_extending_keeps_the_old_vectors_and_finds_the_new() -> None:
    vectors = unit_rows(300, 2)
    snapshot = extend_snapshot(build_snapshot([], vectors[:0]), [f"a{i}" for i in range(200)], vectors[:200])
    snapshot = extend_snapshot(snapshot, [f"a{i}" for i in range(200, 300)], vectors[200:])
    assert snapshot.size == 300 and nearest(snapshot, vectors[250], 1)[0][0] == "a250"
    assert nearest(snapshot, vectors[250], 3, floor=0.9) == [
        ("a250", nearest(snapshot, vectors[250], 1)[0][1])
    ]


def test_the_index_reads_new_vectors_from_the_store(store: Store) -> None:
    source_id = make_source(store)
    vectors = unit_rows(3, 3)
    index = VectorIndex()
    with transaction(store.sessions) as session:
        ids = [save_article(session, record(source_id, n))[0].id for n in range(3)]
        for article_id, vector in zip(ids[:2], vectors[:2], strict=True):
            save_vector(session, article_id, DEFAULT_MODEL, vector.tobytes())
        save_vector(session, ids[2], "another-model", vectors[2].tobytes())
    with store.session() as session:
        assert index.current(session).ids == ids[:2]
        assert nearest(index.current(session), vectors[1], 1)[0][0] == ids[1]
    with transaction(store.sessions) as session:
        save_vector(session, ids[2], DEFAULT_MODEL, vectors[2].tobytes())
    index.checked = float("-inf")  # as if REFRESH_SECONDS had passed
    with store.session() as session:
        index.current(session)  # starts the check on a thread of its own: no request waits for it
        index.wait()
        assert sorted(index.current(session).ids) == sorted(ids)
        assert nearest(index.current(session), vectors[2], 1)[0][0] == ids[2]


def test_a_request_does_not_wait_for_the_check_of_the_store(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_id = make_source(store)
    vector = unit_rows(1, 3)[0]
    with transaction(store.sessions) as session:
        article_id = save_article(session, record(source_id, 0))[0].id
        save_vector(session, article_id, DEFAULT_MODEL, vector.tobytes())
    index = VectorIndex()
    with store.session() as session:
        assert index.current(session).ids == [article_id]  # the first load is waited for
    checking = threading.Event()

    def slow_refresh(session: object) -> None:
        checking.wait(10)

    monkeypatch.setattr(index, "refresh", slow_refresh)
    index.checked = float("-inf")
    with store.session() as session:
        started = time.monotonic()
        assert index.current(session).ids == [article_id]
        assert time.monotonic() - started < 1.0
        assert index.current(session).ids == [article_id]  # one check at a time, none started again
    checking.set()
    index.wait()
