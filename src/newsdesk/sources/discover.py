"""Find the feeds a web page advertises, and the paths where feeds usually live."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import html as lxml_html
from lxml.etree import ParserError

from newsdesk.urls import resolve_url

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "jsonfeed",
    "application/json": "jsonfeed",
    "application/rdf+xml": "rss",
    "text/xml": "rss",
    "application/xml": "rss",
}
COMMON_FEED_PATHS = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/news-sitemap.xml",
    "/sitemap_news.xml",
)


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str
    kind: str


def discover_feed_links(page: bytes, base_url: str) -> list[FeedLink]:
    """Return the feeds named by <link rel="alternate"> in an HTML page, in page order.

    Relative hrefs resolve against the page's <base href> (when it is http(s)) and the page URL;
    only http(s) feeds are returned, each once.
    """
    try:
        tree = lxml_html.fromstring(page[:2_000_000])
    except (ParserError, ValueError):
        return []
    base = base_url
    for element in tree.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            base = resolve_url(base_url, href) or base_url
            break  # only the first <base> counts
    links: list[FeedLink] = []
    seen: set[str] = set()
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = FEED_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or not kind or not href:
            continue
        url = resolve_url(base, href)
        if kind == "jsonfeed" and "/wp-json/" in url:
            continue  # WordPress REST API links say application/json too; they are not feeds
        if url and url not in seen:
            seen.add(url)
            title = " ".join((link.get("title") or "").split())[:300]
            links.append(FeedLink(url, title, kind))
    return links


def candidate_feed_urls(site_url: str) -> list[str]:
    """Return the common feed locations of a site, to try when a page advertises none."""
    return [urljoin(site_url, path) for path in COMMON_FEED_PATHS]
