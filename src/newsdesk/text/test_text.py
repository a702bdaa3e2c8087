"""The shared text tools: sentences with their offsets, stop words per language."""

from __future__ import annotations

from newsdesk.text import STOP_LANGUAGES, any_function_words, function_words, split_sentences, stop_words


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


def test_every_stage_reads_one_list_per_language() -> None:
    assert set(STOP_LANGUAGES) == {"en", "de", "es", "fr", "it", "pt", "nl"}
    assert {"the", "der", "el", "le", "il", "het"} <= any_function_words()


def test_words_of_time_are_stop_words_but_not_function_words() -> None:
    assert {"time", "hours"} <= stop_words("en") - function_words("en")
    assert {"stunden", "zeit"} <= stop_words("de") - function_words("de")
    assert "the" in function_words("en") and "le" in stop_words("fr")
