"""Language detection: every demo article right, hints, and bad input answered clearly and quickly."""

from __future__ import annotations

import time

import pytest

from newsdesk.demo.corpus import load_corpus
from newsdesk.enrich.language import UNDETERMINED, detect_language, normalise_declared

CORPUS = load_corpus()


def test_every_demo_article_is_right_without_a_hint() -> None:
    wrong = [
        (a.id, a.lang, detect_language(a.title, "\n\n".join(a.body)).lang)
        for a in CORPUS.articles.values()
        if detect_language(a.title, "\n\n".join(a.body)).lang != a.lang
    ]
    assert wrong == []


def test_every_demo_title_alone_is_right_with_the_declared_language() -> None:
    wrong = [a.id for a in CORPUS.articles.values() if detect_language(a.title, "", a.lang).lang != a.lang]
    assert wrong == []


def test_a_wrong_declaration_does_not_win_over_the_text() -> None:
    article = next(a for a in CORPUS.articles.values() if a.lang == "de")
    result = detect_language(article.title, "\n\n".join(article.body), declared="en-US")
    assert (result.lang, result.method, result.declared) == ("de", "text", "en")


def test_the_declared_language_settles_a_short_ambiguous_title() -> None:
    assert detect_language("Opening Bell 11.18.19 - Dealbreaker").lang == UNDETERMINED
    assert detect_language("Opening Bell 11.18.19 - Dealbreaker", declared="en").lang == "en"


@pytest.mark.parametrize(
    ("title", "text"),
    [("", ""), ("Hello", ""), ("2024", "12 345 678 — 3.5 % / 19:00"), ("😀 🎉", "★ ★ ★")],
)
def test_too_little_text_is_undetermined(title: str, text: str) -> None:
    result = detect_language(title, text)
    assert (result.lang, result.confidence, result.method) == (UNDETERMINED, 0.0, "too-short")


def test_a_script_the_model_does_not_know_is_undetermined() -> None:
    cherokee = "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᎠᏕᎶᏆᏍᏗ ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᎠᏕᎶᏆᏍᏗ"
    result = detect_language(cherokee, cherokee)
    assert (result.lang, result.method) == (UNDETERMINED, "unknown-script")


def test_other_scripts_are_recognised() -> None:
    assert detect_language("東京は日本の首都です。", "東京は日本の首都で、人口が多い都市です。").lang == "ja"
    assert detect_language("Москва — столица России", "В Москве прошли выборы мэра города.").lang == "ru"


def test_a_mixed_text_names_its_main_and_other_language() -> None:
    german = (
        "Die Regierung ist zurückgetreten, nachdem die Koalition am Streit über den Haushalt zerbrochen war."
    )
    english = (
        "The government resigned after the coalition collapsed in a dispute over the national budget plan."
    )
    result = detect_language("Regierung tritt zurück", "\n\n".join([german, german, english]))
    assert result.lang == "de"
    assert result.other_languages == ("en",)


def test_a_huge_text_is_read_in_bounded_time() -> None:
    started = time.monotonic()
    result = detect_language("A very long article", "The council approved the plan today. " * 40_000)
    assert result.lang == "en"
    assert time.monotonic() - started < 2.0


def test_declared_codes_are_normalised() -> None:
    assert [normalise_declared(d) for d in ("en-US", "DE", "es_ES", "", None, "english", "x")] == [
        "en",
        "de",
        "es",
        "",
        "",
        "",
        "",
    ]
