"""Snippets mark the body's words whose stem is a query word's, in any case."""

from __future__ import annotations

import pytest

from newsdesk.store.snippets import MARK_END, MARK_START, matching_words


@pytest.mark.parametrize(
    ("body", "query", "language", "words"),
    [
        (
            "Floods, FLOODED roads; the flood-plain floodlights.",
            "flooding",
            "en",
            ["Floods", "FLOODED", "flood"],
        ),
        (
            "Die ÜBERSCHWEMMUNGEN und eine Überschwemmung.",
            "Überschwemmung",
            "de",
            ["ÜBERSCHWEMMUNGEN", "Überschwemmung"],
        ),
        # "İ" lowers to two characters: the words are still found where they stand
        ("İstanbul: inundaciones e inundación.", "inundaciones", "es", ["inundaciones", "inundación"]),
        ("snake_flood flood_x floods", "flood", "en", ["flood", "flood", "floods"]),  # "_" parts words
    ],
)
def test_the_matched_words_are_the_bodys_own(body: str, query: str, language: str, words: list[str]) -> None:
    found = matching_words(body, query, language)
    assert [body[m.start() : m.end()] for m in found] == words


def test_no_content_in_the_query_marks_nothing() -> None:
    assert matching_words("Some body text.", "", "en") == []
    assert MARK_START != MARK_END
