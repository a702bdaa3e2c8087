"""Write and read articles: idempotent upserts keyed by article id, newest-first pages, search."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, inspect, or_, select
from sqlalchemy.orm import Session, aliased, defer
from sqlalchemy.sql.util import ClauseAdapter

from newsdesk.store.ids import content_hash, make_id
from newsdesk.store.images import forget_image_copies, image_urls
from newsdesk.store.models import Article, ArticleEnclosure, ArticleImage, utcnow

# What only processing reads (never a list or a search hit): left in the database until asked for.
PROCESSING_ONLY = (
    defer(Article.summary_cache),
    defer(Article.facts),
    defer(Article.enrichment_errors),
    defer(Article.extraction_note),
    defer(Article.images_note),
)
UNLISTED = (defer(Article.body_text), *PROCESSING_ONLY)  # lists show no full text either


@dataclass(frozen=True)
class ImageRecord:
    url: str
    caption: str = ""
    credit: str = ""
    alt: str = ""
    after_block: int | None = None


@dataclass(frozen=True)
class EnclosureRecord:
    url: str
    type: str = ""
    length: int | None = None
    medium: str = ""


@dataclass(frozen=True)
class ArticleRecord:
    """Everything the pipeline learned about one article, ready to store."""

    source_id: int
    url: str
    canonical_url: str
    title: str
    blocks: list[dict[str, str]]
    published_at: datetime
    guid: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    agency: str = ""
    dateline: str = ""
    section: str = ""
    language: str = ""
    updated_at: datetime | None = None
    summary: str = ""
    lead_image_url: str = ""
    category_slug: str | None = None
    images: list[ImageRecord] = field(default_factory=list)
    extraction_note: str = ""
    entry_hash: str = ""
    enclosures: list[EnclosureRecord] = field(default_factory=list)
    page_pending: bool = False  # the page could not be fetched: the feed's text stands in until a retry
    page_attempts: int = 0
    page_retry_at: datetime | None = None

    @property
    def id(self) -> str:
        return make_id(self.canonical_url)

    @property
    def body_text(self) -> str:
        return "\n".join(block["text"] for block in self.blocks)


class BadCursor(ValueError):
    """A pagination cursor that this store did not write."""


def save_article(session: Session, record: ArticleRecord) -> tuple[Article, str]:
    """Insert or revise an article; return it with 'created', 'updated' or 'unchanged'."""
    body_text = record.body_text
    digest = content_hash(record.title + "\n" + body_text)
    article = session.get(Article, record.id)
    if article is not None and article.content_hash == digest:
        article.entry_hash = record.entry_hash or article.entry_hash
        _fill_page_state(article, record)
        return article, "unchanged"
    state = "updated" if article is not None else "created"
    if article is None:
        article = Article(id=record.id, first_seen_at=utcnow())
        session.add(article)
    images_before = image_urls(article)
    _fill(article, record, body_text, digest)
    if image_urls(article) != images_before:
        forget_image_copies(article)  # the worker copies the new images (store/images.py)
    session.flush()
    return article, state


def _fill(article: Article, record: ArticleRecord, body_text: str, digest: str) -> None:
    article.source_id = record.source_id
    article.guid = record.guid
    article.url = record.url
    article.canonical_url = record.canonical_url
    article.title = record.title
    article.subtitle = record.subtitle
    article.authors = list(record.authors)
    article.byline = ", ".join(record.authors)
    article.agency = record.agency
    article.dateline = record.dateline
    article.section = record.section
    article.language = record.language
    article.published_at = record.published_at
    article.updated_at = record.updated_at
    article.fetched_at = utcnow()
    article.summary = record.summary
    article.body = list(record.blocks)
    article.body_text = body_text
    article.word_count = len(body_text.split())
    article.content_hash = digest
    article.lead_image_url = record.lead_image_url
    article.category_slug = record.category_slug or article.category_slug
    article.extraction_note = record.extraction_note
    article.processed_at = None  # new or revised text: understand it again
    article.summary_cache = None
    article.entry_hash = record.entry_hash
    _fill_page_state(article, record)
    article.enclosures = [
        ArticleEnclosure(position=i, url=e.url, type=e.type, length=e.length, medium=e.medium)
        for i, e in enumerate(record.enclosures)
    ]
    article.images = [
        ArticleImage(
            position=i,
            url=im.url,
            caption=im.caption,
            credit=im.credit,
            alt=im.alt,
            after_block=im.after_block,
        )
        for i, im in enumerate(record.images)
    ]


def _fill_page_state(article: Article, record: ArticleRecord) -> None:
    article.page_pending = record.page_pending
    article.page_attempts = record.page_attempts
    article.page_retry_at = record.page_retry_at


def find_article_by_url(session: Session, url: str) -> Article | None:
    """Find an article by its canonical URL or the link it was found under."""
    by_id = session.get(Article, make_id(url))
    if by_id is not None:
        return by_id
    return session.scalars(select(Article).where(Article.url == url).limit(1)).first()


def known_entries(session: Session, source_id: int, guids: list[str], urls: list[str]) -> dict[str, str]:
    """Map each already-stored guid or URL of a source's entries to the stored entry hash (one query)."""
    if not guids and not urls:
        return {}
    query = select(Article.guid, Article.url, Article.canonical_url, Article.entry_hash).where(
        or_(
            and_(Article.source_id == source_id, Article.guid.in_(guids)),
            Article.url.in_(urls),
            Article.canonical_url.in_(urls),
        )
    )
    known: dict[str, str] = {}
    for guid, url, canonical, entry_hash in session.execute(query):
        for key in (f"guid:{guid}" if guid else "", f"url:{url}", f"url:{canonical}"):
            if key:
                known[key] = entry_hash
    return known


def encode_cursor(article: Article) -> str:
    raw = f"{article.published_at.isoformat()}|{article.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, article_id = raw.split("|", 1)
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None or not re.fullmatch(r"[0-9a-f]{32}", article_id):
            raise BadCursor("invalid cursor")
        when = when.astimezone(UTC)  # an offset at the edge of the calendar overflows here, not in a query
    except (ValueError, UnicodeDecodeError, OverflowError) as exc:
        raise BadCursor("invalid cursor") from exc
    return when, article_id


def latest_articles(
    session: Session, limit: int = 30, cursor: str | None = None, **filters: Any
) -> tuple[list[Article], str | None]:
    """One page of articles, newest first, with the cursor of the next page (None at the end).

    A wire copy is left out when the article it copies is in the same list (it is shown there once, with
    the copies' publishers); a copy whose original the filters leave out (another country's paper on an
    edition page, the copying paper's own page) is listed.
    """
    query = _filtered(select(Article), Article, **filters)
    query = query.where(or_(Article.duplicate_of.is_(None), ~_original_listed(**filters)))
    query = query.order_by(Article.published_at.desc(), Article.id.desc())
    if cursor:
        when, article_id = decode_cursor(cursor)
        query = query.where(
            or_(Article.published_at < when, and_(Article.published_at == when, Article.id < article_id))
        )
    rows: list[Article] = list(session.scalars(query.limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def _original_listed(**filters: Any) -> ColumnElement[bool]:
    """True for a copy whose original passes the same filters."""
    original = aliased(Article, name="original")
    return exists(
        _filtered(select(original.id), original, **filters).where(original.id == Article.duplicate_of)
    )


def _filtered(
    query: Select[Any],
    entity: Any,
    source_id: int | None = None,
    category: str | None = None,
    language: str | None = None,
    condition: ColumnElement[bool] | None = None,
) -> Select[Any]:
    """The query with the list's filters on ``entity`` (Article, or an alias of it)."""
    if condition is not None:
        query = query.where(ClauseAdapter(inspect(entity).selectable).traverse(condition))
    if source_id is not None:
        query = query.where(entity.source_id == source_id)
    if category:
        query = query.where(entity.category_slug == category)
    if language:
        query = query.where(entity.language == language)
    return query


def copies_by_original(session: Session, article_ids: list[str]) -> dict[str, list[Article]]:
    """The wire copies of each of these articles, in order of publication (one query)."""
    if not article_ids:
        return {}
    query = (
        select(Article)
        .where(Article.duplicate_of.in_(article_ids))
        .order_by(Article.published_at, Article.id)
        .options(*UNLISTED)
    )
    found: dict[str, list[Article]] = {}
    for copy in session.scalars(query):
        found.setdefault(copy.duplicate_of or "", []).append(copy)
    return found


def count_articles(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Article)) or 0


def count_articles_in_stories(session: Session) -> int:
    """Articles the stories stage has placed (each in a story of its own or with others)."""
    return session.scalar(select(func.count()).select_from(Article).where(Article.story_id.is_not(None))) or 0
