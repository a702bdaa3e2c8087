"""WebSub for a subscriber: a feed's hub and topic (Link headers, then the feed's own links), signatures."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from newsdesk.sources.feedtypes import ParsedFeed
from newsdesk.urls import resolve_url

# One link of a Link header (RFC 8288): <target> followed by its parameters, up to the next link.
LINK = re.compile(r"<([^>]*)>((?:[^<\"]|\"[^\"]*\")*)")
REL = re.compile(r"""(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))""", re.IGNORECASE)
SIGNATURE = re.compile(r"^\s*(sha1|sha256|sha384|sha512)=([0-9a-fA-F]+)\s*$")
MAX_HEADER = 8192


@dataclass(frozen=True)
class PushTopic:
    """Where to subscribe (the hub) and to what (the topic: the feed's self URL, else its address)."""

    hub: str
    topic: str


def header_links(value: str, base: str) -> list[tuple[str, frozenset[str]]]:
    """The (absolute URL, relation types) of a Link header's links; relative targets resolved on ``base``."""
    found = []
    for match in LINK.finditer(value[:MAX_HEADER]):
        rel = REL.search(match.group(2))
        url = resolve_url(base, match.group(1).strip())
        if rel and url:
            found.append((url, frozenset((rel.group(1) or rel.group(2) or "").lower().split())))
    return found


def find_push_topic(feed: ParsedFeed, url: str, link_header: str = "") -> PushTopic | None:
    """The hub and topic a fetched feed advertises, or None: its Link headers first, as WebSub says, then
    the links in the feed; the topic is the self link of the same place, else the address it came from."""
    links = header_links(link_header, url)
    hubs = [u for u, rels in links if "hub" in rels]
    if hubs:
        topic = next((u for u, rels in links if "self" in rels), "") or feed.self_url or url
        return PushTopic(hubs[0], topic)
    if feed.hubs:
        return PushTopic(feed.hubs[0], feed.self_url or url)
    return None


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    """True when X-Hub-Signature (``method=hex``; sha1, sha256, sha384 or sha512) is the HMAC of the body."""
    match = SIGNATURE.match(header or "")
    if not secret or match is None:
        return False
    expected = hmac.new(secret.encode(), body, getattr(hashlib, match.group(1))).hexdigest()
    return hmac.compare_digest(expected, match.group(2).lower())
