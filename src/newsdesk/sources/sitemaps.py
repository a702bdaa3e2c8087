"""News sitemaps and sitemap indexes: entries from <url> elements with their news and image metadata."""

from __future__ import annotations

from typing import Any

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from newsdesk.sources.feedtypes import (
    FeedEntry,
    FeedError,
    FeedImage,
    ParsedFeed,
    clip,
    parse_datetime,
    unique_images,
)
from newsdesk.urls import resolve_url

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
IMAGE_NS = "{http://www.google.com/schemas/sitemap-image/1.1}"


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
        sitemaps = [resolve_url(url, loc) for loc in locs if loc]
        return ParsedFeed(format="sitemapindex", site_url=url, sitemaps=tuple(x for x in sitemaps if x))
    if _local(root.tag) != "urlset":
        raise FeedError(f"not a sitemap: the root element is <{_local(root.tag)[:50]}>")
    nodes = (node for node in root if _local(node.tag) == "url")
    entries = [e for e in (_entry_from_sitemap(node, url) for node in nodes) if e]
    title = ""
    for node in root.iter(f"{NEWS_NS}name"):
        title = clip((node.text or "").strip(), 500)
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
    link = resolve_url(base, _child_text(node, "loc"))
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
        FeedImage(resolve_url(base, _child_text(img, "loc")), clip(_child_text(img, "caption"), 2000))
        for img in node
        if _local(img.tag) == "image" and _child_text(img, "loc")
    ]
    return FeedEntry(
        guid=link,
        link=link,
        title=clip(title),
        published=parse_datetime(published) or lastmod,
        updated=lastmod,
        images=tuple(unique_images(images)),
        language=clip(language, 50),
    )
