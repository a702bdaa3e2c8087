"""Story assignment for stored articles: a clusterer per worker process that catches up from the store.

Every article's embedding is stored (``article_vectors``) when it is assigned, and every story write is
numbered (``articles.story_seq``). Before each run a worker adopts what other processes wrote since the
last number it saw (assignments, merges, relinked copies) from stored vectors, so every process decides
on the same stories; a write that finds another one landed since its catch-up is undone and redone.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.enrich.categories.story import Vote, story_category
from newsdesk.models import Embedder, Vectors, load_embedder
from newsdesk.store import Store, transaction
from newsdesk.store.enrichment import (
    latest_story_seq,
    merge_stories,
    next_story_seq,
    save_vector,
    set_story,
    vectors_of,
)
from newsdesk.store.models import Article, Story, utcnow
from newsdesk.store.stories import refresh_story, save_related
from newsdesk.stories.adopt import Placement
from newsdesk.stories.model import Assignment, StoryArticle
from newsdesk.stories.stories import StoryClusterer, embedding_text

RELATED_PER_ARTICLE = 6
VECTOR_LOOKUP = 500  # article ids per query when reading stored vectors
CATCH_UP_BATCH = 2_000  # story writes read per query when catching up
RETRIES = 3  # a run whose write raced another process's is redone this often
_LOCK = threading.Lock()
_WORKERS: dict[str, StoryWorker] = {}


class StaleStories(RuntimeError):
    """Another process wrote stories after this worker caught up: its decisions are not saved."""


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


class StoredVectors:
    """An embedder that answers from vectors already computed (read from the store) and keeps new ones.

    The clusterer embeds texts; the store keeps vectors by article: ``remember`` says which text is which
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


@dataclass
class StoryWorker:
    """A process's clusterer and the number of the latest story write it has taken in (-1: none yet)."""

    clusterer: StoryClusterer
    vectors: StoredVectors
    seen: int = -1


def new_worker() -> StoryWorker:
    vectors = StoredVectors(load_embedder())
    return StoryWorker(StoryClusterer(vectors), vectors)


def catch_up(store: Store, worker: StoryWorker) -> int:
    """Take in the story writes made since the worker last looked (at first: the window); return how many."""
    clusterer = worker.clusterer
    adopted = 0
    with store.session() as session:
        latest = latest_story_seq(session)
        if latest == worker.seen:
            return 0
        since = window_start(session, clusterer.settings.window_days)
        query = select(Article).where(Article.story_id.is_not(None), Article.published_at >= since)
        if worker.seen >= 0:
            query = query.where(Article.story_seq > worker.seen, Article.story_seq <= latest)
        query = query.order_by(Article.story_seq.nulls_first(), Article.published_at, Article.id)
        for start in range(0, 1_000_000_000, CATCH_UP_BATCH):
            rows = list(session.scalars(query.offset(start).limit(CATCH_UP_BATCH)))
            adopt_rows(session, worker, rows)
            adopted += len(rows)
            if len(rows) < CATCH_UP_BATCH:
                break
    worker.seen = latest
    return adopted


def window_start(session: Session, window_days: float) -> datetime:
    """Where the clusterer's window starts: its days before the newest assigned article (the stream's clock,
    as a clusterer that saw every article keeps it), not before now (a window of the wall clock left out an
    article the other workers still held, and a story split)."""
    newest = session.scalar(select(func.max(Article.published_at)).where(Article.story_id.is_not(None)))
    now = utcnow()
    if newest is None:
        return now - timedelta(days=window_days)
    if newest.tzinfo is None:
        newest = newest.replace(tzinfo=UTC)
    return min(newest, now) - timedelta(days=window_days)


def adopt_rows(session: Session, worker: StoryWorker, rows: Sequence[Article]) -> None:
    """Place stored articles in the worker's clusterer as the store has them, reusing stored vectors."""
    articles = [story_input(a) for a in rows]
    texts = {a.id: embedding_text(a, worker.clusterer.settings.lead_words) for a in articles}
    ids = list(texts)
    for start in range(0, len(ids), VECTOR_LOOKUP):
        chunk = ids[start : start + VECTOR_LOOKUP]
        for article_id, vector in vectors_of(session, chunk, worker.vectors.name).items():
            worker.vectors.remember(texts[article_id], vector)
    placements = [Placement(str(a.story_id), a.duplicate_of) for a in rows]
    worker.clusterer.adopt_many(articles, placements)
    worker.vectors.forget()  # the window's vectors now live in the clusterer


def warm_clusterer(store: Store) -> StoryClusterer:
    """A clusterer holding the window of assigned articles in the stories the store has them in."""
    worker = new_worker()
    catch_up(store, worker)
    return worker.clusterer


def worker_for(store: Store) -> StoryWorker:
    """This process's story worker for the store (made and warmed on first use)."""
    with _LOCK:
        if store.url not in _WORKERS:
            worker = new_worker()
            catch_up(store, worker)
            _WORKERS[store.url] = worker
        return _WORKERS[store.url]


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


def assign_stories(store: Store, limit: int = 2_000, worker: StoryWorker | None = None) -> set[str]:
    """Give every processed article without a story its story; return the stories that changed.

    The worker first catches up with other processes' story writes; if one lands while it decides, its
    clusterer is rebuilt from the store and the run is redone.
    """
    for _ in range(RETRIES):
        pending = pending_for_stories(store, limit)
        if not pending:
            return set()
        current = worker or worker_for(store)
        with _LOCK:
            catch_up(store, current)
            assignments = current.clusterer.assign_many(pending)
            try:
                return save_assignments(store, current, pending, assignments)
            except StaleStories:
                fresh = new_worker()
                catch_up(store, fresh)
                current.clusterer, current.vectors, current.seen = fresh.clusterer, fresh.vectors, fresh.seen
    raise StaleStories("story writes kept racing other processes")


def keep_vector(session: Session, worker: StoryWorker, article: StoryArticle) -> None:
    """Store the embedding the clusterer computed for the article (a catch-up reads it back)."""
    vector = worker.vectors.vector_bytes(embedding_text(article, worker.clusterer.settings.lead_words))
    if vector is not None:
        save_vector(session, article.id, worker.vectors.name, vector)


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
    worker: StoryWorker,
    articles: Sequence[StoryArticle],
    assignments: Sequence[Assignment],
) -> set[str]:
    """Write the assignments as one numbered story write (StaleStories if another landed meanwhile)."""
    clusterer = worker.clusterer
    touched: set[str] = set()
    with transaction(store.sessions) as session:
        seq = next_story_seq(session)
        if seq != worker.seen + 1:
            raise StaleStories(f"story write {seq - 1} landed after this worker caught up to {worker.seen}")
        for article, assignment in zip(articles, assignments, strict=True):
            story_id = clusterer.resolve(assignment.story_id)
            summary = clusterer.summary(story_id)
            title = summary.title if summary else article.title
            set_story(session, article.id, story_id, title, assignment.duplicate_of, seq)
            keep_vector(session, worker, article)
            if assignment.duplicate_of is None:
                near = clusterer.related(article.id, RELATED_PER_ARTICLE)
                save_related(session, article.id, [(r.article_id, r.similarity) for r in near])
            for copy_id in assignment.relinked:  # copies that now point at this (earlier or agency) original
                copy = session.get(Article, copy_id)
                if copy is not None:
                    copy.duplicate_of, copy.story_seq = article.id, seq
            for absorbed in assignment.merged:
                merge_stories(session, absorbed, story_id, seq)
                touched.add(absorbed)
            touched.add(story_id)
        worker.vectors.forget()  # stored with their articles now
        session.flush()
        for story_id in touched:
            story = refresh_story(session, story_id)
            summary = clusterer.summary(story_id)
            if story is not None and summary is not None:
                story.title = summary.title[:500]
            if story is not None:
                categorise_story(session, story)
    worker.seen = seq
    with store.session() as session:
        return {s for s in touched if (found := session.get(Story, s)) is not None and not found.merged_into}
