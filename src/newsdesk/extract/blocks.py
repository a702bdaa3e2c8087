"""Turn trafilatura's body tree (or a fallback's HTML) into plain body blocks: paragraphs, headings, lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

HEADINGS = {"head", "h1", "h2", "h3", "h4", "h5", "h6"}
LEAVES = {"p", "code", "pre", "figcaption", "dt", "dd", *HEADINGS}
QUOTES = {"quote", "blockquote"}
ITEMS = {"item", "li"}
ROWS = {"row", "tr"}
CELLS = {"cell", "td", "th"}
BREAKS = {"lb", "br"}
CONTAINERS = {
    "div",
    "section",
    "article",
    "main",
    "body",
    "list",
    "ul",
    "ol",
    "dl",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "doc",
    "center",
    "form",
    "header",
    "footer",
    "aside",
    "nav",
    "span",
    *QUOTES,
    *ITEMS,
    *ROWS,
}
SKIPPED = {"script", "style", "noscript", "template", "graphic", "img", "svg", "iframe", "button", "select"}
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Block:
    kind: str  # p, h, li, quote, row
    text: str


def tree_blocks(body: etree._Element) -> list[Block]:
    """Blocks of a body tree in reading order; line breaks split paragraphs, table rows make 'row' blocks."""
    return [block for block in _walk(body, "p") if block.text]


def _walk(element: etree._Element, kind: str) -> Iterator[Block]:
    """Blocks of a container: its loose text runs, and each child's blocks."""
    pending: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in SKIPPED or not tag:
            pending.append(child.tail or "")
            continue
        if _is_block(child, tag):
            yield from _flush(pending, kind)
            pending = []
            yield from _child_blocks(child, tag, kind)
            pending.append(child.tail or "")
        elif tag in BREAKS:
            yield from _flush(pending, kind)
            pending = [child.tail or ""]
        else:
            pending.append(_inline_text(child))
            pending.append(child.tail or "")
    yield from _flush(pending, kind)


def _child_blocks(child: etree._Element, tag: str, kind: str) -> Iterator[Block]:
    if tag in ROWS:
        cells = [_flat(cell) for cell in child if isinstance(cell.tag, str) and cell.tag in CELLS]
        if cells and not any(_has_blocks(cell) for cell in child):
            yield Block("row", " | ".join(cell for cell in cells if cell))
            return
    if tag in HEADINGS:
        yield from _walk(child, "h")
    elif tag in QUOTES:
        yield from _walk(child, "quote")
    elif tag in ITEMS:
        yield from _walk(child, "li")
    else:
        yield from _walk(child, kind)


def _is_block(element: etree._Element, tag: str) -> bool:
    if tag in LEAVES or tag in CONTAINERS or tag in CELLS:
        return tag != "span" or _has_blocks(element)
    return _has_blocks(element)


def _has_blocks(element: etree._Element) -> bool:
    return any(
        isinstance(child.tag, str)
        and (child.tag in LEAVES or (child.tag in CONTAINERS and child.tag != "span"))
        for child in element.iter()
        if child is not element
    )


def _flush(parts: list[str], kind: str) -> Iterator[Block]:
    text = SPACES.sub(" ", "".join(parts)).strip()
    if text:
        yield Block(kind, text)


def _inline_text(element: etree._Element) -> str:
    """Text of an inline element (line breaks inside it become spaces)."""
    return (
        " ".join(element.itertext()) if any(e.tag in BREAKS for e in element.iter()) else _itertext(element)
    )


def _itertext(element: etree._Element) -> str:
    return "".join(t for t in element.itertext() if isinstance(t, str))


def _flat(element: etree._Element) -> str:
    return SPACES.sub(" ", "".join(_itertext_blocks(element))).strip()


def _itertext_blocks(element: etree._Element) -> Iterator[str]:
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str) and child.tag not in SKIPPED:
            yield from _itertext_blocks(child)
        yield child.tail or ""
