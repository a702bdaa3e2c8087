"""Response bodies: content encodings, gzip bombs and size caps, on a real loopback server."""

from __future__ import annotations

import gzip
import resource
import time
import tracemalloc
import zlib

import pytest

from newsdesk.testing.scripted_server import (
    RSS,
    GzipBomb,
    MakeFetcher,
    ScriptedServer,
    fetch_error,
    make_gzip_bomb,
    reply,
    stream,
)


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
