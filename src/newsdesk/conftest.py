"""Shared fixtures: stores on SQLite and on the real PostgreSQL, the demo publishers, settings."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from newsdesk.demo.corpus import Corpus
from newsdesk.demo.publisher import PublisherNetwork, start_publishers
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.testing.services import POSTGRES_URL, REDIS_URL, skip_or_fail

POSTGRES_ADMIN_URL = POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    from sqlalchemy import create_engine

    name = f"newsdesk_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any connection problem means the service is not there
        admin.dispose()
        skip_or_fail(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc.__class__.__name__}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_store(postgres_url: str) -> Iterator[Store]:
    store = open_store(postgres_url)
    yield store
    store.close()


def empty_store(store: Store) -> Store:
    """Delete every row but the seeded categories."""
    with store.engine.begin() as connection:
        for table in (
            "article_states",
            "reading_horizons",
            "app_passwords",
            "comments",
            "bookmarks",
            "follows",
            "article_tags",
            "image_files",
            "article_images",
            "articles",
            "tags",
            "stories",
            "users",
            "push_subscriptions",
            "sources",
        ):
            connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text("UPDATE story_sequence SET value = 0"))
    return store


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same tests on an embedded SQLite file and on the real PostgreSQL."""
    if request.param == "sqlite":
        sqlite_store = open_store(f"sqlite:///{tmp_path / 'test.db'}")
        yield sqlite_store
        sqlite_store.close()
    else:
        yield empty_store(request.getfixturevalue("postgres_store"))


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    sqlite_store = open_store(f"sqlite:///{tmp_path / 'test.db'}")
    yield sqlite_store
    sqlite_store.close()


@pytest.fixture(scope="session")
def publishers() -> Iterator[PublisherNetwork]:
    """The demo's five sample outlets, each on its own loopback port."""
    network = start_publishers("127.0.0.1")
    yield network
    network.stop()


@pytest.fixture(scope="session")
def demo_site_store(
    tmp_path_factory: pytest.TempPathFactory, publishers: PublisherNetwork
) -> Iterator[Store]:
    """The demo publishers' articles as the demo site shows them: polled, enriched, grouped in stories."""
    from newsdesk.demo.run import register_sources
    from newsdesk.fetch import make_fetcher
    from newsdesk.pipeline.ingest import poll_source
    from newsdesk.pipeline.understand import process_pending
    from newsdesk.store.sources import list_sources

    folder = tmp_path_factory.mktemp("demo-site")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'site.db'}", allow_private_hosts="127.0.0.1", per_host_delay=0
    )
    store = open_store(settings.database_url)
    register_sources(store, publishers)
    fetcher = make_fetcher(settings)
    with store.session() as session:
        source_ids = [source.id for source in list_sources(session)]
    for source_id in source_ids:
        poll_source(store, fetcher, source_id)
    fetcher.close()
    process_pending(store)
    yield store
    store.close()


def copy_store(store: Store, path: Path) -> Store:
    """A copy of an SQLite store in a file of its own (SQLite's backup: consistent under WAL)."""
    import sqlite3

    source = sqlite3.connect(str(store.engine.url.database))
    target = sqlite3.connect(str(path))
    with target:
        source.backup(target)
    source.close()
    target.close()
    return open_store(f"sqlite:///{path}")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'newsdesk.db'}",
        queue_path=str(tmp_path / "queue.db"),
        allow_private_hosts="127.0.0.1,localhost",
        per_host_delay=0.0,
        fetch_total_timeout=10,
    )


@pytest.fixture
def redis_settings(settings: Settings) -> Settings:
    """The settings with the real Redis as job queue, under a queue name of this test's own."""
    import redis
    from pydantic import SecretStr

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis not reachable at {REDIS_URL}: {exc}")
    name = f"newsdesk-test-{uuid.uuid4().hex[:10]}"
    return settings.model_copy(update={"redis_url": SecretStr(REDIS_URL), "queue_name": name})


@pytest.fixture(scope="session")
def search_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Corpus]]:
    """The demo corpus as a search store: its articles, a story per event, stored USE vectors."""
    from newsdesk.bench.search import demo_store

    store, corpus = demo_store(tmp_path_factory.mktemp("search"))
    yield store, corpus
    store.close()
