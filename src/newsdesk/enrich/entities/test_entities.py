"""Tests for hashtags and entities, with an evaluation floor on the demo corpus's name tags."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from newsdesk.demo.corpus import AGENCIES, OUTLETS, Article, load_corpus
from newsdesk.enrich.entities.entities import Entity, extract_entities
from newsdesk.enrich.entities.words import fold, gazetteer, hashtag_key, make_hashtag

FLOORS = json.loads((Path(__file__).parents[1] / "eval_floor.json").read_text())
EXCLUDE = [o.name for o in OUTLETS.values()] + list(AGENCIES) + list(AGENCIES.values())


@cache
def entities_of(article: Article) -> list[Entity]:
    return extract_entities(article.title, "\n".join(article.body), article.lang, EXCLUDE)


def tags_of(article: Article) -> set[str]:
    return {hashtag_key(e.hashtag) for e in entities_of(article)}


def test_hashtags_fold_case_diacritics_and_spaces() -> None:
    assert make_hashtag("Sierra de Almarén") == "#SierraDeAlmaren"
    assert make_hashtag("Gül Yıldırım") == "#GulYildirim"
    assert make_hashtag("EU") == "#EU"
    assert hashtag_key("#Lisbon") == hashtag_key("#lisbon")
    assert fold("Straße") == fold("STRASSE")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ministers met in Lisbon on Tuesday to discuss the budget.", "en"),
        ("Die Minister trafen sich am Dienstag in Lissabon.", "de"),
        ("Los ministros se reunieron el martes en Lisboa.", "es"),
    ],
)
def test_one_hashtag_per_place_across_languages(text: str, language: str) -> None:
    tags = {e.hashtag for e in extract_entities("", text, language)}
    assert "#Lisbon" in tags
    assert not tags & {"#Tuesday", "#Dienstag", "#Martes", "#Ministers", "#Minister"}


def test_people_lose_their_titles_and_keep_one_hashtag() -> None:
    text = (
        "Finance Minister Geert Vanhoudt said the plan was fair. "
        "Critics disagreed, but Vanhoudt said he would not resign."
    )
    people = [e for e in extract_entities("", text, "en") if e.kind == "person"]
    assert [(e.hashtag, e.mentions) for e in people] == [("#GeertVanhoudt", 2)]
    german = extract_entities("", "„Das war knapp“, sagte Baudezernent Henning Roggendorf am Abend.", "de")
    assert "#HenningRoggendorf" in {e.hashtag for e in german}


def test_valmora_floods_articles_get_the_town_and_the_country() -> None:
    corpus = load_corpus()
    courier = tags_of(corpus.articles["valmora-floods-courier"])
    assert {"#valmora", "#portugal", "#floods"} <= courier
    german = tags_of(corpus.articles["valmora-floods-rheinblick"])
    spanish = tags_of(corpus.articles["valmora-floods-elfaro-first"])
    assert {"#valmora", "#portugal", "#porto"} <= german & spanish


def test_german_and_spanish_articles_of_an_event_share_place_hashtags() -> None:
    corpus = load_corpus()
    by_event: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    places: dict[str, set[str]] = defaultdict(set)
    for article in corpus.articles.values():
        entities = entities_of(article)
        by_event[article.event][article.lang] |= {hashtag_key(e.hashtag) for e in entities}
        places[article.event] |= {hashtag_key(e.hashtag) for e in entities if e.kind == "place"}
    shared = {
        event: langs["de"] & langs["es"] & places[event]
        for event, langs in by_event.items()
        if {"de", "es"} <= langs.keys() and not event.startswith("local")
    }
    assert shared["valmora-floods"] >= {"#valmora", "#portugal"}
    assert shared["sierra-wildfire"] >= {"#valencia", "#sierradealmaren"}
    assert shared["museum-heist"] >= {"#vienna"}
    assert sum(1 for places in shared.values() if places) >= len(shared) - 1, shared


def test_no_dates_outlets_agencies_or_generic_words_become_hashtags() -> None:
    banned = {
        "#tuesday",
        "#monday",
        "#dienstag",
        "#martes",
        "#october",
        "#gws",
        "#cpa",
        "#ain",
        "#npd",
        "#harborcourier",
        "#theharborcourier",
        "#ledger",
        "#rheinblickzeitung",
        "#elfarodiario",
        "#reuters",
        "#people",
        "#government",
        "#police",
        "#regierung",
        "#gobierno",
        "#menschen",
        "#personas",
    }
    for article in load_corpus().articles.values():
        tags = tags_of(article)
        assert not tags & banned, (article.id, tags & banned)


def test_name_tag_recall_floor_on_demo_corpus() -> None:
    """Share of the corpus's proper-noun tags (names in English or Spanish tags, or gazetteer entries)
    that come out as hashtags of their article."""
    corpus = load_corpus()
    names = {t for a in corpus.articles.values() if a.lang != "de" for t in a.tags if t[:1].isupper()}
    found = total = 0
    for article in corpus.articles.values():
        tags = tags_of(article)
        for tag in article.tags:
            is_name = tag[:1].isupper() and tag not in AGENCIES and (article.lang != "de" or tag in names)
            if not is_name and fold(tag) not in gazetteer():
                continue
            entry = gazetteer().get(fold(tag))
            total += 1
            found += hashtag_key(make_hashtag(entry[0] if entry else tag)) in tags
    assert found / total >= FLOORS["hashtag_name_tag_recall"], f"{found}/{total}"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Valmora.",
        " ".join(str(n * 7919 % 1_000_003) for n in range(20_000)),
        "Москва 12 человек погибли. 東京で3人が死亡した。 القاهرة 5 قتلى. Ελλάδα 7 νεκροί.",
        "Floods hit Valmora in Portugal and Rui Faria said more rain was due. " * 12_000,
        "Zwei Tote In Der Stadt Valmora " * 20_000,
        "A" * 200_000,
        "," * 100_000,
    ],
)
def test_bad_input_is_bounded_and_never_raises(text: str) -> None:
    for language in ("en", "de", "es", ""):
        started = time.perf_counter()
        entities = extract_entities(text[:50], text, language, ["Outlet"])
        assert time.perf_counter() - started < 5
        assert len(entities) <= 40


def test_enrichment_is_fast_on_demo_articles() -> None:
    from newsdesk.enrich.facts import extract_facts

    articles = list(load_corpus().articles.values())
    exclude = ["The Harbor Courier"]
    started = time.perf_counter()
    for article in articles:
        extract_entities(article.title, "\n".join(article.body), article.lang, exclude)
        extract_facts("\n".join(article.body), article.lang)
    per_article = (time.perf_counter() - started) / len(articles)
    assert per_article < 0.05, f"{per_article * 1000:.1f} ms per article"
