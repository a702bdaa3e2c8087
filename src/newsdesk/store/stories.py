"""Stories and tags in the store: reports of a story, top stories, tag pages, related articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from newsdesk.enrich.facts import FactSource, facts_from_records, story_figures_record
from newsdesk.enrich.facts.facts import MAX_SOURCES
from newsdesk.store.articles import UNLISTED, latest_articles
from newsdesk.store.models import Article, ArticleTag, RelatedArticle, Source, Story, Tag, utcnow

MIN_SHARED_TAGS = 2  # one shared tag (a town, a country) is no kinship


def story_articles(session: Session, story_id: str) -> list[Article]:
    """Every report of a story, oldest first (the timeline)."""
    query = select(Article).where(Article.story_id == story_id).order_by(Article.published_at, Article.id)
    return list(session.scalars(query.options(*UNLISTED)))


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
    query = (
        select(Story)
        .where(Story.merged_into.is_(None), Story.last_seen_at >= since, Story.source_count > 0)
        .order_by(Story.source_count.desc(), Story.last_seen_at.desc())
        .limit(limit)
    )
    return [(story, story.source_count) for story in session.scalars(query)]


def refresh_story(session: Session, story_id: str) -> Story | None:
    """Recount a story's reports and distinct sources and its time span (after articles join or leave)."""
    story = session.get(Story, story_id)
    if story is None:
        return None
    row = session.execute(
        select(
            func.count(Article.id),
            func.count(func.distinct(Article.source_id)),
            func.min(Article.published_at),
            func.max(Article.published_at),
        ).where(Article.story_id == story_id, Article.duplicate_of.is_(None))
    ).one()
    story.article_count, story.source_count = int(row[0]), int(row[1])
    if row[2] is not None:
        story.first_seen_at, story.last_seen_at = row[2], row[3]
    refresh_story_figures(session, story)
    return story


def refresh_story_figures(session: Session, story: Story) -> None:
    """Compare the figures of a story's reports once, when its reports change (pages read the record)."""
    members = session.scalars(
        select(Article)
        .where(Article.story_id == story.id, Article.duplicate_of.is_(None))
        .order_by(Article.published_at)
        .limit(MAX_SOURCES)
    )
    sources = [
        FactSource(a.id, a.source.name, a.published_at, a.language or "", facts_from_records(a.facts))
        for a in members
    ]
    story.facts_cache = story_figures_record(sources)


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


def save_related(session: Session, article_id: str, found: Sequence[tuple[str, float]]) -> None:
    """Keep the reports of other stories the stories stage found near an article, linked both ways."""
    scores: dict[tuple[str, str], float] = {}
    for other_id, score in found:
        scores[(article_id, other_id)] = scores[(other_id, article_id)] = score
    if not scores:
        return
    ids = {article_id, *(other_id for other_id, _ in found)}
    query = select(RelatedArticle).where(
        RelatedArticle.article_id.in_(ids), RelatedArticle.related_id.in_(ids)
    )
    for row in session.scalars(query):  # links already kept: the higher score stays
        pair = (row.article_id, row.related_id)
        if pair in scores:
            row.score = max(row.score, scores.pop(pair))
    session.add_all(RelatedArticle(article_id=a, related_id=b, score=v) for (a, b), v in scores.items())


def related_articles(session: Session, article: Article, limit: int = 6) -> list[Article]:
    """Reports of other stories near this one: those the stories stage found, then those sharing tags.

    One article per other story, none of this story; the stories stage only compares articles that are
    in its window together (days), so when it found fewer than half of ``limit``, older coverage sharing
    at least ``MIN_SHARED_TAGS`` tags fills in. Nothing is shown rather than reports that share one tag
    only: a local paper's town is in all its reports ("Kometenstaub" was followed by a port hack, a bridge
    and a film shoot, all of Cologne).
    """
    found = session.execute(
        select(RelatedArticle.related_id, Article.story_id)
        .join(Article, Article.id == RelatedArticle.related_id)
        .where(RelatedArticle.article_id == article.id, Article.duplicate_of.is_(None))
        .order_by(RelatedArticle.score.desc())
        .limit(limit * 3)
    ).all()
    seen = {article.story_id or article.id}
    chosen = _first_per_story([(i, s or i) for i, s in found], limit, seen)
    if len(chosen) < limit // 2:  # few found nearby: older coverage sharing tags fills in
        chosen += _one_per_story(
            session, articles_sharing_tags(session, article, limit), limit - len(chosen), seen
        )
    loaded = {
        a.id: a for a in session.scalars(select(Article).where(Article.id.in_(chosen)).options(*UNLISTED))
    }
    return [loaded[article_id] for article_id in chosen if article_id in loaded]


def _first_per_story(ranked: list[tuple[str, str]], limit: int, seen: set[str]) -> list[str]:
    """The ids of (id, story) pairs, best first, skipping stories already ``seen`` (which it extends)."""
    chosen: list[str] = []
    for article_id, story in ranked:
        if story in seen:
            continue
        seen.add(story)
        chosen.append(article_id)
        if len(chosen) == limit:
            break
    return chosen


def _one_per_story(session: Session, ranked: list[str], limit: int, seen: set[str]) -> list[str]:
    """The ranked ids that are reports (not copies) of stories not yet ``seen``, one per story, in order."""
    if not ranked or limit <= 0:
        return []
    rows = session.execute(
        select(Article.id, Article.story_id).where(Article.id.in_(ranked), Article.duplicate_of.is_(None))
    ).all()
    story_of = {article_id: story_id or article_id for article_id, story_id in rows}
    return _first_per_story([(i, story_of[i]) for i in ranked if i in story_of], limit, seen)


def articles_sharing_tags(session: Session, article: Article, limit: int) -> list[str]:
    """Ids of articles that share the most tags (``MIN_SHARED_TAGS`` or more) with this one, newest first
    among equals."""
    tag_ids = list(session.scalars(select(ArticleTag.tag_id).where(ArticleTag.article_id == article.id)))
    if not tag_ids:
        return []
    shared = func.count(ArticleTag.tag_id).label("shared")
    counts = session.execute(
        select(ArticleTag.article_id, shared)
        .where(ArticleTag.tag_id.in_(tag_ids), ArticleTag.article_id != article.id)
        .group_by(ArticleTag.article_id)
        .having(func.count(ArticleTag.tag_id) >= MIN_SHARED_TAGS)
        .order_by(shared.desc())
        .limit(limit * 10)
    ).all()
    overlap = {article_id: int(n) for article_id, n in counts}
    candidates = session.execute(
        select(Article.id, Article.published_at).where(
            Article.id.in_(overlap), Article.duplicate_of.is_(None)
        )
    ).all()
    ranked = sorted(candidates, key=lambda row: (-overlap[row[0]], -row[1].timestamp()))
    return [article_id for article_id, _ in ranked]


def copies_of(session: Session, article_id: str) -> list[Article]:
    """Syndicated copies linked to this article (their text is not repeated on pages)."""
    return list(session.scalars(select(Article).where(Article.duplicate_of == article_id).options(*UNLISTED)))


def source_names(session: Session, source_ids: set[int]) -> dict[int, Source]:
    return {s.id: s for s in session.scalars(select(Source).where(Source.id.in_(source_ids)))}
