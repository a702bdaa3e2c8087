"""Context functions of story and hashtag pages (the article page's: article_page.full_article_context)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from newsdesk.ai.lang import base_language
from newsdesk.store.article_views import tag_piece
from newsdesk.store.models import Article, Tag
from newsdesk.store.stories import (
    articles_with_tag,
    find_tag,
    resolve_story,
    story_articles,
    tags_of,
    top_stories,
)
from newsdesk.web.article_page import full_article_context as full_article_context  # callers' old home
from newsdesk.web.article_page import present_tag
from newsdesk.web.context import NotFound, article_summary, time_fields, told_list
from newsdesk.web.i18n import current_language
from newsdesk.web.images import lead_picture
from newsdesk.web.story_timeline import followed_headline, is_developing, timeline_entries
from newsdesk.web.telling import in_language
from newsdesk.web.understanding import story_ai_block


def tag_summary(tag: Tag) -> dict[str, str]:
    """A hashtag as the reader sees it: named in their language ("Köln" on /de/), addressed by its slug."""
    return present_tag(tag_piece(tag))


def story_context(session: Session, story_id: str) -> dict[str, Any]:
    story = resolve_story(session, story_id)
    if story is None:
        raise NotFound(f"no story {story_id}")
    now = datetime.now(UTC)
    articles = story_articles(session, story.id)
    reports = [a for a in articles if a.duplicate_of is None]
    ai = story_ai_block(session, story)
    headline = followed_headline(story, reports)
    return {
        "ai": ai,
        "story": {
            "id": story.id,
            "title": headline["title"],
            "title_language": headline["language"],
            "developing": is_developing(reports, now),
            "url": f"/{current_language.get()}/story/{story.id}",
            "article_count": len(articles),
            **coverage(reports),
            **time_fields("first_seen_at", story.first_seen_at, now),
            **time_fields("last_seen_at", story.last_seen_at, now),
        },
        "timeline": [
            {**article_summary(a, now), "copy_of": a.duplicate_of, "added": added}
            for a, added in zip(articles, timeline_entries(session, articles, tag_summary), strict=True)
        ],
        "tags": [tag_summary(t) for t in _story_tags(session, [a.id for a in reports])],
    }


def coverage(reports: list[Article]) -> dict[str, Any]:
    """Who covers a story: how many sources, from which countries, in which languages."""
    sources = {a.source_id: a.source for a in reports}
    return {
        "source_count": len(sources),
        "countries": sorted({s.country for s in sources.values() if s.country}),
        "languages": sorted({base_language(a.language) for a in reports if base_language(a.language)}),
    }


def _story_tags(session: Session, article_ids: list[str], limit: int = 12) -> list[Tag]:
    counts: dict[int, tuple[int, Tag]] = {}
    for tags in tags_of(session, article_ids).values():
        for tag in tags:
            counts[tag.id] = (counts.get(tag.id, (0, tag))[0] + 1, tag)
    ranked = sorted(counts.values(), key=lambda pair: (-pair[0], pair[1].name))
    return [tag for _, tag in ranked[:limit]]


def hashtag_context(
    session: Session, slug: str, cursor: str | None = None, limit: int = 30
) -> dict[str, Any]:
    tag = find_tag(session, slug)
    if tag is None:
        raise NotFound(f"no hashtag {slug}")
    now = datetime.now(UTC)
    articles, next_cursor = articles_with_tag(session, tag, cursor, limit)
    return {
        "tag": tag_summary(tag),
        "items": told_list(session, articles, now),
        "next_cursor": next_cursor,
    }


def top_stories_context(session: Session, limit: int = 8, shown: int = 3) -> list[dict[str, Any]]:
    """Top stories for the home page: the headline in the reader's language, who covers it, and one
    report per source (the reader's language first, then the newest), with how many sources are not shown.

    Ranked by distinct sources, then recency. Each item also says what it touches (its sources,
    categories, hashtags and itself, as follow keys) so a reader's follows can rank it (``rank_for_reader``).
    """
    now = datetime.now(UTC)
    reader = current_language.get()
    candidates = top_stories(session, limit)
    reports_of = {
        story.id: sorted(
            (a for a in story_articles(session, story.id) if a.duplicate_of is None),
            key=lambda a: a.published_at,
            reverse=True,
        )
        for story, _ in candidates
    }
    touches = story_touches(session, reports_of)
    stories = []
    for story, _ in candidates:
        reports = reports_of[story.id]
        per_source = one_per_source(sorted(reports, key=lambda a: not in_language(a, reader)))
        headline = followed_headline(story, reports, reader)
        stories.append(
            {
                "id": story.id,
                "title": headline["title"],
                "title_language": headline["language"],
                "url": f"/{reader}/story/{story.id}",
                **coverage(reports),
                "more_sources": max(0, len(per_source) - shown),
                "touches": sorted(touches[story.id]),
                "articles": [article_summary(a, now) for a in per_source[:shown]],
                "image": story_picture(reports),
                **time_fields("last_seen_at", story.last_seen_at, now),
            }
        )
    return stories


def one_per_source(reports: list[Article]) -> list[Article]:
    """The first report of each source, in the order given."""
    seen: set[int] = set()
    chosen = []
    for report in reports:
        if report.source_id not in seen:
            seen.add(report.source_id)
            chosen.append(report)
    return chosen


def story_picture(reports: list[Article]) -> dict[str, Any] | None:
    """The story's one image: the lead image of its newest report that has one copied."""
    return next((p for p in map(lead_picture, reports) if p is not None), None)


def story_touches(session: Session, reports_of: dict[str, list[Article]]) -> dict[str, set[tuple[str, str]]]:
    """What each story touches, as follow keys: itself, its reports' sources, categories and hashtags."""
    tags = tags_of(session, [a.id for reports in reports_of.values() for a in reports])
    found: dict[str, set[tuple[str, str]]] = {}
    for story_id, reports in reports_of.items():
        keys = {("story", story_id)}
        for a in reports:
            keys |= {("source", a.source.slug), ("category", a.category_slug or "")}
            keys |= {("tag", t.slug) for t in tags.get(a.id, [])}
        found[story_id] = keys
    return found


def rank_for_reader(
    stories: list[dict[str, Any]], follows: set[tuple[str, str]], limit: int
) -> list[dict[str, Any]]:
    """The leading stories with those touching what the reader follows first (otherwise in rank order)."""
    marked = [{**s, "followed": bool(follows & {tuple(t) for t in s["touches"]})} for s in stories]
    return sorted(marked, key=lambda s: not s["followed"])[:limit]
