"""The typed models of the pages that answer a reader: search, ask and the daily briefing."""

from __future__ import annotations

from pydantic import Field

from newsdesk.web.pages.models import (
    ArticleSummary,
    CategoryRef,
    FeedLink,
    Model,
    SourceName,
    SourceSummary,
    StoryLink,
)


class SearchFiltersView(Model):
    category: str | None
    source: int | None
    language: str | None
    since: str | None
    until: str | None


class SearchLead(ArticleSummary):
    """A story's best report in the results, with the words found marked in its snippet."""

    story_id: str | None
    snippet_html: str


class SearchReport(Model):
    """A further report of a story in the results."""

    id: str
    url: str
    title: str
    source: SourceName
    language: str | None
    published_at: str
    story_id: str | None


class SearchGroup(Model):
    story: StoryLink | None
    lead: SearchLead
    reports: list[SearchLead | SearchReport]
    more: int
    more_languages: list[str]


class SearchPage(Model):
    query: str
    filters: SearchFiltersView
    groups: list[SearchGroup]
    items: list[SearchLead | SearchReport]
    total: int
    reports: int
    more: bool
    page: int
    pages: int
    categories: list[CategoryRef]
    sources: list[SourceSummary]
    feeds: list[FeedLink]
    prev_url: str | None
    next_url: str | None


class Quote(Model):
    sentence: str
    title: str
    source: str
    url: str


class HistoryPoint(Model):
    value: str
    source: str
    url: str
    published_relative: str
    published_exact: str


class AskPage(Model):
    """An answer with the sentences it quotes (an empty form before a question is asked)."""

    question: str
    found: bool
    text: str = ""
    method: str = ""
    scope: StoryLink | None = None
    quotes: list[Quote]
    history: list[HistoryPoint] = Field(default_factory=list)


class BriefingSentence(Model):
    text: str
    url: str
    language: str


class BriefingSource(Model):
    source: str
    title: str
    url: str


class BriefingEntry(Model):
    title: str
    title_language: str
    url: str
    category: str
    source_count: int
    summary: list[BriefingSentence]
    facts: list[str]
    sources: list[BriefingSource]


class BriefingPage(Model):
    date: str
    last_24_hours: bool
    since: str
    until: str
    edition: str | None
    day_url: str
    previous_url: str | None
    next_url: str | None
    story_count: int
    entries: list[BriefingEntry]
    feeds: list[FeedLink]
