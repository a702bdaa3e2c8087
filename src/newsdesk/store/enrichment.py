"""Write what understanding found about an article: language, category, tags, facts, vector, story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

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
    """The ids of these tags, creating those that are new."""
    slugs = {r.slug for r in records}
    found = {t.slug: t.id for t in session.scalars(select(Tag).where(Tag.slug.in_(slugs)))}
    for record in records:
        if record.slug not in found:
            tag = Tag(slug=record.slug[:120], name=record.name[:200], kind=record.kind)
            session.add(tag)
            session.flush()
            found[record.slug] = tag.id
    return found


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
        article.processed_at = utcnow()
