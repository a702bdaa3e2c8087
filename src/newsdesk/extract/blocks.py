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
SENTENCE_ENDS = (".", "!", "?", "…", ":", '"', "”", "»", "。", "！", "？")
CLAUSE_ENDS = (",", ";", "，", "、", "；")
UNSPACED_CHARACTER = re.compile(
    r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u0e00-\u0eff]"
)


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
    """One block per line of the text: a line break inside a paragraph of trafilatura's output comes from
    its fallbacks (wild text, baseline) flattening several elements of the page into one paragraph."""
    lines = [SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n")]
    for text in join_broken_lines([line for line in lines if line]):
        yield Block(kind, text)


def join_broken_lines(lines: list[str]) -> list[str]:
    """Join the lines of one sentence that a fallback broke at inline markup (a link): a line that ends in a
    comma, or that was itself continued and has not reached a sentence's end, goes on in the next line; so
    does one followed by a line in lower case."""
    joined: list[str] = []
    continues = False
    for line in lines:
        if joined and (continues or line[:1].islower()):
            joined[-1] = _join_words(joined[-1], line)
            continues = not joined[-1].endswith(SENTENCE_ENDS)
        else:
            joined.append(line)
            continues = False
        continues = continues or joined[-1].endswith(CLAUSE_ENDS)
    return joined


def _join_words(first: str, second: str) -> str:
    """Two pieces of a sentence, with a space between them unless both sides are of an unspaced script."""
    if UNSPACED_CHARACTER.match(first[-1]) and UNSPACED_CHARACTER.match(second[0]):
        return first + second
    return f"{first} {second}"


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
