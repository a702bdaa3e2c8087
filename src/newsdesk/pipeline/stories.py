"""Story assignment for stored articles: one clusterer per worker process, warmed from the store's window.

Every article's embedding is stored (``article_vectors``) when it is assigned, so warming a new worker's
clusterer replays the window without embedding it again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.enrich.categories.story import Vote, story_category
from newsdesk.models import Embedder, Vectors, load_embedder
from newsdesk.store import Store, transaction
from newsdesk.store.enrichment import merge_stories, save_vector, set_story, vectors_of
from newsdesk.store.models import Article, Story, utcnow
from newsdesk.store.stories import refresh_story, save_related
from newsdesk.stories.model import Assignment, StoryArticle
from newsdesk.stories.stories import StoryClusterer, embedding_text

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


VECTOR_LOOKUP = 500  # article ids per query when reading stored vectors


class StoredVectors:
    """An embedder that answers from vectors already computed (read from the store) and keeps new ones.

    The clusterer embeds texts; the store keeps vectors by article: ``expect`` says which text is which
    article's, so known vectors are reused and new ones can be saved with their article.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.name, self.dim = embedder.name, embedder.dim
        self.known: dict[str, Vectors] = {}  # embedded text -> vector

    def encode(self, texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            for text, vector in zip(missing, self.embedder.encode(missing), strict=True):
                self.known[text] = vector
        return np.stack([self.known[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def remember(self, text: str, vector: bytes) -> None:
        row = np.frombuffer(vector, dtype=np.float32)
        if row.shape == (self.dim,):
            self.known[text] = row

    def forget(self) -> None:
        """Drop the vectors kept here (the clusterer or the store holds them now)."""
        self.known.clear()

    def vector_bytes(self, text: str) -> bytes | None:
        """The vector of a text embedded here, as bytes for the store (None if it was not)."""
        vector = self.known.get(text)
        return None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()


def warm_clusterer(store: Store) -> StoryClusterer:
    """A clusterer holding the window of already assigned articles, replayed in arrival order.

    Replay is deterministic and story ids derive from the article that opened a story, so the warmed
    clusterer knows the stories under the ids the store already has. Stored vectors spare the embedding.
    """
    vectors = StoredVectors(load_embedder())
    clusterer = StoryClusterer(vectors)
    since = utcnow() - timedelta(days=clusterer.settings.window_days)
    with store.session() as session:
        query = (
            select(Article)
            .where(Article.story_id.is_not(None), Article.published_at >= since)
            .order_by(Article.published_at, Article.id)
        )
        articles = [story_input(a) for a in session.scalars(query)]
        texts = {a.id: embedding_text(a, clusterer.settings.lead_words) for a in articles}
        ids = list(texts)
        for start in range(0, len(ids), VECTOR_LOOKUP):
            for article_id, vector in vectors_of(
                session, ids[start : start + VECTOR_LOOKUP], vectors.name
            ).items():
                vectors.remember(texts[article_id], vector)
    clusterer.assign_many(articles)
    vectors.forget()  # the window's vectors now live in the clusterer
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


def keep_vector(session: Session, clusterer: StoryClusterer, article: StoryArticle) -> None:
    """Store the embedding the clusterer computed for the article (a later warm-up reads it back)."""
    if isinstance(clusterer.embedder, StoredVectors):
        vector = clusterer.embedder.vector_bytes(embedding_text(article, clusterer.settings.lead_words))
        if vector is not None:
            save_vector(session, article.id, clusterer.embedder.name, vector)


def categorise_story(session: Session, story: Story) -> None:
    """Give the story one category from its reports' own labels (majority, a tie broken by the strongest
    model score), record how, and file every report of the story under it."""
    members = list(session.scalars(select(Article).where(Article.story_id == story.id)))
    votes = [
        Vote(a.own_category_slug or a.category_slug or "", a.category_confidence or 0.0)
        for a in members
        if a.duplicate_of is None and (a.own_category_slug or a.category_slug)
    ]
    chosen = story_category(votes)
    if chosen is None:
        return
    story.category_slug, story.category_method = chosen.label, chosen.method
    for article in members:
        article.own_category_slug = article.own_category_slug or article.category_slug
        article.category_slug = chosen.label


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
            keep_vector(session, clusterer, article)
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
        if isinstance(clusterer.embedder, StoredVectors):
            clusterer.embedder.forget()  # stored with their articles now
        session.flush()
        for story_id in touched:
            story = refresh_story(session, story_id)
            summary = clusterer.summary(story_id)
            if story is not None and summary is not None:
                story.title = summary.title[:500]
            if story is not None:
                categorise_story(session, story)
    with store.session() as session:
        return {s for s in touched if (found := session.get(Story, s)) is not None and not found.merged_into}
