"""Plain data in and out of the ai stage: articles, passages, summaries, answers, briefings, LLM settings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.stories.model import StoryArticle as StoryArticle  # one article type for both stages

EXTRACTIVE = "extractive"


@dataclass(frozen=True)
class Summary:
    """An article's summary: its sentences in reading order, and how it was made.

    `method` is "extractive", "llm:MODEL", or "extractive (llm failed: REASON)" after a fallback.
    """

    sentences: list[str]
    method: str = EXTRACTIVE

    @property
    def text(self) -> str:
        return "\n".join(self.sentences)


@dataclass(frozen=True)
class CitedSentence:
    """A summary sentence and the article it comes from; `quote` is the source's own words it rests on."""

    text: str
    article_id: str
    quote: str = ""


@dataclass(frozen=True)
class StorySummary:
    sentences: list[CitedSentence]
    method: str = EXTRACTIVE


@dataclass(frozen=True)
class Passage:
    """A piece of a stored article that may answer a question (the store's full-text search finds them)."""

    article_id: str
    title: str
    source: str
    text: str
    published: datetime | None = None
    language: str = ""
    story_id: str = ""  # reports of one story answer together; '' makes the article its own story


@dataclass(frozen=True)
class Quote:
    article_id: str
    sentence: str
    title: str = ""
    source: str = ""


@dataclass(frozen=True)
class Answer:
    """An answer: a short text, the quoted sentences it rests on, and whether the sources answer at all."""

    text: str
    quotes: list[Quote]
    found: bool
    method: str = EXTRACTIVE
    history: list[FigurePoint] = field(default_factory=list)  # earlier reports' figures, oldest first


@dataclass(frozen=True)
class FigurePoint:
    """A figure as one earlier report of the story gave it (the answer's figure has since changed)."""

    value: str
    source: str
    article_id: str
    published: datetime | None = None


@dataclass(frozen=True)
class BriefingSource:
    article_id: str
    source: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class BriefingStory:
    """A story of the day as the briefing receives it (the lead attaches facts from the facts module)."""

    id: str
    title: str
    articles: list[StoryArticle]
    url: str = ""
    category: str = ""
    facts: list[str] = field(default_factory=list)
    summary: StorySummary | None = None  # a cached summary, used as it is


@dataclass(frozen=True)
class BriefingEntry:
    story_id: str
    title: str
    url: str
    category: str
    source_count: int
    latest: datetime | None
    summary: StorySummary
    facts: list[str]
    sources: list[BriefingSource]


@dataclass(frozen=True)
class Briefing:
    entries: list[BriefingEntry]
    story_count: int  # stories considered, before the cut to the top ones


@dataclass(frozen=True)
class LLMSettings:
    """An OpenAI-compatible chat-completions server: base URL (…/v1 is added), model, key, timeout (s)."""

    url: str
    model: str
    api_key: str = ""
    timeout: float = 30.0
    max_tokens: int = 600


@dataclass(frozen=True)
class AskSentence:
    """A sentence Ask reads: the passage it is from, its text and its match keys."""

    passage: int
    text: str
    keys: Counter[str]


@dataclass(frozen=True)
class AskCandidate:
    """A sentence that could answer, with its score and the figure it gives."""

    score: float
    sentence: int
    figure: str  # the figure it gives (for figure questions), as written
    similarity: float = 0.0  # to the question, in the embedding space (across languages)
    focused: bool = False  # its figure stands next to what the question asks about
