"""What feeds carry, cleaned: encodings, control characters, dates and links."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsdesk.sources import (
    parse_datetime,
    parse_feed,
)
from newsdesk.sources.conftest import golden, is_clean, rss


@pytest.mark.parametrize("content_type", ["", "application/rss+xml", "text/xml", "text/xml; charset=utf-8"])
def test_windows_1252_declared_in_the_prolog(content_type: str) -> None:
    feed = parse_feed(golden("windows-1252.xml"), "https://cafe.example/rss", content_type)
    assert feed.title == "\u201eCaf\u00e9\u201c \u2013 5 \u20ac"
    assert feed.entries[0].title == "Na\u00efve \u201cquotes\u201d"
    assert feed.entries[0].summary == "Cr\u00e8me br\u00fbl\u00e9e \u2014 \u00a9 2023"


@pytest.mark.parametrize("name", ["utf8-bom.xml", "utf16.xml"])
@pytest.mark.parametrize("content_type", ["", "text/xml", "application/rss+xml; charset=utf-16"])
def test_byte_order_marks(name: str, content_type: str) -> None:
    feed = parse_feed(golden(name), "https://bom.example/rss", content_type)
    assert feed.title == "Zo\u00eb\u2019s \u65e5\u672c"
    assert feed.entries[0].title == "\u00dcber \u00e4lles"
    assert feed.warnings == ()


def test_nul_and_control_characters_become_valid_text() -> None:
    body = rss(
        "<item><title>Bad\x00 ti\x01tle\x1b</title><link>https://site.example/1</link>"
        "<author>x@example.org (Ann\x07e)</author><category>c\x0bat</category>"
        "<description>sum\x00mary</description></item>",
        channel="<title>Fe\x00ed</title>",
    )
    feed = parse_feed(body, "https://site.example/feed")
    entry = feed.entries[0]
    assert feed.title == "Feed"
    assert entry.title == "Bad title"
    for text in (entry.title, entry.summary, *entry.authors, *entry.categories, entry.guid, entry.link):
        assert is_clean(text), repr(text)


def test_control_characters_and_lone_surrogates_in_json_become_valid_text() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "A\\u0000B\\ud800",'
        b' "items": [{"id": "x\\u0000", "url": "https://x.example/1", "title": "T\\u0001\\udfff!",'
        b' "tags": ["\\u0000", "ok\\u001f"], "authors": [{"name": "N\\u0000"}]}]}'
    )
    feed = parse_feed(body, "https://x.example/feed.json")
    entry = feed.entries[0]
    assert feed.title == "AB"
    assert (entry.guid, entry.title, entry.categories, entry.authors) == ("x", "T!", ("ok",), ("N",))


def test_invalid_utf8_becomes_valid_text() -> None:
    body = rss("<item><title>ok</title><link>https://site.example/1</link></item>").replace(
        b"<title>ok", b"<title>ok \xff\xfe\xc3( end"
    )
    feed = parse_feed(body, "https://site.example/feed")
    assert feed.entries and is_clean(feed.entries[0].title)


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [
        ("Fri, 01 Jan 2099 00:00:00 GMT", datetime(2099, 1, 1, tzinfo=UTC)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", datetime(1970, 1, 1, tzinfo=UTC)),
        ("", None),
        ("not a date", None),
        ("Mon, 32 Foo 2023 25:61:00 +2500", None),
        ("Fri, 31 Dec 9999 23:59:59 -1200", None),
    ],
)
def test_rss_dates_never_crash(pub_date: str, expected: datetime | None) -> None:
    body = rss(
        f"<item><title>x</title><link>https://site.example/1</link><pubDate>{pub_date}</pubDate></item>"
    )
    entry = parse_feed(body, "https://site.example/feed").entries[0]
    if expected is None:
        assert entry.published is None or entry.published.tzinfo is not None
    else:
        assert entry.published == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2099-01-01T00:00:00Z", datetime(2099, 1, 1, tzinfo=UTC)),
        ("2023-05-01", datetime(2023, 5, 1, tzinfo=UTC)),
        ("2023-05-01T10:00:00", datetime(2023, 5, 1, 10, tzinfo=UTC)),
        ("2023-05-01T10:00:00+02:00", datetime(2023, 5, 1, 8, tzinfo=UTC)),
        ("Mon, 01 May 2023 10:00:00 GMT", datetime(2023, 5, 1, 10, tzinfo=UTC)),
        ("9999-12-31T23:59:59-05:00", None),  # beyond datetime.max in UTC
        ("0001-01-01T00:00:00+05:00", None),  # before datetime.min in UTC
        ("2023-05-01T10:00:00+25:00", None),
        ("2023-02-30", None),
        ("garbage", None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_datetime(value: str, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_json_feed_date_out_of_range_does_not_crash() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {
                    "id": "1",
                    "url": "https://x.example/1",
                    "date_published": "9999-12-31T23:59:59-05:00",
                    "date_modified": "0001-01-01T00:00:00+14:00",
                }
            ],
        }
    ).encode()
    entry = parse_feed(body, "https://x.example/feed.json").entries[0]
    assert entry.published is None and entry.updated is None


# -- links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://site.example/x",
        "mailto:a@b.c",
    ],
)
def test_only_http_links_survive(link: str) -> None:
    body = rss(
        f"<item><title>x</title><link>{link.replace('<', '&lt;').replace('>', '&gt;')}</link>"
        f"<guid isPermaLink='false'>g</guid></item>"
    )
    entry = parse_feed(body, "https://site.example/feed").entries[0]
    assert entry.link == ""
    json_body = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": link, "image": link}]}
    ).encode()
    json_entry = parse_feed(json_body, "https://x.example/feed.json").entries[0]
    assert json_entry.link == "" and json_entry.images == ()


def test_entry_without_link_does_not_borrow_the_site_url() -> None:
    entry = parse_feed(
        rss("<item><title>x</title><description>d</description></item>"), "https://site.example/feed"
    ).entries[0]
    assert entry.link == "" and entry.guid == ""


def test_relative_links_resolve_against_the_feed_url() -> None:
    body = rss(
        "<item><title>x</title><link>../story/1</link></item><item><title>y</title><link>?p=2</link></item>",
        channel="<title>T</title><link>https://elsewhere.example/home/</link>",
    )
    feed = parse_feed(body, "https://site.example/feeds/main/rss.xml")
    assert [e.link for e in feed.entries] == [
        "https://site.example/feeds/story/1",
        "https://site.example/feeds/main/rss.xml?p=2",
    ]
    assert feed.site_url == "https://elsewhere.example/home/"


def test_javascript_site_url_falls_back_to_the_feed_url() -> None:
    feed = parse_feed(
        rss("", channel="<title>T</title><link>javascript:alert(1)</link>"), "https://s.example/f"
    )
    assert feed.site_url == "https://s.example/f"


def test_html_titles_are_stored_as_text_with_entities_decoded() -> None:
    """Issue 21's golden case: an Atom title of type html with &#8217; was shown as "That&amp;#8217;s"."""
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b'<title type="html">A &amp;amp; B</title>'
        b'<entry><title type="html">That&amp;#8217;s &lt;b&gt;bold&lt;/b&gt; AT&amp;amp;T</title>'
        b'<link href="https://x.example/a"/><id>1</id></entry>'
        b'<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        b"That&#8217;s <b>it</b></div></title>"
        b'<link href="https://x.example/b"/><id>2</id></entry>'
        b'<entry><title>Plain &amp; simple &lt;3</title><link href="https://x.example/c"/><id>3</id></entry></feed>'
    )
    parsed = parse_feed(atom, "https://x.example/feed")
    assert parsed.title == "A & B"
    assert [e.title for e in parsed.entries] == ["That’s bold AT&T", "That’s it", "Plain & simple <3"]
    channel = rss(
        "<item><title>Don&amp;#8217;t &amp;amp; more</title><link>https://x.example/d</link></item>"
    )
    assert parse_feed(channel, "https://x.example/rss").entries[0].title == "Don’t & more"


def test_json_feed_titles_have_their_entities_decoded() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "x",
            "items": [{"id": "1", "url": "https://x.example/a", "title": "It&#8217;s here &amp; now"}],
        }
    ).encode()
    assert parse_feed(body, "https://x.example/feed.json").entries[0].title == "It’s here & now"
