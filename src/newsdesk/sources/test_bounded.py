"""Large feeds parse in a child process under a time limit."""

from __future__ import annotations

import time

import pytest

from newsdesk.sources.bounded import parse_feed_bounded
from newsdesk.sources.feedtypes import FeedError

ITEM = (
    "<item><title>Item {n}</title><link>https://example.org/{n}</link><description>{pad}</description></item>"
)


def big_feed(items: int) -> bytes:
    pad = "word " * 100
    body = "".join(ITEM.format(n=n, pad=pad) for n in range(items))
    return f"<rss version='2.0'><channel><title>Big</title>{body}</channel></rss>".encode()


def test_a_large_feed_is_parsed_in_a_child_with_the_same_result() -> None:
    body = big_feed(2500)
    assert len(body) > 1_000_000
    feed = parse_feed_bounded(body, "https://example.org/feed")
    assert len(feed.entries) == 2500 and feed.entries[-1].title == "Item 2499"


def test_a_parse_over_the_time_limit_is_abandoned() -> None:
    body = b"<rss><channel>" + b"<<<\xe2\x80\xb9" * 400_000
    started = time.monotonic()
    with pytest.raises(FeedError, match="to parse"):
        parse_feed_bounded(body, "https://example.org/feed", seconds=0.5)
    assert time.monotonic() - started < 5


def test_errors_from_the_child_come_back_as_feed_errors() -> None:
    with pytest.raises(FeedError, match="HTML"):
        parse_feed_bounded(b"<!doctype html><html><body>" + b"x" * 1_200_000, "https://example.org/")
