"""Tests of online assignment, copies, merges, related articles, the window and bad input."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.demo.corpus import load_corpus
from newsdesk.models import Embedder
from newsdesk.stories.conftest import KeywordEmbedder
from newsdesk.stories.model import StoryArticle
from newsdesk.stories.settings import ClusterSettings
from newsdesk.stories.stories import StoryClusterer
from newsdesk.stories.stream import final_story

T0 = datetime(2031, 5, 4, 8, 0, tzinfo=UTC)
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def art(article_id: str, title: str, hours: float = 0.0, text: str = "", **kw: object) -> StoryArticle:
    source = str(kw.pop("source", ""))
    return StoryArticle(article_id, source, title, text, published=T0 + timedelta(hours=hours), **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def demo_run(embedder: Embedder) -> tuple[dict[str, object], dict[str, str], StoryClusterer]:
    """The demo corpus clustered in publication order: assignments, final story per article, clusterer."""
    corpus = load_corpus()
    now = datetime(2031, 1, 10, tzinfo=UTC)
    clusterer = StoryClusterer(embedder)
    results: dict[str, object] = {}
    merged: dict[str, str] = {}
    for a in sorted(corpus.articles.values(), key=lambda a: -a.hours_ago):
        item = StoryArticle(
            a.id,
            a.outlet,
            a.title,
            "\n\n".join(a.body),
            a.lang,
            now - timedelta(hours=a.hours_ago),
            agency=a.agency,
        )
        result = clusterer.assign(item)
        results[a.id] = result
        merged.update(dict.fromkeys(result.merged, result.story_id))
    final = {k: final_story(merged, r.story_id) for k, r in results.items()}  # type: ignore[attr-defined]
    return results, final, clusterer


def test_every_demo_event_is_one_story_across_languages(demo_run) -> None:
    _, final, _ = demo_run
    corpus = load_corpus()
    stories = defaultdict(set)
    languages = defaultdict(set)
    for a in corpus.articles.values():
        if not a.event.startswith("local"):
            stories[a.event].add(final[a.id])
            languages[a.event].add(a.lang)
    assert {e: len(s) for e, s in stories.items() if len(s) > 1} == {}
    assert sum(1 for langs in languages.values() if {"en", "de", "es"} <= langs) >= 5


def test_lookalike_local_stories_stay_apart(demo_run) -> None:
    _, final, _ = demo_run
    corpus = load_corpus()
    owners = defaultdict(set)
    for a in corpus.articles.values():
        owners[final[a.id]].add(a.event if not a.event.startswith("local") else a.id)
    assert [sorted(o) for o in owners.values() if len(o) > 1] == []


def test_every_wire_copy_links_to_its_original(demo_run) -> None:
    results, final, _ = demo_run
    corpus = load_corpus()
    copies = {a.id: a.copy_of for a in corpus.articles.values() if a.copy_of}
    assert len(copies) >= 4
    assert {k: results[k].duplicate_of for k in copies} == copies
    assert all(final[k] == final[v] for k, v in copies.items())
    assert [k for k, r in results.items() if r.duplicate_of and k not in copies] == []


def test_story_summary_counts_distinct_reports_and_sources(demo_run) -> None:
    results, _, clusterer = demo_run
    summary = clusterer.summary(results["solaris-chip-meridian"].story_id)
    assert summary is not None and HEX32.match(summary.story_id)
    assert summary.articles == 4 and summary.distinct_reports == 3
    assert set(summary.sources) >= {"harbor-courier", "meridian-times", "rheinblick"}
    assert "de" in summary.languages and summary.first_seen < summary.last_seen


def test_related_articles_come_from_other_stories(demo_run) -> None:
    _, final, clusterer = demo_run
    related = clusterer.related("marathon-record-meridian", limit=3)
    assert 1 <= len(related) <= 3
    # Other races are related; what is merely near by chance (below the floor) is not listed.
    assert {r.article_id for r in related} & {"local-b-faro-medio-maraton", "local-a-port-calder-10k"}
    assert all(r.similarity >= clusterer.settings.related_floor for r in related)
    own = final["marathon-record-meridian"]
    assert all(r.story_id != own for r in related)
    assert len({r.story_id for r in related}) == len(related)
    assert related == sorted(related, key=lambda r: -r.similarity)
    members = clusterer.story_articles(final["valmora-floods-courier"])
    assert {m.article_id for m in members} >= {"valmora-floods-courier", "valmora-floods-rheinblick"}


def test_story_ids_are_stable_hex_and_same_article_twice_changes_nothing(keywords: KeywordEmbedder) -> None:
    clusterer = StoryClusterer(keywords)
    first = clusterer.assign(art("a1", "alpha storm hits coast"))
    again = clusterer.assign(art("a1", "alpha storm hits coast"))
    assert HEX32.match(first.story_id) and first.is_new and not again.is_new
    assert again.story_id == first.story_id
    assert clusterer.summary(first.story_id).articles == 1  # type: ignore[union-attr]
    other = StoryClusterer(keywords).assign(art("a1", "alpha storm hits coast"))
    assert other.story_id == first.story_id  # derived from the article, not random


def test_similar_articles_join_and_different_ones_do_not(keywords: KeywordEmbedder) -> None:
    clusterer = StoryClusterer(keywords)
    a = clusterer.assign(art("a1", "alpha storm hits coast"))
    b = clusterer.assign(art("a2", "alpha storm leaves damage", 1))
    c = clusterer.assign(art("a3", "beta election results", 2))
    assert b.story_id == a.story_id and not b.is_new
    assert c.story_id != a.story_id and c.is_new


def test_two_stories_merge_when_a_bridge_shows_they_are_one(keywords: KeywordEmbedder) -> None:
    settings = ClusterSettings(join_threshold=0.3, merge_threshold=0.3)
    clusterer = StoryClusterer(keywords, settings)
    a = clusterer.assign(art("a1", "alpha quake"))
    b = clusterer.assign(art("b1", "beta quake", 1))
    assert a.story_id != b.story_id
    bridge = clusterer.assign(art("c1", "alpha beta quake", 2))
    bridge2 = clusterer.assign(art("c2", "alpha beta quake toll", 3))
    merged = set(bridge.merged) | set(bridge2.merged)
    assert merged, "the stories should have been merged"
    survivor = bridge2.story_id
    assert {clusterer.resolve(a.story_id), clusterer.resolve(b.story_id)} == {survivor}
    assert clusterer.summary(a.story_id).articles == 4  # type: ignore[union-attr]


def test_window_forgets_old_articles_and_stories(keywords: KeywordEmbedder) -> None:
    clusterer = StoryClusterer(keywords, ClusterSettings(window_days=1.0))
    old = clusterer.assign(art("a1", "alpha storm"))
    for day in range(1, 6):
        clusterer.assign(art(f"b{day}", "beta market", 24 * day))
    assert "a1" not in clusterer.window.items
    assert clusterer.summary(old.story_id) is None
    assert len(clusterer.window.items) <= 2


@pytest.mark.parametrize(
    "article",
    [
        StoryArticle("e1", "", "", ""),
        StoryArticle("e2", "", "Word", "word"),
        StoryArticle("e3", "", "alpha storm", "storm " * 2_000_000),
        StoryArticle("e4", "", "alpha storm", "", published=None),
        StoryArticle("e5", "", "alpha storm", "", published=datetime(2999, 1, 1, tzinfo=UTC)),
        StoryArticle("e6", "", "alpha ẞturm ½ 🌊", "", language="xx"),
        StoryArticle("e7", "", "alpha naive date", "", published=datetime(2031, 5, 4, 9)),
    ],
)
def test_bad_input_is_assigned_without_error(keywords: KeywordEmbedder, article: StoryArticle) -> None:
    clusterer = StoryClusterer(keywords)
    clusterer.assign(art("a1", "alpha storm hits coast"))
    started = time.perf_counter()
    result = clusterer.assign(article)
    assert HEX32.match(result.story_id)
    assert time.perf_counter() - started < 5.0
    assert clusterer.clock is not None and clusterer.clock < T0 + timedelta(days=2)


def test_a_burst_of_ten_thousand_articles_stays_fast_and_bounded(keywords: KeywordEmbedder) -> None:
    clusterer = StoryClusterer(keywords, ClusterSettings(window_days=1.0))
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    burst = [art(f"x{i}", f"{words[i % 8]} report {i % 97} update", hours=i / 200.0) for i in range(10_000)]
    started = time.perf_counter()
    results = clusterer.assign_many(burst)
    assert len(results) == 10_000
    assert time.perf_counter() - started < 45.0
    assert (
        len(clusterer.window.items) <= 24 * 200 + 1
    )  # a 50-hour burst, a 1-day window: older articles left memory
    assert len(clusterer.active_stories()) <= 50


BODY = (
    "Rescue teams in Valmora worked through the night after the river burst its banks, officials said, "
    "and about three thousand residents spent the night in schools and sports halls while volunteers "
    "handed out blankets, soup and dry clothes to families who had lost everything in the flood."
)


def test_copy_links_to_the_earliest_or_agency_crediting_version(keywords: KeywordEmbedder) -> None:
    clusterer = StoryClusterer(keywords)
    first = clusterer.assign(art("late", "alpha flood", 5, BODY))
    copy = clusterer.assign(art("copy", "alpha flood: night of rescues", 6, BODY + " More soon."))
    assert copy.duplicate_of == "late" and copy.story_id == first.story_id
    earlier = clusterer.assign(art("wire", "alpha flood", 1, BODY, agency="GWS"))
    assert earlier.duplicate_of is None and set(earlier.relinked) == {"late", "copy"}
    assert earlier.story_id == first.story_id
    assert clusterer.window.items["late"].duplicate_of == "wire"
    summary = clusterer.summary(first.story_id)
    assert summary is not None and summary.articles == 3 and summary.distinct_reports == 1
