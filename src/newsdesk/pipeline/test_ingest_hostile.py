"""The bad-input catalogue at the ingestion level: each hostile source ends with a readable error on its row
(or the salvageable entries), in bounded time, and the good source next to it is ingested as usual."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.pipeline.ingest import PollLimits, poll_source
from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.models import Source
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.testing.scripted_server import ScriptedServer, drip, make_gzip_bomb, redirect, reply, stream

ITEM = (
    "<item><title>Ferry back in service {n}</title><link>{base}/news/{n}</link><guid>g{n}</guid>"
    "<description><![CDATA[<p>{text}</p>]]></description></item>"
)
TEXT = " ".join(["The harbour ferry returned to service after a long winter of repairs and tests."] * 5)


def rss(base: str, count: int = 2, extra: str = "") -> bytes:
    items = "".join(ITEM.format(n=n, base=base, text=TEXT) for n in range(count))
    channel = f"<channel><title>T</title>{items}</channel>"
    return f"<?xml version='1.0'?>{extra}<rss version='2.0'>{channel}</rss>".encode()


RSS_HEADERS = [("Content-Type", "application/rss+xml")]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer("127.0.0.1")
    yield srv
    srv.stop()


@pytest.fixture
def fetcher(tmp_path: object) -> Iterator[Fetcher]:
    settings = Settings(
        allow_private_hosts="127.0.0.1",
        per_host_delay=0,
        fetch_total_timeout=2,
        fetch_read_timeout=2,
        max_feed_bytes=1_000_000,
    )
    the_fetcher = make_fetcher(settings)
    the_fetcher.policy = type(the_fetcher.policy)(**{**the_fetcher.policy.__dict__, "retries": 0})
    yield the_fetcher
    the_fetcher.close()


def hostile_routes(server: ScriptedServer) -> dict[str, str]:
    """path -> what the recorded error must say ('' when the source must succeed)."""
    base = server.url("")
    bomb = make_gzip_bomb(1 << 28)
    routes = {
        "/malformed": (reply(200, RSS_HEADERS, rss(base)[:-30] + b"<item><title>&bad</item"), ""),
        "/html": (
            reply(200, [("Content-Type", "text/html")], b"<!doctype html><html><body>Login</body></html>"),
            "HTML",
        ),
        "/empty": (reply(200, RSS_HEADERS, b""), "empty"),
        "/huge": (reply(200, RSS_HEADERS, b"<rss>" + b" " * 2_000_000), "too large"),
        "/bomb": (stream([*RSS_HEADERS, ("Content-Encoding", "gzip")], bomb.chunks), "too large"),
        "/slow": (drip(rss(base), 1.0, RSS_HEADERS), "timeout"),
        "/loop": (redirect(302, "/loop2"), "too many redirects"),
        "/loop2": (redirect(302, "/loop"), "too many redirects"),
        "/metadata": (redirect(302, "http://169.254.169.254/latest/meta-data/"), "non-public address"),
        "/laughs": (
            reply(
                200,
                RSS_HEADERS,
                rss(
                    base,
                    1,
                    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
                    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
                ).replace(b"<title>T", b"<title>&d;"),
            ),
            "",
        ),
        "/xxe": (reply(200, RSS_HEADERS, rss(base, 1, '<!DOCTYPE r SYSTEM "file:///etc/passwd">')), ""),
        "/ratelimited": (reply(429, [("Retry-After", "7200")], b""), "HTTP 429"),
        "/good": (reply(200, RSS_HEADERS, rss(base, 3)), ""),
    }
    for n in range(3):
        article = f"<h1>Ferry back in service {n}</h1><p>{TEXT}</p><p>{TEXT}</p>"
        page = f"<html><body><article>{article}</article></body></html>"
        routes[f"/news/{n}"] = (reply(200, [("Content-Type", "text/html")], page.encode()), "")
    for path, (handler, _) in routes.items():
        server.route(path, handler)
    return {
        path: expected for path, (_, expected) in routes.items() if not path.startswith(("/news/", "/loop2"))
    }


def test_every_hostile_source_is_recorded_and_the_good_one_ingested(
    sqlite_store: Store, fetcher: Fetcher, server: ScriptedServer
) -> None:
    expected = hostile_routes(server)
    ids = {}
    with transaction(sqlite_store.sessions) as session:
        for path in expected:
            ids[path] = add_source(session, SourceSpec(feed_url=server.url(path), name=path))[0].id
    started = time.monotonic()
    reports = {path: poll_source(sqlite_store, fetcher, ids[path], PollLimits(60, 3600)) for path in expected}
    assert time.monotonic() - started < 30
    with sqlite_store.session() as session:
        for path, message in expected.items():
            source = session.get(Source, ids[path])
            assert source is not None and source.lease_until is None
            if message:
                assert reports[path].status == "failed", path
                assert message in (source.last_error or ""), (path, source.last_error)
                assert source.error_count == 1 and source.next_poll_at is not None
            else:
                assert reports[path].status == "ok", (path, reports[path].error)
    good = reports["/good"]
    assert good.new + good.unchanged == 3 and good.dropped == 0  # earlier feeds shared two links
    assert reports["/malformed"].new >= 1 and "malformed" in (reports["/malformed"].warnings[0])
    with sqlite_store.session() as session:
        limited = session.get(Source, ids["/ratelimited"])
        assert limited is not None and limited.next_poll_at is not None and limited.last_polled_at is not None
        assert (limited.next_poll_at - limited.last_polled_at).total_seconds() >= 7000
