"""The shared text tools: sentences with their offsets, stop words per language."""

from __future__ import annotations

from newsdesk.text import STORY_STOP_WORDS, SUMMARY_STOP_WORDS, split_sentences, stop_words


def test_sentences_keep_abbreviations_and_german_ordinals_together() -> None:
    text = "Dr. Smith arrived at 9 a.m. on Monday. Am 3. Oktober kam er zurück.\nNew line here."
    assert split_sentences(text) == [
        (0, "Dr. Smith arrived at 9 a.m. on Monday."),
        (39, "Am 3. Oktober kam er zurück."),
        (68, "New line here."),
    ]


def test_an_unknown_language_gets_every_known_languages_stop_words() -> None:
    assert stop_words("xx") == stop_words("en") | stop_words("de") | stop_words("es")
    assert {"the", "der", "el"} <= stop_words("xx")


def test_the_stage_lists_cover_their_languages() -> None:
    assert set(SUMMARY_STOP_WORDS) == {"en", "de", "es", "fr", "it", "pt", "nl"}
    assert {"the", "der", "el"} <= STORY_STOP_WORDS
