"""The daily briefing: the day's top stories, ranked by how many distinct sources cover them, summarised."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from newsdesk.ai.summarize import summarize_story
from newsdesk.ai.types import (
    Briefing,
    BriefingEntry,
    BriefingSource,
    BriefingStory,
    LLMSettings,
    StoryArticle,
)

TOP_STORIES = 10
SUMMARY_SENTENCES = 3


def compose_briefing(
    stories: Sequence[BriefingStory],
    *,
    max_stories: int = TOP_STORIES,
    language: str | None = None,
    llm_settings: LLMSettings | None = None,
) -> Briefing:
    """The top `max_stories` stories (most distinct sources first), each with summary, facts and sources.

    A story that comes with a summary (from the cache) keeps it; the others are summarised here.
    """
    with_articles = [story for story in stories if story.articles]
    ranked = sorted(with_articles, key=story_rank)[: max(max_stories, 0)]
    entries = [briefing_entry(story, language, llm_settings) for story in ranked]
    return Briefing(entries, len(with_articles))


def story_rank(story: BriefingStory) -> tuple[int, int, float, str]:
    """Sort key: more distinct sources, then more articles, then the most recent update, then the id."""
    latest = latest_time(story.articles)
    stamp = latest.timestamp() if latest else 0.0
    return (-distinct_sources(story.articles), -len(story.articles), -stamp, story.id)


def distinct_sources(articles: Sequence[StoryArticle]) -> int:
    return len({article.source.strip().lower() for article in articles if article.source.strip()})


def latest_time(articles: Sequence[StoryArticle]) -> datetime | None:
    times = [_aware(a.published) for a in articles if a.published is not None]
    return max(times) if times else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def briefing_entry(
    story: BriefingStory, language: str | None, llm_settings: LLMSettings | None
) -> BriefingEntry:
    summary = story.summary or summarize_story(
        story.articles, language=language, max_sentences=SUMMARY_SENTENCES, llm_settings=llm_settings
    )
    return BriefingEntry(
        story_id=story.id,
        title=story.title,
        url=story.url,
        category=story.category,
        source_count=distinct_sources(story.articles),
        latest=latest_time(story.articles),
        summary=summary,
        facts=list(story.facts),
        sources=story_sources(story.articles),
    )


def story_sources(articles: Sequence[StoryArticle]) -> list[BriefingSource]:
    """One entry per source: its earliest article of the story, in order of first publication."""
    first: dict[str, StoryArticle] = {}
    for article in sorted(articles, key=lambda a: (_aware(a.published) if a.published else _END, a.id)):
        first.setdefault(article.source.strip().lower() or article.id, article)
    return [BriefingSource(a.id, a.source, a.title, a.url) for a in first.values()]


_END = datetime.max.replace(tzinfo=UTC)
