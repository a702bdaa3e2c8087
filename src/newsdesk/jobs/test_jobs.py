"""The huey tasks, run by a real consumer on the SQLite queue and on the real Redis."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from huey import Huey
from sqlalchemy import func, select

from newsdesk.demo.publisher import PublisherNetwork
from newsdesk.jobs.queue import make_consumer, make_huey
from newsdesk.jobs.tasks import register_tasks
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.models import Article, Source
from newsdesk.store.sources import SourceSpec, add_source, due_source_ids
from newsdesk.testing.services import REDIS_URL


def subscribe_all(store: Store, publishers: PublisherNetwork) -> None:
    with transaction(store.sessions) as session:
        for site in publishers.sites:
            add_source(session, SourceSpec(feed_url=site.feed_url, name=site.outlet.name))


def count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def run_until(store: Store, settings: Settings, expected: int, timeout: float = 60) -> int:
    huey = make_huey(settings)
    tasks = register_tasks(huey, settings)
    consumer = make_consumer(huey, 2, embedded=True)
    consumer.start()
    try:
        tasks.enqueue_due_sources()
        tasks.enqueue_due_sources()  # a second enqueue must not duplicate anything
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and count(store) < expected:
            time.sleep(0.2)
        assert huey.storage.result_store_size() == 0  # no task result kept: nothing reads them
    finally:
        consumer.stop(graceful=True)
        huey.flush()
    return count(store)


@pytest.fixture
def polls_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The queue's tasks without the enrichment they trigger (loading the models is tested elsewhere)."""
    from newsdesk.pipeline.understand import ProcessReport

    monkeypatch.setattr("newsdesk.jobs.tasks.enrich_pending", lambda *a, **k: ProcessReport())
    monkeypatch.setattr("newsdesk.jobs.tasks.assign_and_summarise", lambda *a, **k: set())


def test_sqlite_queue_ingests_every_demo_article_once(
    settings: Settings, publishers: PublisherNetwork, polls_only: None
) -> None:
    from newsdesk.demo.corpus import load_corpus

    store = open_store(settings.database_url)
    subscribe_all(store, publishers)
    expected = len(load_corpus().articles)
    assert run_until(store, settings, expected) == expected
    assert settings.resolved_queue_path().exists()


@pytest.mark.redis
def test_redis_queue_runs_the_same_tasks(
    redis_settings: Settings, publishers: PublisherNetwork, polls_only: None
) -> None:
    import redis

    from newsdesk.demo.corpus import load_corpus

    store = open_store(redis_settings.database_url)
    subscribe_all(store, publishers)
    expected = len(load_corpus().articles)
    assert run_until(store, redis_settings, expected) == expected
    assert "Redis" in type(make_huey(redis_settings)).__name__
    client = redis.Redis.from_url(REDIS_URL)
    assert client.exists(f"huey.results.{redis_settings.queue_name}") == 0  # it grew without bound


def feed_hits(publishers: PublisherNetwork) -> dict[str, int]:
    return {site.feed_url: site.hits[urlsplit(site.feed_url).path] for site in publishers.sites}


def test_three_consumers_poll_each_feed_once_a_round(
    settings: Settings, publishers: PublisherNetwork, polls_only: None
) -> None:
    store = open_store(settings.database_url)
    subscribe_all(store, publishers)
    with store.session() as session:
        due = due_source_ids(session)  # what each consumer's periodic task finds at the top of the minute
    assert len(due) == len(publishers.sites)
    before = feed_hits(publishers)
    hueys = [make_huey(settings) for _ in range(3)]
    rounds = [register_tasks(huey, settings) for huey in hueys]
    consumers = [make_consumer(huey, 2, embedded=True) for huey in hueys]
    for consumer in consumers:
        consumer.start()
    try:
        for tasks in rounds:  # the three rounds reach the queue one after another (a consumer can be late)
            for source_id in due:
                tasks.poll_source(source_id)
            wait_until_polled(store, hueys[0])
        time.sleep(1)  # a task taken from the queue just now would still poll
    finally:
        for consumer in consumers:
            consumer.stop(graceful=True)
        hueys[0].flush()
    after = feed_hits(publishers)
    assert {url: after[url] - before[url] for url in after} == dict.fromkeys(after, 1)


def wait_until_polled(store: Store, huey: Huey, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (huey.pending_count() == 0 and all_polled(store)):
        time.sleep(0.2)
    time.sleep(0.5)


def all_polled(store: Store) -> bool:
    with store.session() as session:
        sources = list(session.scalars(select(Source)))
    return all(s.last_polled_at is not None and s.lease_until is None for s in sources)
