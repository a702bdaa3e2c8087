"""Tests of the names a report shares with a story (golden pairs from the developing stream's kinds)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.stories.conftest import TESTDATA, KeywordEmbedder
from newsdesk.stories.model import StoryArticle
from newsdesk.stories.names import article_names
from newsdesk.stories.related import nearest_other_stories
from newsdesk.stories.settings import ClusterSettings
from newsdesk.stories.stories import StoryClusterer

T0 = datetime(2032, 3, 2, 6, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_names_are_capitalised_runs_and_sentence_starts_written_lower_elsewhere_are_not() -> None:
    title, lead = article_names(
        "Farmer finds Viking silver hoard near Tessby",
        "A farmer ploughing a field near Tessby on Monday found coins, said Jens Ulstad of Tessby.",
        "en",
    )
    assert title == [("viking",), ("tessby",)]  # "Farmer" starts the title but is written "farmer" too
    assert lead == [("tessby",), ("jens", "ulstad"), ("tessby",)]  # weekdays are no names


def test_a_german_report_keeps_only_names_that_reports_in_other_languages_use(
    keywords: KeywordEmbedder,
) -> None:
    clusterer = StoryClusterer(keywords)
    english = StoryArticle("en1", "", "Brastow mayor Ilse Marren arrested", language="en", published=T0)
    german = StoryArticle(
        "de1", "", "Taucher und Ermittler in Brastow", "Die Ilse Marren.", language="de", published=T0
    )
    clusterer.assign_many([english, german])
    story = clusterer.stories.stories[clusterer.resolve(clusterer.window.items["de1"].story_id)]
    assert "taucher" not in story.names and "ermittler" not in story.names
    assert story.names.get("marren", 0) >= 1


def test_a_follow_up_days_later_in_another_language_joins_when_it_names_the_event(
    keywords: KeywordEmbedder,
) -> None:
    earlier = [
        StoryArticle("a", "", "alpha ship Nordvik Star aground off Orsa", language="en", published=T0),
        StoryArticle("b", "", "beta ship Lumen fire off Castellan", language="en", published=T0 + DAY),
    ]
    later = StoryArticle(
        "c",
        "",
        "Detenido el capitán del Nordvik Star en Orsa alpha gamma",
        language="es",
        published=T0 + 2.5 * DAY,
    )
    clusterer = StoryClusterer(keywords)
    first, lookalike = clusterer.assign_many(earlier)
    assert first.story_id != lookalike.story_id
    assert clusterer.assign(later).story_id == first.story_id
    alone = StoryClusterer(keywords, ClusterSettings(name_weight=0.0, name_relief=0.0))
    alone.assign_many(earlier)
    assert alone.assign(later).story_id != first.story_id  # without the names, the decay split it off


def test_the_developing_stream_has_follow_ups_days_later_in_other_languages() -> None:
    rows = [json.loads(line) for line in (TESTDATA / "developing.jsonl").read_text().splitlines()]
    first: dict[str, dict[str, str]] = {}
    later = 0
    for row in rows:
        start = first.setdefault(row["gold"], row)
        if row["lang"] != start["lang"] and row["date"][:10] > start["date"][:10]:
            later += 1
    assert later >= 10 and len({r["gold"] for r in rows}) >= 15


def test_related_articles_of_other_stories_rank_by_meaning_and_shared_names(
    keywords: KeywordEmbedder,
) -> None:
    reports = [
        ("a", "alpha results at Korvex in Halden"),
        ("b", "beta hiring at Korvex in Halden"),
        ("c", "gamma hiring at Stenmark in Lomby"),
    ]

    def near(settings: ClusterSettings) -> dict[str, float]:
        clusterer = StoryClusterer(keywords, settings)
        clusterer.assign_many([StoryArticle(i, "", t, language="en", published=T0) for i, t in reports])
        return {r.article_id: r.similarity for r in nearest_other_stories(clusterer, "a", 5)}

    with_names, without = near(ClusterSettings()), near(ClusterSettings(related_name_weight=0.0))
    assert with_names["b"] == pytest.approx(without["b"] + 0.1, abs=1e-3)  # both names shared
    assert with_names["c"] == pytest.approx(without["c"])  # c names neither
    assert list(with_names) == ["b", "c"]
