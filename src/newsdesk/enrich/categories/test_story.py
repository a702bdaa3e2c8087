"""A story's one category: its reports' labels by majority, a tie broken by the strongest model score."""

from __future__ import annotations

from newsdesk.enrich.categories.story import StoryCategory, Vote, story_category


def test_the_majority_of_reports_decides() -> None:
    votes = [Vote("world", 0.5), Vote("entertainment", 0.9), Vote("world", 0.4)]
    assert story_category(votes) == StoryCategory("world", "majority")


def test_a_tie_goes_to_the_strongest_model_score() -> None:
    votes = [Vote("world", 0.55), Vote("entertainment", 0.62)]
    assert story_category(votes) == StoryCategory("entertainment", "strongest")


def test_one_report_keeps_its_label_and_general_never_outvotes_a_real_label() -> None:
    assert story_category([Vote("sports", 0.8)]) == StoryCategory("sports", "single")
    votes = [Vote("general", 0.0), Vote("general", 0.0), Vote("business", 0.3)]
    assert story_category(votes) == StoryCategory("business", "single")
    assert story_category([Vote("general", 0.0)]) == StoryCategory("general", "single")
    assert story_category([]) is None
