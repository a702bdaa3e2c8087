"""Article views kept current: prepared again after the stages that change what an article page shows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy import select

from newsdesk.store import Store, transaction
from newsdesk.store.article_views import (
    ArticleView,
    articles_showing,
    prepare_views,
    views_to_prepare,
)
from newsdesk.store.models import Article

log = logging.getLogger("newsdesk.pipeline.views")

BATCH = 100  # views prepared per transaction: a page waiting on the write lock never waits long


def prepare_article_views(
    store: Store, article_ids: Iterable[str], progress: Callable[[int], None] | None = None
) -> int:
    """Prepare the views of these articles, a batch per transaction; how many were prepared."""
    ids, prepared = sorted(set(article_ids)), 0
    for start in range(0, len(ids), BATCH):
        with transaction(store.sessions) as session:
            prepared += prepare_views(session, ids[start : start + BATCH])
        if progress:
            progress(len(ids[start : start + BATCH]))
    return prepared


def prepare_kept_views(store: Store, article_ids: Iterable[str]) -> int:
    """Prepare again those of these articles' views that are kept (the others are built when asked)."""
    ids = sorted(set(article_ids))
    with store.session() as session:
        kept = [
            found
            for start in range(0, len(ids), 500)
            for found in session.scalars(
                select(ArticleView.article_id).where(ArticleView.article_id.in_(ids[start : start + 500]))
            )
        ]
    return prepare_article_views(store, kept)


def prepare_views_around(store: Store, article_ids: Iterable[str]) -> int:
    """After these articles changed: prepare their views and those of every article page showing them."""
    with store.session() as session:
        showing = articles_showing(session, article_ids)
    return prepare_article_views(store, showing)


def prepare_story_views(store: Store, story_ids: Iterable[str], since_seq: int = -1) -> int:
    """After these stories changed (reports joined, left or merged): the views of their reports, and of
    the pages showing the reports placed by story writes after ``since_seq`` (their copies, the articles
    they are now related to); other reports' related articles did not change."""
    ids = sorted(set(story_ids))
    if not ids:
        return 0
    with store.session() as session:
        rows = session.execute(select(Article.id, Article.story_seq).where(Article.story_id.in_(ids))).all()
        placed = [article_id for article_id, seq in rows if seq is not None and seq > since_seq]
        showing = articles_showing(session, placed)
    return prepare_article_views(store, {article_id for article_id, _ in rows} | showing)


def prepare_missing_views(
    store: Store, article_ids: Iterable[str], progress: Callable[[int], None] | None = None
) -> int:
    """Prepare the views of those of these articles that have none for their current version."""
    with store.session() as session:
        missing = views_to_prepare(session, article_ids)
    return prepare_article_views(store, missing, progress)


def prepare_newest_views(store: Store, limit: int) -> int:
    """Prepare the views missing (or made for an older version) among the ``limit`` newest articles."""
    with store.session() as session:
        query = select(Article.id).order_by(Article.published_at.desc()).limit(limit)
        newest = list(session.scalars(query))
    return prepare_missing_views(store, newest)
