"""The huey tasks, run by a real consumer on the SQLite queue and on the real Redis."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from newsdesk.conftest import REDIS_URL, skip_or_fail
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
def test_redis_queue_runs_the_same_tasks(settings: Settings, publishers: PublisherNetwork) -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis not reachable at {REDIS_URL}: {exc}")
    redis_settings = settings.model_copy(update={"redis_url": REDIS_URL})
    from pydantic import SecretStr

    redis_settings = settings.model_copy(update={"redis_url": SecretStr(REDIS_URL)})
    store = open_store(redis_settings.database_url)
    subscribe_all(store, publishers)
    from newsdesk.demo.corpus import load_corpus

    expected = len(load_corpus().articles)
    assert run_until(store, redis_settings, expected) == expected
    assert "Redis" in type(make_huey(redis_settings)).__name__


def test_a_skipped_processing_run_is_not_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from huey import MemoryHuey

    from newsdesk.jobs.tasks import BusyLockIsExpected, register_tasks

    register_tasks(MemoryHuey(), Settings())
    register_tasks(MemoryHuey(), Settings())
    huey_log = logging.getLogger("huey")
    assert sum(isinstance(f, BusyLockIsExpected) for f in huey_log.filters) == 1
    with caplog.at_level(logging.WARNING, logger="huey"):
        huey_log.warning("Task %s not run, unable to acquire lock %s.", "abc", "process-pending")
        huey_log.warning("Task %s not run, unable to acquire lock %s.", "abc", "something-else")
    assert [r.getMessage() for r in caplog.records] == [
        "Task abc not run, unable to acquire lock something-else."
    ]
