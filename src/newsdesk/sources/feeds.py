"""Parse feed bytes (RSS, Atom, JSON Feed, news sitemaps) into plain entries."""

from __future__ import annotations

import calendar
import email.utils
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
IMAGE_NS = "{http://www.google.com/schemas/sitemap-image/1.1}"
MAX_TEXT = 100_000
MAX_CATEGORIES = 50

# What may precede the root element or DOCTYPE: a BOM, white space, the XML declaration, PIs, comments.
PROLOG = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s++|<\?(?:[^?]|\?(?!>))*+\?>|<!--(?:[^-]|-(?!->))*+-->)*+")
HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
# A whole DOCTYPE: name, external id, internal subset (declarations, comments, quoted literals).
DOCTYPE = re.compile(
    rb"""<!DOCTYPE\s++([^\s\[>]++)((?:\s++(?:"[^"]*+"|'[^']*+'|[A-Za-z]++))*+)\s*+"""
    rb"""(?:\[((?:[^\]"'<]++|"[^"]*+"|'[^']*+'|<!--(?:[^-]|-(?!->))*+-->|<(?!!--)(?:[^>"']++|"[^"]*+"|'[^']*+')*+>)*+)"""
    rb"""\]\s*+)?>"""
)
DECLARATION = re.compile(rb"""<!--(?:[^-]|-(?!->))*+-->|<(?:[^>"']++|"[^"]*+"|'[^']*+')*+>""")
# Kept entity declarations: one character reference or a few plain characters, so expansion stays small.
SAFE_ENTITY = re.compile(rb"""<!ENTITY\s++(\w++)\s++"(&\#\w{1,8};|[^&%"<]{0,8})"\s*+>""")
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
WIDE_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)


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
    """Parse any supported feed format; raise FeedError when the bytes are not a feed.

    The format is sniffed from the body first; the Content-Type only decides when the body is unclear.
    """
    body, content_type = _utf8_if_wide(body, content_type)
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if not head:
        raise FeedError("empty response: no feed content")
    if head.startswith((b"{", b"[")) or (not head.startswith(b"<") and "json" in content_type.lower()):
        return parse_json_feed(body, url)
    if _looks_like_html(body):
        raise FeedError("not a feed: the server sent an HTML page")
    if re.search(rb"<(\w+:)?(urlset|sitemapindex)[\s>]", head):
        return parse_sitemap(body, url)
    return parse_xml_feed(body, url, content_type)


def _utf8_if_wide(body: bytes, content_type: str) -> tuple[bytes, str]:
    """Re-encode a UTF-16 or UTF-32 document as UTF-8, so that the byte-level checks below see it.

    A byte order mark is authoritative: with one, the charset of the Content-Type is dropped.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body, content_type.split(";", 1)[0]
    for start, codec in WIDE_ENCODINGS:
        if body.startswith(start):
            text = body.decode(codec, errors="replace").lstrip("\ufeff")
            text = re.sub(r"""\A(<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""", r'\1"utf-8"', text)
            return text.encode("utf-8", errors="replace"), content_type.split(";", 1)[0]
    return body, content_type


def _looks_like_html(body: bytes) -> bool:
    """True when the document starts (after a BOM, comments and an XML declaration) like an HTML page."""
    start = PROLOG.match(body[:100_000])
    rest = body[start.end() if start else 0 :][:200]
    return HTML_START.match(rest) is not None


def _defuse_doctype(body: bytes) -> bytes:
    """Rebuild the DOCTYPE so nothing in it can be fetched or expand much.

    feedparser keeps flat entity declarations, so a 100 KB entity referenced 100,000 times
    (quadratic blowup) would expand to gigabytes in its lenient parser. Only entities whose
    value is one character reference or a few plain characters are kept; external ids,
    parameter entities and every other declaration are dropped.
    """
    prolog = PROLOG.match(body)
    at = prolog.end() if prolog else 0
    if not body.startswith(b"<!DOCTYPE", at):
        return body
    doctype = DOCTYPE.match(body, at)
    if doctype is None:
        raise FeedError("not a feed: unreadable DOCTYPE declaration")
    name, external, subset = doctype.group(1), doctype.group(2) or b"", doctype.group(3) or b""
    entities = [d.group(0) for d in DECLARATION.finditer(subset) if SAFE_ENTITY.fullmatch(d.group(0))]
    rebuilt = b"\n<!DOCTYPE " + name[:100]
    if b"netscape" in external.lower():  # tells feedparser this is Netscape RSS 0.91
        rebuilt += b' PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" ""'
    if entities:
        rebuilt += b" [\n" + b"\n".join(entities) + b"\n]"
    return body[:at] + rebuilt + b">" + body[doctype.end() :]


def parse_xml_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom with feedparser (DOCTYPEs defused, nothing fetched)."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    body = _defuse_doctype(body)
    # A file object, never the bytes themselves: feedparser opens bytes that name a local file.
    result = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=True, resolve_relative_uris=True
    )
    version = result.get("version") or ""
    if not version and not result.entries:
        if _looks_like_html(body) or "html" in content_type.lower():
            raise FeedError("not a feed: the server sent an HTML page")
        reason = result.get("bozo_exception")
        raise FeedError(f"not a feed: {reason}" if reason else "not a feed: no RSS or Atom content found")
    info = result.feed
    site = _http_url(urljoin(url, _string(info.get("link")))) or url
    media = _media_credits(body)
    if media is None or len(media) != len(result.entries):
        media = [{} for _ in result.entries]
    entries = tuple(_entry_from_feedparser(e, url, m) for e, m in zip(result.entries, media, strict=True))
    return ParsedFeed(
        format="atom" if version.startswith("atom") else "rss",
        title=_clip(_string(info.get("title"))),
        site_url=site,
        language=_clip(_string(info.get("language")), 50).lower(),
        entries=entries,
        warnings=_feedparser_warnings(result, content_type),
    )


def _feedparser_warnings(result: Any, content_type: str) -> tuple[str, ...]:
    error = result.get("bozo_exception") if result.get("bozo") else None
    if error is None or isinstance(error, feedparser.NonXMLContentType):
        return ()  # the content type is routinely wrong, and the body was sniffed anyway
    if isinstance(error, feedparser.CharacterEncodingOverride):
        # Only worth a word when the server named a charset that was wrong (not text/xml's us-ascii default).
        return (f"character encoding: {error}",) if "charset" in content_type.lower() else ()
    return (f"malformed feed, kept what parsed: {error}",)


def _entry_from_feedparser(entry: Any, feed_url: str, media: dict[str, tuple[str, str]]) -> FeedEntry:
    # feedparser already resolved relative links against xml:base and the feed URL.
    link = _first_http_link(feed_url, [_string(entry.get("link")), *_alternate_links(entry)])
    content = ""
    if entry.get("content"):
        content = _string(entry.content[0].get("value"))
    authors = [_string(a.get("name")) for a in entry.get("authors", []) if isinstance(a, dict)]
    if not any(authors):
        authors = [_string(entry.get("author"))]
    tags = [t for t in entry.get("tags", []) if isinstance(t, dict)]
    published = _struct_to_datetime(entry.get("published_parsed"))
    # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed (with a warning).
    updated = _struct_to_datetime(dict.get(entry, "updated_parsed"))
    return FeedEntry(
        guid=_clip(_string(entry.get("id")) or link, 2000),
        link=link,
        title=_clip(_string(entry.get("title"))),
        summary=_clip(_string(entry.get("summary"))),
        content=_clip(content),
        authors=_texts(authors, 200, MAX_CATEGORIES),
        categories=_texts(
            (_string(t.get("term")) or _string(t.get("label")) for t in tags), 100, MAX_CATEGORIES
        ),
        # RSS 1.0 dc:date and Atom without <published> only give feedparser an "updated" date.
        published=published or updated,
        updated=updated,
        images=_feedparser_images(entry, link or feed_url, media),
    )


def _alternate_links(entry: Any) -> list[str]:
    links = [x for x in entry.get("links", []) if isinstance(x, dict)]
    return [_string(x.get("href")) for x in links if x.get("rel", "alternate") == "alternate"]


def _first_http_link(base: str, candidates: list[str]) -> str:
    """The first candidate that resolves to an http(s) URL; '' when none does (javascript:, data:, ...)."""
    for candidate in candidates:
        if candidate.strip():
            url = _http_url(urljoin(base, candidate.strip()))
            if url:
                return url
    return ""


def _feedparser_images(entry: Any, base: str, media: dict[str, tuple[str, str]]) -> tuple[FeedImage, ...]:
    """Images from Media RSS and image enclosures; captions and credits come from ``media`` (by URL)."""
    images: list[FeedImage] = []
    credit = ""
    credits = entry.get("media_credit")
    if isinstance(credits, list) and credits and isinstance(credits[0], dict):
        credit = _string(credits[0].get("content"))
    media_items = list(entry.get("media_content", [])) + list(entry.get("media_thumbnail", []))
    for item in media_items:
        if not isinstance(item, dict) or not _string(item.get("url")).strip():
            continue
        medium = _string(item.get("medium")) or "image"
        kind = _string(item.get("type"))
        if medium == "image" and (not kind or kind.startswith("image/")):
            url = item["url"].strip()
            caption, own_credit = media.get(url, ("", ""))
            images.append(
                FeedImage(urljoin(base, url), _clip(caption, 2000), _clip(own_credit or credit, 300))
            )
    for enclosure in entry.get("enclosures", []):
        if not isinstance(enclosure, dict):
            continue
        if _string(enclosure.get("type")).startswith("image/") and _string(enclosure.get("href")):
            images.append(FeedImage(urljoin(base, enclosure["href"].strip())))
    return tuple(_unique_images(images))


def _media_credits(body: bytes) -> list[dict[str, tuple[str, str]]] | None:
    """Per item, image URL -> (caption, credit) from Media RSS, which feedparser does not keep.

    media:description and media:credit apply to the media element they sit in, else to the
    enclosing media:group, else to the whole item. None when the XML is not well-formed.
    """
    if b"search.yahoo.com/mrss" not in body:
        return None
    try:
        root = ElementTree.fromstring(body.lstrip(b"\xef\xbb\xbf \t\r\n"))
    except (DefusedXmlException, ElementTree.ParseError, ValueError):
        return None
    result = []
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        parents = {child: parent for parent in item.iter() for child in parent}
        found: dict[str, tuple[str, str]] = {}
        for element in item.iter():
            if not _is_media(element, "content", "thumbnail") or not element.get("url"):
                continue
            caption = credit = ""
            node: Any = element
            while node is not None and not (caption and credit):
                for child in node:
                    if not caption and _is_media(child, "description"):
                        caption = (child.text or "").strip()
                    if not credit and _is_media(child, "credit"):
                        credit = (child.text or "").strip()
                node = parents.get(node)
            found.setdefault(element.get("url", "").strip(), (caption, credit))
        result.append(found)
    return result


def _is_media(element: Any, *names: str) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    return "search.yahoo.com/mrss" in tag and _local(tag) in names


def _unique_images(images: list[FeedImage]) -> list[FeedImage]:
    seen: set[str] = set()
    unique = []
    for image in images:
        if _http_url(image.url) and image.url not in seen:
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
    site = _http_url(urljoin(url, _string(data.get("home_page_url")))) or url
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
        language=_clip(_string(data.get("language")), 50).lower(),
        entries=tuple(entries),
        warnings=tuple(warnings),
    )


def _entry_from_json(item: dict[str, Any], base: str) -> FeedEntry:
    link = _first_http_link(base, [_string(item.get("url")), _string(item.get("external_url"))])
    raw_authors, raw_tags = item.get("authors"), item.get("tags")
    authors_raw: list[Any] = raw_authors if isinstance(raw_authors, list) else [item.get("author")]
    authors = _texts(
        (_string(a.get("name")) for a in authors_raw if isinstance(a, dict)), 200, MAX_CATEGORIES
    )
    tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
    image = _string(item.get("image")) or _string(item.get("banner_image"))
    item_id = item.get("id")
    if isinstance(item_id, int | float) and not isinstance(item_id, bool):
        item_id = str(item_id)  # JSON Feed says string; numbers are common and unambiguous
    return FeedEntry(
        guid=_clip(_string(item_id) or link, 2000),
        link=link,
        title=_clip(_string(item.get("title"))),
        summary=_clip(_string(item.get("summary"))),
        content=_clip(_string(item.get("content_html")) or _string(item.get("content_text"))),
        authors=authors,
        categories=_texts((_string(t) for t in tags[:MAX_CATEGORIES]), 100, MAX_CATEGORIES),
        published=parse_datetime(_string(item.get("date_published"))),
        updated=parse_datetime(_string(item.get("date_modified"))),
        images=tuple(_unique_images([FeedImage(urljoin(link or base, image.strip()))]))
        if image.strip()
        else (),
        language=_clip(_string(item.get("language")), 50).lower(),
    )


def parse_sitemap(body: bytes, url: str) -> ParsedFeed:
    """Parse a sitemap (with Google News and image extensions) or a sitemap index.

    Elements are matched by local name, so a sitemap that forgot its namespace still reads.
    """
    try:
        root = ElementTree.fromstring(body.lstrip(b"\xef\xbb\xbf \t\r\n"), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedError(f"refused unsafe XML: {exc.__class__.__name__}") from exc
    except ElementTree.ParseError as exc:
        raise FeedError(f"malformed sitemap: {exc}") from exc
    if _local(root.tag) == "sitemapindex":
        locs = [_child_text(el, "loc") for el in root if _local(el.tag) == "sitemap"]
        sitemaps = [_http_url(urljoin(url, loc)) for loc in locs if loc]
        return ParsedFeed(format="sitemapindex", site_url=url, sitemaps=tuple(x for x in sitemaps if x))
    if _local(root.tag) != "urlset":
        raise FeedError(f"not a sitemap: the root element is <{_local(root.tag)[:50]}>")
    nodes = (node for node in root if _local(node.tag) == "url")
    entries = [e for e in (_entry_from_sitemap(node, url) for node in nodes) if e]
    title = ""
    for node in root.iter(f"{NEWS_NS}name"):
        title = _clip((node.text or "").strip(), 500)
        break
    return ParsedFeed(format="sitemap", title=title, site_url=url, entries=tuple(entries))


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(node: Any, name: str) -> Any:
    for child in node:
        if _local(child.tag) == name:
            return child
    return None


def _child_text(node: Any, name: str) -> str:
    child = _child(node, name)
    return (child.text or "").strip() if child is not None else ""


def _entry_from_sitemap(node: Any, base: str) -> FeedEntry | None:
    link = _http_url(urljoin(base, _child_text(node, "loc")))
    if not _child_text(node, "loc") or not link:
        return None
    news = _child(node, "news")
    title = published = language = ""
    if news is not None:
        title = _child_text(news, "title")
        published = _child_text(news, "publication_date")
        publication = _child(news, "publication")
        language = _child_text(publication, "language").lower() if publication is not None else ""
    lastmod = parse_datetime(_child_text(node, "lastmod"))
    images = [
        FeedImage(urljoin(base, _child_text(img, "loc")), _clip(_child_text(img, "caption"), 2000))
        for img in node
        if _local(img.tag) == "image" and _child_text(img, "loc")
    ]
    return FeedEntry(
        guid=link,
        link=link,
        title=_clip(title),
        published=parse_datetime(published) or lastmod,
        updated=lastmod,
        images=tuple(_unique_images(images)),
        language=_clip(language, 50),
    )


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


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _http_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL with a host, else ''."""
    url = CONTROL_CHARS.sub("", url.strip())
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return ""
    return parts.geturl() if parts.scheme in ("http", "https") and host else ""


def _clip(value: str, limit: int = MAX_TEXT) -> str:
    """Text safe to store: control characters and lone surrogates dropped, then cut to ``limit``."""
    return CONTROL_CHARS.sub("", value[: limit * 2])[:limit]


def _texts(values: Any, limit: int, count: int) -> tuple[str, ...]:
    """Distinct non-empty clipped texts, at most ``count`` of them."""
    result: list[str] = []
    for value in values:
        text = _clip(value, limit).strip()
        if text and text not in result:
            result.append(text)
            if len(result) >= count:
                break
    return tuple(result)
