"""The daily briefing: the top stories of a day (by distinct sources) with summary, facts and sources."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.ai import BriefingStory, LLMSettings, StoryArticle, compose_briefing, story_summary_from_record
from newsdesk.store.models import Article, Source, Story
from newsdesk.web.i18n import current_language
from newsdesk.web.understanding import article_url, story_fact_lines

CANDIDATES = 40


def day_stories(session: Session, day: date, edition: str | None = None) -> list[BriefingStory]:
    """Stories with reports published on ``day`` (UTC), best covered first, with their cached summaries."""
    start = datetime.combine(day, time(), UTC)
    window = (Article.published_at >= start, Article.published_at < start + timedelta(days=1))
    query = (
        select(Story.id, func.count(func.distinct(Article.source_id)).label("sources"))
        .join(Article, Article.story_id == Story.id)
        .where(*window, Article.duplicate_of.is_(None), Story.merged_into.is_(None))
        .group_by(Story.id)
        .order_by(func.count(func.distinct(Article.source_id)).desc())
        .limit(CANDIDATES)
    )
    if edition:
        query = query.join(Source, Source.id == Article.source_id).where(Source.country == edition.upper())
    stories = []
    for story_id, _ in session.execute(query).all():
        story = session.get(Story, story_id)
        assert story is not None
        members = list(
            session.scalars(
                select(Article).where(Article.story_id == story_id, Article.duplicate_of.is_(None))
            )
        )
        articles = [
            StoryArticle(a.id, a.source.name, a.title, a.body_text, a.language, a.published_at)
            for a in members
        ]
        record = story.summary_cache or {}
        stories.append(
            BriefingStory(
                id=story.id,
                title=story.title,
                articles=articles,
                url=f"/{current_language.get()}/story/{story.id}",
                category=members[0].category_slug or "" if members else "",
                facts=story_fact_lines(story, members),
                summary=story_summary_from_record(record, str(record.get("key", ""))) if record else None,
            )
        )
    return stories


def briefing_context(
    session: Session, day: date | None = None, edition: str | None = None, llm: LLMSettings | None = None
) -> dict[str, Any]:
    day = day or datetime.now(UTC).date()
    briefing = compose_briefing(day_stories(session, day, edition), llm_settings=llm)
    return {
        "date": day.isoformat(),
        "edition": edition,
        "story_count": briefing.story_count,
        "entries": [
            {
                "title": e.title,
                "url": e.url,
                "category": e.category,
                "source_count": e.source_count,
                "summary": [{"text": s.text, "url": article_url(s.article_id)} for s in e.summary.sentences],
                "facts": e.facts,
                "sources": [
                    {"source": s.source, "title": s.title, "url": article_url(s.article_id)}
                    for s in e.sources
                ],
            }
            for e in briefing.entries
        ],
    }
