"""Cache keys change with the text, the method and the summariser, and records round-trip."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.ai import (
    CitedSentence,
    LLMSettings,
    StoryArticle,
    StorySummary,
    Summary,
    article_summary_key,
    story_summary_from_record,
    story_summary_key,
    story_summary_record,
    summary_from_record,
    summary_method,
    summary_record,
)


def test_article_keys_are_stable_and_change_with_text_or_method() -> None:
    key = article_summary_key("T", "Body text.", "en", "extractive")
    assert key == article_summary_key("T", "Body text.", "en", "extractive")
    assert key == article_summary_key("T", ["Body text."], "en", "extractive (llm failed: timeout)")
    assert key != article_summary_key("T", "Body text!", "en", "extractive")
    assert key != article_summary_key("T", "Body text.", "en", "llm:m")
    assert key != article_summary_key("T2", "Body text.", "en", "extractive")
    assert summary_method(None) == "extractive"
    assert summary_method(LLMSettings("http://h", "m")) == "llm:m"


def test_story_keys_ignore_article_order_and_change_with_membership() -> None:
    a = StoryArticle("a", "S", "T", "x", "en", datetime(2026, 1, 1, tzinfo=UTC))
    b = StoryArticle("b", "S", "T", "y", "en")
    assert story_summary_key([a, b], None, "extractive") == story_summary_key([b, a], None, "extractive")
    assert story_summary_key([a, b], None, "extractive") != story_summary_key([a], None, "extractive")
    assert story_summary_key([a], "en", "extractive") != story_summary_key([a], "de", "extractive")


def test_records_round_trip_and_reject_other_keys_or_garbage() -> None:
    summary = Summary(["One.", "Two."], "extractive")
    assert summary_from_record(summary_record("k", summary), "k") == summary
    assert summary_from_record(summary_record("k", summary), "other") is None
    assert summary_from_record({"key": "k", "sentences": [1]}, "k") is None
    assert summary_from_record(None, "k") is None
    story = StorySummary([CitedSentence("One.", "a", "One.")], "llm:m")
    assert story_summary_from_record(story_summary_record("k", story), "k") == story
    assert story_summary_from_record({"key": "k", "sentences": ["x"]}, "k") is None
