"""The sources stage: every feed format from golden files, and broken or non-feed input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.sources import (
    FeedError,
    FeedImage,
    parse_feed,
)
from newsdesk.sources.conftest import golden, rss

# -- formats, from golden files ------------------------------------------------------------------


def test_rss2() -> None:
    feed = parse_feed(golden("rss2.xml"), "https://harbor.example/feed/rss.xml", "application/rss+xml")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "rss",
        "Harbor Courier",
        "https://harbor.example/",
        "en-gb",
    )
    assert feed.warnings == ()
    first, relative, guid_only, hostile = feed.entries
    assert first.guid == "harbor-4711"
    assert first.link == "https://harbor.example/news/port-reopens"
    assert first.title == "Port reopens after storm"
    assert first.summary == "The port <b>reopened</b> on Tuesday."
    assert first.content == "<p>The port reopened on Tuesday morning.</p>"
    assert first.authors == ("Ana Ruiz",)
    assert first.categories == ("Local", "Weather")
    assert first.published == datetime(2023, 1, 3, 7, 30, tzinfo=UTC)
    assert first.images == (
        FeedImage("https://img.harbor.example/port.jpg", "Ships queue at the harbor entrance.", "Jo Lind"),
    )
    # relative link and enclosure resolve against the feed URL; the audio enclosure is not an image
    assert relative.link == "https://harbor.example/news/relative-story"
    assert relative.guid == relative.link
    assert relative.images == (FeedImage("https://harbor.example/img/relative.png"),)
    assert guid_only.link == guid_only.guid == "https://harbor.example/news/guid-only"
    assert guid_only.published is None
    assert hostile.guid == "hostile-1"
    assert hostile.link == "" and hostile.images == ()


def test_rss1_rdf() -> None:
    feed = parse_feed(golden("rss1.rdf"), "https://ledger.example/rss", "application/rdf+xml")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "rss",
        "Northgate Ledger",
        "https://ledger.example/",
        "de",
    )
    first, second = feed.entries
    assert first.link == first.guid == "https://ledger.example/a/1"
    assert first.title == "Council votes on budget"
    assert first.authors == ("Karl Weber",)
    assert first.categories == ("Politics",)
    assert first.published == datetime(2023, 2, 1, 8, 15, tzinfo=UTC)  # dc:date is the publication date
    assert second.link == "https://ledger.example/a/2" and second.published is None


def test_rss091_with_netscape_doctype() -> None:
    feed = parse_feed(golden("rss091.xml"), "http://oldwire.example/rss.xml", "text/xml")
    assert (feed.format, feed.title, feed.language) == ("rss", "Old Wire", "en-us")
    (entry,) = feed.entries
    assert (entry.title, entry.link, entry.summary) == (
        "Millennium bug fixed",
        "http://oldwire.example/y2k.html",
        "All systems go.",
    )


def test_atom() -> None:
    feed = parse_feed(golden("atom.xml"), "https://elfaro.example/atom.xml", "application/atom+xml")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "atom",
        "El Faro",
        "https://elfaro.example/",
        "es",
    )
    festival, plain = feed.entries
    assert festival.guid == "tag:elfaro.example,2023:festival"
    assert festival.link == "https://elfaro.example/blog/posts/festival"  # xml:base applied
    assert festival.title == "Festival opens"  # an html title is stored as its text
    assert festival.authors == ("Lucía Gómez", "Pedro Alba")
    assert festival.categories == ("cultura", "cine")
    assert festival.published == datetime(2023, 3, 4, 17, 0, tzinfo=UTC)
    assert festival.updated == datetime(2023, 3, 5, 9, 30, tzinfo=UTC)
    assert festival.images == (FeedImage("https://elfaro.example/img/festival.jpg"),)
    assert "<script" not in festival.content and "Full text" in festival.content
    assert plain.link == "https://elfaro.example/blog/posts/plain"
    assert plain.published is None and plain.updated is None and plain.authors == ()


def test_json_feed() -> None:
    feed = parse_feed(golden("feed.json"), "https://meridian.example/feed.json", "application/feed+json")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "jsonfeed",
        "Meridian Times",
        "https://meridian.example/",
        "en-us",
    )
    comet, legacy = feed.entries
    assert comet.guid == "mt-1"
    assert comet.link == "https://meridian.example/2023/comet"
    assert comet.title == "Comet capsule lands"
    assert comet.summary == "A capsule came home."
    assert comet.content == "<p>The capsule landed.</p>"
    assert comet.authors == ("Sam Okafor", "Ida Berg")
    assert comet.categories == ("Science", "Space")
    assert comet.published == datetime(2023, 4, 1, 15, 0, tzinfo=UTC)
    assert comet.updated == datetime(2023, 4, 1, 12, 30, tzinfo=UTC)
    assert comet.images == (FeedImage("https://meridian.example/images/capsule.jpg"),)
    assert comet.language == "en"
    assert legacy.guid == "42"  # a numeric id, kept as text
    assert legacy.link == "https://elsewhere.example/story"
    assert legacy.content == "Plain text only."
    assert legacy.authors == ("Legacy Author",)


def test_google_news_sitemap() -> None:
    feed = parse_feed(
        golden("news-sitemap.xml"), "https://rheinblick.example/news-sitemap.xml", "application/xml"
    )
    assert (feed.format, feed.title) == ("sitemap", "Rheinblick")
    news, plain = feed.entries  # the javascript: and the loc-less entries are dropped
    assert news.link == news.guid == "https://rheinblick.example/politik/koalition"
    assert news.title == "Koalition einigt sich"
    assert news.language == "de"
    assert news.published == datetime(2023, 5, 2, 5, 45, tzinfo=UTC)
    assert news.updated == datetime(2023, 5, 2, 6, 0, tzinfo=UTC)
    assert news.images == (
        FeedImage("https://rheinblick.example/img/koalition.jpg", "Die Verhandler am Morgen"),
    )
    assert plain.link == "https://rheinblick.example/lokal/hochwasser"
    assert plain.published == plain.updated == datetime(2023, 5, 1, tzinfo=UTC)


def test_sitemap_index() -> None:
    feed = parse_feed(golden("sitemap-index.xml"), "https://rheinblick.example/sitemap.xml")
    assert feed.format == "sitemapindex"
    assert feed.sitemaps == (
        "https://rheinblick.example/sitemap-news-1.xml",
        "https://rheinblick.example/sitemap-news-2.xml",
    )  # file: dropped
    assert feed.entries == ()


def test_sitemap_without_namespace_still_reads() -> None:
    body = b"<urlset><url><loc>https://a.example/1</loc><lastmod>2023-01-01</lastmod></url></urlset>"
    feed = parse_feed(body, "https://a.example/sitemap.xml")
    assert [e.link for e in feed.entries] == ["https://a.example/1"]
    index = parse_feed(
        b"<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>", "https://a.example/"
    )
    assert index.sitemaps == ("https://a.example/s1.xml",)


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("rss2.xml", "application/json", "rss"),  # XML labelled JSON
        ("feed.json", "text/html; charset=utf-8", "jsonfeed"),
        ("atom.xml", "image/png", "atom"),
        ("news-sitemap.xml", "text/plain", "sitemap"),
    ],
)
def test_format_is_sniffed_from_the_body(name: str, content_type: str, expected: str) -> None:
    feed = parse_feed(golden(name), "https://x.example/feed", content_type)
    assert feed.format == expected
    assert feed.entries


# -- broken and non-feed input -------------------------------------------------------------------


def test_malformed_xml_keeps_what_parses_with_a_warning() -> None:
    feed = parse_feed(golden("malformed.xml"), "https://tj.example/rss")
    assert feed.title == "Tom & Jerry News"
    assert feed.entries and feed.entries[0].title == "First & only good item"
    assert feed.entries[0].link == "https://tj.example/1"
    assert any("malformed" in w for w in feed.warnings)


def test_truncated_feed_keeps_complete_items_with_a_warning() -> None:
    body = rss(
        "<item><title>One</title><link>https://site.example/1</link></item>"
        "<item><title>Two</title><link>https://site.example/2</link></item>"
    )
    feed = parse_feed(body[: body.index(b"</item>", body.index(b"Two"))], "https://site.example/rss")
    assert [e.title for e in feed.entries][:1] == ["One"]
    assert feed.warnings


def test_well_formed_feed_has_no_warnings_without_content_type() -> None:
    feed = parse_feed(golden("rss2.xml"), "https://harbor.example/rss", "")
    assert feed.warnings == ()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (golden("login.html"), "text/html"),
        (golden("login.html"), "application/rss+xml"),  # HTML that claims to be RSS
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>Just a moment...</body></html>", ""),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml">'
            b"<head><title>x</title></head><body><p>captive portal</p></body></html>",
            "application/xml",
        ),
        (b"  <html><head><title>t</title></head><body></body></html>", ""),
    ],
    ids=["login", "login-as-rss", "bom-challenge", "xhtml", "bare-html"],
)
def test_html_pages_are_not_feeds(body: bytes, content_type: str) -> None:
    with pytest.raises(FeedError, match="HTML"):
        parse_feed(body, "https://x.example/feed", content_type)


def test_leading_white_space_is_not_an_empty_body() -> None:
    feed = parse_feed(b" \n" * 5000 + golden("rss2.xml").lstrip(), "https://harbor.example/rss")
    assert feed.format == "rss" and len(feed.entries) == 4
    sitemap = parse_feed(
        b"\n\n  " + golden("news-sitemap.xml"), "https://rheinblick.example/news-sitemap.xml"
    )
    assert sitemap.format == "sitemap" and len(sitemap.entries) == 2


@pytest.mark.parametrize("body", [b"", b"   \r\n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n"])
def test_empty_bodies_are_feed_errors(body: bytes) -> None:
    with pytest.raises(FeedError, match="empty"):
        parse_feed(body, "https://x.example/feed", "application/rss+xml")


@pytest.mark.parametrize(
    "body",
    [
        b"hello, this is plain text",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"<note><to>x</to></note>",
        b"<urlset><url><loc>https://a.example/",
        b"\x00" * 100,
    ],
)
def test_other_non_feeds_are_feed_errors(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, "https://x.example/feed")


def test_a_body_naming_a_local_file_is_parsed_as_bytes_not_opened(tmp_path: Path) -> None:
    # feedparser.parse(bytes) opens the bytes as a path when such a file exists.
    local = tmp_path / "secret-feed.xml"
    local.write_bytes(rss("<item><title>LOCAL SECRET</title><link>https://site.example/s</link></item>"))
    with pytest.raises(FeedError):
        parse_feed(str(local).encode(), "https://x.example/feed", "application/rss+xml")


def _nested_json(depth: int) -> bytes:
    return b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b"[" * depth + b"]" * depth + b"]}"


@pytest.mark.parametrize(
    "body",
    [
        b'{"version": "https://jsonfeed.org/version/1.1", "items": {"id": "1"}}',
        b'{"version": "https://jsonfeed.org/version/1.1"}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": null}',
        b'{"title": "no version", "items": []}',
        b'{"version": 1.1, "items": []}',
        b'[{"version": "https://jsonfeed.org/version/1.1"}]',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": ' + b"9" * 5000 + b"}]}",
        _nested_json(100_000),
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    ],
    ids=[
        "items-object",
        "items-missing",
        "items-null",
        "no-version",
        "numeric-version",
        "array-root",
        "truncated",
        "huge-number",
        "deep-array",
        "deep-object",
    ],
)
def test_invalid_json_feeds_are_feed_errors(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, "https://x.example/feed.json", "application/feed+json")


def test_json_feed_with_wrong_types_skips_or_empties_never_crashes() -> None:
    items = [
        None,
        17,
        "string item",
        [],
        {
            "id": 7,
            "url": "https://x.example/7",
            "title": 5,
            "summary": None,
            "authors": "me",
            "tags": {"a": 1},
            "date_published": 1700000000,
            "image": ["x"],
            "language": None,
        },
        {
            "id": True,
            "url": ["https://x.example/list"],
            "external_url": "https://x.example/ext",
            "authors": [None, 3, {"name": 4}, {"name": "Ok"}],
            "tags": [None, 1, "real"],
            "date_published": "9999-12-31T23:59:59-05:00",
            "content_html": {"x": 1},
        },
        {"id": None, "url": None, "title": "no link"},
    ]
    body = json.dumps(
        {"version": "https://jsonfeed.org/version/1", "title": None, "home_page_url": 12, "items": items}
    ).encode()
    feed = parse_feed(body, "https://x.example/feed.json")
    assert feed.title == "" and feed.site_url == "https://x.example/feed.json"
    assert len(feed.warnings) == 4  # the four non-object items, each named
    numeric, odd, linkless = feed.entries
    assert (numeric.guid, numeric.link, numeric.title, numeric.summary) == (
        "7",
        "https://x.example/7",
        "",
        "",
    )
    assert numeric.authors == () and numeric.categories == () and numeric.published is None
    assert numeric.images == ()
    assert odd.guid == odd.link == "https://x.example/ext"  # a boolean is no id
    assert odd.authors == ("Ok",) and odd.categories == ("real",)
    assert odd.published is None and odd.content == ""
    assert linkless.link == "" and linkless.guid == "" and linkless.title == "no link"
