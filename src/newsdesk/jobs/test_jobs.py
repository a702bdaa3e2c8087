"""The huey tasks, run by a real consumer on the SQLite queue and on the real Redis."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from newsdesk.conftest import REDIS_URL
from newsdesk.demo.publisher import PublisherNetwork
from newsdesk.jobs.queue import make_consumer, make_huey
from newsdesk.jobs.tasks import register_tasks
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.models import Article
from newsdesk.store.sources import SourceSpec, add_source


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


def test_sqlite_queue_ingests_every_demo_article_once(
    settings: Settings, publishers: PublisherNetwork
) -> None:
    from newsdesk.demo.corpus import load_corpus

    store = open_store(settings.database_url)
    subscribe_all(store, publishers)
    expected = len(load_corpus().articles)
    assert run_until(store, settings, expected) == expected
    assert settings.resolved_queue_path().exists()


@pytest.mark.redis
def test_redis_queue_runs_the_same_tasks(redis_settings: Settings, publishers: PublisherNetwork) -> None:
    import redis

    from newsdesk.demo.corpus import load_corpus

    store = open_store(redis_settings.database_url)
    subscribe_all(store, publishers)
    expected = len(load_corpus().articles)
    assert run_until(store, redis_settings, expected) == expected
    assert "Redis" in type(make_huey(redis_settings)).__name__
    client = redis.Redis.from_url(REDIS_URL)
    assert client.exists(f"huey.results.{redis_settings.queue_name}") == 0  # it grew without bound
