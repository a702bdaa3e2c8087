"""WebSub discovery (Link headers, Atom links, RSS atom:link, JSON Feed hubs) and push signatures."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from newsdesk.sources import parse_feed
from newsdesk.sources.conftest import rss
from newsdesk.sources.websub import PushTopic, find_push_topic, header_links, signature_matches

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<link rel="hub" href="/hub"/><link rel="self" href="atom.xml"/><id>t</id>
<entry><id>e1</id><title>E</title><link rel="self" href="https://site.example/entry-self"/>
<link rel="hub" href="https://wrong.example/entry-hub"/></entry></feed>"""
ATOM_NS = ' xmlns:atom="http://www.w3.org/2005/Atom"'


def test_atom_feed_level_hub_and_self_are_found_resolved_and_entry_links_ignored() -> None:
    feed = parse_feed(ATOM, "https://site.example/feeds/atom.xml")
    assert feed.hubs == ("https://site.example/hub",)
    assert feed.self_url == "https://site.example/feeds/atom.xml"
    assert find_push_topic(feed, "https://site.example/feeds/atom.xml?x=1") == PushTopic(
        "https://site.example/hub", "https://site.example/feeds/atom.xml"
    )


def test_rss_atom_link_hub_gives_the_self_url_as_topic() -> None:
    channel = (
        '<title>T</title><atom:link rel="hub" href="https://hub.example/"/>'
        '<atom:link rel="self" href="https://site.example/canonical.rss" type="application/rss+xml"/>'
    )
    body = rss("<item><title>a</title></item>", channel).replace(
        b'version="2.0"', b'version="2.0"' + ATOM_NS.encode()
    )
    topic = find_push_topic(parse_feed(body, "http://site.example/feed"), "http://site.example/feed")
    assert topic == PushTopic("https://hub.example/", "https://site.example/canonical.rss")


def test_without_a_hub_there_is_no_topic_even_with_a_self_link() -> None:
    channel = '<title>T</title><atom:link rel="self" href="https://site.example/feed"/>'
    body = rss("", channel).replace(b'version="2.0"', b'version="2.0"' + ATOM_NS.encode())
    assert find_push_topic(parse_feed(body, "https://site.example/feed"), "https://site.example/feed") is None


def test_link_headers_come_before_the_feeds_own_links() -> None:
    feed = parse_feed(ATOM, "https://site.example/feeds/atom.xml")
    header = '<https://push.example/hub>; rel="hub", </topic?a=1,2>; rel="self"; type="x"'
    assert find_push_topic(feed, "https://site.example/feeds/atom.xml", header) == PushTopic(
        "https://push.example/hub", "https://site.example/topic?a=1,2"
    )
    # a hub in the header without a self link there: the feed's self link is the topic
    only_hub = find_push_topic(feed, "https://site.example/feeds/atom.xml", "<https://h.example/>; rel=hub")
    assert only_hub == PushTopic("https://h.example/", "https://site.example/feeds/atom.xml")


def test_link_header_parsing_keeps_relation_lists_and_drops_other_schemes() -> None:
    links = header_links(
        '<https://a.example/>; rel="hub self", <javascript:alert(1)>; rel=hub, <b>; title="x, <y>"; rel=next',
        "https://base.example/dir/",
    )
    assert links == [
        ("https://a.example/", frozenset({"hub", "self"})),
        ("https://base.example/dir/b", frozenset({"next"})),
    ]


def test_json_feed_hubs_and_feed_url() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "feed_url": "https://j.example/f.json",'
        b' "hubs": [{"type": "rssCloud", "url": "https://cloud.example/"},'
        b' {"type": "WebSub", "url": "https://hub.example/"}], "items": []}'
    )
    feed = parse_feed(body, "https://j.example/feed")
    assert find_push_topic(feed, "https://j.example/feed") == PushTopic(
        "https://hub.example/", "https://j.example/f.json"
    )


@pytest.mark.parametrize("method", ["sha1", "sha256", "sha384", "sha512"])
def test_signatures_of_every_registered_method_are_checked(method: str) -> None:
    body = b"<feed/>"
    digest = hmac.new(b"s3cret", body, getattr(hashlib, method)).hexdigest()
    assert signature_matches("s3cret", body, f"{method}={digest}")
    assert signature_matches("s3cret", body, f"{method}={digest.upper()}")
    assert not signature_matches("s3cret", body + b" ", f"{method}={digest}")
    assert not signature_matches("other", body, f"{method}={digest}")


def test_missing_or_unknown_signatures_never_match() -> None:
    digest = hmac.new(b"s", b"x", hashlib.md5).hexdigest()
    assert not signature_matches("s", b"x", None)
    assert not signature_matches("s", b"x", "")
    assert not signature_matches("s", b"x", f"md5={digest}")
    assert not signature_matches("", b"x", "sha256=" + hmac.new(b"", b"x", hashlib.sha256).hexdigest())
