"""Adopting stories decided elsewhere: another process's assignments and merges, read back from the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.stories.centroids import Story
from newsdesk.stories.lexical import tfidf_vector
from newsdesk.stories.model import StoryArticle
from newsdesk.stories.settings import EMBED_BATCH

if TYPE_CHECKING:
    from newsdesk.stories.stories import Prepared, StoryClusterer


@dataclass(frozen=True)
class Placement:
    """Where the store says an article is: its story and the original it copies."""

    story_id: str
    duplicate_of: str | None = None


def adopt_many(
    clusterer: StoryClusterer, articles: Sequence[StoryArticle], placements: Sequence[Placement]
) -> None:
    """Put articles where the store has them, in order; articles already known follow a merge if any."""
    for start in range(0, len(articles), EMBED_BATCH):
        batch = articles[start : start + EMBED_BATCH]
        prepared = clusterer.prepare(batch)
        for one, placement in zip(prepared, placements[start : start + EMBED_BATCH], strict=True):
            adopt(clusterer, one, placement)


def adopt(clusterer: StoryClusterer, prepared: Prepared, placement: Placement) -> None:
    """Add one article to the story the store has it in (or move it there: a merge made elsewhere)."""
    known = clusterer.window.items.get(prepared.article.id)
    target = clusterer.resolve(placement.story_id)
    if known is not None:
        current = clusterer.resolve(known.story_id)
        if current != target:
            follow_merge(clusterer, current, target, prepared)
        known.duplicate_of = placement.duplicate_of
        return
    prepared = clusterer.settle(prepared)
    terms = tfidf_vector(prepared.tokens, clusterer.idf)
    story = story_named(clusterer, target, prepared)
    clusterer.add_member(story, prepared, terms, placement.duplicate_of)


def story_named(clusterer: StoryClusterer, story_id: str, prepared: Prepared) -> Story:
    """The active story with this id, opened (under that id) when the clusterer does not hold it."""
    story = clusterer.stories.stories.get(story_id)
    if story is None:
        story = clusterer.stories.create(story_id, prepared.article.title, prepared.published)
    return story


def follow_merge(clusterer: StoryClusterer, gone_id: str, into_id: str, prepared: Prepared) -> None:
    """Fold a story into the one another process merged it into."""
    gone = clusterer.stories.stories.get(gone_id)
    if gone is None:
        return
    clusterer.fold(story_named(clusterer, into_id, prepared), gone)
