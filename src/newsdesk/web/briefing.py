"""The daily briefing: the top stories of the last 24 hours, or of one day, with summaries and sources."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.ai import BriefingStory, LLMSettings, StoryArticle, compose_briefing, story_summary_from_record
from newsdesk.ai.lang import base_language
from newsdesk.store.models import Article, Source, Story
from newsdesk.web.i18n import current_language
from newsdesk.web.story_timeline import followed_headline
from newsdesk.web.understanding import article_url, story_fact_lines

CANDIDATES = 40
DAY = timedelta(days=1)


def briefing_window(day: date | None, now: datetime) -> tuple[datetime, datetime]:
    """The reports a briefing reads: the 24 hours before ``now`` by default, else that day (UTC)."""
    if day is None:
        return now - DAY, now
    start = datetime.combine(day, time(), UTC)
    return start, start + DAY


def window_stories(
    session: Session, start: datetime, end: datetime, edition: str | None = None
) -> list[tuple[BriefingStory, str]]:
    """Stories with reports published in [start, end), best covered first, with their cached summaries
    (the one from reports in the reader's language when the story has one) and their headline's language."""
    window = (Article.published_at >= start, Article.published_at < end)
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
    return [briefing_story(session, story_id) for story_id, _ in session.execute(query).all()]


def briefing_story(session: Session, story_id: str) -> tuple[BriefingStory, str]:
    """A story as the briefing reads it (headline, summary and facts as its page tells them to the reader),
    with the language of its headline."""
    story = session.get(Story, story_id)
    assert story is not None
    members = list(
        session.scalars(select(Article).where(Article.story_id == story_id, Article.duplicate_of.is_(None)))
    )
    articles = [
        StoryArticle(a.id, a.source.name, a.title, a.body_text, a.language, a.published_at) for a in members
    ]
    cache = story.summary_cache or {}
    local = (cache.get("languages") or {}).get(current_language.get())
    record = local if isinstance(local, dict) and local.get("sentences") else cache
    headline = followed_headline(story, members)
    told = BriefingStory(
        id=story.id,
        title=headline["title"],
        articles=articles,
        url=f"/{current_language.get()}/story/{story.id}",
        category=members[0].category_slug or "" if members else "",
        facts=story_fact_lines(story, members),
        summary=story_summary_from_record(record, str(record.get("key", ""))) if record else None,
    )
    return told, headline["language"]


def day_url(day: date, edition: str | None) -> str:
    """The stable address of one day's briefing (in the reader's language, for one edition or all)."""
    query = f"?{urlencode({'edition': edition})}" if edition else ""
    return f"/{current_language.get()}/briefing/{day.isoformat()}{query}"


def briefing_context(
    session: Session,
    day: date | None = None,
    edition: str | None = None,
    llm: LLMSettings | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The briefing of the last 24 hours (``day`` None) or of one day, with links to the days around it."""
    now = now or datetime.now(UTC)
    start, end = briefing_window(day, now)
    shown = day or now.date()
    found = window_stories(session, start, end, edition)
    title_languages = {story.id: language for story, language in found}
    language_of = {a.id: base_language(a.language) for story, _ in found for a in story.articles}
    briefing = compose_briefing([story for story, _ in found], llm_settings=llm)
    return {
        "date": shown.isoformat(),
        "last_24_hours": day is None,
        "since": start.isoformat(),
        "until": end.isoformat(),
        "edition": edition,
        "day_url": day_url(shown, edition),
        "previous_url": day_url(shown - DAY, edition) if shown - DAY >= date(1900, 1, 1) else None,
        "next_url": day_url(shown + DAY, edition) if shown < now.date() else None,
        "story_count": briefing.story_count,
        "entries": [
            {
                "title": e.title,
                "title_language": title_languages.get(e.story_id, ""),
                "url": e.url,
                "category": e.category,
                "source_count": e.source_count,
                "summary": [
                    {
                        "text": s.text,
                        "url": article_url(s.article_id),
                        "language": language_of.get(s.article_id, ""),
                    }
                    for s in e.summary.sentences
                ],
                "facts": e.facts,
                "sources": [
                    {"source": s.source, "title": s.title, "url": article_url(s.article_id)}
                    for s in e.sources
                ],
            }
            for e in briefing.entries
        ],
    }
