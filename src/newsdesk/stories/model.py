"""Plain data of the stories stage: articles in, assignments, stories, related articles and state out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StoryArticle:
    """An article of a story, as the stories and ai stages read it; `text` may be empty (headline-only)."""

    id: str
    source: str  # the outlet's name, "" when unknown
    title: str
    text: str = ""
    language: str = ""
    published: datetime | None = None  # aware UTC; None when the source gave no date
    url: str = ""
    content_hash: str | None = None  # the store's hash of the body, when it has one
    agency: str = ""  # wire agency the article credits, "" when none


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its story, whether that story is new, and the original it copies."""

    article_id: str
    story_id: str
    is_new: bool
    duplicate_of: str | None = None
    merged: tuple[str, ...] = ()  # story ids folded into `story_id` by this article (now aliases)
    relinked: tuple[str, ...] = ()  # articles that were originals or copies and now copy this article


@dataclass(frozen=True)
class StoryOverview:
    """What a page needs to show a story."""

    story_id: str
    title: str
    first_seen: datetime
    last_seen: datetime
    articles: int
    distinct_reports: int  # articles that are not copies of another
    sources: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class RelatedArticle:
    """An article near another one, from another story (or the same story, for `story_articles`)."""

    article_id: str
    story_id: str
    title: str
    source: str
    published: datetime
    similarity: float
