"""Read article metadata a page declares: JSON-LD, Open Graph and article meta, <time>, canonical link."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from newsdesk.extract.dates import date_from_text, is_plausible
from newsdesk.urls import resolve_url

ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "report",
    "liveblogposting",
}


@dataclass
class PageMetadata:
    title: str = ""
    description: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None  # in the page's own time zone
    updated: datetime | None = None
    canonical_url: str = ""
    site_name: str = ""
    section: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = ""
    lead_image: str = ""
    article_body: str = ""
    title_from_html: bool = False
    accessible_for_free: bool | None = None


def read_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    """Collect metadata, most trusted source first: JSON-LD, then meta tags, then markup."""
    meta = PageMetadata()
    _apply_json_ld(meta, tree, url)
    _apply_meta_tags(meta, tree, url)
    _apply_markup(meta, tree, url)
    return meta


def _apply_json_ld(meta: PageMetadata, tree: HtmlElement, url: str) -> None:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip()[:2_000_000])
        except (ValueError, RecursionError):
            continue
        for node in _json_ld_nodes(data):
            if _is_article(node):
                _fill_from_article_node(meta, node, url)
                return


def _json_ld_nodes(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    if depth > 4:
        return []
    if isinstance(data, list):
        return [n for item in data for n in _json_ld_nodes(item, depth + 1)]
    if isinstance(data, dict):
        nodes = [data]
        if isinstance(data.get("@graph"), list):
            nodes += [n for item in data["@graph"] for n in _json_ld_nodes(item, depth + 1)]
        return nodes
    return []


def _is_article(node: dict[str, Any]) -> bool:
    types = node.get("@type", "")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.lower() in ARTICLE_TYPES for t in names)


def _fill_from_article_node(meta: PageMetadata, node: dict[str, Any], url: str) -> None:
    meta.title = _text(node.get("headline")) or meta.title
    meta.description = _text(node.get("description")) or meta.description
    meta.authors = _names(node.get("author")) or meta.authors
    meta.published = parse_date(_text(node.get("datePublished"))) or meta.published
    meta.updated = parse_date(_text(node.get("dateModified"))) or meta.updated
    meta.section = _first_text(node.get("articleSection")) or meta.section
    meta.keywords = _keywords(node.get("keywords")) or meta.keywords
    meta.language = _text(node.get("inLanguage")) or meta.language
    meta.article_body = _text(node.get("articleBody")) or meta.article_body
    meta.accessible_for_free = _free(node)
    publisher = node.get("publisher")
    if isinstance(publisher, dict):
        meta.site_name = _text(publisher.get("name")) or meta.site_name
    image = node.get("image")
    image_url = _first_text(image) or (_text(image.get("url")) if isinstance(image, dict) else "")
    if not image_url and isinstance(image, list) and image and isinstance(image[0], dict):
        image_url = _text(image[0].get("url"))
    if image_url:
        meta.lead_image = resolve_url(url, image_url)


def _apply_meta_tags(meta: PageMetadata, tree: HtmlElement, url: str) -> None:
    tags: dict[str, str] = {}
    authors: list[str] = []
    keywords: list[str] = []
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
        content = (element.get("content") or "").strip()
        if not key or not content:
            continue
        if key in ("author", "article:author", "byl", "dc.creator", "parsely-author"):
            authors.append(content)
        elif key in ("keywords", "news_keywords", "article:tag"):
            keywords += [k.strip() for k in content.split(",") if k.strip()]
        tags.setdefault(key, content)
    meta.title = meta.title or tags.get("og:title", "") or tags.get("twitter:title", "")
    meta.description = meta.description or tags.get("og:description", "") or tags.get("description", "")
    meta.authors = meta.authors or [a for a in authors if not a.startswith("http")]
    meta.published = meta.published or parse_date(
        tags.get("article:published_time") or tags.get("datepublished") or tags.get("date") or ""
    )
    meta.updated = meta.updated or parse_date(
        tags.get("article:modified_time") or tags.get("datemodified") or ""
    )
    meta.site_name = meta.site_name or tags.get("og:site_name", "")
    meta.section = meta.section or tags.get("article:section", "")
    meta.keywords = meta.keywords or keywords
    meta.language = meta.language or tags.get("og:locale", "").replace("_", "-")
    if not meta.lead_image and tags.get("og:image"):
        meta.lead_image = resolve_url(url, tags["og:image"])


def _apply_markup(meta: PageMetadata, tree: HtmlElement, url: str) -> None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            meta.canonical_url = resolve_url(url, link.get("href"))
            break
    meta.language = meta.language or (tree.get("lang") or "").strip()
    if not meta.published:
        for element in tree.iter("time"):
            parsed = parse_date(element.get("datetime") or "")
            if parsed:
                meta.published = parsed
                break
    if not meta.authors:
        meta.authors = _byline_authors(tree)
    if not meta.title:
        title = tree.find(".//title")
        meta.title = title.text_content().strip() if title is not None else ""
        meta.title_from_html = bool(meta.title)


def parse_date(value: str) -> datetime | None:
    """Parse an ISO 8601 date or datetime, kept in its own offset (naive when the page gives none), or a
    written date ("November 20, 2019 12:32") as its day; None when unreadable or implausible (placeholders
    like 0001-01-01, dates in the future)."""
    value = value.strip()
    if not value:
        return None
    iso = re.sub(r"(\d{2}:\d{2}:\d{2})\.\d+", r"\1", value)
    iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)  # +0000 → +00:00
    try:
        parsed = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        day = date_from_text(value)
        return datetime(day.year, day.month, day.day) if day else None
    return parsed if is_plausible(parsed.date()) else None


def _free(node: dict[str, Any]) -> bool | None:
    """isAccessibleForFree of the article (or of a part of it), as a bool; None when not declared."""
    parts = node.get("hasPart")
    values = [node.get("isAccessibleForFree")]
    values += [
        p.get("isAccessibleForFree")
        for p in (parts if isinstance(parts, list) else [parts])
        if isinstance(p, dict)
    ]
    flags = [v if isinstance(v, bool) else str(v).strip().lower() == "true" for v in values if v is not None]
    if not flags:
        return None
    return all(flags)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _first_text(value: Any) -> str:
    if isinstance(value, list):
        return next((v.strip() for v in value if isinstance(v, str) and v.strip()), "")
    return _text(value)


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name and not name.startswith("http"):
            names.append(name)
    return names


def _keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return [k.strip() for k in _text(value).split(",") if k.strip()]


BYLINE_XPATH = "//*[contains(@class, 'byline') or contains(@class, 'author')][not(ancestor::form)]"


def _byline_authors(tree: HtmlElement) -> list[str]:
    """Authors named in the markup: rel=author links, itemprop=author, or a byline element."""
    names = [a.text_content().strip() for a in tree.xpath("//a[@rel='author'] | //*[@itemprop='author']")]
    names = [n for n in names if n and len(n.split()) <= 6]
    if names:
        return list(dict.fromkeys(names))
    for element in tree.xpath(BYLINE_XPATH):
        text = " ".join(element.text_content().split())
        if 0 < len(text.split()) <= 12 and not any(ch.isdigit() for ch in text):
            return [text]
    return []
