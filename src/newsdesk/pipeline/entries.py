"""Ingestion of one feed entry: keep it whenever a reader could use it, say why when it cannot be kept."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import courlan
from sqlalchemy.exc import SQLAlchemyError

from newsdesk.extract import Block, ExtractedArticle, ExtractionError, FigureImage, Hints, extract_article
from newsdesk.extract.fragments import html_paragraphs
from newsdesk.fetch import Fetcher, FetchError
from newsdesk.sources import FeedEnclosure, FeedEntry
from newsdesk.store import Store, transaction
from newsdesk.store.articles import ArticleRecord, EnclosureRecord, ImageRecord, save_article
from newsdesk.store.drops import Drop
from newsdesk.store.ids import content_hash
from newsdesk.store.models import Article, Source, utcnow
from newsdesk.text import normalise_text, split_sentences

log = logging.getLogger("newsdesk.pipeline.ingest")
PAGE_RETRY_FIRST = 900  # seconds before the first retry of a page that could not be fetched; doubling
PAGE_ATTEMPTS = 6  # tries of a page in all (about 8 hours) before the feed's text is kept for good
TITLE_CHARS = 100
NOT_FETCHED = "text not fetched yet"
LINKLESS_FRAGMENT = "entry-"  # canonical URL of an entry without a link: the feed's page#entry-HASH


@dataclass(frozen=True)
class EntryOutcome:
    """What became of an entry: created, updated, unchanged or dropped (with the drop)."""

    state: str
    drop: Drop | None = None
    pending: bool = False  # stored with the feed's text; the page is fetched again later


def entry_fingerprint(entry: FeedEntry) -> str:
    """Hash of what a feed says about an entry: a change means the article may have been revised."""
    stamp = entry.updated.isoformat() if entry.updated else ""
    return content_hash("\x1f".join((entry.title, entry.summary, entry.content, stamp)))


def with_identity(entry: FeedEntry) -> FeedEntry:
    """An entry with a guid: one made from its text when it has neither an id nor a link."""
    if entry.guid:
        return entry
    return replace(
        entry, guid="text:" + content_hash("\x1f".join((entry.title, entry.summary, entry.content)))
    )


def clean_link(url: str) -> str:
    """Normalise a link (tracking parameters and fragments dropped); '' when it is not http(s)."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return ""
    try:
        return str(courlan.normalize_url(url, strict=True))
    except ValueError:
        return ""


def title_from_text(paragraphs: list[str]) -> str:
    """A title for a title-less entry: its first sentence, cut at a word within TITLE_CHARS."""
    sentences = split_sentences(paragraphs[0]) if paragraphs else []
    first = sentences[0][1] if sentences else (paragraphs[0] if paragraphs else "")
    if len(first) <= TITLE_CHARS:
        return first
    return first[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def page_retry_time(attempts: int, now: datetime) -> datetime | None:
    """When to fetch a page again after ``attempts`` failures: doubling from 15 minutes, None to give up."""
    if attempts >= PAGE_ATTEMPTS:
        return None
    return now + timedelta(seconds=PAGE_RETRY_FIRST * 2 ** (attempts - 1))


@dataclass(frozen=True)
class PageResult:
    """An entry's page: the article read from it, or why there is none (retry: it could not be fetched)."""

    article: ExtractedArticle | None
    problem: str = ""
    retry: bool = False


def read_page(fetcher: Fetcher, entry: FeedEntry, link: str, fetch_pages: bool) -> PageResult:
    """Fetch and extract an entry's own page."""
    if not link:
        return PageResult(None, "the entry has no page of its own")
    if not fetch_pages:
        return PageResult(None, "page fetching is off for this poll")
    try:
        page = fetcher.fetch(link, kind="page")
        hints = Hints(entry.title, entry.authors, entry.published, entry.summary, page.content_type)
        return PageResult(extract_article(page.content, page.url, hints))
    except FetchError as exc:
        return PageResult(None, f"page not fetched ({exc})", retry=True)
    except ExtractionError as exc:
        return PageResult(None, f"page not used ({exc})")  # read, but it holds no article


def ingest_entry(
    store: Store,
    fetcher: Fetcher,
    source_id: int,
    entry: FeedEntry,
    fetch_pages: bool = True,
    feed_link: str = "",
) -> EntryOutcome:
    """Store one entry: from its page when that can be read, else from the feed's own text and link."""
    own_link = clean_link(entry.link)
    link = own_link or clean_link(feed_link)
    paragraphs = html_paragraphs(entry.content or entry.summary)
    if not entry.title and not paragraphs and not own_link:
        return _dropped(entry, "no title and no text, and no link to a page to read them from")
    if not link:
        return _dropped(entry, "no link: neither the entry nor the feed has an http(s) link")
    page = read_page(fetcher, entry, own_link, fetch_pages)
    article = page.article
    if article is None:
        if not entry.title and not paragraphs:
            return _dropped(entry, f"no title and no text in the feed, and {page.problem}", retry=page.retry)
        article = article_from_feed(entry, link, paragraphs)
    with store.session() as session:
        source = session.get(Source, source_id)
        assert source is not None
        default_category = source.default_category
    note = f"{page.problem}; text from the feed" if page.problem else ""
    record = record_from_article(source_id, entry, link, article, default_category, note)
    if not own_link:
        record = replace(record, canonical_url=f"{link}#{LINKLESS_FRAGMENT}{content_hash(entry.guid)[:16]}")
    if page.retry:
        retry_at = page_retry_time(1, utcnow())
        record = replace(
            record,
            page_pending=True,
            page_attempts=1,
            page_retry_at=retry_at,
            extraction_note=f"{NOT_FETCHED}: {note}",
        )
    try:
        with transaction(store.sessions) as session:
            state = save_article(session, record)[1]
    except SQLAlchemyError as exc:
        log.warning("entry not stored", extra={"source_id": source_id, "url": link, "error": str(exc)})
        return _dropped(entry, f"could not be stored: {exc.__class__.__name__}", retry=True)
    return EntryOutcome(state, pending=page.retry)


def _dropped(entry: FeedEntry, reason: str, *, retry: bool = False) -> EntryOutcome:
    title = entry.title or next(iter(html_paragraphs(entry.summary or entry.content)), "")
    return EntryOutcome("dropped", Drop(entry.link.strip(), entry.guid, title, reason, retry))


def article_from_feed(entry: FeedEntry, link: str, paragraphs: list[str]) -> ExtractedArticle:
    """An article made of the feed entry's own text (a title made from the text when it has none)."""
    return ExtractedArticle(
        url=link,
        title=entry.title or title_from_text(paragraphs),
        blocks=tuple(Block("p", p) for p in paragraphs),
        authors=entry.authors,
        published=entry.published,
        language=entry.language,
        images=tuple(FigureImage(i.url, i.caption, i.credit) for i in entry.images),
        lead_image=next((i.url for i in entry.images), ""),
    )


def record_from_article(
    source_id: int,
    entry: FeedEntry,
    link: str,
    article: ExtractedArticle,
    default_category: str | None,
    note: str = "",
) -> ArticleRecord:
    """What to store: the extracted article, completed from the feed entry, every text normalised."""
    canonical = clean_link(article.canonical_url) if article.canonical_url else ""
    if not canonical or urlsplit(canonical).hostname != urlsplit(link).hostname:
        canonical = link
    now = utcnow()
    published = article.published or entry.published or now
    return ArticleRecord(
        source_id=source_id,
        url=link,
        canonical_url=canonical,
        title=normalise_text(article.title or entry.title),
        blocks=[{"kind": b.kind, "text": normalise_text(b.text)} for b in article.blocks],
        published_at=min(published, now),
        guid=entry.guid,
        subtitle=normalise_text(article.subtitle),
        authors=[normalise_text(a) for a in article.authors or entry.authors],
        agency=article.agency,
        dateline=normalise_text(article.dateline),
        section=normalise_text(article.section),
        language=article.language or entry.language,
        updated_at=article.updated or entry.updated,
        summary=" ".join(html_paragraphs(entry.summary))[:1000],
        lead_image_url=article.lead_image,
        category_slug=default_category,
        images=[
            ImageRecord(
                i.url,
                normalise_text(i.caption),
                normalise_text(i.credit),
                normalise_text(i.alt),
                i.after_block,
            )
            for i in article.images
            if i.url
        ],
        extraction_note=note,
        entry_hash=entry_fingerprint(entry),
        enclosures=[EnclosureRecord(e.url, e.type, e.length, e.medium) for e in entry.enclosures],
    )


def retry_page(store: Store, fetcher: Fetcher, article_id: str) -> str:
    """Fetch a stored article's page again: 'fetched', 'pending' (tried later) or 'given up'."""
    with store.session() as session:
        stored = session.get(Article, article_id)
        if stored is None:
            return "given up"
        entry = FeedEntry(
            guid=stored.guid,
            link=stored.url,
            title=stored.title,
            summary=stored.summary,
            authors=tuple(stored.authors),
            published=stored.published_at,
            updated=stored.updated_at,
            language=stored.language,
            enclosures=tuple(FeedEnclosure(e.url, e.type, e.length, e.medium) for e in stored.enclosures),
        )
        source_id, category, attempts = stored.source_id, stored.category_slug, stored.page_attempts + 1
        entry_hash, canonical = stored.entry_hash, stored.canonical_url
    page = read_page(fetcher, entry, entry.link, True)
    if page.article is None:
        return _record_retry_failure(store, article_id, attempts, page)
    record = record_from_article(source_id, entry, entry.link, page.article, category)
    # The row the feed made stays the article's row, even when the page names another canonical URL.
    record = replace(record, entry_hash=entry_hash, canonical_url=canonical)
    with transaction(store.sessions) as session:
        save_article(session, record)
    return "fetched"


def _record_retry_failure(store: Store, article_id: str, attempts: int, page: PageResult) -> str:
    """Count a failed try; plan another unless the tries are used up or the page holds no article."""
    with transaction(store.sessions) as session:
        article = session.get(Article, article_id)
        if article is None:
            return "given up"
        article.page_attempts = attempts
        article.page_retry_at = page_retry_time(attempts, utcnow()) if page.retry else None
        article.page_pending = article.page_retry_at is not None
        if article.page_pending:
            article.extraction_note = f"{NOT_FETCHED}: {page.problem}; text from the feed"
        else:
            article.extraction_note = f"{page.problem} (try {attempts}, the last); text from the feed"
        return "pending" if article.page_pending else "given up"
