"""Understanding for readers: article and story summaries, answers with quoted sources, the daily briefing."""

from newsdesk.ai.ask import answer
from newsdesk.ai.briefing import compose_briefing
from newsdesk.ai.cache import (
    article_summary_key,
    story_summary_from_record,
    story_summary_key,
    story_summary_record,
    summary_from_record,
    summary_method,
    summary_record,
)
from newsdesk.ai.summarize import summarize_article, summarize_story
from newsdesk.ai.types import (
    Answer,
    Briefing,
    BriefingEntry,
    BriefingSource,
    BriefingStory,
    CitedSentence,
    LLMSettings,
    Passage,
    Quote,
    StoryArticle,
    StorySummary,
    Summary,
)

__all__ = [
    "Answer",
    "Briefing",
    "BriefingEntry",
    "BriefingSource",
    "BriefingStory",
    "CitedSentence",
    "LLMSettings",
    "Passage",
    "Quote",
    "StoryArticle",
    "StorySummary",
    "Summary",
    "answer",
    "article_summary_key",
    "compose_briefing",
    "story_summary_from_record",
    "story_summary_key",
    "story_summary_record",
    "summarize_article",
    "summarize_story",
    "summary_from_record",
    "summary_method",
    "summary_record",
]
