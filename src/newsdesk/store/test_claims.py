"""Article claims for parallel enrichment, on SQLite and PostgreSQL: no article in two batches at once."""

from __future__ import annotations

import threading
from datetime import timedelta

from newsdesk.store import Store, transaction
from newsdesk.store.articles import save_article
from newsdesk.store.enrichment import (
    CLAIM_LEASE,
    claim_pending_articles,
    enrichment_in_flight,
    mark_processed,
    release_article_claims,
    renew_article_claims,
)
from newsdesk.store.models import Article, utcnow
from newsdesk.store.test_store import make_source, record


def stored(store: Store, count: int) -> list[str]:
    source_id = make_source(store)
    with transaction(store.sessions) as session:
        return [save_article(session, record(source_id, n))[0].id for n in range(count)]


def test_claims_never_overlap_and_go_oldest_first(store: Store) -> None:
    ids = stored(store, 10)
    first, second, third = (set(claim_pending_articles(store.engine, 4)) for _ in range(3))
    assert (first, second, third) == (set(ids[:4]), set(ids[4:8]), set(ids[8:]))
    assert claim_pending_articles(store.engine, 4) == []  # all held
    with store.session() as session:
        assert enrichment_in_flight(session)


def test_concurrent_claims_share_out_every_article_once(store: Store) -> None:
    ids = stored(store, 40)
    batches: list[list[str]] = []

    def claim_all() -> None:
        while batch := claim_pending_articles(store.engine, 3):
            batches.append(batch)

    threads = [threading.Thread(target=claim_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    claimed = [article_id for batch in batches for article_id in batch]
    assert sorted(claimed) == sorted(ids)  # every article once: none twice, none left out


def test_a_claim_nobody_renews_frees_itself_and_processing_ends_it(store: Store) -> None:
    ids = stored(store, 2)
    assert sorted(claim_pending_articles(store.engine, 2)) == sorted(ids)
    later = utcnow() + CLAIM_LEASE + timedelta(seconds=1)  # its worker was killed: no renewal came
    assert sorted(claim_pending_articles(store.engine, 2, now=later)) == sorted(ids)
    assert renew_article_claims(store.engine, ids)
    with transaction(store.sessions) as session:
        mark_processed(session, ids[0])
    release_article_claims(store.engine, ids[1:])  # enriching it failed: free for the next run at once
    with store.session() as session:
        first = session.get(Article, ids[0])
        assert first is not None and first.processing_until is None and first.processed_at is not None
        assert not enrichment_in_flight(session)
    assert claim_pending_articles(store.engine, 2) == ids[1:]
