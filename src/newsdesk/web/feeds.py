"""Output feeds (Atom, RSS 2.0, JSON Feed) of any list of articles: real authors, the text, the lead image,
update times, languages and the origin of each entry, with absolute links."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from markupsafe import escape
from starlette.requests import Request

from newsdesk.store.models import Article
from newsdesk.urls import shown_url

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DCTERMS_NS = "http://purl.org/dc/terms/"
XML_LANG = "xml:lang"
FORMATS = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
EMPTY_FEED_TIME = datetime(2026, 1, 1, tzinfo=UTC)
BLOCK_TAGS = {"h": "h2", "quote": "blockquote", "li": "li"}


def feed_links(request: Request | None, path: str, title: str) -> list[dict[str, str]]:
    """The <link rel=alternate> entries of a page: its feed in every format (with the request's query)."""
    query = f"?{request.url.query}" if request is not None and request.url.query else ""
    return [
        {"href": f"/feeds/{path}.{fmt}{query}", "type": kind.split(";")[0], "title": f"{title} ({fmt})"}
        for fmt, kind in FORMATS.items()
    ]


@dataclass(frozen=True)
class FeedInfo:
    title: str
    page_url: str
    feed_url: str


@dataclass(frozen=True)
class FeedItem:
    """One entry as every format shows it (all URLs absolute)."""

    url: str
    title: str
    summary: str
    content_html: str
    authors: tuple[str, ...]
    published: datetime
    updated: datetime
    language: str
    category: str
    image: str
    source_name: str
    # The source's own feed on this site, without the format's extension: RSS <source url>, Atom <source>.
    # Never the publisher's feed URL, which only administrators see (it can name an internal address).
    source_feed: str
    source_site: str
    original_url: str


def body_html(blocks: list[dict[str, Any]]) -> str:
    """An article's blocks as simple, escaped HTML (headings, quotes, list items, paragraphs)."""
    parts = []
    for block in blocks:
        tag = BLOCK_TAGS.get(str(block.get("kind")), "p")
        text = escape(str(block.get("text", "")))
        parts.append(f"<ul><li>{text}</li></ul>" if tag == "li" else f"<{tag}>{text}</{tag}>")
    return "\n".join(parts)


def feed_item(article: Article, summary: dict[str, Any], base: str, full_text: bool) -> FeedItem:
    """The feed entry of an article (its list summary gives the page URL and title shown)."""
    excerpt = summary.get("excerpt") or summary["title"]
    content = body_html(article.body) if full_text and article.body else f"<p>{escape(excerpt)}</p>"
    return FeedItem(
        url=base + summary["url"],
        title=summary["title"],
        summary=excerpt,
        content_html=content,
        authors=tuple(article.authors),
        published=article.published_at,
        updated=max(article.updated_at or article.published_at, article.published_at),
        language=article.language,
        category=article.category_slug or "",
        image=shown_url(article.lead_image_url),
        source_name=article.source.name,
        source_feed=f"{base}/feeds/source/{article.source.slug}",
        source_site=shown_url(article.source.site_url),
        original_url=shown_url(article.url),
    )


def last_modified(items: list[FeedItem]) -> datetime:
    """When the feed last changed: the latest publication or update of its entries."""
    return max((i.updated for i in items), default=EMPTY_FEED_TIME)


def feed_language(items: list[FeedItem]) -> str:
    """The feed's language when every entry has the same one, else ''."""
    languages = {i.language for i in items}
    return languages.pop() if len(languages) == 1 else ""


def image_type(url: str) -> str:
    return mimetypes.guess_type(url.split("?", 1)[0])[0] or "image/jpeg"


def render_feed(fmt: str, info: FeedInfo, items: list[FeedItem]) -> bytes:
    """Render ``items`` as a feed in ``fmt``: atom, rss or json."""
    if fmt == "json":
        return json_feed(info, items)
    if fmt == "rss":
        return rss_feed(info, items)
    return atom_feed(info, items)


def atom_feed(info: FeedInfo, items: list[FeedItem]) -> bytes:
    feed = Element("feed", {"xmlns": ATOM_NS, "xmlns:media": MEDIA_NS})
    if feed_language(items):
        feed.set(XML_LANG, feed_language(items))
    SubElement(feed, "title").text = info.title
    SubElement(feed, "id").text = info.feed_url
    SubElement(feed, "updated").text = last_modified(items).isoformat()
    SubElement(feed, "link", href=info.page_url, rel="alternate", type="text/html")
    SubElement(feed, "link", href=info.feed_url, rel="self", type="application/atom+xml")
    SubElement(SubElement(feed, "author"), "name").text = "newsdesk"
    for item in items:
        atom_entry(feed, item)
    document: bytes = tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def atom_entry(feed: Element, item: FeedItem) -> None:
    entry = SubElement(feed, "entry")
    if item.language:
        entry.set(XML_LANG, item.language)
    SubElement(entry, "title").text = item.title
    SubElement(entry, "id").text = item.url
    SubElement(entry, "link", href=item.url, rel="alternate", type="text/html")
    if item.original_url:
        SubElement(entry, "link", href=item.original_url, rel="via", type="text/html")
    if item.image:
        SubElement(entry, "link", href=item.image, rel="enclosure", type=image_type(item.image))
    SubElement(entry, "published").text = item.published.isoformat()
    SubElement(entry, "updated").text = item.updated.isoformat()
    for name in item.authors or (item.source_name,):
        SubElement(SubElement(entry, "author"), "name").text = name
    if item.category:
        SubElement(entry, "category", term=item.category)
    SubElement(entry, "summary", type="text").text = item.summary
    SubElement(entry, "content", type="html").text = item.content_html
    if item.image:
        SubElement(entry, "media:content", url=item.image, medium="image", type=image_type(item.image))
    source = SubElement(entry, "source")
    SubElement(source, "id").text = item.source_feed + ".atom"
    SubElement(source, "title").text = item.source_name
    SubElement(source, "link", href=item.source_feed + ".atom", rel="self", type="application/atom+xml")
    if item.source_site:
        SubElement(source, "link", href=item.source_site, rel="alternate", type="text/html")


def rss_feed(info: FeedInfo, items: list[FeedItem]) -> bytes:
    namespaces = {
        "atom": ATOM_NS,
        "media": MEDIA_NS,
        "dc": DC_NS,
        "dcterms": DCTERMS_NS,
        "content": CONTENT_NS,
    }
    rss = Element("rss", {"version": "2.0", **{f"xmlns:{p}": uri for p, uri in namespaces.items()}})
    channel = SubElement(rss, "channel")
    SubElement(channel, "title").text = info.title
    SubElement(channel, "link").text = info.page_url
    SubElement(channel, "description").text = f"{info.title}, from newsdesk"
    if feed_language(items):
        SubElement(channel, "language").text = feed_language(items)
    SubElement(channel, "lastBuildDate").text = format_datetime(last_modified(items))
    SubElement(channel, "atom:link", href=info.feed_url, rel="self", type="application/rss+xml")
    for item in items:
        rss_item(channel, item)
    document: bytes = tostring(rss, encoding="utf-8", xml_declaration=True)
    return document


def rss_item(channel: Element, item: FeedItem) -> None:
    entry = SubElement(channel, "item")
    SubElement(entry, "title").text = item.title
    SubElement(entry, "link").text = item.url
    SubElement(entry, "guid", isPermaLink="true").text = item.url
    SubElement(entry, "pubDate").text = format_datetime(item.published)
    for name in item.authors:
        SubElement(entry, "dc:creator").text = name
    if item.language:
        SubElement(entry, "dc:language").text = item.language
    if item.updated != item.published:
        SubElement(entry, "dcterms:modified").text = item.updated.isoformat()
    if item.category:
        SubElement(entry, "category").text = item.category
    SubElement(entry, "description").text = str(escape(item.summary))  # RSS readers take it as HTML
    SubElement(entry, "content:encoded").text = item.content_html
    if item.image:
        # RSS wants a length; 0 says it is unknown (the image is not downloaded to count its bytes).
        SubElement(entry, "enclosure", url=item.image, length="0", type=image_type(item.image))
        SubElement(entry, "media:content", url=item.image, medium="image", type=image_type(item.image))
    SubElement(entry, "source", url=item.source_feed + ".rss").text = item.source_name


def json_feed(info: FeedInfo, items: list[FeedItem]) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": info.page_url,
        "feed_url": info.feed_url,
        "language": feed_language(items) or None,
        "items": [json_item(item) for item in items],
    }
    return json.dumps({k: v for k, v in feed.items() if v is not None}, ensure_ascii=False, indent=1).encode()


def json_item(item: FeedItem) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": item.url,
        "url": item.url,
        "external_url": item.original_url or None,
        "title": item.title,
        "summary": item.summary,
        "content_html": item.content_html,
        "image": item.image or None,
        "date_published": item.published.isoformat(),
        "date_modified": item.updated.isoformat(),
        "authors": [{"name": name} for name in item.authors or (item.source_name,)],
        "tags": [item.category] if item.category else [],
        "language": item.language or None,
    }
    return {k: v for k, v in fields.items() if v is not None}
