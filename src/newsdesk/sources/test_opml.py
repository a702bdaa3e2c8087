"""OPML import and export: nesting, round trip, hostile XML."""

from __future__ import annotations

import time

import pytest

from newsdesk.sources.opml import OpmlError, OpmlFeed, parse_opml, write_opml

NESTED = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="News"><outline text="Europe">
    <outline type="rss" text="Rheinblick" xmlUrl="https://rheinblick.example/feed.json" htmlUrl="https://rheinblick.example/"/>
  </outline>
  <outline type="rss" text="Courier" title="The Harbor Courier" xmlUrl="https://courier.example/rss.xml"/></outline>
  <outline type="rss" text="Top level" xmlUrl="http://top.example/atom.xml"/>
  <outline type="rss" text="Bad scheme" xmlUrl="javascript:alert(1)"/>
</body></opml>"""


def test_nesting_becomes_the_category_path() -> None:
    feeds = parse_opml(NESTED)
    assert feeds == [
        OpmlFeed(
            "https://rheinblick.example/feed.json",
            "Rheinblick",
            "https://rheinblick.example/",
            "News / Europe",
        ),
        OpmlFeed("https://courier.example/rss.xml", "The Harbor Courier", "", "News"),
        OpmlFeed("http://top.example/atom.xml", "Top level", "", ""),
    ]


def test_round_trip_keeps_every_feed_and_folder() -> None:
    feeds = parse_opml(NESTED)
    assert parse_opml(write_opml(feeds)) == feeds


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
        parse_opml(hostile)
    assert time.monotonic() - started < 1
