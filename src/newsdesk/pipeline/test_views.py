"""Article views: prepared by the pipeline, equal to a fresh build, prepared again as neighbours change."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsdesk.pipeline.views import (
    prepare_article_views,
    prepare_newest_views,
    prepare_story_views,
    prepare_views_around,
)
from newsdesk.store import Store, transaction
from newsdesk.store.article_views import ArticleView, build_view, stored_view, views_to_prepare
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.enrichment import next_story_seq, set_story
from newsdesk.store.models import Article, Source
from newsdesk.store.sources import update_source
from newsdesk.store.stories import save_related
from newsdesk.testing.apps import NOW, STORY_ID, add_articles
from newsdesk.web.article_page import KEEPER, article_page_context, full_article_context
from newsdesk.web.i18n import current_language


def article_ids(store: Store) -> dict[str, str]:
    """The test store's articles by title ("Report 0" … "Report 6")."""
    with store.session() as session:
        return {a.title: a.id for a in session.scalars(select(Article))}


def kept_view(store: Store, article_id: str) -> dict[str, object] | None:
    with store.session() as session:
        return stored_view(session, article_id)[1]


@pytest.fixture
def reports(sqlite_store: Store) -> dict[str, str]:
    add_articles(sqlite_store)
    ids = article_ids(sqlite_store)
    prepare_article_views(sqlite_store, ids.values())
    return ids


def test_understood_articles_have_views_equal_to_a_fresh_build(demo_site_store: Store) -> None:
    """Golden: after the pipeline, every article's kept view is what building it now gives, and the page
    context made from it is the one made from a fresh build (in each language)."""
    now = datetime.now(UTC)
    with demo_site_store.session() as session:
        articles = list(session.scalars(select(Article)))
        assert articles and views_to_prepare(session, [a.id for a in articles]) == []
        for n, article in enumerate(articles):
            exists, kept = stored_view(session, article.id)
            fresh = build_view(session, article)
            assert exists and kept == fresh, article.id
            for lang in ("en", "de", "es") if n % 5 == 0 else ():  # a sample of the pages in each language
                current_language.set(lang)
                assert article_page_context(kept, now) == article_page_context(fresh, now)
    current_language.set("en")


def test_a_missing_view_is_built_on_demand_and_kept(store: Store) -> None:
    """On SQLite and PostgreSQL: the page builds the view; a thread keeps it on a connection of its own."""
    add_articles(store)
    ids = article_ids(store)
    assert kept_view(store, ids["Report 1"]) is None
    with store.session() as session:
        context = full_article_context(session, ids["Report 1"])
    assert context["article"]["title"] == "Report 1"
    assert [c["title"] for c in context["article"]["also_covered_by"]] == ["Report 5"]
    KEEPER.wait()
    with store.session() as session:
        article = session.get(Article, ids["Report 1"])
        assert article is not None
        assert kept_view(store, article.id) == build_view(session, article)


def test_a_story_change_prepares_its_reports_views_again(
    sqlite_store: Store, reports: dict[str, str]
) -> None:
    before = kept_view(sqlite_store, reports["Report 5"])
    assert before is not None
    assert [c["title"] for c in before["also_covered_by"]] == ["Report 1"]  # type: ignore[index]
    with transaction(sqlite_store.sessions) as session:  # an earlier Gazette report joins the story,
        seq = next_story_seq(session)  # and the stories stage finds Report 4 near it
        set_story(session, reports["Report 2"], STORY_ID, "Harbour bridge", seq=seq)
        save_related(session, reports["Report 2"], [(reports["Report 4"], 0.4)])
    assert kept_view(sqlite_store, reports["Report 2"]) is None  # its story write made its own view stale
    prepare_story_views(sqlite_store, {STORY_ID}, since_seq=seq - 1)
    related = kept_view(sqlite_store, reports["Report 4"])["related"]  # type: ignore[index]
    assert [r["title"] for r in related] == ["Report 2"]
    after = kept_view(sqlite_store, reports["Report 5"])
    assert after is not None
    assert [c["title"] for c in after["also_covered_by"]] == ["Report 2"]  # type: ignore[index]
    assert kept_view(sqlite_store, reports["Report 2"]) is not None


def test_a_new_related_article_prepares_the_other_articles_view(
    sqlite_store: Store, reports: dict[str, str]
) -> None:
    assert kept_view(sqlite_store, reports["Report 4"])["related"] == []  # type: ignore[index]
    with transaction(sqlite_store.sessions) as session:
        save_related(session, reports["Report 3"], [(reports["Report 4"], 0.4)])
    prepare_views_around(sqlite_store, [reports["Report 3"]])
    related = kept_view(sqlite_store, reports["Report 4"])["related"]  # type: ignore[index]
    assert [r["title"] for r in related] == ["Report 3"]


def test_a_reingested_article_shows_its_new_text_at_once(
    sqlite_store: Store, reports: dict[str, str]
) -> None:
    with sqlite_store.session() as session:
        source_id = session.scalars(select(Source.id).where(Source.name == "The Gazette")).one()
    record = ArticleRecord(
        source_id=source_id,
        url="https://the-gazette.example/3",
        canonical_url="https://the-gazette.example/3",
        title="Report 3, corrected",
        blocks=[{"kind": "p", "text": "The corrected text."}],
        published_at=NOW,
    )
    with transaction(sqlite_store.sessions) as session:
        assert save_article(session, record)[1] == "updated"
    assert kept_view(sqlite_store, reports["Report 3"]) is None  # kept for the text before
    with sqlite_store.session() as session:
        article = full_article_context(session, reports["Report 3"])["article"]
    assert article["title"] == "Report 3, corrected"
    assert article["body"] == [{"kind": "p", "text": "The corrected text."}]
    KEEPER.wait()  # the page's thread keeps the view it built
    assert kept_view(sqlite_store, reports["Report 3"])["article"]["title"] == "Report 3, corrected"  # type: ignore[index]


def test_renaming_a_source_forgets_the_views_naming_it(sqlite_store: Store, reports: dict[str, str]) -> None:
    with transaction(sqlite_store.sessions) as session:
        source = session.scalars(select(Source).where(Source.name == "The Courier")).one()
        update_source(session, source, {"folder": "Local"})  # not shown on article pages: views stay
    with sqlite_store.session() as session:
        assert session.scalar(select(func.count()).select_from(ArticleView)) == 7
    with transaction(sqlite_store.sessions) as session:
        source = session.scalars(select(Source).where(Source.name == "The Courier")).one()
        update_source(session, source, {"name": "The Evening Courier"})
    with sqlite_store.session() as session:
        assert session.scalar(select(func.count()).select_from(ArticleView)) == 0
        covered = full_article_context(session, reports["Report 1"])["article"]["also_covered_by"]
    assert [c["source"]["name"] for c in covered] == ["The Evening Courier"]


def test_prepare_views_fills_in_the_newest_articles_missing_views(sqlite_store: Store) -> None:
    """`newsdesk prepare-views` after an upgrade: the newest articles first, each once."""
    add_articles(sqlite_store)
    ids = article_ids(sqlite_store)
    assert prepare_newest_views(sqlite_store, 3) == 3
    assert [t for t, i in sorted(ids.items()) if kept_view(sqlite_store, i)] == [
        "Report 0",
        "Report 1",
        "Report 2",
    ]
    assert prepare_newest_views(sqlite_store, 3) == 0


def test_a_page_does_not_wait_on_a_long_write_to_keep_a_view(sqlite_store: Store, tmp_path: Path) -> None:
    """A worker holding SQLite's write lock: the page is answered from the view it built at once, and the
    view is kept in the background once the lock is free (pages once waited 100 ms for it, every time)."""
    add_articles(sqlite_store)
    article_id = article_ids(sqlite_store)["Report 1"]
    writer = sqlite3.connect(tmp_path / "test.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with sqlite_store.session() as session:
            assert full_article_context(session, article_id)["article"]["title"] == "Report 1"
            assert full_article_context(session, article_id)["article"]["title"] == "Report 1"
        assert time.monotonic() - started < 5  # the keeper waits up to 5 s, the store's busy timeout 15 s
        assert kept_view(sqlite_store, article_id) is None  # still waiting for the lock
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    KEEPER.wait()
    assert kept_view(sqlite_store, article_id) is not None
