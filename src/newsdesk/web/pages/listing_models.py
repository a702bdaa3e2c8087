"""The typed models of the listing pages: home, category, hashtag, edition, source, bookmarks, following."""

from __future__ import annotations

from typing import Literal

from newsdesk.web.pages.models import (
    ArticleSummary,
    CategoryRef,
    Edition,
    FeedLink,
    ListedArticle,
    Model,
    Picture,
    SourceHealth,
    SourceSummary,
    TagSummary,
)


class TopStory(Model):
    id: str
    title: str
    title_language: str
    url: str
    source_count: int
    countries: list[str]
    languages: list[str]
    more_sources: int
    touches: list[tuple[str, str]]
    articles: list[ArticleSummary]
    image: Picture | None
    last_seen_at: str | None
    last_seen_at_relative: str | None = None
    last_seen_at_exact: str | None = None
    followed: bool


class CategoryStrip(CategoryRef):
    articles: list[ListedArticle]


class HomePage(Model):
    articles: list[ListedArticle]
    next_cursor: str | None
    categories: list[CategoryRef]
    category_strips: list[CategoryStrip]
    editions: list[Edition]
    sources: list[SourceSummary]
    top_stories: list[TopStory]
    feeds: list[FeedLink]


class CategoryPage(Model):
    kind: Literal["category"]
    category: CategoryRef
    items: list[ListedArticle]
    next_cursor: str | None
    feeds: list[FeedLink]


class HashtagPage(Model):
    kind: Literal["hashtag"]
    tag: TagSummary
    items: list[ListedArticle]
    next_cursor: str | None
    feeds: list[FeedLink]


class EditionPage(Model):
    kind: Literal["edition"]
    edition: Edition
    editions: list[Edition]
    items: list[ListedArticle]
    next_cursor: str | None
    feeds: list[FeedLink]


class SourcePage(Model):
    kind: Literal["source"]
    source: SourceHealth
    items: list[ListedArticle]
    next_cursor: str | None
    feeds: list[FeedLink]


class BookmarksPage(Model):
    kind: Literal["bookmarks"]
    items: list[ArticleSummary]
    next_cursor: None


class Followed(Model):
    kind: str
    target: str
    name: str
    url: str
    new_reports: int
    last_seen_at: str | None
    last_seen_at_relative: str | None = None
    last_seen_at_exact: str | None = None


class FollowingPage(Model):
    followed: list[Followed]
    items: list[ArticleSummary]
    next_cursor: str | None
