"""Sentences, datelines and cleaning of untrusted text."""

from __future__ import annotations

from newsdesk.ai.question import read_question
from newsdesk.ai.text import clean_untrusted, split_paragraphs, split_sentences, strip_dateline


def test_prose_is_split_at_sentence_ends_but_not_at_abbreviations_or_initials() -> None:
    text = (
        'Dr. Smith met J. R. Jones in the U.S. on Monday. "Is it over?" he asked. It was. '
        "Prices rose 3.5% today!"
    )
    assert split_sentences(text) == [
        "Dr. Smith met J. R. Jones in the U.S. on Monday.",
        '"Is it over?" he asked.',
        "It was.",
        "Prices rose 3.5% today!",
    ]


def test_tokenised_lower_case_text_is_split_and_closing_quotes_stay_with_their_sentence() -> None:
    text = (
        'he added , " give it to the investigators . " robin \'s comments follow . lt. col. menichini spoke .'
    )
    assert split_sentences(text) == [
        'he added , " give it to the investigators . "',
        "robin 's comments follow .",
        "lt. col. menichini spoke .",
    ]


def test_cjk_full_stops_end_sentences_and_run_ons_are_capped() -> None:
    assert split_sentences("今日は晴れです。明日は雨です。") == ["今日は晴れです。", "明日は雨です。"]
    pieces = split_sentences("word " * 1000)
    assert len(pieces) > 10 and all(len(p.split()) <= 120 for p in pieces)
    assert all(len(p) <= 400 for p in split_sentences("ก" * 5000))


def test_paragraphs_come_from_lines_or_blocks() -> None:
    assert split_paragraphs("a b\n\n  c  d \n") == ["a b", "c d"]
    assert split_paragraphs(["one\ntwo", "", "three"]) == ["one", "two", "three"]


def test_agency_datelines_are_stripped_and_ordinary_openings_kept() -> None:
    assert (
        strip_dateline("marseille , france ( cnn ) the french prosecutor said")
        == "the french prosecutor said"
    )
    assert (
        strip_dateline("LONDON (Reuters) - Shares fell sharply on Monday.")
        == "Shares fell sharply on Monday."
    )
    assert strip_dateline("PORTO (GWS) — Floods killed nine people.") == "Floods killed nine people."
    kept = "The International Criminal Court (ICC) said on Monday it would act."
    assert strip_dateline(kept) == kept


def test_untrusted_text_loses_markup_links_and_control_characters_and_is_capped() -> None:
    dirty = "<b>Hi</b> **there** [click](http://x.example) see https://evil.example/a\x00\u202e ok `rm -rf`"
    assert clean_untrusted(dirty, 200) == "Hi there click see ok rm -rf"
    capped = clean_untrusted("word " * 200, 50)
    assert len(capped) <= 51 and capped.endswith("…")


def test_a_place_is_one_place_under_its_names_in_every_language() -> None:
    german, english = read_question("Wie hoch ist die Inflation in Japan?"), read_question("Why in Cologne?")
    assert len(german.places) == 1 and {"japan", "japon"} <= german.places[0]
    assert {"koln", "colog", "colon"} <= english.places[0]
    assert read_question("Wie viele Tote gab es?").places == ()
