"""Ingestion from the demo publishers into a store: counts, idempotence, recorded failures."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from newsdesk.demo.corpus import load_corpus
from newsdesk.demo.publisher import PublisherNetwork
from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.pipeline.ingest import PollLimits, clean_link, poll_source
from newsdesk.settings import Settings
from newsdesk.sources.schedule import plan_interval
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
        assert report.dropped == 0
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == len(corpus.articles)
    # polling again at once: the feeds answer 304 (ETag) and nothing is added
    with transaction(store.sessions) as session:
        for source in session.scalars(select(Source)):
            source.lease_until = None
    again = [poll_source(store, fetcher, i, force=True) for i in ids]
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


class MutableSite:
    """A tiny publisher whose feed and page the test can change between polls."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        site = self
        self.feed = b""
        self.pages: dict[str, bytes] = {}
        self.page_hits = 0
        self.feed_delay = 0.0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.feed if self.path == "/feed.xml" else site.pages.get(self.path, b"")
                if self.path == "/feed.xml":
                    time.sleep(site.feed_delay)
                if self.path not in ("/feed.xml", "/robots.txt"):
                    site.page_hits += 1
                self.send_response(200 if body else 404)
                self.send_header(
                    "Content-Type", "application/rss+xml" if self.path == "/feed.xml" else "text/html"
                )
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        import threading

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def set_feed(self, items: list[tuple[str, str, str]]) -> None:
        parts = [
            f"<item><guid>{guid}</guid><link>{self.base}{path}</link><title>{title}</title></item>"
            for guid, path, title in items
        ]
        self.feed = (
            "<rss version='2.0'><channel><title>T</title>" + "".join(parts) + "</channel></rss>"
        ).encode()

    def set_page(self, path: str, title: str, text: str) -> None:
        paragraphs = "".join(
            f"<p>{text} Sentence number {i} adds a little more to read here.</p>" for i in range(6)
        )
        self.pages[path] = (
            f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()
        )


def test_seen_entries_are_skipped_and_changed_ones_revised(sqlite_store: Store, fetcher: Fetcher) -> None:
    site = MutableSite()
    site.set_page("/a", "Ferry returns", "The harbour ferry returned to service on Monday after repairs.")
    site.set_page("/b", "Library opens", "The new library opened its doors to readers in the old mill.")
    site.set_feed(
        [("g-a", "/a", "Ferry returns"), ("g-b", "/b", "Library opens"), ("g-a", "/a", "Ferry returns")]
    )
    source_id = subscribe(sqlite_store, site.base + "/feed.xml", "Mutable")

    def poll() -> object:
        with transaction(sqlite_store.sessions) as session:
            source = session.get(Source, source_id)
            assert source is not None
            source.lease_until = None
        return poll_source(sqlite_store, fetcher, source_id, force=True)

    first = poll()
    assert (first.new, first.dropped, site.page_hits) == (2, 0, 2)  # type: ignore[attr-defined]
    second = poll()
    assert (second.new, second.updated, site.page_hits) == (0, 0, 2)  # type: ignore[attr-defined]
    site.set_page("/a", "Ferry returns", "The harbour ferry returned on Monday; the first crossing was full.")
    site.set_feed([("g-a", "/a", "Ferry returns, first crossing full"), ("g-b", "/b", "Library opens")])
    third = poll()
    assert (third.new, third.updated, site.page_hits) == (0, 1, 3)  # type: ignore[attr-defined]
    with sqlite_store.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2
    site.server.shutdown()


def test_a_long_poll_keeps_its_source_leased(
    sqlite_store: Store, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from newsdesk.store import sources

    monkeypatch.setattr(sources, "LEASE", timedelta(seconds=1.5))  # renewed every 0.5 s while polling
    site = MutableSite()
    site.set_page("/a", "Ferry returns", "The harbour ferry returned to service on Monday after repairs.")
    site.set_feed([("g-a", "/a", "Ferry returns")])
    site.feed_delay = 3.0
    source_id = subscribe(sqlite_store, site.base + "/feed.xml", "Slow")
    poll = threading.Thread(target=poll_source, args=(sqlite_store, fetcher, source_id))
    poll.start()
    time.sleep(2.5)  # past the first lease: only its renewal keeps another worker out
    with sqlite_store.engine.begin() as connection:
        taken = sources.claim_source(connection, source_id, force=True)
    poll.join()
    site.server.shutdown()
    assert taken is None
    with sqlite_store.session() as session:
        source = session.get(Source, source_id)
        assert source is not None and source.lease_until is None and source.last_success_at is not None
