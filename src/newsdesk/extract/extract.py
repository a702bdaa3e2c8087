"""Turn an article page into clean text and metadata: trafilatura plus our own post-processing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from newsdesk.extract.html import (
    ExtractionError,
    drop_link_paragraphs,
    load_tree,
    promote_text_divs,
    take_standfirst,
)
from newsdesk.extract.images import FigureImage, take_figures
from newsdesk.extract.metadata import read_metadata
from newsdesk.extract.text import (
    clean_title,
    drop_boilerplate,
    split_authors,
    split_dateline,
)

MIN_WORDS = 40


@dataclass(frozen=True)
class Block:
    kind: str  # p, h, li, quote
    text: str


@dataclass(frozen=True)
class Hints:
    """What the feed entry already says about the article."""

    title: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    summary: str = ""


@dataclass(frozen=True)
class ExtractedArticle:
    url: str
    title: str
    blocks: tuple[Block, ...]
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    agency: str = ""
    dateline: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    language: str = ""
    canonical_url: str = ""
    site_name: str = ""
    section: str = ""
    keywords: tuple[str, ...] = ()
    lead_image: str = ""
    images: tuple[FigureImage, ...] = field(default_factory=tuple)
    is_truncated: bool = False

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def extract_article(page: bytes | str, url: str, hints: Hints | None = None) -> ExtractedArticle:
    """Extract one article; raise ExtractionError when the page holds no article text."""
    hints = hints or Hints()
    tree = load_tree(page)
    meta = read_metadata(tree, url)
    images = take_figures(tree, url)
    standfirst = take_standfirst(tree)
    promote_text_divs(tree)
    drop_link_paragraphs(tree)
    blocks = _body_blocks(tree, url)
    title = clean_title(meta.title or hints.title, meta.site_name, guess_suffix=meta.title_from_html)
    blocks = [b for b in blocks if not _is_title_repeat(b.text, title)]
    captions = {t for image in images for t in (image.caption, image.credit) if t}
    blocks = [b for b in drop_boilerplate(blocks, captions) if b.text]
    subtitle = standfirst or meta.description
    if blocks and subtitle and _same_text(blocks[0].text, subtitle):
        blocks = blocks[1:]
    dateline, agency = "", ""
    for index, block in enumerate(blocks[:2]):
        if block.kind == "p":
            dateline, agency, first = split_dateline(block.text)
            if dateline or agency:
                blocks[index] = Block("p", first)
                break
    if sum(len(b.text.split()) for b in blocks) < MIN_WORDS:
        raise ExtractionError("no extractable article text on the page")
    images = place_images(images, blocks)
    authors = split_authors(meta.authors) or tuple(hints.authors)
    lead_image = meta.lead_image or (images[0].url if images else "")
    return ExtractedArticle(
        url=url,
        title=title or blocks[0].text[:120],
        blocks=tuple(blocks),
        subtitle=subtitle if subtitle and not _same_text(blocks[0].text[: len(subtitle)], subtitle) else "",
        authors=authors,
        agency=agency,
        dateline=dateline,
        published=meta.published or hints.published,
        updated=meta.updated,
        language=meta.language.split("-")[0].lower(),
        canonical_url=meta.canonical_url or url,
        site_name=meta.site_name,
        section=meta.section,
        keywords=tuple(meta.keywords),
        lead_image=lead_image,
        images=tuple(images),
    )


def _body_blocks(tree: HtmlElement, url: str) -> list[Block]:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=False,
        with_metadata=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return []
    return [block for element in body for block in _element_blocks(element)]


def _element_blocks(element: etree._Element) -> list[Block]:
    tag = element.tag
    if tag == "list":
        return [Block("li", _flat(item)) for item in element.iter("item") if _flat(item)]
    text = _flat(element)
    if not text:
        return []
    if tag == "head":
        return [Block("h", text)]
    if tag == "quote":
        return [Block("quote", text)]
    return [Block("p", text)]


def _flat(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def place_images(images: list[FigureImage], blocks: list[Block]) -> list[FigureImage]:
    """Set each image's position: the index of the body block it followed on the page."""
    placed = []
    for image in images:
        index = None
        if image.after_block_text:
            anchor = image.after_block_text[-40:]
            index = next((i for i, b in enumerate(blocks) if anchor in b.text), None)
        placed.append(replace(image, after_block=index))
    return placed


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_title_repeat(text: str, title: str) -> bool:
    return bool(title) and text.strip().rstrip(".").casefold() == title.strip().rstrip(".").casefold()


def absolute(url: str, base: str) -> str:
    return urljoin(base, url)
