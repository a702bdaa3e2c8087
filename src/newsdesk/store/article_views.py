"""Article views: what every reader sees of an article, prepared once per article version as plain data."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, ForeignKey, String, bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column

from newsdesk.enrich.facts import facts_from_records, pick_key_facts
from newsdesk.store.articles import UNLISTED
from newsdesk.store.db import BUSY_TIMEOUT_MS, dialect_insert
from newsdesk.store.models import Article, Base, RelatedArticle, Source, Tag, utcnow
from newsdesk.store.stories import copies_of, related_articles, story_articles, tags_of
from newsdesk.urls import shown_url

log = logging.getLogger("newsdesk.store.article_views")

# Raised whenever the view's shape or what goes into it changes: every stored view is then rebuilt.
VIEW_VERSION = 1
MAX_FACTS = 6
MAX_TAGS, RELATED_TAGS = 12, 3
EXCERPT_CHARS = 220


class ArticleView(Base):
    """An article's prepared view, valid while the article's version is still ``basis``."""

    __tablename__ = "article_views"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    basis: Mapped[str] = mapped_column(String(200))
    view: Mapped[dict[str, Any]] = mapped_column()
    built_at: Mapped[datetime] = mapped_column(default=utcnow)


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).isoformat()


def view_basis(
    content_hash: str, processed_at: datetime | None, images_at: datetime | None, story_seq: int | None
) -> str:
    """The article's version as its view depends on it: its text, its understanding, its image copies and
    its last story write (whatever else changes around it, the pipeline prepares the view again)."""
    return f"{VIEW_VERSION}:{content_hash}:{_iso(processed_at)}:{_iso(images_at)}:{story_seq}"


def article_basis(article: Article) -> str:
    return view_basis(article.content_hash, article.processed_at, article.images_at, article.story_seq)


BASIS_COLUMNS = (Article.content_hash, Article.processed_at, Article.images_at, Article.story_seq)
VIEW_QUERY = (
    select(ArticleView.view, ArticleView.basis, *BASIS_COLUMNS)
    .select_from(Article)
    .outerjoin(ArticleView, ArticleView.article_id == Article.id)
    .where(Article.id == bindparam("article_id"))
)  # built once: a cold page spends no time composing it


def stored_view(session: Session, article_id: str) -> tuple[bool, dict[str, Any] | None]:
    """(whether the article exists, its prepared view if one is kept for its current version): one query."""
    row = session.connection().execute(VIEW_QUERY, {"article_id": article_id}).first()
    if row is None:
        return False, None
    current = view_basis(row.content_hash, row.processed_at, row.images_at, row.story_seq)
    return True, (row.view if row.basis == current else None)


def article_excerpt(article: Article, limit: int = EXCERPT_CHARS) -> str:
    """The standfirst, else the first paragraph, cut at a word before ``limit`` characters."""
    first_text = next((b["text"] for b in article.body if b.get("kind") == "p"), "")
    found = article.subtitle or first_text
    if len(found) <= limit:
        return found
    return found[:limit].rsplit(" ", 1)[0] + "…"


def key_facts(facts: list[dict[str, Any]] | None, language: str) -> list[dict[str, str]]:
    """The facts worth showing (``pick_key_facts``): a figure with what it counts, at most six."""
    return [
        {"value": str(f.value), "what": str(f.what), "sentence": str(f.sentence or "")}
        for f in pick_key_facts(facts_from_records(facts), language, MAX_FACTS)
    ]


def image_copy(article: Article, url: str) -> dict[str, Any] | None:
    """The worker's copies of one of the article's images (None when it has none)."""
    return (article.image_copies or {}).get(url) if url else None


SOURCE_COLUMNS = (Source.id, Source.slug, Source.name, Source.site_url, Source.country, Source.language)


def source_piece(source: Source) -> dict[str, Any]:
    """A source as pages name and link it."""
    return _piece_of(source.id, source.slug, source.name, source.site_url, source.country, source.language)


def source_pieces(session: Session) -> list[dict[str, Any]]:
    """Every source's piece by name, read as plain rows (a list of 200 sources as objects took 8 ms)."""
    return [_piece_of(*row) for row in session.execute(select(*SOURCE_COLUMNS).order_by(Source.name))]


def _piece_of(
    source_id: int, slug: str, name: str, site_url: str, country: str | None, language: str | None
) -> dict[str, Any]:
    return {
        "id": source_id,
        "slug": slug,
        "name": name,
        "site_url": shown_url(site_url),
        "country": country,
        "language": language,
    }


def summary_piece(article: Article) -> dict[str, Any]:
    """What lists show of an article, before the reader's language and the time are added."""
    url = article.lead_image_url
    return {
        "id": article.id,
        "title": article.title,
        "source": source_piece(article.source),
        "language": article.language,
        "category": article.category_slug,
        "lead_image_url": url,
        "lead_copy": image_copy(article, url),
        "lead_alt": next((i.alt or i.caption for i in article.images if i.url == url), ""),
        "excerpt": article_excerpt(article),
        "published_at": _iso(article.published_at),
    }


def detail_piece(article: Article) -> dict[str, Any]:
    """What the article page shows of the article itself."""
    return {
        **summary_piece(article),
        "subtitle": article.subtitle,
        "authors": list(article.authors),
        "agency": article.agency,
        "dateline": article.dateline,
        "section": article.section,
        "canonical_url": article.canonical_url,
        "original_url": article.url,
        "body": [{"kind": b.get("kind", "p"), "text": b.get("text", "")} for b in article.body],
        "images": [
            {
                "url": i.url,
                "caption": i.caption,
                "credit": i.credit,
                "alt": i.alt,
                "after_block": i.after_block,
                "copy": image_copy(article, i.url),
            }
            for i in article.images
        ],
        "enclosures": [
            {"url": e.url, "type": e.type, "length": e.length, "medium": e.medium} for e in article.enclosures
        ],
        "text_pending": article.page_pending,
        "word_count": article.word_count,
        "story_id": article.story_id,
        "updated_at": _iso(article.updated_at),
        "first_seen_at": _iso(article.first_seen_at),
    }


def tag_piece(tag: Tag) -> dict[str, str]:
    return {"slug": tag.slug, "name": tag.name, "kind": tag.kind}


def also_covered(session: Session, article: Article) -> list[Article]:
    """The first report of each other source in the article's story (copies aside)."""
    if not article.story_id:
        return []
    seen_sources = {article.source_id}
    found = []
    for other in story_articles(session, article.story_id):
        if other.id != article.id and other.source_id not in seen_sources and other.duplicate_of is None:
            seen_sources.add(other.source_id)
            found.append(other)
    return found


def build_view(session: Session, article: Article) -> dict[str, Any]:
    """Everything the article page shows that is the same for every reader, in plain JSON data."""
    original = session.get(Article, article.duplicate_of) if article.duplicate_of else None
    related = related_articles(session, article)
    tags_by_article = tags_of(session, [article.id, *(r.id for r in related)])  # one query for both
    summary = (article.summary_cache or {}).get("sentences") or []
    return {
        "article": detail_piece(article),
        "tags": [tag_piece(t) for t in tags_by_article.get(article.id, [])[:MAX_TAGS]],
        "also_covered_by": [summary_piece(a) for a in also_covered(session, article)],
        "also_published_by": [summary_piece(c) for c in copies_of(session, article.id)],
        "copy_of": summary_piece(original) if original else None,
        "related": [
            {
                **summary_piece(r),
                "tags": [tag_piece(t) for t in tags_by_article.get(r.id, [])[:RELATED_TAGS]],
            }
            for r in related
        ],
        "ai": {"summary": list(summary), "key_facts": key_facts(article.facts, article.language or "")},
    }


def prepare_view(session: Session, article: Article) -> dict[str, Any]:
    """Build the article's view and keep it (replacing the one kept for an earlier version)."""
    view = build_view(session, article)
    row = {"basis": article_basis(article), "view": view, "built_at": utcnow()}
    # Workers may prepare one view at once (after image copies and after story assignment): the last wins.
    keep = dialect_insert(session)(ArticleView).values(article_id=article.id, **row)
    session.execute(keep.on_conflict_do_update(index_elements=["article_id"], set_=row))
    return view


def prepare_views(session: Session, article_ids: Iterable[str]) -> int:
    """Prepare the views of these articles (those that still exist); how many were prepared."""
    ids = sorted(set(article_ids))
    prepared = 0
    for start in range(0, len(ids), 200):
        query = select(Article).where(Article.id.in_(ids[start : start + 200])).options(*UNLISTED)
        for article in session.scalars(query):
            prepare_view(session, article)
            prepared += 1
    return prepared


def views_to_prepare(session: Session, article_ids: Iterable[str]) -> list[str]:
    """Those of the articles whose view is not kept, or kept for an earlier version of them."""
    ids, found = sorted(set(article_ids)), []
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Article.id, ArticleView.basis, *BASIS_COLUMNS)
            .outerjoin(ArticleView, ArticleView.article_id == Article.id)
            .where(Article.id.in_(ids[start : start + 500]))
        ).all()
        found += [r.id for r in rows if r.basis != view_basis(*r[2:])]
    return found


def articles_showing(session: Session, article_ids: Iterable[str]) -> set[str]:
    """The articles whose pages show any of these: themselves, the other reports of their stories, their
    copies and originals, and the articles that list them as related."""
    ids = sorted(set(article_ids))
    found = set(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(Article.story_id, Article.duplicate_of).where(Article.id.in_(chunk))
        ).all()
        stories = {s for s, _ in rows if s}
        found |= {d for _, d in rows if d}
        if stories:
            found |= set(session.scalars(select(Article.id).where(Article.story_id.in_(stories))))
        found |= set(session.scalars(select(Article.id).where(Article.duplicate_of.in_(chunk))))
        found |= set(
            session.scalars(select(RelatedArticle.article_id).where(RelatedArticle.related_id.in_(chunk)))
        )
    return found


def build_current_view(session: Session, article_id: str) -> tuple[str, dict[str, Any]] | None:
    """An article's view built now, with the basis it was built on (None when there is no such article)."""
    article = session.get(Article, article_id, options=UNLISTED)
    if article is None:
        return None
    return article_basis(article), build_view(session, article)


def keep_view(engine: Engine, article_id: str, basis: str, view: dict[str, Any], wait_ms: int) -> bool:
    """Keep a view on a connection of its own that waits at most ``wait_ms`` for the write lock."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        try:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait_ms)}")
            else:
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(wait_ms)}ms'")
            connection.execute(delete(ArticleView).where(ArticleView.article_id == article_id))
            connection.execute(
                insert(ArticleView).values(article_id=article_id, basis=basis, view=view, built_at=utcnow())
            )
            connection.commit()
            return True
        except (OperationalError, IntegrityError) as exc:  # the lock was held, or another page kept it first
            connection.rollback()
            log.info("article view not kept", extra={"article_id": article_id, "error": str(exc)[:200]})
            return False
        finally:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def forget_all_views(session: Session) -> None:
    """Drop every kept view (what every page shows changed, e.g. a source's name): pages rebuild them."""
    session.execute(delete(ArticleView))
