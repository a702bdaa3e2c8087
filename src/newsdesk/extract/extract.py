"""Turn an article page into clean text and metadata: trafilatura plus our own post-processing."""

from __future__ import annotations

import logging
from configparser import ConfigParser
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import DEFAULT_CONFIG

from newsdesk.extract.authors import publisher_names, split_authors
from newsdesk.extract.blocks import Block, tree_blocks
from newsdesk.extract.clean import SENTENCE_END, drop_furniture, drop_lead_labels
from newsdesk.extract.dates import publication_day
from newsdesk.extract.html import (
    ExtractionError,
    drop_link_lists,
    drop_link_paragraphs,
    load_tree,
    merge_split_bodies,
    promote_text_divs,
    take_standfirst,
)
from newsdesk.extract.images import FigureImage, take_figures
from newsdesk.extract.metadata import PageMetadata, read_metadata
from newsdesk.extract.paywall import is_truncated
from newsdesk.extract.prune import prune_page, read_names
from newsdesk.extract.text import (
    SOUTHEAST_ASIAN,
    clean_title,
    count_words,
    drop_boilerplate,
    is_mostly_unspaced,
    split_dateline,
)

MIN_WORDS = 40  # enough text to be an article whatever its shape
MIN_SHORT_WORDS = 15  # a short news item or notice: this many words, at least one of them a whole sentence
MIN_SENTENCE_WORDS = 6
log = logging.getLogger("newsdesk.extract")
MIN_EXTRACTED_CHARACTERS = 100  # below this trafilatura rescues a text with a cruder extraction
SPACED_CONFIG, UNSPACED_CONFIG = deepcopy(DEFAULT_CONFIG), deepcopy(DEFAULT_CONFIG)
SPACED_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_CHARACTERS))
UNSPACED_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_CHARACTERS // 3))


@dataclass(frozen=True)
class Hints:
    """What the feed entry (and the HTTP response) already say about the article."""

    title: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    summary: str = ""
    content_type: str = ""  # the Content-Type header, whose charset outranks the page's own declaration


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
        return count_words(self.text)


@dataclass(frozen=True)
class PageParts:
    """What is taken out of the page before the body is extracted."""

    meta: PageMetadata
    images: list[FigureImage]
    standfirst: str
    paywalled: bool
    published_day: date | None = None  # from the URL or a date line, when the markup gives no date


def extract_article(page: bytes | str, url: str, hints: Hints | None = None) -> ExtractedArticle:
    """Extract one article; raise ExtractionError when the page holds no article text.

    Whatever the page holds, nothing else is raised: a parser or library failure on a malformed page is
    logged with its traceback and reported as an ExtractionError, so one bad page never stops ingestion.
    """
    try:
        return _extract(page, url, hints or Hints())
    except ExtractionError:
        raise
    except (
        ValueError,
        TypeError,
        AttributeError,
        KeyError,
        IndexError,
        RecursionError,
        etree.LxmlError,
    ) as exc:
        log.warning("extraction failed", exc_info=True, extra={"url": url})
        raise ExtractionError(f"extraction failed on a malformed page: {exc.__class__.__name__}") from exc


def _extract(page: bytes | str, url: str, hints: Hints) -> ExtractedArticle:
    tree = load_tree(page, hints.content_type)
    parts = take_parts(tree, url)
    title = clean_title(
        parts.meta.title or hints.title, parts.meta.site_name, guess_suffix=parts.meta.title_from_html
    )
    blocks = clean_blocks(body_blocks(tree, url), title, parts)
    dateline, agency, blocks = take_dateline(blocks)
    if not is_article_text(blocks):
        raise ExtractionError("no extractable article text on the page")
    return build_article(url, hints, parts, title, blocks, dateline, agency)


def is_article_text(blocks: list[Block]) -> bool:
    """Enough text for an article: MIN_WORDS, or a short item with at least one sentence of prose."""
    words = sum(count_words(b.text) for b in blocks)
    return words >= MIN_WORDS or (words >= MIN_SHORT_WORDS and any(_is_sentence(b) for b in blocks))


def take_parts(tree: HtmlElement, url: str) -> PageParts:
    """Read the metadata, take out figures, the standfirst and what is never article text (forms, cookie
    and log-in boxes, ruby readings), and prepare the tree for body extraction."""
    meta = read_metadata(tree, url)
    day = publication_day(tree, url, None, meta.language) if meta.published is None else None
    names = read_names(tree)
    paywalled = is_truncated(tree, meta, names)
    prune_page(tree, names)
    images = take_figures(tree, url, names)
    standfirst = take_standfirst(tree, names)
    promote_text_divs(tree)
    merge_split_bodies(tree)
    drop_link_paragraphs(tree)
    drop_link_lists(tree)
    return PageParts(meta, images, standfirst, paywalled, day)


def body_blocks(tree: HtmlElement, url: str) -> list[Block]:
    """The main text as blocks: trafilatura's fast, recall-oriented mode (we clean up after it), and its
    full cascade of fallbacks (readability, jusText, baseline) when that finds too little text."""
    blocks = _trafilatura_blocks(tree, url, fast=True)
    if sum(count_words(b.text) for b in blocks) < MIN_WORDS:
        fuller = _trafilatura_blocks(tree, url, fast=False)
        if sum(count_words(b.text) for b in fuller) > sum(count_words(b.text) for b in blocks):
            return fuller
    return blocks


def trafilatura_config(tree: HtmlElement) -> ConfigParser:
    """trafilatura's settings for the page. Its minimum text size, under which it rescues a text with its
    crude baseline (a whole <article> flattened into one paragraph, kicker and date included), is about a
    short news item (MIN_SHORT_WORDS, ~100 characters) rather than its 250 characters; and a third of
    that for pages written mostly in unspaced scripts, where one character carries about as much as three."""
    body = tree.find("body")
    text = body.text_content() if body is not None else ""
    return UNSPACED_CONFIG if is_mostly_unspaced(text) else SPACED_CONFIG


def _trafilatura_blocks(tree: HtmlElement, url: str, *, fast: bool) -> list[Block]:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        config=trafilatura_config(tree),
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    body = getattr(document, "body", None)
    return [] if body is None else tree_blocks(body)


def clean_blocks(blocks: list[Block], title: str, parts: PageParts) -> list[Block]:
    """Drop the repeated title, lines before the text, furniture, captions, credits and the standfirst."""
    blocks = drop_furniture([b for b in blocks if not _is_title_repeat(b.text, title)])
    blocks = drop_lead_labels(blocks)
    captions = {t for image in parts.images for t in (image.caption, image.credit) if t}
    blocks = [b for b in drop_boilerplate(blocks, captions) if b.text]
    if blocks and parts.standfirst and _same_text(blocks[0].text, parts.standfirst):
        blocks = blocks[1:]
    return blocks


def take_dateline(blocks: list[Block]) -> tuple[str, str, list[Block]]:
    """Split 'PLACE (AGENCY) —' off the first paragraph: (dateline, agency, blocks)."""
    for index, block in enumerate(blocks[:2]):
        if block.kind == "p":
            dateline, agency, first = split_dateline(block.text)
            if dateline or agency:
                return dateline, agency, [*blocks[:index], Block("p", first), *blocks[index + 1 :]]
    return "", "", blocks


def build_article(
    url: str, hints: Hints, parts: PageParts, title: str, blocks: list[Block], dateline: str, agency: str
) -> ExtractedArticle:
    meta = parts.meta
    images = place_images(parts.images, blocks)
    subtitle = parts.standfirst or meta.description
    if subtitle and _same_text(blocks[0].text[: len(subtitle)], subtitle):
        subtitle = ""
    text = "\n".join(b.text for b in blocks)
    return ExtractedArticle(
        url=url,
        title=title or blocks[0].text[:120],
        blocks=tuple(blocks),
        subtitle=subtitle,
        authors=split_authors(meta.authors, publisher_names(meta.site_name, url)) or tuple(hints.authors),
        agency=agency,
        dateline=dateline,
        published=_utc(meta.published) or hints.published or _midnight(parts.published_day),
        updated=_utc(meta.updated),
        language=meta.language.split("-")[0].lower(),
        canonical_url=meta.canonical_url or url,
        site_name=meta.site_name,
        section=meta.section,
        keywords=tuple(meta.keywords),
        lead_image=meta.lead_image or (images[0].url if images else ""),
        images=tuple(images),
        is_truncated=parts.paywalled or _shorter_than_declared(text, meta.article_body),
    )


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


def _shorter_than_declared(text: str, article_body: str) -> bool:
    """The page's own JSON-LD articleBody is much longer than what the page shows: a truncated page."""
    return count_words(article_body) > 2 * count_words(text) + 50


def _utc(moment: datetime | None) -> datetime | None:
    """The moment in UTC (a naive one, whose zone the page does not say, taken as UTC)."""
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _midnight(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day is not None else None


def _is_sentence(block: Block) -> bool:
    """A paragraph of prose: a sentence's end (Thai, Lao and Khmer end sentences with a space, not a mark)."""
    text = block.text.rstrip("\"'”’»)")
    ends = text.endswith(SENTENCE_END) or bool(SOUTHEAST_ASIAN.search(text))
    return block.kind == "p" and ends and count_words(text) >= MIN_SENTENCE_WORDS


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_title_repeat(text: str, title: str) -> bool:
    return bool(title) and text.strip().rstrip(".").casefold() == title.strip().rstrip(".").casefold()
