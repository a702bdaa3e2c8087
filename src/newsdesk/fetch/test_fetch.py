"""The one HTTP client on a real loopback server: conditional GET, deadlines, retries, broken bodies."""

from __future__ import annotations

import email.utils
import gzip
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.fetch import parse_retry_after
from newsdesk.fetch.client import MAX_RETRY_AFTER
from newsdesk.testing.scripted_server import (
    RSS,
    MakeFetcher,
    ScriptedServer,
    drip,
    drip_head,
    fetch_error,
    reply,
    reset_mid_body,
    sequence,
    silence,
)

# -- plain and conditional GET -------------------------------------------------------------------


def test_plain_get_returns_body_type_and_validators(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    url = server.route(
        "/feed",
        reply(
            200,
            [
                ("Content-Type", "application/rss+xml"),
                ("ETag", '"v1"'),
                ("Last-Modified", "Mon, 02 Jan 2023 10:00:00 GMT"),
            ],
            RSS,
        ),
    )
    result = make_fetcher().fetch(url, kind="feed")
    assert result.status == 200
    assert result.content == RSS
    assert result.content_type == "application/rss+xml"
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 02 Jan 2023 10:00:00 GMT"
    assert not result.not_modified and result.permanent_redirect is None
    sent = server.requests[0].headers
    assert sent["user-agent"].startswith("newsdesk/")
    assert "application/rss+xml" in sent["accept"]
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_conditional_get_sends_validators_and_304_is_not_modified(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    url = server.route("/feed", reply(304, [("ETag", '"v1"')]))
    result = make_fetcher().fetch(
        url, kind="feed", etag='"v1"', last_modified="Mon, 02 Jan 2023 10:00:00 GMT"
    )
    assert result.not_modified
    assert result.status == 304
    assert result.content == b""
    assert result.etag == '"v1"'
    sent = server.requests[0].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 02 Jan 2023 10:00:00 GMT"


def test_304_without_validators_does_not_crash(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/feed", reply(304))
    result = make_fetcher().fetch(url, kind="feed")
    assert result.not_modified
    assert result.content == b""
    assert result.etag is None and result.last_modified is None


@pytest.mark.parametrize("etag", ['"caf\u00e9"', '"a\r\nX-Injected: 1"', '"a\x00b"'])
def test_unsafe_stored_validators_are_not_sent(
    server: ScriptedServer, make_fetcher: MakeFetcher, etag: str
) -> None:
    # ETags come from servers and are stored; one that is not plain header text must not crash the next poll.
    url = server.route("/feed", reply(200, body=RSS))
    result = make_fetcher().fetch(url, kind="feed", etag=etag, last_modified="Mon, 02 Jan 2023 10:00:00 GMT")
    assert result.content == RSS
    sent = server.requests[0].headers
    assert "if-none-match" not in sent
    assert "x-injected" not in sent
    assert sent["if-modified-since"] == "Mon, 02 Jan 2023 10:00:00 GMT"


# -- deadlines -----------------------------------------------------------------------------------


def test_body_dripping_one_byte_a_second_hits_the_total_deadline(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    url = server.route("/slow", drip(RSS, 1.0))
    fetcher = make_fetcher(total_timeout=2.0, read_timeout=20.0)
    started = time.monotonic()
    error = fetch_error(fetcher, url, kind="feed")
    assert error.kind == "timeout"
    assert time.monotonic() - started < 3.0


def test_headers_dripping_hit_the_total_deadline(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/slow", drip_head(0.2))  # each read succeeds well within the read timeout
    fetcher = make_fetcher(total_timeout=2.0, read_timeout=20.0)
    started = time.monotonic()
    error = fetch_error(fetcher, url)
    assert error.kind == "timeout"
    assert time.monotonic() - started < 3.0


def test_server_that_never_answers_times_out(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/silent", silence())
    fetcher = make_fetcher(total_timeout=2.0, read_timeout=20.0)
    started = time.monotonic()
    error = fetch_error(fetcher, url)
    assert error.kind == "timeout"
    assert 1.5 < time.monotonic() - started < 3.0
    assert server.hits("/silent") == 1


def test_read_timeout_still_applies_below_the_total(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    url = server.route("/silent", silence())
    started = time.monotonic()
    assert fetch_error(make_fetcher(total_timeout=10.0, read_timeout=0.5), url).kind == "timeout"
    assert time.monotonic() - started < 2


# -- status codes and retries --------------------------------------------------------------------


def _http_date(delta: timedelta) -> str:
    return email.utils.format_datetime(datetime.now(UTC) + delta, usegmt=True)


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        ("120", 120, 120),
        ("0", 0, 0),
        ("  30 ", 30, 30),
        ("99999999999999999999", MAX_RETRY_AFTER, MAX_RETRY_AFTER),
        ("315360000", MAX_RETRY_AFTER, MAX_RETRY_AFTER),  # ten years
        (timedelta(seconds=90), 85, 91),  # an HTTP date, made when the test runs
        (timedelta(days=3650), MAX_RETRY_AFTER, MAX_RETRY_AFTER),
        (timedelta(days=-1), 0, 0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0, 0),
    ],
)
def test_parse_retry_after_seconds_and_dates_clamped(value: str | timedelta, low: float, high: float) -> None:
    seconds = parse_retry_after(_http_date(value) if isinstance(value, timedelta) else value)
    assert seconds is not None
    assert low <= seconds <= high


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "soon",
        "-5",
        "1.5",
        "\u00b2",
        "\u0663\u0660",
        "Mon, 99 Foo 2020",
        "Fri, 31 Dec 99999 23:59:59 GMT",
    ],
)
def test_parse_retry_after_garbage_is_none(value: str | None) -> None:
    assert parse_retry_after(value) is None


def test_429_reports_retry_after(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/feed", reply(429, [("Retry-After", "3600")]))
    error = fetch_error(make_fetcher(retries=2), url)
    assert (error.kind, error.status, error.retry_after) == ("http", 429, 3600)
    assert server.hits("/feed") == 1  # an hour is longer than the total budget: no retry now


def test_429_with_short_retry_after_is_retried(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/feed", sequence(reply(429, [("Retry-After", "1")]), reply(200, body=RSS)))
    started = time.monotonic()
    assert make_fetcher(retries=1).fetch(url).content == RSS
    assert time.monotonic() - started >= 1.0  # waited as told
    assert server.hits("/feed") == 2


def test_503_is_retried_then_raised(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/feed", reply(503, [("Retry-After", "0")]))
    error = fetch_error(make_fetcher(retries=2), url)
    assert (error.kind, error.status) == ("http", 503)
    assert server.hits("/feed") == 3


def test_503_then_success(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/feed", sequence(reply(503), reply(200, body=RSS)))
    assert make_fetcher(retries=2).fetch(url).content == RSS
    assert server.hits("/feed") == 2


@pytest.mark.parametrize("status", [404, 410])
def test_client_errors_are_http_and_not_retried(
    server: ScriptedServer, make_fetcher: MakeFetcher, status: int
) -> None:
    url = server.route("/feed", reply(status, body=b"gone"))
    error = fetch_error(make_fetcher(retries=2), url)
    assert (error.kind, error.status) == ("http", status)
    assert server.hits("/feed") == 1


# -- broken bodies -------------------------------------------------------------------------------


def test_connection_reset_mid_body_is_a_network_error(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    url = server.route("/feed", reset_mid_body(len(RSS), RSS[:20]))
    error = fetch_error(make_fetcher(), url, kind="feed")
    assert error.kind == "network"


def test_connection_reset_mid_gzip_body_is_an_error(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    body = gzip.compress(RSS * 100)
    url = server.route(
        "/feed", reset_mid_body(len(body), body[: len(body) // 2], [("Content-Encoding", "gzip")])
    )
    assert fetch_error(make_fetcher(), url, kind="feed").kind in ("network", "encoding")


def test_short_body_is_never_returned_as_success(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    # The server promises more than it sends and closes cleanly.
    url = server.route(
        "/feed", lambda conn: (conn.send_head(200, [("Content-Length", "5000")]), conn.send(RSS))
    )
    assert fetch_error(make_fetcher(), url, kind="feed").kind == "network"


def test_truncated_chunked_body_is_an_error(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    def handle(conn: object) -> None:
        conn.send_head(200, [("Transfer-Encoding", "chunked")])  # type: ignore[attr-defined]
        conn.send(b"10\r\n0123456789abcdef\r\n20\r\nonly-part")  # type: ignore[attr-defined]

    url = server.route("/feed", handle)
    assert fetch_error(make_fetcher(), url, kind="feed").kind == "network"


def test_huge_response_header_is_refused(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/feed", reply(200, [("X-Big", "a" * 1_000_000)], RSS))
    started = time.monotonic()
    assert fetch_error(make_fetcher(), url).kind == "network"
    assert time.monotonic() - started < 3


def test_connection_refused_is_a_network_error(make_fetcher: MakeFetcher) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        assert fetch_error(make_fetcher(), f"http://127.0.0.1:{port}/").kind == "network"


# -- politeness ----------------------------------------------------------------------------------


def test_per_host_delay_spaces_requests(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/feed", reply(200, body=RSS))
    fetcher = make_fetcher(per_host_delay=0.4)
    started = time.monotonic()
    for _ in range(3):
        fetcher.fetch(url)
    assert time.monotonic() - started >= 0.8
