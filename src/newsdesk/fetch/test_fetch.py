"""The fetch stage against a real HTTP server on 127.0.0.1: nothing mocked, nothing leaves the machine."""

from __future__ import annotations

import email.utils
import gzip
import ipaddress
import resource
import socket
import time
import tracemalloc
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpcore
import pytest

from newsdesk.fetch import Fetcher, FetchError, parse_retry_after
from newsdesk.fetch.client import MAX_RETRY_AFTER, check_redirect
from newsdesk.fetch.conftest import (
    GzipBomb,
    ScriptedServer,
    drip,
    drip_head,
    make_gzip_bomb,
    redirect,
    reply,
    reset_mid_body,
    sequence,
    silence,
    stream,
)
from newsdesk.fetch.guard import (
    BlockedAddressError,
    GuardedBackend,
    is_allowed_address,
    is_public_address,
    normalise_address,
)

MakeFetcher = Callable[..., Fetcher]
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def fetch_error(fetcher: Fetcher, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]
    return caught.value


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


# -- content encodings and size caps -------------------------------------------------------------


def _deflate(data: bytes, wbits: int) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(RSS)),
        ("x-gzip", gzip.compress(RSS)),
        ("gzip", gzip.compress(RSS[:30]) + gzip.compress(RSS[30:])),  # two gzip members
        ("deflate", _deflate(RSS, 15)),  # zlib-wrapped, as the RFC says
        ("deflate", _deflate(RSS, -15)),  # raw deflate, as some servers send
        ("identity", RSS),
    ],
    ids=["gzip", "x-gzip", "gzip-members", "deflate-zlib", "deflate-raw", "identity"],
)
def test_compressed_bodies_are_decoded(
    server: ScriptedServer, make_fetcher: MakeFetcher, encoding: str, body: bytes
) -> None:
    url = server.route("/feed", reply(200, [("Content-Encoding", encoding)], body))
    assert make_fetcher().fetch(url, kind="feed").content == RSS
    assert "gzip" in server.requests[0].headers["accept-encoding"]


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_empty_compressed_body_is_empty(
    server: ScriptedServer, make_fetcher: MakeFetcher, encoding: str
) -> None:
    url = server.route("/empty", reply(200, [("Content-Encoding", encoding)], b""))
    assert make_fetcher().fetch(url).content == b""


def test_gzip_bomb_fixture_is_a_real_bomb(gzip_bomb: GzipBomb) -> None:
    assert gzip_bomb.size < 2_000_000
    assert gzip_bomb.decoded_size == 1 << 30
    sample = gzip_bomb.head + gzip_bomb.block * 3
    decoded = zlib.decompressobj(47).decompress(sample, 5_000_000)
    assert len(decoded) == 4 << 20 and decoded.count(0) == len(decoded)
    small = make_gzip_bomb(4 << 20)
    assert gzip.decompress(b"".join(small.chunks())) == bytes(4 << 20)  # head, blocks, tail: valid gzip


def test_gzip_bomb_is_cut_at_the_cap_fast_with_bounded_memory(
    server: ScriptedServer, make_fetcher: MakeFetcher, gzip_bomb: GzipBomb
) -> None:
    url = server.route(
        "/bomb",
        stream(
            [("Content-Encoding", "gzip"), ("Content-Length", str(gzip_bomb.size)), ("Connection", "close")],
            gzip_bomb.chunks,
        ),
    )
    fetcher = make_fetcher(max_feed_bytes=10_000_000)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    tracemalloc.start()
    started = time.monotonic()
    try:
        error = fetch_error(fetcher, url, kind="feed")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert error.kind == "too_large"
    assert "10,000,000" in str(error)
    assert elapsed < 5
    assert peak < 100_000_000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 100_000


def test_redirect_body_is_not_decoded(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    # A redirect's body is never wanted: a bomb in it must not be decompressed (urllib3 CVE-2026-21441).
    bomb = make_gzip_bomb(256 << 20)
    server.route("/final", reply(200, body=RSS))
    url = server.route(
        "/bomb",
        stream(
            [
                ("Location", "/final"),
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(bomb.size)),
                ("Connection", "close"),
            ],
            bomb.chunks,
            status=302,
        ),
    )
    tracemalloc.start()
    try:
        result = make_fetcher(max_feed_bytes=10_000_000).fetch(url, kind="feed")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.content == RSS
    assert peak < 50_000_000


def test_plain_body_over_the_cap_is_too_large(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    big = b"x" * 200_001
    with_length = server.route("/sized", reply(200, body=big))
    without_length = server.route("/unsized", reply(200, body=big, length=False))  # ends at close
    fetcher = make_fetcher(max_feed_bytes=200_000, max_page_bytes=1_000)
    for url in (with_length, without_length):
        error = fetch_error(fetcher, url, kind="feed")
        assert error.kind == "too_large", url
    assert fetch_error(fetcher, with_length, kind="page").kind == "too_large"  # the page cap applies to pages
    exactly = server.route("/exact", reply(200, body=big[:200_000]))
    assert len(fetcher.fetch(exactly, kind="feed").content) == 200_000


def test_chained_content_encodings_are_refused(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route(
        "/feed", reply(200, [("Content-Encoding", "gzip, gzip")], gzip.compress(gzip.compress(RSS)))
    )
    many = server.route("/many", reply(200, [("Content-Encoding", ", ".join(["gzip"] * 100))], b"x"))
    fetcher = make_fetcher()
    assert fetch_error(fetcher, url).kind == "encoding"
    assert fetch_error(fetcher, many).kind == "encoding"


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", b"\x1f\x8b\x08\x00garbage-not-gzip" * 10),
        ("gzip", gzip.compress(RSS * 50)[:-40]),  # truncated: the body ends mid-stream
        ("deflate", b"\x00\x01\x02\x03 not deflate at all" * 3),
        ("br", b"\x0b\x02\x80hello"),  # never asked for
    ],
    ids=["corrupt-gzip", "truncated-gzip", "corrupt-deflate", "unsupported-br"],
)
def test_bad_encodings_are_encoding_errors(
    server: ScriptedServer, make_fetcher: MakeFetcher, encoding: str, body: bytes
) -> None:
    url = server.route("/feed", reply(200, [("Content-Encoding", encoding)], body))
    error = fetch_error(make_fetcher(), url, kind="feed")
    assert error.kind == "encoding"


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


# -- redirects -----------------------------------------------------------------------------------


def test_redirect_loop_stops_at_the_cap(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/a", redirect(302, "/b"))
    server.route("/b", redirect(302, "/a"))
    error = fetch_error(make_fetcher(max_redirects=5), url)
    assert error.kind == "redirects"
    assert len(server.requests) == 6  # the first request and five redirects, no more


def test_long_chain_within_the_cap_is_followed(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    for hop in range(5):
        server.route(f"/{hop}", redirect(302, f"/{hop + 1}"))
    server.route("/5", reply(200, body=RSS))
    result = make_fetcher(max_redirects=5).fetch(server.url("/0"))
    assert result.content == RSS
    assert result.url == server.url("/5")
    assert fetch_error(make_fetcher(max_redirects=4), server.url("/0")).kind == "redirects"


@pytest.mark.parametrize(
    ("statuses", "permanent"),
    [
        ((301,), True),
        ((308,), True),
        ((301, 308), True),
        ((302,), False),
        ((307,), False),
        ((301, 302), False),
        ((), False),
    ],
)
def test_permanent_redirect_is_reported_only_when_every_hop_is_permanent(
    server: ScriptedServer, make_fetcher: MakeFetcher, statuses: tuple[int, ...], permanent: bool
) -> None:
    for hop, status in enumerate(statuses):
        server.route(f"/{hop}", redirect(status, server.url(f"/{hop + 1}")))
    final = server.route(f"/{len(statuses)}", reply(200, body=RSS))
    result = make_fetcher().fetch(server.url("/0"))
    assert result.url == final
    assert result.permanent_redirect == (final if permanent else None)


def test_redirect_to_loopback_outside_the_allow_list_is_blocked(
    server: ScriptedServer, other_server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    target = other_server.route("/secret", reply(200, body=b"internal"))
    url = server.route("/go", redirect(302, target))
    error = fetch_error(make_fetcher(), url)
    assert error.kind == "blocked"
    assert "127.0.0.2" in str(error)
    assert other_server.connections == 0 and other_server.requests == []


def test_redirect_from_an_allowed_host_name_to_its_address_is_blocked(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    # Only the name "localhost" is allowed: the same server by its bare address is not.
    server.route("/secret", reply(200, body=b"internal"))
    server.route("/go", redirect(302, server.url("/secret")))
    fetcher = make_fetcher(allowed=("localhost",))
    error = fetch_error(fetcher, f"http://localhost:{server.port}/go")
    assert error.kind == "blocked"
    assert server.hits("/go") == 1 and server.hits("/secret") == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://100.64.0.1/",
        "http://[::1]:{port}/secret",
        "http://2130706433:{port}/secret",
        "http://0.0.0.0:{port}/secret",
    ],
)
def test_redirect_to_internal_addresses_is_blocked(
    server: ScriptedServer, make_fetcher: MakeFetcher, target: str
) -> None:
    server.route("/secret", reply(200, body=b"internal"))
    url = server.route("/go", redirect(302, target.format(port=server.port)))
    fetcher = make_fetcher(allowed=("localhost",))  # reach the server by name only
    error = fetch_error(fetcher, url.replace("127.0.0.1", "localhost"), kind="feed")
    assert error.kind == "blocked"
    assert server.hits("/secret") == 0


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://127.0.0.1/x"])
def test_redirect_to_other_schemes_is_blocked(
    server: ScriptedServer, make_fetcher: MakeFetcher, target: str
) -> None:
    url = server.route("/go", redirect(302, target))
    error = fetch_error(make_fetcher(retries=2), url)
    assert error.kind == "blocked"
    assert server.hits("/go") == 1  # refused, not retried as a network error


def test_https_to_http_downgrade_is_refused() -> None:
    with pytest.raises(FetchError) as caught:
        check_redirect("https://example.org/feed", "http://example.org/feed")
    assert caught.value.kind == "blocked"
    check_redirect("http://example.org/feed", "https://example.org/feed")
    check_redirect("https://example.org/feed", "https://cdn.example.org/feed")


# -- the SSRF guard ------------------------------------------------------------------------------

REFUSED = [
    "127.0.0.1",
    "::1",
    "169.254.169.254",
    "10.0.0.1",
    "10.255.1.2",
    "100.64.0.1",
    "100.127.255.254",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "0.0.0.0",
    "::",
    "192.168.1.1",
    "172.16.0.1",
    "fe80::1",
    "fc00::1",
    "224.0.0.1",
    "255.255.255.255",
    "2002:7f00:1::1",
    "2002:a00:1::1",
    "64:ff9b::a00:1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    ip = normalise_address(address)
    assert not is_public_address(ip)
    assert not is_allowed_address("example.org", ip, ())


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_allowed_address("example.org", normalise_address(address), ())


def test_allow_list_by_network_and_host_name() -> None:
    loopback = normalise_address("127.0.0.1")
    assert is_allowed_address("x", loopback, [ipaddress.ip_network("127.0.0.0/8")])
    assert is_allowed_address("Bridge.Local.", normalise_address("10.1.2.3"), ["bridge.local"])
    assert not is_allowed_address("other.local", normalise_address("10.1.2.3"), ["bridge.local"])
    assert not is_allowed_address("x", loopback, [ipaddress.ip_network("::1/128")])
    mapped = normalise_address("::ffff:127.0.0.1")
    assert is_allowed_address("x", mapped, [ipaddress.ip_network("127.0.0.1/32")])


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "::1",
        "169.254.169.254",
        "10.0.0.1",
        "100.64.0.1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "2130706433",
        "0x7f.1",
        "localhost",
    ],
)
def test_guarded_backend_refuses_before_connecting(host: str) -> None:
    with pytest.raises(BlockedAddressError):
        GuardedBackend(()).connect_tcp(host, 80, timeout=1)


def test_guarded_backend_connects_to_allowed_address(server: ScriptedServer) -> None:
    stream = GuardedBackend([ipaddress.ip_network("127.0.0.1/32")]).connect_tcp(
        "127.0.0.1", server.port, timeout=1
    )
    stream.close()
    with pytest.raises(httpcore.ConnectError):
        GuardedBackend(()).connect_unix_socket("/var/run/docker.sock")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/x",
        "http://[::1]:{port}/x",
        "http://2130706433:{port}/x",
        "http://0.0.0.0:{port}/x",
        "http://[::ffff:127.0.0.1]:{port}/x",
        "http://localhost:{port}/x",
        "http://0177.0.0.1:{port}/x",
    ],
)
def test_fetch_without_allow_list_refuses_loopback(
    server: ScriptedServer, make_fetcher: MakeFetcher, url: str
) -> None:
    server.route("/x", reply(200, body=b"internal"))
    error = fetch_error(make_fetcher(allowed=(), retries=2), url.format(port=server.port))
    assert error.kind == "blocked"
    time.sleep(0.05)
    assert server.connections == 0


def test_allow_list_by_address_string(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/x", reply(200, body=RSS))
    assert make_fetcher(allowed=("127.0.0.1",)).fetch(url).content == RSS


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_GET",
        "ftp://127.0.0.1/",
        "data:text/plain,hi",
        "javascript:alert(1)",
        "http:///nohost",
        "http://[::1",
        "//127.0.0.1/x",
        "http://a\x00b/",
    ],
)
def test_non_http_and_invalid_urls_are_refused(make_fetcher: MakeFetcher, url: str) -> None:
    assert fetch_error(make_fetcher(), url).kind == "blocked"


def test_environment_proxy_is_not_used(
    server: ScriptedServer, make_fetcher: MakeFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy from the environment would dial the target itself, behind the guard's back.
    server.route("http://10.0.0.1/", reply(200, body=b"via proxy"))
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, server.url())
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    error = fetch_error(make_fetcher(allowed=()), "http://10.0.0.1/")
    assert error.kind == "blocked"
    assert server.connections == 0


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
