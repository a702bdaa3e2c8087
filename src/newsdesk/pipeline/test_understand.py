"""Understanding the demo corpus after ingestion: language, tags, facts, summaries, failures on the row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from newsdesk.conftest import copy_store
from newsdesk.demo.corpus import load_corpus
from newsdesk.pipeline import understand
from newsdesk.store import Store, transaction
from newsdesk.store.enrichment import latest_story_seq
from newsdesk.store.models import Article, ArticleTag, Story, Tag


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory, demo_site_store: Store) -> Iterator[Store]:
    """A copy of the session's demo store (polled, then processed by ``understand.process_pending``)."""
    store = copy_store(demo_site_store, tmp_path_factory.mktemp("understand") / "u.db")
    with store.session() as session:
        assert len(list(session.scalars(select(Article.id)))) == len(load_corpus().articles)
    yield store
    store.close()


def corpus_id(article: Article) -> str:
    return article.url.rstrip("/").split("/")[-1].removesuffix(".html")


def test_every_demo_article_gets_its_language(processed: Store) -> None:
    corpus = load_corpus()
    with processed.session() as session:
        wrong = [
            (corpus_id(a), a.language)
            for a in session.scalars(select(Article))
            if a.language != corpus.articles[corpus_id(a)].lang
        ]
    assert wrong == []


def test_facts_tags_and_summaries_are_stored(processed: Store) -> None:
    with processed.session() as session:
        articles = list(session.scalars(select(Article)))
        assert all(a.processed_at is not None for a in articles)
        assert sum(bool(a.facts) for a in articles) > len(articles) * 0.8
        assert all(len((a.summary_cache or {}).get("sentences", [])) >= 1 for a in articles)
        flood = next(a for a in articles if corpus_id(a) == "valmora-floods-ledger")
        tags = {
            t.name.casefold()
            for t in session.scalars(
                select(Tag)
                .join(ArticleTag, ArticleTag.tag_id == Tag.id)
                .where(ArticleTag.article_id == flood.id)
            )
        }
        assert "valmora" in tags
        assert not tags & {"northgate ledger", "gws", "tuesday"}


def test_a_failing_enricher_is_recorded_and_the_rest_stored(
    processed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(article: object, result: object, outlets: object) -> None:
        raise RuntimeError("model file missing")

    monkeypatch.setitem(understand.ENRICHERS, "facts", broken)
    with transaction(processed.sessions) as session:
        article = session.scalars(select(Article).limit(1)).one()
        article.processed_at = None
        article_id = article.id
    assert understand.process_pending(processed).processed == 1
    with processed.session() as session:
        article = session.get(Article, article_id)
        assert article is not None and article.processed_at is not None
        assert "model file missing" in (article.enrichment_errors or {}).get("facts", "")
        assert article.language and article.summary_cache


def test_an_article_stored_while_a_run_goes_on_is_processed_by_that_run(
    processed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(processed.sessions) as session:
        first, late = session.scalars(select(Article).order_by(Article.id).limit(2)).all()
        first.processed_at = None
        first_id, late_id = first.id, late.id
    real = understand.process_article

    def poll_lands_meanwhile(store: Store, article_id: str, *args: object, **kwargs: object) -> int:
        if article_id == first_id:  # a poll stores (revises) another article during the run
            with transaction(store.sessions) as session:
                article = session.get(Article, late_id)
                assert article is not None
                article.processed_at = None
        return real(store, article_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(understand, "process_article", poll_lands_meanwhile)
    assert understand.process_pending(processed).processed == 2
    with processed.session() as session:
        done = session.scalars(select(Article.id).where(Article.processed_at.is_not(None)))
        assert {first_id, late_id} <= set(done)


def test_a_run_processes_an_article_once_even_if_it_stays_pending(
    processed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(processed.sessions) as session:
        article = session.scalars(select(Article).limit(1)).one()
        article.processed_at = None
        article_id = article.id
    calls: list[str] = []
    monkeypatch.setattr(understand, "process_article", lambda store, i, *a, **k: calls.append(i) or 0)
    assert understand.process_pending(processed).processed == 1 and calls == [article_id]
    monkeypatch.undo()
    assert understand.process_pending(processed).processed == 1  # still pending: the next run takes it


def test_demo_events_become_stories_and_copies_link_to_originals(processed: Store) -> None:
    corpus = load_corpus()
    with processed.session() as session:
        articles = list(session.scalars(select(Article)))
        by_id = {a.id: a for a in articles}
        stories_of: dict[str, set[str | None]] = {}
        for article in articles:
            stories_of.setdefault(corpus.articles[corpus_id(article)].event, set()).add(article.story_id)
        for event, category in corpus.events.items():
            if category == "local":
                local = [a for a in articles if corpus.articles[corpus_id(a)].event == event]
                assert len(stories_of[event]) == len(local), event  # lookalikes stay apart
            else:
                assert len(stories_of[event]) == 1 and None not in stories_of[event], event
        for article in articles:
            expected = corpus.articles[corpus_id(article)].copy_of
            linked = by_id[article.duplicate_of] if article.duplicate_of else None
            assert (corpus_id(linked) if linked else None) == expected, corpus_id(article)


def test_the_stories_stage_stores_related_coverage_of_other_stories(processed: Store) -> None:
    from newsdesk.store.models import RelatedArticle
    from newsdesk.store.stories import related_articles

    with processed.session() as session:
        by_corpus_id = {corpus_id(a): a for a in session.scalars(select(Article))}
        pairs = {(r.article_id, r.related_id) for r in session.scalars(select(RelatedArticle))}
        assert pairs and all((b, a) in pairs for a, b in pairs)  # found once, linked both ways
        marathon = by_corpus_id["marathon-record-meridian"]
        near = related_articles(session, marathon)
        # Related needs kinship in meaning or two shared tags: the local races share one tag (#Marathon) with
        # the record and are no longer padded in (issue 17's "nothing rather than padding").
        assert not {corpus_id(a) for a in near} - {"local-b-faro-medio-maraton", "local-a-port-calder-10k"}
        assert all(a.story_id != marathon.story_id and a.duplicate_of is None for a in near)
        assert len({a.story_id for a in near}) == len(near)


def test_a_new_worker_warms_its_clusterer_from_stored_vectors(
    processed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC

    from newsdesk.models import load_embedder
    from newsdesk.pipeline import stories as stories_pipeline
    from newsdesk.store.models import ArticleVector

    real = load_embedder()
    embedded: list[str] = []

    class Counting:
        name, dim = real.name, real.dim

        def encode(self, texts: list[str]) -> object:
            embedded.extend(texts)
            return real.encode(texts)

    monkeypatch.setattr(stories_pipeline, "load_embedder", Counting)
    with processed.session() as session:
        stored = {v.article_id: v.model for v in session.scalars(select(ArticleVector))}
        assigned = {a.id: a.story_id for a in session.scalars(select(Article))}
    assert set(stored) == set(assigned) and set(stored.values()) == {real.name}
    clusterer = stories_pipeline.warm_clusterer(processed)
    with processed.session() as session:
        since = stories_pipeline.window_start(session, clusterer.settings.window_days)
        articles = list(session.scalars(select(Article)))
        recent = {a.id for a in articles if a.published_at.replace(tzinfo=UTC) >= since}
    assert embedded == []  # every vector came from the store
    replayed = {i: clusterer.resolve(item.story_id) for i, item in clusterer.window.items.items()}
    assert set(replayed) == recent  # the window's days
    assert replayed == {i: assigned[i] for i in recent}  # the same stories under the same ids


def test_every_story_has_one_category_across_its_languages(processed: Store) -> None:
    with processed.session() as session:
        stories = {s.id: s for s in session.scalars(select(Story))}
        articles = list(session.scalars(select(Article).where(Article.story_id.is_not(None))))
    for article in articles:
        story = stories[article.story_id or ""]
        assert story.category_slug == article.category_slug and article.own_category_slug
        assert story.category_method in ("single", "majority", "strongest")
    heist = {a.category_slug for a in articles if corpus_id(a).startswith("museum-heist-")}
    assert len(heist) == 1  # the Vienna theft: English, German and Spanish reports, one category


def test_a_run_summarises_the_stories_of_a_write_whose_worker_died_before_summarising(
    demo_site_store: Store, tmp_path: Path
) -> None:
    """A worker killed between its story write and the summaries left those stories without a summary (or
    with one of their former articles) until they changed again: the next run looks at the last write's."""
    store = copy_store(demo_site_store, tmp_path / "killed.db")
    with transaction(store.sessions) as session:
        latest = latest_story_seq(session)
        written = set(session.scalars(select(Article.story_id).where(Article.story_seq == latest)))
        for story in session.scalars(select(Story).where(Story.id.in_(written))):
            story.summary_cache = None
    assert written
    understand.assign_and_summarise(store)  # no article awaits a story
    with store.session() as session:
        stories = list(session.scalars(select(Story).where(Story.id.in_(written))))
        assert [s.id for s in stories if s.merged_into is None and not s.summary_cache] == []
    store.close()
