"""Parse feed bytes (RSS, Atom, JSON Feed, news sitemaps) into plain entries."""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
IMAGE_NS = "{http://www.google.com/schemas/sitemap-image/1.1}"
HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)
MAX_TEXT = 100_000
MAX_CATEGORIES = 50


class FeedError(ValueError):
    """The bytes are not a feed we can read (the message says why)."""


@dataclass(frozen=True)
class FeedImage:
    url: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    link: str
    title: str
    summary: str = ""
    content: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    images: tuple[FeedImage, ...] = ()
    language: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    format: str  # rss, atom, jsonfeed, sitemap, sitemapindex
    title: str = ""
    site_url: str = ""
    language: str = ""
    entries: tuple[FeedEntry, ...] = ()
    sitemaps: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Parse any supported feed format; raise FeedError when the bytes are not a feed."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise FeedError("empty response: no feed content")
    if head.startswith(b"{") or "json" in content_type.lower():
        return parse_json_feed(body, url)
    if re.search(rb"<(\w+:)?(urlset|sitemapindex)[\s>]", head):
        return parse_sitemap(body, url)
    return parse_xml_feed(body, url, content_type)


def parse_xml_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom with feedparser (DOCTYPEs stripped, nothing fetched)."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    result = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    version = result.get("version") or ""
    if not version and not result.entries:
        if HTML_START.search(body[:1024]):
            raise FeedError("not a feed: the server sent an HTML page")
        reason = result.get("bozo_exception")
        raise FeedError(f"not a feed: {reason}" if reason else "not a feed: no RSS or Atom content found")
    warnings = (f"malformed feed, kept what parsed: {result.bozo_exception}",) if result.get("bozo") else ()
    info = result.feed
    site = info.get("link", "") or url
    entries = tuple(_entry_from_feedparser(e, site) for e in result.entries)
    return ParsedFeed(
        format="atom" if version.startswith("atom") else "rss",
        title=_clip(info.get("title", "")),
        site_url=site,
        language=(info.get("language") or "").lower(),
        entries=entries,
        warnings=warnings,
    )


def _entry_from_feedparser(entry: Any, base: str) -> FeedEntry:
    link = urljoin(base, entry.get("link", "") or "")
    content = ""
    if entry.get("content"):
        content = entry.content[0].get("value", "")
    authors = tuple(a.get("name", "") for a in entry.get("authors", []) if a.get("name"))
    if not authors and entry.get("author"):
        authors = (entry.author,)
    return FeedEntry(
        guid=_clip(entry.get("id", "") or link, 2000),
        link=link,
        title=_clip(entry.get("title", "")),
        summary=_clip(entry.get("summary", "")),
        content=_clip(content),
        authors=tuple(_clip(a, 200) for a in authors),
        categories=tuple(_clip(t.get("term", ""), 100) for t in entry.get("tags", [])[:MAX_CATEGORIES]),
        published=_struct_to_datetime(entry.get("published_parsed")),
        updated=_struct_to_datetime(entry.get("updated_parsed")),
        images=_feedparser_images(entry, link),
    )


def _feedparser_images(entry: Any, base: str) -> tuple[FeedImage, ...]:
    images: list[FeedImage] = []
    credit = ""
    if entry.get("media_credit"):
        credit = entry.media_credit[0].get("content", "") or ""
    caption = entry.get("media_description", "") or ""
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url") and (media.get("medium", "image") == "image"):
            images.append(FeedImage(urljoin(base, media["url"]), _clip(caption, 2000), _clip(credit, 300)))
    for enclosure in entry.get("enclosures", []):
        if enclosure.get("type", "").startswith("image/") and enclosure.get("href"):
            images.append(FeedImage(urljoin(base, enclosure["href"])))
    return tuple(_unique_images(images))


def _unique_images(images: list[FeedImage]) -> list[FeedImage]:
    seen: set[str] = set()
    unique = []
    for image in images:
        if image.url.startswith(("http://", "https://")) and image.url not in seen:
            seen.add(image.url)
            unique.append(image)
    return unique


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """Parse JSON Feed 1.0/1.1, checking the types of every field used."""
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"not a feed: invalid JSON ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or "jsonfeed.org/version" not in str(data.get("version", "")):
        raise FeedError("not a feed: JSON without a JSON Feed version")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError("invalid JSON Feed: 'items' is not a list")
    site = _string(data.get("home_page_url")) or url
    entries = []
    warnings = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            warnings.append(f"item {index} is not an object; skipped")
            continue
        entries.append(_entry_from_json(item, site))
    return ParsedFeed(
        format="jsonfeed",
        title=_clip(_string(data.get("title"))),
        site_url=site,
        language=_string(data.get("language")).lower(),
        entries=tuple(entries),
        warnings=tuple(warnings),
    )


def _entry_from_json(item: dict[str, Any], base: str) -> FeedEntry:
    link = urljoin(base, _string(item.get("url")) or _string(item.get("external_url")))
    authors_raw = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    authors = tuple(
        _clip(_string(a.get("name")), 200) for a in authors_raw if isinstance(a, dict) and a.get("name")
    )
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    image = _string(item.get("image")) or _string(item.get("banner_image"))
    return FeedEntry(
        guid=_clip(_string(item.get("id")) or link, 2000),
        link=link,
        title=_clip(_string(item.get("title"))),
        summary=_clip(_string(item.get("summary"))),
        content=_clip(_string(item.get("content_html")) or _string(item.get("content_text"))),
        authors=authors,
        categories=tuple(_clip(_string(t), 100) for t in tags[:MAX_CATEGORIES] if _string(t)),
        published=parse_datetime(_string(item.get("date_published"))),
        updated=parse_datetime(_string(item.get("date_modified"))),
        images=tuple(_unique_images([FeedImage(urljoin(base, image))])) if image else (),
        language=_string(item.get("language")).lower(),
    )


def parse_sitemap(body: bytes, url: str) -> ParsedFeed:
    """Parse a sitemap (with Google News and image extensions) or a sitemap index."""
    try:
        root = ElementTree.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedError(f"refused unsafe XML: {exc.__class__.__name__}") from exc
    except ElementTree.ParseError as exc:
        raise FeedError(f"malformed sitemap: {exc}") from exc
    if root.tag.endswith("sitemapindex"):
        locs = [(el.findtext(f"{SITEMAP_NS}loc") or "").strip() for el in root.iter(f"{SITEMAP_NS}sitemap")]
        return ParsedFeed(
            format="sitemapindex", site_url=url, sitemaps=tuple(urljoin(url, x) for x in locs if x)
        )
    entries = [e for e in (_entry_from_sitemap(node, url) for node in root.iter(f"{SITEMAP_NS}url")) if e]
    title = ""
    news_name = root.find(f".//{NEWS_NS}publication/{NEWS_NS}name")
    if news_name is not None and news_name.text:
        title = news_name.text.strip()
    return ParsedFeed(format="sitemap", title=title, site_url=url, entries=tuple(entries))


def _entry_from_sitemap(node: Any, base: str) -> FeedEntry | None:
    loc = (node.findtext(f"{SITEMAP_NS}loc") or "").strip()
    if not loc:
        return None
    link = urljoin(base, loc)
    news = node.find(f"{NEWS_NS}news")
    title = published = language = ""
    if news is not None:
        title = (news.findtext(f"{NEWS_NS}title") or "").strip()
        published = (news.findtext(f"{NEWS_NS}publication_date") or "").strip()
        language = (news.findtext(f"{NEWS_NS}publication/{NEWS_NS}language") or "").strip().lower()
    lastmod = parse_datetime((node.findtext(f"{SITEMAP_NS}lastmod") or "").strip())
    images = [
        FeedImage(
            urljoin(base, (img.findtext(f"{IMAGE_NS}loc") or "").strip()),
            (img.findtext(f"{IMAGE_NS}caption") or "").strip(),
        )
        for img in node.iter(f"{IMAGE_NS}image")
    ]
    return FeedEntry(
        guid=link,
        link=link,
        title=_clip(title),
        published=parse_datetime(published) or lastmod,
        updated=lastmod,
        images=tuple(_unique_images(images)),
        language=language,
    )


def parse_datetime(value: str) -> datetime | None:
    """Parse an ISO 8601 / W3C datetime; naive values are taken as UTC; junk gives None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _clip(value: str, limit: int = MAX_TEXT) -> str:
    return value[:limit]
