"""Parse feed bytes into plain entries: RSS and Atom here (feedparser), JSON Feed and sitemaps beside it."""

from __future__ import annotations

import io
import re
from typing import Any

import feedparser
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

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
    string_or_empty,
    struct_to_datetime,
    title_text,
    unique_enclosures,
    unique_images,
)
from newsdesk.sources.jsonfeed import parse_json_feed
from newsdesk.sources.sitemaps import _local, parse_sitemap
from newsdesk.urls import resolve_url

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
    if looks_like_html(body):
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


def looks_like_html(body: bytes) -> bool:
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
        if looks_like_html(body) or "html" in content_type.lower():
            raise FeedError("not a feed: the server sent an HTML page")
        reason = result.get("bozo_exception")
        raise FeedError(f"not a feed: {reason}" if reason else "not a feed: no RSS or Atom content found")
    info = result.feed
    site = resolve_url(url, string_or_empty(info.get("link"))) or url
    media = _media_credits(body)
    if media is None or len(media) != len(result.entries):
        media = [{} for _ in result.entries]
    authors = feed_authors(info, version)
    hubs, self_url = feed_level_links(info, url)
    entries = tuple(
        _entry_from_feedparser(e, url, m, authors) for e, m in zip(result.entries, media, strict=True)
    )
    return ParsedFeed(
        format="atom" if version.startswith("atom") else "rss",
        title=clip(title_text(string_or_empty(info.get("title")), detail_type(info, "title_detail"))),
        site_url=site,
        language=clip(string_or_empty(info.get("language")), 50).lower(),
        entries=entries,
        warnings=_feedparser_warnings(result, content_type),
        hubs=hubs,
        self_url=self_url,
    )


def feed_level_links(info: Any, url: str) -> tuple[tuple[str, ...], str]:
    """The hubs and the self link of the feed itself (Atom's links, RSS's atom:link), never an entry's."""
    links = [x for x in info.get("links", []) if isinstance(x, dict)]
    hrefs = [(string_or_empty(x.get("rel")), resolve_url(url, string_or_empty(x.get("href")))) for x in links]
    hubs = distinct_texts((href for rel, href in hrefs if rel == "hub" and href), 2000, 5)
    return hubs, next((href for rel, href in hrefs if rel == "self" and href), "")


def _feedparser_warnings(result: Any, content_type: str) -> tuple[str, ...]:
    error = result.get("bozo_exception") if result.get("bozo") else None
    if error is None or isinstance(error, feedparser.NonXMLContentType):
        return ()  # the content type is routinely wrong, and the body was sniffed anyway
    if isinstance(error, feedparser.CharacterEncodingOverride):
        # Only worth a word when the server named a charset that was wrong (not text/xml's us-ascii default).
        return (f"character encoding: {error}",) if "charset" in content_type.lower() else ()
    return (f"malformed feed, kept what parsed: {error}",)


def feed_authors(info: Any, version: str) -> tuple[str, ...]:
    """The feed-level authors its entries inherit: Atom's (RFC 4287 4.2.1) and podcasts' itunes:author.

    An RSS managingEditor (an e-mail address, which feedparser also calls the author) is an editor, not
    the author of every item, so authors with an e-mail address are not inherited from RSS channels.
    """
    found = [a for a in info.get("authors", []) if isinstance(a, dict)]
    if not version.startswith("atom"):
        found = [a for a in found if not a.get("email")]
    return distinct_texts((string_or_empty(a.get("name")) for a in found), 200, MAX_CATEGORIES)


def _entry_from_feedparser(
    entry: Any, feed_url: str, media: dict[str, tuple[str, str]], feed_authors: tuple[str, ...] = ()
) -> FeedEntry:
    # feedparser already resolved relative links against xml:base and the feed URL.
    link = first_http_link(feed_url, [string_or_empty(entry.get("link")), *_alternate_links(entry)])
    content = ""
    if entry.get("content"):
        content = string_or_empty(entry.content[0].get("value"))
    if content.strip() in {caption for caption, _ in media.values() if caption}:
        content = ""  # feedparser gives a media:description as the entry's content: it is a caption
    authors = [string_or_empty(a.get("name")) for a in entry.get("authors", []) if isinstance(a, dict)]
    if not any(authors):
        authors = [string_or_empty(entry.get("author"))]
    if not any(authors):
        authors = list(feed_authors)
    tags = [t for t in entry.get("tags", []) if isinstance(t, dict)]
    published = struct_to_datetime(entry.get("published_parsed"))
    # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed (with a warning).
    updated = struct_to_datetime(dict.get(entry, "updated_parsed"))
    return FeedEntry(
        guid=clip(string_or_empty(entry.get("id")) or link, 2000),
        link=link,
        title=clip(title_text(string_or_empty(entry.get("title")), detail_type(entry, "title_detail"))),
        summary=clip(string_or_empty(entry.get("summary"))),
        content=clip(content),
        authors=distinct_texts(authors, 200, MAX_CATEGORIES),
        categories=distinct_texts(
            (string_or_empty(t.get("term")) or string_or_empty(t.get("label")) for t in tags),
            100,
            MAX_CATEGORIES,
        ),
        # RSS 1.0 dc:date and Atom without <published> only give feedparser an "updated" date.
        published=published or updated,
        updated=updated,
        images=_feedparser_images(entry, link or feed_url, media),
        enclosures=_feedparser_enclosures(entry, link or feed_url),
    )


def _feedparser_enclosures(entry: Any, base: str) -> tuple[FeedEnclosure, ...]:
    """Audio, video and other files: RSS enclosures, Atom enclosure links, Media RSS audio and video."""
    found = []
    for item in entry.get("enclosures", []):
        if isinstance(item, dict) and not string_or_empty(item.get("type")).startswith("image/"):
            found.append(
                enclosure(
                    base,
                    string_or_empty(item.get("href")),
                    string_or_empty(item.get("type")),
                    item.get("length"),
                )
            )
    for item in entry.get("media_content", []):
        if not isinstance(item, dict):
            continue
        kind, medium = string_or_empty(item.get("type")), string_or_empty(item.get("medium"))
        if FeedEnclosure.medium_of(kind, medium) in ("audio", "video"):
            found.append(
                enclosure(base, string_or_empty(item.get("url")), kind, item.get("filesize"), medium)
            )
    return unique_enclosures(found)


def _alternate_links(entry: Any) -> list[str]:
    links = [x for x in entry.get("links", []) if isinstance(x, dict)]
    return [string_or_empty(x.get("href")) for x in links if x.get("rel", "alternate") == "alternate"]


def detail_type(node: Any, key: str) -> str:
    """The content type feedparser read for a value (title_detail.type), '' when it says none."""
    detail = node.get(key) if hasattr(node, "get") else None
    return string_or_empty(detail.get("type")) if isinstance(detail, dict) else ""


def _feedparser_images(entry: Any, base: str, media: dict[str, tuple[str, str]]) -> tuple[FeedImage, ...]:
    """Images from Media RSS and image enclosures; captions and credits come from ``media`` (by URL)."""
    images: list[FeedImage] = []
    credit = ""
    credits = entry.get("media_credit")
    if isinstance(credits, list) and credits and isinstance(credits[0], dict):
        credit = string_or_empty(credits[0].get("content"))
    media_items = list(entry.get("media_content", [])) + list(entry.get("media_thumbnail", []))
    for item in media_items:
        if not isinstance(item, dict) or not string_or_empty(item.get("url")).strip():
            continue
        medium = string_or_empty(item.get("medium")) or "image"
        kind = string_or_empty(item.get("type"))
        if medium == "image" and (not kind or kind.startswith("image/")):
            url = item["url"].strip()
            caption, own_credit = media.get(url, ("", ""))
            images.append(
                FeedImage(resolve_url(base, url), clip(caption, 2000), clip(own_credit or credit, 300))
            )
    for attached in entry.get("enclosures", []):
        if not isinstance(attached, dict):
            continue
        if string_or_empty(attached.get("type")).startswith("image/") and string_or_empty(
            attached.get("href")
        ):
            images.append(FeedImage(resolve_url(base, attached["href"])))
    return tuple(unique_images(images))


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
