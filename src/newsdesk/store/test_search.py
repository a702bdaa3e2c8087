"""Search: golden cases of issue 16 (word forms, languages, the language filter, stories) and its floor."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.bench.search import hybrid_ranking, load_query_set, score_queries
from newsdesk.demo.corpus import Corpus
from newsdesk.models import load_embedder
from newsdesk.store import Store
from newsdesk.store.retrieval import fuse, report_counts, story_matches
from newsdesk.store.search import SearchFilters, query_terms, search

FLOOR = json.loads((Path(__file__).parent / "eval_floor.json").read_text("utf-8"))["floor"]


def event_reports(corpus: Corpus, event: str, language: str = "") -> set[str]:
    return {
        a.id
        for a in corpus.articles.values()
        if a.event == event and not a.copy_of and (not language or a.lang == language)
    }


def test_flood_finds_flash_floods_by_its_stem(search_store: tuple[Store, Corpus]) -> None:
    store, _ = search_store
    with store.session() as session:
        titles = [a.title for a, _ in search(session, "flood").hits]
    assert "Flash floods kill at least 9 in northern Portugal after record overnight rain" in titles


def test_word_forms_in_german_and_spanish(search_store: tuple[Store, Corpus]) -> None:
    store, _ = search_store
    with store.session() as session:
        german = {a.id for a, _ in search(session, "Sturzfluten").hits}
        spanish = {a.id for a, _ in search(session, "inundación").hits}
    assert "valmora-floods-rheinblick" in german
    assert {"valmora-floods-elfaro-first", "valmora-floods-elfaro-update"} <= spanish


def test_hochwasser_finds_the_flood_reports_in_three_languages(search_store: tuple[Store, Corpus]) -> None:
    store, corpus = search_store
    with store.session() as session:
        ranked = hybrid_ranking(session, "Hochwasser", None)
    floods = event_reports(corpus, "valmora-floods")
    assert len(floods) == 6 and set(ranked[:6]) == floods
    assert {corpus.articles[i].lang for i in ranked[:6]} == {"en", "de", "es"}


def test_strike_with_language_deutsch_finds_the_german_strike_reports(
    search_store: tuple[Store, Corpus],
) -> None:
    store, corpus = search_store
    with store.session() as session:
        ranked = hybrid_ranking(session, "strike", "de")
    assert set(ranked[:2]) == event_reports(corpus, "eurorail-strike", "de")
    assert {corpus.articles[i].lang for i in ranked} == {"de"}


def test_results_are_grouped_by_story(search_store: tuple[Store, Corpus]) -> None:
    store, corpus = search_store
    vector = load_embedder().encode(["flood"])[0]
    with store.session() as session:
        matches = story_matches(session, "flood", vector)
    assert matches[0].key == "valmora-floods"
    assert {r.id for r in matches[0].reports} == event_reports(corpus, "valmora-floods")
    assert matches[0].languages == ["de", "en", "es"]
    assert len({m.key for m in matches}) == len(matches)


def test_filters_other_than_language_apply_to_every_report(search_store: tuple[Store, Corpus]) -> None:
    store, corpus = search_store
    vector = load_embedder().encode(["Hochwasser"])[0]
    with store.session() as session:
        matches = story_matches(session, "Hochwasser", vector, SearchFilters(source_id=4))  # El Faro
    reports = [r.id for m in matches for r in m.reports]
    assert reports and {corpus.articles[i].outlet for i in reports} == {"el-faro"}


def test_a_query_is_stemmed_in_every_language_of_the_store() -> None:
    assert query_terms("the floods", ("de", "en", "es")) == [["floods", "flood"]]
    assert query_terms("Überschwemmungen", ("de",)) == [["überschwemmungen", "uberschwemm"]]


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    scores = fuse([["a", "b", "c"], ["c", "d"]])
    assert max(scores, key=lambda k: scores[k]) == "c"
    assert scores["a"] > scores["b"] == scores["d"] > 0


def test_search_stays_above_its_evaluation_floor(search_store: tuple[Store, Corpus]) -> None:
    store, corpus = search_store
    score = score_queries(store, corpus, load_query_set(), hybrid_ranking)
    assert score.queries >= 50
    assert score.recall >= FLOOR["recall_at_20"], score.misses
    assert score.precision >= FLOOR["precision_at_5"], score.misses


def test_a_page_lists_only_its_stories_reports_and_counts_agree_with_them(
    search_store: tuple[Store, Corpus],
) -> None:
    store, _ = search_store
    vector = load_embedder().encode(["flood"])[0]
    with store.session() as session:
        listed = story_matches(session, "flood", vector)
        counted = story_matches(session, "flood", vector, listed=1)
        since_ever = SearchFilters(since=datetime(1990, 1, 1, tzinfo=UTC))  # counted by SQL, not by the story
        keys = [m.key for m in listed]
        assert report_counts(session, keys, SearchFilters()) == report_counts(session, keys, since_ever)
    assert [m.key for m in counted] == keys
    assert counted[0].reports == listed[0].reports and not any(m.reports for m in counted[1:])
    assert [m.count for m in counted] == [len(m.reports) for m in listed]
