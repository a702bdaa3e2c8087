"""The typed model of every reader page: what its template renders and what its `.json` twin sends."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    """A part of a page: only the fields named here (an unexpected one is a bug, not something to send)."""

    model_config = ConfigDict(extra="forbid")


class FeedLink(Model):
    href: str
    type: str
    title: str


class Picture(Model):
    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    alt: str


class SourceName(Model):
    name: str
    slug: str


class SourceSummary(SourceName):
    id: int
    site_url: str
    country: str | None
    language: str | None


class SourceHealth(SourceSummary):
    """A source as its page shows it: public polling health only (no feed URL, no error text)."""

    status: str
    flagged: bool
    error_count: int
    failing_since: str | None
    failing_since_relative: str | None = None
    failing_since_exact: str | None = None
    last_success_at: str | None
    last_success_at_relative: str | None = None
    last_success_at_exact: str | None = None
    next_poll_at: str | None
    next_poll_at_relative: str | None = None
    next_poll_at_exact: str | None = None
    articles_24h: int
    dropped_count: int
    pages_pending: int


class CategoryRef(Model):
    slug: str
    name: str


class Edition(Model):
    code: str
    name: str


class TagSummary(Model):
    slug: str
    name: str
    hashtag: str
    kind: str
    url: str


class ArticleSummary(Model):
    """An article as lists show it."""

    id: str
    url: str
    title: str
    source: SourceSummary
    language: str | None
    category: str | None
    lead_image_url: str | None
    image: Picture | None
    excerpt: str
    published_at: str | None
    published_at_relative: str | None = None
    published_at_exact: str | None = None


class CopyLink(Model):
    source: SourceName
    url: str


class ReaderLanguageLink(Model):
    title: str
    url: str
    language: str


class ListedArticle(ArticleSummary):
    """A list's article, with the papers that also printed it and its story's report in the reader's
    language."""

    also_published_by: list[CopyLink] = Field(default_factory=list)
    in_reader_language: ReaderLanguageLink | None = None


class StoryLink(Model):
    id: str
    title: str
    url: str


# The article page


class Block(Model):
    kind: str
    text: str


class ArticleImage(Model):
    url: str
    caption: str | None
    credit: str | None
    alt: str | None
    after_block: int | None
    picture: Picture | None


class Enclosure(Model):
    url: str
    type: str | None
    length: int | None
    medium: str | None


class KeyFact(Model):
    value: str
    what: str
    sentence: str


class ArticleAI(Model):
    summary: list[str]
    key_facts: list[KeyFact]


class RelatedArticle(ArticleSummary):
    tags: list[TagSummary]


class ArticleDetail(ArticleSummary):
    """Everything the article page shows of the article, its story and its tags."""

    subtitle: str | None
    authors: list[str]
    agency: str | None
    dateline: str | None
    section: str | None
    canonical_url: str | None
    original_url: str
    body: list[Block]
    images: list[ArticleImage]
    enclosures: list[Enclosure]
    text_pending: bool
    word_count: int
    reading_minutes: int
    story_id: str | None
    share_url: str
    updated_at: str | None
    updated_at_relative: str | None = None
    updated_at_exact: str | None = None
    first_seen_at: str | None
    first_seen_at_relative: str | None = None
    first_seen_at_exact: str | None = None
    tags: list[TagSummary] = Field(default_factory=list)
    also_covered_by: list[ArticleSummary] = Field(default_factory=list)
    also_published_by: list[ArticleSummary] = Field(default_factory=list)
    copy_of: ArticleSummary | None = None
    related: list[RelatedArticle] = Field(default_factory=list)
    ai: ArticleAI | None = None


class Comment(Model):
    id: int
    author: str
    body: str
    status: str
    created_at: str | None
    created_at_relative: str | None = None
    created_at_exact: str | None = None


class CommentsPage(Model):
    items: list[Comment]
    total: int
    page: int
    pages: int
    prev_url: str | None
    next_url: str | None


class ArticlePage(Model):
    article: ArticleDetail
    jsonld: str
    comments: CommentsPage
    bookmarked: bool
    comment_held: bool


# The story page


class CitedSentence(Model):
    text: str
    url: str
    source: str
    language: str


class FactSourceLink(Model):
    source: str
    value: str
    url: str


class SharedFact(Model):
    value: str
    what: str
    language: str
    sources: list[FactSourceLink]


class ValueView(Model):
    value: str
    number: int | float | None
    source: str
    url: str
    published_relative: str
    published_exact: str


class FigureDisagreement(Model):
    what: str
    kind: str
    values: list[ValueView]


class FigureTimeline(Model):
    what: str
    changed: bool
    latest: ValueView
    values: list[ValueView]
    sentence: str


class StoryAI(Model):
    summary: list[CitedSentence]
    figure_changes: list[str]
    key_facts: list[SharedFact]
    disagreements: list[FigureDisagreement]
    timelines: list[FigureTimeline]


class StoryInfo(Model):
    id: str
    title: str
    title_language: str
    developing: bool
    url: str
    article_count: int
    source_count: int
    countries: list[str]
    languages: list[str]
    first_seen_at: str | None
    first_seen_at_relative: str | None = None
    first_seen_at_exact: str | None = None
    last_seen_at: str | None
    last_seen_at_relative: str | None = None
    last_seen_at_exact: str | None = None


class Additions(Model):
    figures: list[str]
    names: list[TagSummary]


class TimelineEntry(ArticleSummary):
    copy_of: str | None
    added: Additions


class StoryPage(Model):
    ai: StoryAI
    story: StoryInfo
    timeline: list[TimelineEntry]
    tags: list[TagSummary]
    feeds: list[FeedLink]
