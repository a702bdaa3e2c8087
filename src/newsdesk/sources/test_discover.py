"""Finding a site's feeds: <link rel=alternate> and the usual paths."""

from __future__ import annotations

import pytest

from newsdesk.sources import (
    FeedLink,
    candidate_feed_urls,
    discover_feed_links,
)
from newsdesk.sources.conftest import golden


def test_discover_feed_links() -> None:
    links = discover_feed_links(golden("discover.html"), "https://news.example/section/page.html?x=1")
    assert links == [
        FeedLink("https://news.example/rss.xml", "Main RSS", "rss"),
        FeedLink("https://news.example/feeds/atom.xml", "Atom", "atom"),  # <base href> applies
        FeedLink("https://news.example/feeds/feed.json", "JSON Feed", "jsonfeed"),
        FeedLink("https://cdn.example/rdf", "", "rss"),
    ]


def test_discover_without_base_uses_the_page_url() -> None:
    page = b'<html><head><link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>'
    assert discover_feed_links(page, "https://a.example/blog/post") == [
        FeedLink("https://a.example/blog/atom.xml", "", "atom")
    ]
    junk_base = page.replace(b"<head>", b'<head><base href="javascript:alert(1)">')
    assert (
        discover_feed_links(junk_base, "https://a.example/blog/post")[0].url
        == "https://a.example/blog/atom.xml"
    )


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"   ",
        b"\x00\x00\x00",
        b"<",
        b"<!-- only a comment -->",
        b"\xff\xfe<\x00h\x00",
        b"<div>" * 100_000,
        golden("rss2.xml"),
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10,
    ],
)
def test_discover_on_junk_returns_nothing(page: bytes) -> None:
    assert discover_feed_links(page, "https://a.example/") == []


def test_candidate_feed_urls() -> None:
    urls = candidate_feed_urls("https://a.example/some/page")
    assert "https://a.example/feed" in urls and "https://a.example/feed.json" in urls
    assert all(u.startswith("https://a.example/") for u in urls)
