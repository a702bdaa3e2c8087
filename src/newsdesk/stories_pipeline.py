"""Story assignment for stored articles: one clusterer per worker process, warmed from the store's window."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select

from newsdesk.embeddings import load_embedder
from newsdesk.store import Store, transaction
from newsdesk.store.enrichment import merge_stories, set_story
from newsdesk.store.models import Article, Story, utcnow
from newsdesk.store.stories import refresh_story, save_related
from newsdesk.stories.model import Assignment, StoryArticle
from newsdesk.stories.stories import StoryClusterer

RELATED_PER_ARTICLE = 6
_LOCK = threading.Lock()
_CLUSTERERS: dict[str, StoryClusterer] = {}


def story_input(article: Article) -> StoryArticle:
    return StoryArticle(
        id=article.id,
        title=article.title,
        text=article.body_text,
        language=article.language,
        published=article.published_at,
        source=article.source.name,
        content_hash=article.content_hash,
        agency=article.agency,
    )


def warm_clusterer(store: Store) -> StoryClusterer:
    """A clusterer holding the window of already assigned articles, replayed in arrival order.

    Replay is deterministic and story ids derive from the article that opened a story, so the warmed
    clusterer knows the stories under the ids the store already has.
    """
    clusterer = StoryClusterer(load_embedder())
    since = utcnow() - timedelta(days=clusterer.settings.window_days)
    with store.session() as session:
        query = (
            select(Article)
            .where(Article.story_id.is_not(None), Article.published_at >= since)
            .order_by(Article.published_at, Article.id)
        )
        articles = [story_input(a) for a in session.scalars(query)]
    clusterer.assign_many(articles)
    return clusterer


def clusterer_for(store: Store) -> StoryClusterer:
    with _LOCK:
        if store.url not in _CLUSTERERS:
            _CLUSTERERS[store.url] = warm_clusterer(store)
        return _CLUSTERERS[store.url]


def pending_for_stories(store: Store, limit: int) -> list[StoryArticle]:
    """Processed articles without a story yet, oldest first, in publication order within the batch.

    A first poll brings each source's backlog at once; ordering the batch by publication time gives the
    clusterer the stream as it happened rather than source after source.
    """
    with store.session() as session:
        query = (
            select(Article)
            .where(Article.story_id.is_(None), Article.processed_at.is_not(None))
            .order_by(Article.first_seen_at, Article.id)
            .limit(limit)
        )
        batch = [story_input(a) for a in session.scalars(query)]
    return sorted(batch, key=lambda a: (a.published or utcnow(), a.id))


def assign_stories(store: Store, limit: int = 2_000) -> set[str]:
    """Give every processed article without a story its story; return the stories that changed."""
    pending = pending_for_stories(store, limit)
    if not pending:
        return set()
    clusterer = clusterer_for(store)
    with _LOCK:
        assignments = clusterer.assign_many(pending)
    return save_assignments(store, clusterer, pending, assignments)


def save_assignments(
    store: Store,
    clusterer: StoryClusterer,
    articles: Sequence[StoryArticle],
    assignments: Sequence[Assignment],
) -> set[str]:
    touched: set[str] = set()
    with transaction(store.sessions) as session:
        for article, assignment in zip(articles, assignments, strict=True):
            story_id = clusterer.resolve(assignment.story_id)
            summary = clusterer.summary(story_id)
            title = summary.title if summary else article.title
            set_story(session, article.id, story_id, title, assignment.duplicate_of)
            if assignment.duplicate_of is None:
                near = clusterer.related(article.id, RELATED_PER_ARTICLE)
                save_related(session, article.id, [(r.article_id, r.similarity) for r in near])
            for copy_id in assignment.relinked:  # copies that now point at this (earlier or agency) original
                copy = session.get(Article, copy_id)
                if copy is not None:
                    copy.duplicate_of = article.id
            for absorbed in assignment.merged:
                merge_stories(session, absorbed, story_id)
                touched.add(absorbed)
            touched.add(story_id)
        session.flush()
        for story_id in touched:
            story = refresh_story(session, story_id)
            summary = clusterer.summary(story_id)
            if story is not None and summary is not None:
                story.title = summary.title[:500]
    with store.session() as session:
        return {s for s in touched if (found := session.get(Story, s)) is not None and not found.merged_into}
