"""Write what understanding found about an article: language, category, tags, facts, vector, story."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast

from sqlalchemy import ColumnElement, Engine, Table, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from newsdesk.heartbeat import renewing
from newsdesk.store.db import dialect_insert
from newsdesk.store.models import Article, ArticleTag, ArticleVector, Story, StorySequence, Tag, utcnow


@dataclass(frozen=True)
class TagRecord:
    slug: str
    name: str
    kind: str = "topic"
    weight: float = 1.0


@dataclass
class Enrichment:
    """The outcome of every enricher for one article; an enricher that failed leaves its error here."""

    language: str | None = None
    category: str | None = None
    category_confidence: float | None = None
    tags: list[TagRecord] = field(default_factory=list)
    facts: list[dict[str, Any]] | None = None
    errors: dict[str, str] = field(default_factory=dict)


def pending_article_ids(session: Session, limit: int = 500) -> list[str]:
    """Articles not processed since they were stored or revised, oldest first."""
    query = (
        select(Article.id)
        .where(Article.processed_at.is_(None))
        .order_by(Article.first_seen_at, Article.published_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def upsert_tags(session: Session, records: Sequence[TagRecord]) -> dict[str, int]:
    """The ids of these tags, creating those that are new.

    Workers enriching at once may create the same tag: the insert skips a slug another has stored (on
    PostgreSQL it waits for that insert's transaction), in slug order so two inserts never wait on each other.
    """
    wanted = {r.slug[:120]: r for r in records}
    found = {
        slug: tag_id for slug, tag_id in session.execute(select(Tag.slug, Tag.id).where(Tag.slug.in_(wanted)))
    }
    new = [
        {"slug": slug, "name": wanted[slug].name[:200], "kind": wanted[slug].kind}
        for slug in sorted(wanted.keys() - found.keys())
    ]
    if new:
        session.execute(
            dialect_insert(session)(Tag).values(new).on_conflict_do_nothing(index_elements=["slug"])
        )
        added = select(Tag.slug, Tag.id).where(Tag.slug.in_([row["slug"] for row in new]))
        found |= {slug: tag_id for slug, tag_id in session.execute(added)}
    return {record.slug: found[record.slug[:120]] for record in records}


def save_enrichment(session: Session, article_id: str, enrichment: Enrichment) -> None:
    """Store the enrichment of one article (its tags replaced), leaving fields whose enricher failed."""
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article {article_id}")
    if enrichment.language:
        article.language = enrichment.language
    if enrichment.category:
        story = session.get(Story, article.story_id) if article.story_id else None
        article.own_category_slug = enrichment.category
        article.category_slug = story.category_slug if story and story.category_slug else enrichment.category
        article.category_confidence = enrichment.category_confidence
    if enrichment.facts is not None:
        article.facts = enrichment.facts
    if "entities" not in enrichment.errors:
        session.execute(delete(ArticleTag).where(ArticleTag.article_id == article_id))
        ids = upsert_tags(session, enrichment.tags)
        weights: dict[int, float] = {}
        for record in enrichment.tags:
            weights[ids[record.slug]] = max(weights.get(ids[record.slug], 0.0), record.weight)
        session.add_all(ArticleTag(article_id=article_id, tag_id=t, weight=w) for t, w in weights.items())
    article.enrichment_errors = enrichment.errors or None


def save_vector(session: Session, article_id: str, model: str, vector: bytes) -> None:
    existing = session.get(ArticleVector, article_id)
    if existing is None:
        session.add(ArticleVector(article_id=article_id, model=model, vector=vector))
    else:
        existing.model, existing.vector = model, vector


def vectors_of(session: Session, article_ids: Sequence[str], model: str) -> dict[str, bytes]:
    """The stored vectors of these articles made by ``model`` (vectors of another model are not mixed in)."""
    query = select(ArticleVector.article_id, ArticleVector.vector).where(
        ArticleVector.article_id.in_(article_ids), ArticleVector.model == model
    )
    return {article_id: vector for article_id, vector in session.execute(query).all()}


def next_story_seq(session: Session) -> int:
    """Number this story write: the row stays locked until it commits, so numbers follow commit order."""
    counted = session.execute(
        update(StorySequence).where(StorySequence.id == 1).values(value=StorySequence.value + 1)
    )
    if not counted.rowcount:  # type: ignore[attr-defined]  # the row the migration made is gone
        session.add(StorySequence(id=1, value=1))
        session.flush()
    return int(session.execute(select(StorySequence.value).where(StorySequence.id == 1)).scalar_one())


def latest_story_seq(session: Session) -> int:
    """The number of the latest committed story write (0 when none)."""
    return int(
        session.execute(select(StorySequence.value).where(StorySequence.id == 1)).scalar_one_or_none() or 0
    )


def stories_of_write(session: Session, seq: int) -> set[str]:
    """The stories that story write ``seq`` put articles in or moved them to (as they are now)."""
    query = select(Article.story_id).where(Article.story_seq == seq, Article.story_id.is_not(None))
    return {str(story_id) for story_id in session.scalars(query.distinct())}


def set_story(
    session: Session,
    article_id: str,
    story_id: str,
    title: str,
    duplicate_of: str | None = None,
    seq: int | None = None,
) -> None:
    """Put an article in a story (creating the story) as story write `seq`, link a copy to its original."""
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article {article_id}")
    if session.get(Story, story_id) is None:
        session.add(
            Story(
                id=story_id,
                title=title[:500],
                first_seen_at=article.published_at,
                last_seen_at=article.published_at,
            )
        )
        session.flush()
    article.story_id = story_id
    article.duplicate_of = duplicate_of
    article.story_seq = seq


def merge_stories(session: Session, absorbed: str, into: str, seq: int | None = None) -> None:
    """Move every article of one story into another (as story write `seq`) and remember where it went."""
    story = session.get(Story, absorbed)
    if story is None or absorbed == into:
        return
    for article in session.scalars(select(Article).where(Article.story_id == absorbed)):
        article.story_id = into
        article.story_seq = seq
    story.merged_into = into
    story.article_count = story.source_count = 0


def mark_processed(session: Session, article_id: str) -> None:
    article = session.get(Article, article_id)
    if article is not None:
        article.processed_at, article.processing_until = utcnow(), None


CLAIM_LEASE = timedelta(seconds=60)  # renewed while the batch is enriched: a killed worker's batch frees soon
ARTICLES = cast(Table, Article.__table__)


def claimable(now: datetime) -> ColumnElement[bool]:
    """Pending articles that no worker holds (or whose holder let its claim run out)."""
    unclaimed = or_(ARTICLES.c.processing_until.is_(None), ARTICLES.c.processing_until < now)
    return and_(ARTICLES.c.processed_at.is_(None), unclaimed)


def claim_pending_articles(engine: Engine, limit: int, now: datetime | None = None) -> list[str]:
    """Take up to ``limit`` pending articles, oldest first, that no other worker holds; their ids.

    PostgreSQL skips rows another claim is taking (SKIP LOCKED) in a materialised batch (as a subquery the
    planner may run it more than once and take more than ``limit``); SQLite has one writer at a time. The
    outer condition is checked again on each row, so two claims never return the same article.
    """
    now = now or utcnow()
    batch = (
        select(ARTICLES.c.id)
        .where(claimable(now))
        .order_by(ARTICLES.c.first_seen_at, ARTICLES.c.published_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("batch")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    claim = (
        update(ARTICLES)
        .where(ARTICLES.c.id == batch.c.id, claimable(now))
        .values(processing_until=now + CLAIM_LEASE)
        .returning(ARTICLES.c.id)
    )
    with engine.begin() as connection:
        return list(connection.scalars(claim))


def renew_article_claims(engine: Engine, article_ids: Sequence[str]) -> bool:
    """Extend the claims on these articles (those not processed yet) by another CLAIM_LEASE."""
    renew = (
        update(ARTICLES)
        .where(ARTICLES.c.id.in_(article_ids), ARTICLES.c.processed_at.is_(None))
        .values(processing_until=utcnow() + CLAIM_LEASE)
    )
    with engine.begin() as connection:
        connection.execute(renew)
    return True


@contextmanager
def keep_articles_claimed(engine: Engine, article_ids: Sequence[str]) -> Iterator[None]:
    """Renew the batch's claims every third of CLAIM_LEASE while the block enriches it."""
    with renewing(
        partial(renew_article_claims, engine, article_ids), CLAIM_LEASE.total_seconds() / 3, "articles"
    ):
        yield


def release_article_claims(engine: Engine, article_ids: Sequence[str]) -> None:
    """Let go of these articles' claims (a pending one is free for the next run at once)."""
    with engine.begin() as connection:
        connection.execute(
            update(ARTICLES).where(ARTICLES.c.id.in_(article_ids)).values(processing_until=None)
        )


def awaiting_story(session: Session) -> bool:
    """Whether a processed article is still without a story."""
    query = select(Article.id).where(Article.story_id.is_(None), Article.processed_at.is_not(None)).limit(1)
    return session.scalars(query).first() is not None


def enrichment_in_flight(session: Session, now: datetime | None = None) -> bool:
    """Whether a worker holds a claim on an article it is enriching."""
    query = select(Article.id).where(
        Article.processed_at.is_(None), Article.processing_until >= (now or utcnow())
    )
    return session.scalars(query.limit(1)).first() is not None


def oldest_awaiting_story(session: Session) -> datetime | None:
    """When the longest-waiting processed article without a story was processed."""
    query = select(func.min(Article.processed_at)).where(
        Article.story_id.is_(None), Article.processed_at.is_not(None)
    )
    return session.scalar(query)
