"""Hashtag labels per language: one hashtag per thing, named as a German or Spanish reader knows it."""

from __future__ import annotations

import pytest

from newsdesk.enrich.entities import extract_entities, hashtag_label
from newsdesk.enrich.entities.labels import hashtag_labels, label_as_hashtag
from newsdesk.enrich.entities.words import gazetteer, hashtag_key, make_hashtag, topic_patterns


@pytest.mark.parametrize(
    ("hashtag", "de", "es"),
    [
        ("Cologne", "Köln", "Colonia"),
        ("Strike", "Streik", "Huelga"),
        ("Germany", "Deutschland", "Alemania"),
        ("Vienna", "Wien", "Viena"),
        ("MexicoCity", "MexikoStadt", "CiudadDeMéxico"),
        ("ArtTheft", "Kunstraub", "RoboDeArte"),
        ("Floods", "Hochwasser", "Inundaciones"),
        ("EU", "EU", "UE"),
    ],
)
def test_known_things_have_a_label_per_language(hashtag: str, de: str, es: str) -> None:
    assert (hashtag_label(hashtag, "de"), hashtag_label(hashtag, "es")) == (de, es)
    assert hashtag_label(hashtag, "en") == hashtag == hashtag_label(hashtag, "en-GB")


def test_names_the_gazetteer_does_not_know_are_alike_in_every_language() -> None:
    assert hashtag_label("AmiraSethi", "de") == "AmiraSethi" == hashtag_label("#AmiraSethi", "es")
    assert hashtag_label("cologne", "de") == "Köln"  # a slug finds its label too


def test_every_gazetteer_entry_and_topic_has_its_labels() -> None:
    names = {name for name, _ in gazetteer().values()} | {topic for topic, _ in topic_patterns()}
    labelled = hashtag_labels()
    missing = sorted(n for n in names if hashtag_key(make_hashtag(n)) not in labelled)
    assert missing == []
    assert all(labels["de"] and labels["es"] for labels in labelled.values())


def test_a_german_and_an_english_article_share_the_hashtag_a_german_reader_sees_as_koeln() -> None:
    german = extract_entities(
        "Bahnstreik in Köln",
        "Der Streik legte am Montag den Verkehr in Köln lahm. Der Streik dauert an.",
        "de",
    )
    english = extract_entities(
        "Rail strike in Cologne", "The strike halted trains in Cologne on Monday. The strike goes on.", "en"
    )
    shared = {e.hashtag for e in german} & {e.hashtag for e in english}
    assert {"#Cologne", "#Strike"} <= shared
    assert {hashtag_label(h, "de") for h in shared} >= {"Köln", "Streik"}


def test_labels_are_written_as_hashtags_keeping_their_letters() -> None:
    assert label_as_hashtag("Nordrhein-Westfalen") == "NordrheinWestfalen"
    assert label_as_hashtag("EE. UU.") == "EEUU"
    assert label_as_hashtag("Ola de calor") == "OlaDeCalor"
