"""Decode page bytes and parse them into an lxml tree within bounds."""

from __future__ import annotations

import re

from lxml.html import HtmlElement
from trafilatura.utils import load_html

MAX_PAGE_CHARS = 8_000_000
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "br",
    "cite",
    "code",
    "em",
    "i",
    "mark",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
}
STANDFIRST_CLASS = re.compile(
    r"(^|[\s_-])(standfirst|dek|vorspann|entradilla|teaser-text|story-summary|article-summary|subtitle|"
    r"subheadline|sub-headline|lead-in|summary-text)($|[\s_-])",
    re.IGNORECASE,
)


class ExtractionError(ValueError):
    """The page holds no article we can extract (the message says why)."""


def load_tree(page: bytes | str) -> HtmlElement:
    """Parse HTML bytes (charset declared or detected) or text; raise ExtractionError if it is not HTML."""
    if isinstance(page, bytes):
        if b"\x00" in page[:2048] and not page.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ExtractionError("not an HTML page: binary content")
        page = page[: MAX_PAGE_CHARS * 2]
    else:
        page = page[:MAX_PAGE_CHARS]
    tree = load_html(page)
    if tree is None:
        raise ExtractionError("not an HTML page: it could not be parsed")
    return tree


def promote_text_divs(tree: HtmlElement, min_words: int = 12) -> None:
    """Turn <div>s that hold a paragraph of prose (text and inline markup only, few links) into <p>s."""
    for div in tree.iter("div"):
        if not all(isinstance(child.tag, str) and child.tag in INLINE_TAGS for child in div):
            continue
        words = len(div.text_content().split())
        link_words = sum(len(a.text_content().split()) for a in div.iter("a"))
        if words >= min_words and link_words / words < 0.3:
            div.tag = "p"


def take_standfirst(tree: HtmlElement) -> str:
    """Remove and return the standfirst (dek, Vorspann, entradilla) marked by its class, if any."""
    for element in tree.xpath("//body//*[@class]"):
        if element.tag in ("body", "article", "main", "section") or not STANDFIRST_CLASS.search(
            element.get("class")
        ):
            continue
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        if 0 < len(text.split()) <= 80:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            return text
    return ""


def drop_link_paragraphs(tree: HtmlElement) -> None:
    """Remove paragraphs that are nothing but a link (related-article lists, 'more from' boxes)."""
    for paragraph in list(tree.iter("p")):
        words = len(paragraph.text_content().split())
        link_words = sum(len(a.text_content().split()) for a in paragraph.iter("a"))
        if words and link_words / words > 0.9 and paragraph.getparent() is not None:
            paragraph.getparent().remove(paragraph)
