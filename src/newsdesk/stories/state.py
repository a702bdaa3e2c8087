"""Export a clusterer's window as plain data and rebuild a clusterer from it (persistence, start-up)."""

from __future__ import annotations

import numpy as np

from newsdesk.models import Embedder
from newsdesk.stories.dedup import Fingerprint
from newsdesk.stories.model import ClustererState, StoryRecord, WindowArticle
from newsdesk.stories.stories import ClusterSettings, StoryClusterer
from newsdesk.stories.window import WindowItem


def export_state(clusterer: StoryClusterer) -> ClustererState:
    """The clusterer's clock, window articles (with their vectors), active stories and IDF, as plain data."""
    if clusterer.clock is None:
        raise ValueError("the clusterer has seen no article yet")
    articles = tuple(
        WindowArticle(
            id=i.id,
            story_id=clusterer.resolve(i.story_id),
            title=i.title,
            source=i.source,
            language=i.language,
            published=i.published,
            duplicate_of=i.duplicate_of,
            content_hash=i.fingerprint.content_hash,
            embedding=tuple(float(v) for v in clusterer.window.embedding(i.id)),
            terms=dict(i.terms),
            minhash=i.fingerprint.minhash,
            agency=i.agency,
        )
        for i in sorted(clusterer.window.items.values(), key=lambda i: i.published)
    )
    stories = tuple(
        StoryRecord(s.id, s.title, s.first_seen, s.last_seen, s.articles, tuple(sorted(s.aliases)))
        for s in clusterer.stories.stories.values()
    )
    idf = clusterer.idf
    mean = tuple(float(v) for v in clusterer.mean)
    return ClustererState(
        clusterer.clock, articles, stories, dict(idf.frequency), idf.documents, mean, clusterer.embedded
    )


def restore_state(
    state: ClustererState, embedder: Embedder, settings: ClusterSettings | None = None
) -> StoryClusterer:
    """A clusterer that continues where the exported one stopped (same stories, window and IDF)."""
    clusterer = StoryClusterer(embedder, settings)
    clusterer.clock = state.clock
    clusterer.idf.frequency = dict(state.document_frequency)
    clusterer.idf.documents = state.documents
    if state.mean_embedding:
        clusterer.mean = np.array(state.mean_embedding, dtype=np.float32)
        clusterer.embedded = state.embedded
    for record in state.stories:
        story = clusterer.stories.create(record.story_id, record.title, record.first_seen)
        story.last_seen = record.last_seen
        story.articles = record.articles
        story.aliases = set(record.aliases)
        clusterer.aliases.update(dict.fromkeys(record.aliases, record.story_id))
    for article in state.articles:
        restore_article(clusterer, article)
    return clusterer


def restore_article(clusterer: StoryClusterer, article: WindowArticle) -> None:
    """Put one exported article back into the window, its story's centroid and the copy index."""
    story = clusterer.stories.stories.get(clusterer.resolve(article.story_id))
    if story is None:
        return  # its story is not in the state: the article cannot be placed
    embedding = np.array(article.embedding, dtype=np.float32)
    fingerprint = Fingerprint(article.content_hash, tuple(article.minhash))
    if article.duplicate_of is None:
        clusterer.stories.add_vectors(story, embedding, article.terms)
    story.members.add(article.id)
    item = WindowItem(
        article.id,
        story.id,
        article.title,
        article.source,
        article.language,
        article.published,
        article.duplicate_of,
        fingerprint,
        dict(article.terms),
        article.agency,
        row=-1,
    )
    clusterer.window.add(item, embedding)
    clusterer.copies.add(article.id, fingerprint)
