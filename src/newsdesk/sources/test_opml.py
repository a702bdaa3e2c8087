"""OPML import and export: folders kept whole, any attribute case, feed:// URLs, what was skipped and why,
newsdesk's settings and the feed type through a round trip, hostile XML."""

from __future__ import annotations

import time

import pytest

from newsdesk.sources.conftest import golden
from newsdesk.sources.opml import OpmlError, OpmlFeed, read_opml, write_opml

NESTED = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="News"><outline text="Europe">
    <outline type="rss" text="Rheinblick" xmlUrl="https://rheinblick.example/feed.json" htmlUrl="https://rheinblick.example/"/>
  </outline>
  <outline type="rss" text="Courier" title="The Harbor Courier" xmlUrl="https://courier.example/rss.xml"/></outline>
  <outline type="rss" text="Top level" xmlUrl="http://top.example/atom.xml"/>
  <outline type="rss" text="Bad scheme" xmlUrl="javascript:alert(1)"/>
</body></opml>"""


def test_nesting_becomes_the_folder_path() -> None:
    found = read_opml(NESTED)
    assert found.feeds == [
        OpmlFeed(
            "https://rheinblick.example/feed.json",
            "Rheinblick",
            "https://rheinblick.example/",
            "News / Europe",
            feed_format="rss",
        ),
        OpmlFeed("https://courier.example/rss.xml", "The Harbor Courier", "", "News", feed_format="rss"),
        OpmlFeed("http://top.example/atom.xml", "Top level", "", "", feed_format="rss"),
    ]
    assert found.skipped == [("javascript:alert(1)", "not an http(s) feed URL")]


def test_another_readers_export_keeps_every_feed_and_says_what_it_skipped() -> None:
    found = read_opml(golden("corpus/subscriptions.opml"))
    assert [(f.feed_url, f.folder) for f in found.feeds] == [
        ("http://thunder.example/rss.xml", "Music / AC / DC fans"),  # feed:// URL
        ("https://riffs.example/feed.atom", "Music / AC / DC fans"),  # lower-case xmlurl
        ("https://town.example/notices/feed.json", "Local"),  # upper-case attributes
        ("https://harbour.example/cam.xml", "Local"),  # feed:https:// URL
    ]
    assert found.feeds[2].title == "Town Hall" and found.feeds[2].site_url == "https://town.example/notices/"
    assert found.skipped == [
        ("javascript:alert(1)", "not an http(s) feed URL"),
        ("gopher://old.example/feed", "not an http(s) feed URL"),
        ("https://town.example/notices/feed.json", "listed twice"),
        ("Just a website", "a link to a page, not a feed"),
    ]
    assert found.summary().startswith(
        "read 4 feeds; skipped 4: javascript:alert(1) (not an http(s) feed URL)"
    )


def test_a_folder_name_with_a_slash_survives_export_and_import() -> None:
    feeds = read_opml(golden("corpus/subscriptions.opml")).feeds
    again = read_opml(write_opml(feeds)).feeds
    assert again == feeds
    assert {f.folder for f in again} == {"Music / AC / DC fans", "Local"}


def test_newsdesk_settings_and_the_feed_type_round_trip() -> None:
    feeds = [
        OpmlFeed(
            "https://a.example/feed.json",
            "A",
            "https://a.example/",
            "Local",
            "de",
            "jsonfeed",
            "DE",
            "politics",
            False,
            600,
            7200,
        ),
        OpmlFeed("https://b.example/sitemap.xml", "B", feed_format="sitemap"),
        OpmlFeed("https://c.example/atom.xml", "C", feed_format="atom", enabled=True),
    ]
    document = write_opml(feeds)
    assert b'xmlns:newsdesk="https://newsdesk.dev/ns/opml/1"' in document
    assert b'type="jsonfeed"' in document and b'newsdesk:disabled="true"' in document
    assert read_opml(document).feeds == feeds


@pytest.mark.parametrize(
    "hostile",
    [
        b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<opml><body><outline text="&c;"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE o SYSTEM "file:///etc/passwd"><opml><body/></opml>',
        b"<opml><body><outline",
        b"<html><body>not opml</body></html>",
    ],
)
def test_hostile_or_broken_files_are_refused_quickly(hostile: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(OpmlError):
        read_opml(hostile)
    assert time.monotonic() - started < 1
