"""Related articles: the other articles of a story, and the nearest articles of other stories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk.stories.model import RelatedArticle
from newsdesk.stories.window import WindowItem

if TYPE_CHECKING:
    from newsdesk.stories.stories import StoryClusterer


def related_entry(item: WindowItem, story_id: str, similarity: float) -> RelatedArticle:
    """A window article as a related-article entry."""
    return RelatedArticle(item.id, story_id, item.title, item.source, item.published, round(similarity, 4))


def story_members(clusterer: StoryClusterer, story_id: str) -> list[RelatedArticle]:
    """The window's articles of the story, oldest first, with their cosine to the story's centroid."""
    story = clusterer.stories.stories.get(story_id)
    if story is None:
        return []
    centroid = clusterer.stories.centroid(story)
    window = clusterer.window
    items = sorted((window.items[m] for m in story.members if m in window.items), key=lambda i: i.published)
    return [related_entry(i, story_id, float(window.embedding(i.id) @ centroid)) for i in items]


def nearest_other_stories(clusterer: StoryClusterer, article_id: str, limit: int) -> list[RelatedArticle]:
    """Up to `limit` articles of other stories nearest to the article, one per story, best first."""
    window = clusterer.window
    item = window.items.get(article_id)
    if item is None or limit <= 0:
        return []
    own = clusterer.resolve(item.story_id)
    settings = clusterer.settings
    scores = window.similarities(window.embedding(article_id), item.terms, settings.embed_weight)
    best: dict[str, tuple[float, WindowItem]] = {}
    for other in window.items.values():
        story_id = clusterer.resolve(other.story_id)
        if story_id == own or other.duplicate_of is not None:
            continue
        shared = shared_names(item.names, other.names, settings.names_shared)
        score = float(scores[other.row]) + settings.related_name_weight * shared
        if story_id not in best or score > best[story_id][0]:
            best[story_id] = (score, other)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:limit]
    return [related_entry(other, story_id, score) for story_id, (score, other) in ranked]


def shared_names(names: Sequence[frozenset[str]], others: Sequence[frozenset[str]], least: int) -> float:
    """The share of an article's distinct names another one names too (0 when fewer than `least`)."""
    if not names:
        return 0.0
    words = set().union(*others) if others else set()
    shared = sum(1 for name in names if name & words)
    return shared / len(names) if shared >= least else 0.0
