"""JSON Feed 1.0 and 1.1: entries read from the items of a JSON document."""

from __future__ import annotations

import html
import json
from typing import Any

from newsdesk.sources.feedtypes import (
    MAX_CATEGORIES,
    FeedEnclosure,
    FeedEntry,
    FeedError,
    FeedImage,
    ParsedFeed,
    clip,
    distinct_texts,
    enclosure,
    first_http_link,
    parse_datetime,
    string_or_empty,
    unique_enclosures,
    unique_images,
)
from newsdesk.urls import resolve_url


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """Parse JSON Feed 1.0/1.1, checking the types of every field used."""
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        raise FeedError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"invalid JSON ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or "jsonfeed.org/version" not in str(data.get("version", "")):
        raise FeedError("not a feed: JSON without a JSON Feed version")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError("invalid JSON Feed: 'items' is not a list")
    site = resolve_url(url, string_or_empty(data.get("home_page_url"))) or url
    feed_authors = json_authors(data)
    entries = []
    warnings = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            warnings.append(f"item {index} is not an object; skipped")
            continue
        entries.append(_entry_from_json(item, site, feed_authors))
    return ParsedFeed(
        format="jsonfeed",
        title=clip(string_or_empty(data.get("title"))),
        site_url=site,
        language=clip(string_or_empty(data.get("language")), 50).lower(),
        entries=tuple(entries),
        warnings=tuple(warnings),
        hubs=json_hubs(data, url),
        self_url=resolve_url(url, string_or_empty(data.get("feed_url"))),
    )


def json_hubs(data: dict[str, Any], url: str) -> tuple[str, ...]:
    """The WebSub hubs a JSON Feed names (``hubs``: objects with a type and a URL)."""
    raw = data.get("hubs")
    found = [
        resolve_url(url, string_or_empty(h.get("url")))
        for h in (raw if isinstance(raw, list) else [])
        if isinstance(h, dict) and string_or_empty(h.get("type")).lower() in ("websub", "")
    ]
    return distinct_texts((h for h in found if h), 2000, 5)


def json_authors(node: dict[str, Any]) -> tuple[str, ...]:
    """The names of a JSON Feed's or item's authors (1.1 ``authors``, 1.0 ``author``)."""
    raw = node.get("authors")
    found: list[Any] = raw if isinstance(raw, list) else [node.get("author")]
    return distinct_texts(
        (string_or_empty(a.get("name")) for a in found if isinstance(a, dict)), 200, MAX_CATEGORIES
    )


def _attachments(item: dict[str, Any], base: str) -> tuple[FeedEnclosure, ...]:
    raw = item.get("attachments")
    found = [
        enclosure(
            base,
            string_or_empty(a.get("url")),
            string_or_empty(a.get("mime_type")),
            a.get("size_in_bytes"),
        )
        for a in (raw if isinstance(raw, list) else [])
        if isinstance(a, dict)
    ]
    return unique_enclosures(found)


def _entry_from_json(item: dict[str, Any], base: str, feed_authors: tuple[str, ...] = ()) -> FeedEntry:
    link = first_http_link(
        base, [string_or_empty(item.get("url")), string_or_empty(item.get("external_url"))]
    )
    raw_tags = item.get("tags")
    authors = json_authors(item) or feed_authors  # the feed's authors are every item's by default
    tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
    image = string_or_empty(item.get("image")) or string_or_empty(item.get("banner_image"))
    item_id = item.get("id")
    if isinstance(item_id, int | float) and not isinstance(item_id, bool):
        item_id = str(item_id)  # JSON Feed says string; numbers are common and unambiguous
    return FeedEntry(
        guid=clip(string_or_empty(item_id) or link, 2000),
        link=link,
        title=clip(html.unescape(string_or_empty(item.get("title")))),  # entities are common in practice
        summary=clip(string_or_empty(item.get("summary"))),
        content=clip(string_or_empty(item.get("content_html")) or string_or_empty(item.get("content_text"))),
        authors=authors,
        categories=distinct_texts((string_or_empty(t) for t in tags[:MAX_CATEGORIES]), 100, MAX_CATEGORIES),
        published=parse_datetime(string_or_empty(item.get("date_published"))),
        updated=parse_datetime(string_or_empty(item.get("date_modified"))),
        images=tuple(unique_images([FeedImage(resolve_url(link or base, image))])) if image.strip() else (),
        language=clip(string_or_empty(item.get("language")), 50).lower(),
        enclosures=_attachments(item, link or base),
    )
