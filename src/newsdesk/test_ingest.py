"""Ingestion from the demo publishers into a store: counts, idempotence, recorded failures."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from newsdesk.demo.corpus import load_corpus
from newsdesk.demo.publisher import PublisherNetwork
from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.ingest import PollLimits, clean_link, plan_interval, poll_source
from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.models import Article, Source
from newsdesk.store.sources import SourceSpec, add_source


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    the_fetcher = make_fetcher(settings)
    yield the_fetcher
    the_fetcher.close()


def subscribe(store: Store, url: str, name: str) -> int:
    with transaction(store.sessions) as session:
        source, _ = add_source(session, SourceSpec(feed_url=url, name=name))
        return source.id


def test_every_demo_feed_format_is_ingested_once(
    store: Store, fetcher: Fetcher, publishers: PublisherNetwork
) -> None:
    ids = [subscribe(store, site.feed_url, site.outlet.name) for site in publishers.sites]
    reports = [poll_source(store, fetcher, i) for i in ids]
    corpus = load_corpus()
    for site, report in zip(publishers.sites, reports, strict=True):
        assert report.status == "ok", report.error
        assert report.new == len(corpus.by_outlet(site.outlet.key))
        assert report.failed_entries == 0
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == len(corpus.articles)
    # polling again at once: the feeds answer 304 (ETag) and nothing is added
    with transaction(store.sessions) as session:
        for source in session.scalars(select(Source)):
            source.lease_until = None
    again = [poll_source(store, fetcher, i) for i in ids]
    assert {r.status for r in again} == {"not_modified"}
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == len(corpus.articles)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_broken_source_is_recorded_and_others_go_on(
    sqlite_store: Store, fetcher: Fetcher, publishers: PublisherNetwork
) -> None:
    dead = subscribe(sqlite_store, f"http://127.0.0.1:{closed_port()}/rss.xml", "Dead Feed")
    html_page = subscribe(sqlite_store, publishers.sites[0].base_url + "/", "Not A Feed")
    good = subscribe(sqlite_store, publishers.sites[1].feed_url, "Good Feed")
    limits = PollLimits(interval_min=60, interval_max=3600)
    reports = {i: poll_source(sqlite_store, fetcher, i, limits) for i in (dead, html_page, good)}
    assert reports[dead].status == "failed" and "network error" in reports[dead].error
    assert reports[html_page].status == "failed" and "HTML" in reports[html_page].error
    assert reports[good].status == "ok" and reports[good].new > 10
    with sqlite_store.session() as session:
        failed = session.get(Source, dead)
        assert failed is not None
        assert failed.error_count == 1 and failed.last_error and failed.last_error_at and failed.failing_since
        assert failed.lease_until is None and failed.next_poll_at is not None
        ok = session.get(Source, good)
        assert ok is not None and ok.error_count == 0 and ok.last_success_at is not None


def test_clean_link_drops_tracking_and_non_http() -> None:
    assert clean_link("https://Example.org/a?utm_source=rss&id=4#top") == "https://example.org/a?id=4"
    assert clean_link("javascript:alert(1)") == ""
    assert clean_link("file:///etc/passwd") == ""


def test_poll_interval_follows_the_publishing_rate() -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 11, 25, tzinfo=UTC)
    busy = [now - timedelta(minutes=10 * i) for i in range(30)]
    quiet = [now - timedelta(days=i) for i in range(3)]
    assert plan_interval(busy, now, 300, 21600) == 300
    assert plan_interval(quiet, now, 300, 21600) == 21600
    assert plan_interval([], now, 300, 21600) == 21600
