"""Stories and tags in the store: reports of a story, top stories, tag pages, related articles."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from newsdesk.store.articles import latest_articles
from newsdesk.store.models import Article, ArticleTag, Source, Story, Tag, utcnow


def story_articles(session: Session, story_id: str) -> list[Article]:
    """Every report of a story, oldest first (the timeline)."""
    query = select(Article).where(Article.story_id == story_id).order_by(Article.published_at, Article.id)
    return list(session.scalars(query))


def resolve_story(session: Session, story_id: str) -> Story | None:
    """The story, following merges to the story it became part of."""
    story = session.get(Story, story_id)
    seen = set()
    while story is not None and story.merged_into and story.id not in seen:
        seen.add(story.id)
        story = session.get(Story, story.merged_into)
    return story


def top_stories(session: Session, limit: int = 10, since: datetime | None = None) -> list[tuple[Story, int]]:
    """Stories of the last days ranked by distinct sources, then by recency: (story, sources)."""
    since = since or utcnow() - timedelta(days=3)
    sources = func.count(func.distinct(Article.source_id))
    query = (
        select(Story, sources)
        .join(Article, Article.story_id == Story.id)
        .where(Story.merged_into.is_(None), Story.last_seen_at >= since, Article.duplicate_of.is_(None))
        .group_by(Story.id)
        .order_by(sources.desc(), Story.last_seen_at.desc())
        .limit(limit)
    )
    return [(story, int(count)) for story, count in session.execute(query).all()]


def tags_of(session: Session, article_ids: list[str]) -> dict[str, list[Tag]]:
    """The tags of several articles, strongest first, in one query."""
    if not article_ids:
        return {}
    query = (
        select(ArticleTag.article_id, Tag)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .where(ArticleTag.article_id.in_(article_ids))
        .order_by(ArticleTag.weight.desc(), Tag.name)
    )
    found: dict[str, list[Tag]] = {}
    for article_id, tag in session.execute(query).all():
        found.setdefault(article_id, []).append(tag)
    return found


def find_tag(session: Session, slug: str) -> Tag | None:
    return session.scalars(select(Tag).where(Tag.slug == slug)).first()


def articles_with_tag(
    session: Session, tag: Tag, cursor: str | None = None, limit: int = 30
) -> tuple[list[Article], str | None]:
    tagged = select(ArticleTag.article_id).where(ArticleTag.tag_id == tag.id)
    condition: ColumnElement[bool] = Article.id.in_(tagged)
    return latest_articles(session, limit=limit, cursor=cursor, condition=condition)


def related_articles(session: Session, article: Article, limit: int = 6) -> list[Article]:
    """Articles of other stories that share the most tags with this one, newest first among equals."""
    tag_ids = select(ArticleTag.tag_id).where(ArticleTag.article_id == article.id)
    shared = func.count(ArticleTag.tag_id)
    query = (
        select(Article, shared)
        .join(ArticleTag, and_(ArticleTag.article_id == Article.id, ArticleTag.tag_id.in_(tag_ids)))
        .where(Article.id != article.id, Article.duplicate_of.is_(None))
        .group_by(Article.id)
        .order_by(shared.desc(), Article.published_at.desc())
        .limit(limit * 3)
    )
    if article.story_id:
        query = query.where((Article.story_id != article.story_id) | Article.story_id.is_(None))
    chosen: list[Article] = []
    stories: set[str] = set()
    for candidate, _ in session.execute(query).all():
        if candidate.story_id and candidate.story_id in stories:
            continue  # one article per other story
        stories.add(candidate.story_id or candidate.id)
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen


def copies_of(session: Session, article_id: str) -> list[Article]:
    """Syndicated copies linked to this article (their text is not repeated on pages)."""
    return list(session.scalars(select(Article).where(Article.duplicate_of == article_id)))


def source_names(session: Session, source_ids: set[int]) -> dict[int, Source]:
    return {s.id: s for s in session.scalars(select(Source).where(Source.id.in_(source_ids)))}
