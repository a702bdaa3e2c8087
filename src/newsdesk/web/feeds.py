"""Output feeds (Atom, RSS 2.0, JSON Feed) of any list of articles, with absolute links."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from starlette.requests import Request

ATOM_NS = "http://www.w3.org/2005/Atom"
FORMATS = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


def feed_links(request: Request | None, path: str, title: str) -> list[dict[str, str]]:
    """The <link rel=alternate> entries of a page: its feed in every format (with the request's query)."""
    query = f"?{request.url.query}" if request is not None and request.url.query else ""
    return [
        {"href": f"/feeds/{path}.{fmt}{query}", "type": kind.split(";")[0], "title": f"{title} ({fmt})"}
        for fmt, kind in FORMATS.items()
    ]


def _updated(items: list[dict[str, Any]]) -> datetime:
    stamps = [datetime.fromisoformat(str(i["published_at"]).replace("Z", "+00:00")) for i in items]
    return max(stamps, default=datetime(2026, 1, 1, tzinfo=UTC))


def _when(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(item["published_at"]).replace("Z", "+00:00"))


def render_feed(
    fmt: str, title: str, page_url: str, feed_url: str, items: list[dict[str, Any]], base: str
) -> bytes:
    """Render ``items`` (article summaries) as a feed in ``fmt``: atom, rss or json."""
    if fmt == "json":
        return json_feed(title, page_url, feed_url, items, base)
    if fmt == "rss":
        return rss_feed(title, page_url, feed_url, items, base)
    return atom_feed(title, page_url, feed_url, items, base)


def atom_feed(title: str, page_url: str, feed_url: str, items: list[dict[str, Any]], base: str) -> bytes:
    feed = Element("feed", xmlns=ATOM_NS)
    SubElement(feed, "title").text = title
    SubElement(feed, "id").text = feed_url
    SubElement(feed, "updated").text = _updated(items).isoformat()
    SubElement(feed, "link", href=page_url, rel="alternate", type="text/html")
    SubElement(feed, "link", href=feed_url, rel="self", type="application/atom+xml")
    SubElement(SubElement(feed, "author"), "name").text = "newsdesk"
    for item in items:
        entry = SubElement(feed, "entry")
        url = base + item["url"]
        SubElement(entry, "title").text = item["title"]
        SubElement(entry, "id").text = url
        SubElement(entry, "link", href=url, rel="alternate", type="text/html")
        SubElement(entry, "published").text = _when(item).isoformat()
        SubElement(entry, "updated").text = _when(item).isoformat()
        SubElement(SubElement(entry, "author"), "name").text = item["source"]["name"]
        if item.get("category"):
            SubElement(entry, "category", term=item["category"])
        SubElement(entry, "summary", type="text").text = item.get("excerpt") or item["title"]
    document: bytes = tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def rss_feed(title: str, page_url: str, feed_url: str, items: list[dict[str, Any]], base: str) -> bytes:
    rss = Element("rss", version="2.0", attrib={"xmlns:atom": ATOM_NS})
    channel = SubElement(rss, "channel")
    SubElement(channel, "title").text = title
    SubElement(channel, "link").text = page_url
    SubElement(channel, "description").text = f"{title}, from newsdesk"
    SubElement(channel, "lastBuildDate").text = format_datetime(_updated(items))
    SubElement(channel, "atom:link", href=feed_url, rel="self", type="application/rss+xml")
    for item in items:
        entry = SubElement(channel, "item")
        url = base + item["url"]
        SubElement(entry, "title").text = item["title"]
        SubElement(entry, "link").text = url
        SubElement(entry, "guid", isPermaLink="true").text = url
        SubElement(entry, "pubDate").text = format_datetime(_when(item))
        SubElement(entry, "source", url=feed_url).text = item["source"]["name"]
        if item.get("category"):
            SubElement(entry, "category").text = item["category"]
        SubElement(entry, "description").text = item.get("excerpt") or item["title"]
    document: bytes = tostring(rss, encoding="utf-8", xml_declaration=True)
    return document


def json_feed(title: str, page_url: str, feed_url: str, items: list[dict[str, Any]], base: str) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": page_url,
        "feed_url": feed_url,
        "items": [
            {
                "id": base + item["url"],
                "url": base + item["url"],
                "title": item["title"],
                "summary": item.get("excerpt") or item["title"],
                "content_text": item.get("excerpt") or item["title"],
                "date_published": _when(item).isoformat(),
                "authors": [{"name": item["source"]["name"]}],
                "tags": [item["category"]] if item.get("category") else [],
                "language": item.get("language") or None,
            }
            for item in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")
