"""Checks of a store after faults: stories that disagree with their articles, articles left unfinished."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.ai import story_summary_key, summary_method
from newsdesk.pipeline.understand import story_members
from newsdesk.store.models import Article, ArticleVector, Story


def half_written_stories(session: Session) -> list[str]:
    """Stories that disagree with their articles: empty, miscounted, summarised from other articles, or
    merged away yet holding articles; articles in a missing story or copies of an article elsewhere."""
    problems = []
    stories = {s.id: s for s in session.scalars(select(Story))}
    articles = list(session.scalars(select(Article)))
    by_id = {a.id: a for a in articles}
    members: defaultdict[str, list[Article]] = defaultdict(list)
    for article in articles:
        members[str(article.story_id)].append(article)
        if article.story_id not in stories:
            problems.append(f"article {article.url} in missing story {article.story_id}")
        original = by_id.get(article.duplicate_of or "")
        if article.duplicate_of and (original is None or original.story_id != article.story_id):
            problems.append(f"copy {article.url} of {article.duplicate_of}, not in its story")
    for story in stories.values():
        own = members.get(story.id, [])
        if story.merged_into is not None:
            if own or story.merged_into not in stories:
                problems.append(f"story {story.id} merged into {story.merged_into} yet holds {len(own)}")
            continue
        originals = [a for a in own if a.duplicate_of is None]
        counts = (len(originals), len({a.source_id for a in originals}))
        if not originals or (story.article_count, story.source_count) != counts:
            problems.append(f"story {story.id} counts {story.article_count, story.source_count} of {counts}")
            continue
        if (story.first_seen_at, story.last_seen_at) != (
            min(a.published_at for a in originals),
            max(a.published_at for a in originals),
        ):
            problems.append(f"story {story.id}: its time span is not its articles'")
        key = story_summary_key(story_members(session, story.id), None, summary_method(None))
        if (story.summary_cache or {}).get("key") != key:
            problems.append(f"story {story.id}: summary missing or of other articles ({story.title})")
    return problems


def unfinished_articles(session: Session) -> list[str]:
    """Articles not processed, still claimed, without a story, a story write or a vector."""
    vectors = set(session.scalars(select(ArticleVector.article_id)))
    return [
        f"{a.url}: processed {a.processed_at}, claimed {a.processing_until}, story {a.story_id}, "
        f"write {a.story_seq}, vector {a.id in vectors}"
        for a in session.scalars(select(Article))
        if a.processed_at is None
        or a.processing_until is not None
        or a.story_id is None
        or a.story_seq is None
        or a.id not in vectors
    ]
