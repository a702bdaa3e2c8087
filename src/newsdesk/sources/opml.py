"""Read and write OPML subscription lists: folders, the real feed type and newsdesk's own source settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from newsdesk.sources.feedtypes import clip
from newsdesk.urls import web_url

MAX_OUTLINES = 50_000
# newsdesk's own settings ride along in attributes of this namespace; other readers ignore them.
NS = "https://newsdesk.dev/ns/opml/1"
FORMATS = ("rss", "atom", "jsonfeed", "sitemap")
SETTINGS = ("country", "category", "disabled", "pollIntervalMin", "pollIntervalMax")
register_namespace("newsdesk", NS)


class OpmlError(ValueError):
    """The file is not an OPML subscription list we can read."""


@dataclass(frozen=True)
class OpmlFeed:
    feed_url: str
    title: str = ""
    site_url: str = ""
    folder: str = ""  # the enclosing outlines' titles, joined by " / " (a name's own "/" stays as it is)
    language: str = ""
    feed_format: str = ""  # rss, atom, jsonfeed or sitemap; '' when the file does not say
    country: str = ""
    category: str = ""
    enabled: bool = True
    interval_min: int | None = None
    interval_max: int | None = None


@dataclass(frozen=True)
class OpmlList:
    """The feeds of a file, and each outline left out with why (URL or title, reason)."""

    feeds: list[OpmlFeed] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """'read 4 feeds; skipped 2: gopher://… (not an http(s) feed URL), …'"""
        text = f"read {len(self.feeds)} {'feed' if len(self.feeds) == 1 else 'feeds'}"
        if self.skipped:
            text += f"; skipped {len(self.skipped)}: " + "; ".join(f"{w} ({why})" for w, why in self.skipped)
        return text


def read_opml(data: bytes) -> OpmlList:
    """Every feed outline (in any attribute case, feed:// URLs too), with its folder path and settings."""
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise OpmlError(f"refused unsafe XML: {exc.__class__.__name__}") from exc
    except ElementTree.ParseError as exc:
        raise OpmlError(f"not valid XML: {exc}") from exc
    body = next((child for child in root if child.tag.lower() == "body"), None)
    if root.tag.lower() != "opml" or body is None:
        raise OpmlError("not an OPML file: no <opml><body>")
    found = OpmlList()
    _walk(body, [], found, set())
    return found


def attributes_of(outline: Element) -> dict[str, str]:
    """An outline's attributes by lower-case name (xmlUrl, xmlurl and XMLURL alike); namespaced ones by
    ``newsdesk:name``."""
    result = {}
    for name, value in outline.attrib.items():
        key = f"newsdesk:{name[len(NS) + 2 :].lower()}" if name.startswith(f"{{{NS}}}") else name.lower()
        result[key] = value.strip()
    return result


def feed_url_of(raw: str) -> str:
    """The http(s) URL of an outline's xmlUrl, with the feed:// and feed:https:// forms readers use."""
    if raw.lower().startswith("feed:"):
        rest = raw[5:]
        raw = rest if rest.lower().startswith(("http://", "https://")) else "http:" + rest
    return web_url(raw)


def _walk(node: Element, path: list[str], found: OpmlList, seen: set[str]) -> None:
    for outline in (child for child in node if child.tag.lower() == "outline"):
        if len(found.feeds) >= MAX_OUTLINES:
            found.skipped.append(("…", f"more than {MAX_OUTLINES} feeds"))
            return
        attributes = attributes_of(outline)
        title = clip(attributes.get("title") or attributes.get("text") or "", 200)
        raw_url = attributes.get("xmlurl", "")
        url = feed_url_of(raw_url)
        if url and url in seen:
            found.skipped.append((url, "listed twice"))
        elif url:
            seen.add(url)
            found.feeds.append(_feed(url, title, " / ".join(path), attributes))
        elif raw_url:
            found.skipped.append((raw_url[:200], "not an http(s) feed URL"))
        elif len(outline):
            _walk(outline, [*path, title] if title else path, found, seen)
        elif attributes.get("url") or attributes.get("htmlurl"):
            found.skipped.append((title or attributes.get("url", ""), "a link to a page, not a feed"))


def _feed(url: str, title: str, folder: str, attributes: dict[str, str]) -> OpmlFeed:
    kind = attributes.get("newsdesk:format") or attributes.get("type", "").lower()
    return OpmlFeed(
        url,
        title,
        web_url(attributes.get("htmlurl", "")),  # javascript: or data: would become the source's link
        folder,
        attributes.get("language", "")[:12],
        kind if kind in FORMATS else "",
        attributes.get("newsdesk:country", "")[:2].upper(),
        attributes.get("newsdesk:category", "")[:40],
        attributes.get("newsdesk:disabled", "").lower() not in ("true", "1", "yes"),
        _seconds(attributes.get("newsdesk:pollintervalmin", "")),
        _seconds(attributes.get("newsdesk:pollintervalmax", "")),
    )


def _seconds(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < int(value) <= 10_000_000 else None


def write_opml(feeds: Iterable[OpmlFeed], title: str = "newsdesk subscriptions") -> bytes:
    """Write an OPML 2.0 file: one outline per folder (its whole name), the feed type, newsdesk's settings."""
    root = Element("opml", version="2.0")
    SubElement(SubElement(root, "head"), "title").text = title
    body = SubElement(root, "body")
    folders: dict[str, Element] = {"": body}
    for feed in feeds:
        if feed.folder not in folders:
            folders[feed.folder] = SubElement(body, "outline", {"text": feed.folder, "title": feed.folder})
        SubElement(folders[feed.folder], "outline", _attributes(feed))
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document


def _attributes(feed: OpmlFeed) -> dict[str, str]:
    attributes = {
        "type": feed.feed_format or "rss",
        "text": feed.title or feed.feed_url,
        "title": feed.title or feed.feed_url,
        "xmlUrl": feed.feed_url,
    }
    optional = {
        "htmlUrl": feed.site_url,
        "language": feed.language,
        f"{{{NS}}}format": feed.feed_format,
        f"{{{NS}}}country": feed.country,
        f"{{{NS}}}category": feed.category,
        f"{{{NS}}}disabled": "" if feed.enabled else "true",
        f"{{{NS}}}pollIntervalMin": str(feed.interval_min or ""),
        f"{{{NS}}}pollIntervalMax": str(feed.interval_max or ""),
    }
    return attributes | {name: value for name, value in optional.items() if value}
