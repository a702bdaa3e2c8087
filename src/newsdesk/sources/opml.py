"""Read and write OPML subscription lists; nesting becomes the sources' categories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from newsdesk.urls import web_url

MAX_OUTLINES = 50_000


class OpmlError(ValueError):
    """The file is not an OPML subscription list we can read."""


@dataclass(frozen=True)
class OpmlFeed:
    feed_url: str
    title: str = ""
    site_url: str = ""
    category: str = ""  # the path of enclosing outlines, joined by " / "
    language: str = ""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Return every feed outline, with the titles of its enclosing outlines as its category."""
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise OpmlError(f"refused unsafe XML: {exc.__class__.__name__}") from exc
    except ElementTree.ParseError as exc:
        raise OpmlError(f"not valid XML: {exc}") from exc
    body = root.find("body")
    if root.tag.lower() != "opml" or body is None:
        raise OpmlError("not an OPML file: no <opml><body>")
    feeds: list[OpmlFeed] = []
    _walk(body, [], feeds)
    return feeds


def _walk(node: Element, path: list[str], feeds: list[OpmlFeed]) -> None:
    for outline in node.findall("outline"):
        if len(feeds) >= MAX_OUTLINES:
            return
        title = (outline.get("title") or outline.get("text") or "").strip()
        raw_url = (outline.get("xmlUrl") or "").strip()
        url = web_url(raw_url)
        if url:
            feeds.append(
                OpmlFeed(
                    url,
                    title,
                    web_url(outline.get("htmlUrl")),  # javascript: or data: would become the source's link
                    " / ".join(path),
                    (outline.get("language") or "").strip(),
                )
            )
        elif not raw_url:
            _walk(outline, [*path, title] if title else path, feeds)


def write_opml(feeds: Iterable[OpmlFeed], title: str = "newsdesk subscriptions") -> bytes:
    """Write an OPML 2.0 file, nesting feeds under outlines named by their category path."""
    root = Element("opml", version="2.0")
    SubElement(SubElement(root, "head"), "title").text = title
    body = SubElement(root, "body")
    folders: dict[tuple[str, ...], Element] = {(): body}
    for feed in feeds:
        path = tuple(p.strip() for p in feed.category.split(" / ") if p.strip())
        parent = _folder(folders, path)
        attributes = {
            "type": "rss",
            "text": feed.title or feed.feed_url,
            "title": feed.title or feed.feed_url,
            "xmlUrl": feed.feed_url,
        }
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        if feed.language:
            attributes["language"] = feed.language
        SubElement(parent, "outline", attributes)
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document


def _folder(folders: dict[tuple[str, ...], Element], path: tuple[str, ...]) -> Element:
    if path not in folders:
        parent = _folder(folders, path[:-1])
        folders[path] = SubElement(parent, "outline", {"text": path[-1], "title": path[-1]})
    return folders[path]
