"""Take out of the page what is never article text: ruby readings, forms, log-in and cookie boxes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from lxml import etree
from lxml.html import HtmlElement

from newsdesk.extract.text import count_words

BOX_NAME = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|cmp|newsletters?|sign-?up|sign-?in|log-?in|registration|register|"
    r"registrierung|anmeldung|subscribe|modal|popup)(?:$|[\s_-])",
    re.IGNORECASE,
)
INPUT_FIELDS = ".//input[not(@type) or not(contains('hidden submit button image reset', @type))]|.//textarea"
KEPT_TAGS = {"html", "body", "main", "article"}
ARTICLE_NAME = re.compile(r"article|story|post|entry|content|body|text", re.IGNORECASE)
NAMES_XPATH = etree.XPath("//body//@class | //body//@id")
CLASSES_XPATH = etree.XPath("//body//@class")
BOX_STEMS = tuple(  # substrings one of which every name BOX_NAME matches has (a cheap first sieve)
    [
        "cookie",
        "consent",
        "gdpr",
        "cmp",
        "newsletter",
        "signin",
        "sign-in",
        "signup",
        "sign-up",
        "login",
        "log-in",
        "regist",
        "anmeld",
        "subscri",
        "modal",
        "popup",
    ]
)
MAX_BOX_SHARE = 0.6  # a box holds less than this share of the page's words (a wrapper holds more)


def read_names(tree: HtmlElement) -> list[str]:
    """The class and id values of the page's body, each able to give its element (``getparent()``)."""
    return list(NAMES_XPATH(tree))


def class_values(tree: HtmlElement, names: Sequence[str] | None) -> list[str]:
    """The class values among ``names`` (read_names's values, read before), or read from the tree now."""
    if names is None:
        return list(CLASSES_XPATH(tree))
    return [value for value in names if getattr(value, "attrname", "") == "class"]


def in_tree(elements: Iterable[HtmlElement], tree: HtmlElement) -> list[HtmlElement]:
    """The elements still in the tree (not taken out with an ancestor since they were found)."""
    return [element for element in elements if is_in_tree(element, tree)]


def is_in_tree(element: HtmlElement, tree: HtmlElement) -> bool:
    """The element is still in the tree: neither it nor an ancestor was taken out."""
    return element.getroottree().getroot() is tree


def prune_page(tree: HtmlElement, names: list[str] | None = None) -> None:
    """Drop ruby readings, then forms with input fields and cookie/log-in/newsletter boxes."""
    drop_ruby_readings(tree)
    forms = [form for form in tree.iter("form") if form.xpath(INPUT_FIELDS)]
    named = named_elements(read_names(tree) if names is None else names)
    boxes = [element for element in dict.fromkeys(named) if _is_named_box(element)]
    if forms or boxes:
        page_words = count_words(tree.text_content()) or 1
        for element in [*forms, *boxes]:
            if element.getparent() is not None and _is_box(element, page_words):
                _drop_keeping_tail(element)


def drop_ruby_readings(tree: HtmlElement) -> None:
    """Keep ruby base text and drop its readings: <rt> (furigana, pinyin) and the <rp> parentheses."""
    for element in list(tree.iter("rt", "rp", "rtc")):
        _drop_keeping_tail(element)


def named_elements(values: list[str]) -> list[HtmlElement]:
    """Elements whose class or id value has a box's name (substring sieves in C first: pages have many)."""
    names = "\n".join(v.replace("\n", " ") for v in values).lower()
    hits = {names.count("\n", 0, index) for stem in BOX_STEMS for index in _find_all(names, stem)}
    return [element_of(values[i]) for i in sorted(hits) if BOX_NAME.search(values[i])]


def element_of(value: str) -> HtmlElement:
    """The element a class or id value read by lxml belongs to."""
    element: HtmlElement = value.getparent()  # type: ignore[attr-defined]  # lxml's smart strings
    return element


def _find_all(text: str, part: str) -> Iterator[int]:
    index = text.find(part)
    while index >= 0:
        yield index
        index = text.find(part, index + 1)


def _is_named_box(element: HtmlElement) -> bool:
    """A cookie, consent, log-in, registration, newsletter or pop-up box by its class or id."""
    if element.tag in KEPT_TAGS:
        return False
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(BOX_NAME.search(names)) and not ARTICLE_NAME.search(names)


def _is_box(element: HtmlElement, page_words: int) -> bool:
    """A box, not a wrapper: it holds no <article> or <main> and a small share of the page's words."""
    if element.find(".//article") is not None or element.find(".//main") is not None:
        return False
    return count_words(element.text_content()) < MAX_BOX_SHARE * page_words


def _drop_keeping_tail(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
