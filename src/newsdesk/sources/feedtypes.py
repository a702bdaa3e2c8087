"""What every feed parser returns (entries, images, feeds as plain data) and the clean-up of values."""

from __future__ import annotations

import calendar
import email.utils
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newsdesk.text import normalise_text
from newsdesk.urls import resolve_url, web_url

MAX_TEXT = 100_000
MAX_CATEGORIES = 50
TAG = re.compile(r"<[^<>]*>")
HTML_TYPES = ("text/html", "application/xhtml+xml")
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class FeedError(ValueError):
    """The bytes are not a feed we can read (the message says why)."""


@dataclass(frozen=True)
class FeedImage:
    url: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class FeedEnclosure:
    """Audio, video or another file an entry carries (a podcast episode, a clip, a PDF)."""

    url: str
    type: str = ""
    length: int | None = None  # bytes, as the feed states it
    medium: str = ""  # audio, video, image, document or other

    @staticmethod
    def medium_of(kind: str, medium: str = "") -> str:
        """The medium from Media RSS's word or the MIME type's top level."""
        if medium in ("audio", "video", "image", "document"):
            return medium
        top = kind.split("/", 1)[0].lower()
        return top if top in ("audio", "video", "image") else "document" if kind else "other"


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
    enclosures: tuple[FeedEnclosure, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    format: str  # rss, atom, jsonfeed, sitemap, sitemapindex
    title: str = ""
    site_url: str = ""
    language: str = ""
    entries: tuple[FeedEntry, ...] = ()
    sitemaps: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    hubs: tuple[str, ...] = ()  # WebSub hubs the feed names (atom:link rel="hub", JSON Feed "hubs")
    self_url: str = ""  # the feed's own address as it states it (rel="self", JSON Feed "feed_url")


def parse_datetime(value: str) -> datetime | None:
    """Parse an ISO 8601 / W3C (or RFC 822) datetime; naive values are taken as UTC; junk gives None."""
    if not value or not value.strip():
        return None
    value = value.strip()[:100]
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):  # e.g. year 9999 with a negative offset
        return None


def struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def string_or_empty(value: Any) -> str:
    return value if isinstance(value, str) else ""


def html_to_text(value: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded ("That&#8217;s" → "That’s")."""
    return " ".join(html.unescape(TAG.sub(" ", value)).split())


def title_text(title: str, kind: str) -> str:
    """A feed title as text: html and xhtml titles (and RSS's, which feedparser calls html) decoded."""
    return html_to_text(title) if kind in HTML_TYPES else title


def clip(value: str, limit: int = MAX_TEXT) -> str:
    """Text safe to store: control characters, lone surrogates and invisible characters dropped, NFC, cut."""
    return normalise_text(CONTROL_CHARS.sub("", value[: limit * 2]))[:limit]


def distinct_texts(values: Any, limit: int, count: int) -> tuple[str, ...]:
    """Distinct non-empty clipped texts, at most ``count`` of them."""
    result: list[str] = []
    for value in values:
        text = clip(value, limit).strip()
        if text and text not in result:
            result.append(text)
            if len(result) >= count:
                break
    return tuple(result)


def first_http_link(base: str, candidates: list[str]) -> str:
    """The first candidate that resolves to an http(s) URL; '' when none does (javascript:, data:, ...)."""
    for candidate in candidates:
        if candidate.strip():
            url = resolve_url(base, candidate)
            if url:
                return url
    return ""


def unique_images(images: list[FeedImage]) -> list[FeedImage]:
    seen: set[str] = set()
    unique = []
    for image in images:
        if web_url(image.url) and image.url not in seen:
            seen.add(image.url)
            unique.append(image)
    return unique


def enclosure(base: str, url: str, kind: str, length: Any, medium: str = "") -> FeedEnclosure | None:
    """A stored enclosure, or None when its URL is not http(s); a length that is not a count is dropped."""
    absolute = resolve_url(base, url.strip()) if url.strip() else ""
    if not web_url(absolute):
        return None
    size = int(length) if isinstance(length, int | str) and str(length).strip().isdigit() else None
    kind = clip(kind.strip().lower(), 100)
    return FeedEnclosure(absolute, kind, size if size else None, FeedEnclosure.medium_of(kind, medium))


def unique_enclosures(enclosures: list[FeedEnclosure | None]) -> tuple[FeedEnclosure, ...]:
    seen: set[str] = set()
    unique = []
    for item in enclosures:
        if item is not None and item.url not in seen:
            seen.add(item.url)
            unique.append(item)
    return tuple(unique[:MAX_CATEGORIES])
