"""Decode page bytes and parse them into an lxml tree within bounds."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from newsdesk.extract.decode import MAX_PAGE_BYTES, NotHtmlError, bound_html, decode_page
from newsdesk.extract.prune import class_values, element_of, in_tree, is_in_tree
from newsdesk.extract.text import UNSPACED_CHAR, count_words

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


def load_tree(page: bytes | str, content_type: str = "") -> HtmlElement:
    """Parse HTML bytes (charset declared or detected) or text; raise ExtractionError if it is not HTML."""
    try:
        text = decode_page(page, content_type) if isinstance(page, bytes) else page[:MAX_PAGE_BYTES]
    except NotHtmlError as error:
        raise ExtractionError(str(error)) from error
    start = text.lstrip()[:1]
    if start in ("{", "["):
        raise ExtractionError("not an HTML page: JSON")
    tree = load_html(bound_html(text))
    if tree is None:
        raise ExtractionError("not an HTML page: it could not be parsed")
    return tree


def promote_text_divs(tree: HtmlElement, min_words: int = 12) -> None:
    """Turn <div>s that hold a paragraph of prose (text and inline markup only, few links) into <p>s."""
    for div in tree.iter("div"):
        if not all(isinstance(child.tag, str) and child.tag in INLINE_TAGS for child in div):
            continue
        text = div.text_content()
        if count_words(text) >= min_words and _link_share(div, text, with_href=False) < 0.3:
            div.tag = "p"


def take_standfirst(tree: HtmlElement, names: Sequence[str] | None = None) -> str:
    """Remove and return the standfirst (dek, Vorspann, entradilla) marked by its class, if any (``names``:
    the class and id values of the page's body read before, as lxml gives them, with their elements)."""
    values = class_values(tree, names)
    if not STANDFIRST_CLASS.search("\n".join(values)):
        return ""
    marked = in_tree((element_of(value) for value in values if STANDFIRST_CLASS.search(value)), tree)
    for element in marked:
        if element.tag in ("body", "article", "main", "section"):
            continue
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        if 0 < count_words(text) <= 80:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            return text
    return ""


def drop_link_paragraphs(tree: HtmlElement) -> None:
    """Remove paragraphs that are nothing but a link (related-article lists, 'more from' boxes)."""
    for paragraph in list(tree.iter("p")):
        if _link_share(paragraph, with_href=False) > 0.9 and paragraph.getparent() is not None:
            paragraph.getparent().remove(paragraph)


SPLIT_BODY_CLASS = re.compile(
    r"(article|story|entry|post)[-_]{0,2}(body|content|text)|body[-_]{0,2}(container|copy)", re.IGNORECASE
)
MIN_PART_WORDS = 60


def merge_split_bodies(tree: HtmlElement) -> None:
    """Join an article body that the page splits into several same-class containers (between ad rows)."""
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for element in tree.iter("div", "section", "article"):
        classes = element.get("class") or ""
        if SPLIT_BODY_CLASS.search(classes):
            groups.setdefault((element.tag, classes), []).append(element)
    for members in groups.values():
        parts = [m for m in members if _paragraph_words(m) >= MIN_PART_WORDS]
        if len(parts) < 2 or any(a in parts for p in parts for a in p.iterancestors()):
            continue
        for part in parts[1:]:
            parts[0].extend(list(part))
            _drop(part)


def _paragraph_words(element: HtmlElement) -> int:
    return sum(count_words(p.text_content()) for p in element.iter("p"))


MAX_CARD_WORDS = 60


def drop_link_lists(tree: HtmlElement) -> None:
    """Remove lists whose every item is a link (related articles, 'more on this'), and teaser cards."""
    for element in tree.xpath("//*[self::ul or self::ol][li[2]][not(li[not(.//a[@href])])]"):
        if not is_in_tree(element, tree):
            continue  # inside a list already dropped
        texts = [(li, li.text_content()) for li in element if li.tag == "li"]
        if all(_link_share(li, text) > 0.9 for li, text in texts if text.strip()):
            _drop(element)
    headings = [h for h in tree.iter("h2", "h3", "h4", "h5", "h6") if h.find(".//a[@href]") is not None]
    for heading in headings:
        if heading.getparent() is not None and _link_share(heading) > 0.9:
            card = next(heading.iterancestors("li", "article"), None)
            if card is not None and count_words(card.text_content()) <= MAX_CARD_WORDS:
                _drop(card)


def _link_share(element: HtmlElement, text: str | None = None, *, with_href: bool = True) -> float:
    """The share of the element's words that sit inside links (words of unspaced scripts are counted from
    their characters, so a Japanese paragraph with one link is not all link)."""
    text = element.text_content() if text is None else text
    count = count_words if UNSPACED_CHAR.search(text) else _count_spaced_words
    words = count(text)
    if not words:
        return 0.0
    links = (a for a in element.iter("a") if a.get("href") or not with_href)
    return sum(count(a.text_content()) for a in links) / words


def _count_spaced_words(text: str) -> int:
    return len(text.split())


def _drop(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
