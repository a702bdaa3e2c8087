"""Article claims for parallel enrichment, on SQLite and PostgreSQL: no article in two batches at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from newsdesk.conftest import empty_store
from newsdesk.store import Store, transaction
from newsdesk.store.articles import save_article
from newsdesk.store.enrichment import (
    CLAIM_LEASE,
    TagRecord,
    claim_pending_articles,
    enrichment_in_flight,
    mark_processed,
    release_article_claims,
    renew_article_claims,
    upsert_tags,
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


@pytest.mark.postgres
def test_two_workers_creating_one_tag_at_once_both_get_it(postgres_store: Store) -> None:
    # bench scale, two workers: both enriched a report naming Port Calder; the second insert of the tag hit
    # the unique slug, the task died and its batch waited for the next periodic run (minutes).
    store = empty_store(postgres_store)
    records = [TagRecord("portcalder", "Port Calder", "place"), TagRecord("harbour", "harbour")]
    first = store.sessions()
    first_ids = upsert_tags(first, records)  # stored, not committed yet: the other worker cannot see it
    second: dict[str, int] = {}
    other = threading.Thread(target=lambda: second.update(upsert_in_own_transaction(store, records)))
    other.start()
    other.join(0.5)
    assert other.is_alive()  # its insert waits for the first transaction ...
    first.commit()
    first.close()
    other.join(10)
    assert second == first_ids  # ... then takes the tags the first stored, instead of failing


def upsert_in_own_transaction(store: Store, records: list[TagRecord]) -> dict[str, int]:
    with transaction(store.sessions) as session:
        return upsert_tags(session, records)
