"""Store tests, run on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, update

from newsdesk.store import Store, open_store, transaction
from newsdesk.store import search as search_module
from newsdesk.store.articles import (
    ArticleRecord,
    BadCursor,
    ImageRecord,
    latest_articles,
    save_article,
)
from newsdesk.store.db import current_revision, head_revision
from newsdesk.store.ids import make_id
from newsdesk.store.models import Article, ArticleImage, Category, Source
from newsdesk.store.search import MARK_END, MARK_START, SearchFilters, search
from newsdesk.store.sources import (
    LEASE,
    SourceSpec,
    add_source,
    claim_source,
    due_source_ids,
    renew_source_lease,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def make_source(store: Store, url: str = "https://example.org/feed.xml") -> int:
    with transaction(store.sessions) as session:
        source, _ = add_source(session, SourceSpec(feed_url=url, name="Example Gazette", language="en"))
        return source.id


def record(source_id: int, n: int, body: str = "", **extra: object) -> ArticleRecord:
    fields: dict[str, object] = {
        "source_id": source_id,
        "url": f"https://example.org/news/{n}",
        "canonical_url": f"https://example.org/news/{n}",
        "title": f"Harbour bridge reopens after repairs {n}",
        "blocks": [{"kind": "p", "text": body or f"The bridge over the estuary reopened on day {n}."}],
        "published_at": NOW - timedelta(hours=n),
        **extra,
    }
    return ArticleRecord(**fields)  # type: ignore[arg-type]


def test_migrations_reach_head_with_search_index(store: Store) -> None:
    assert current_revision(store.engine) == head_revision() == "0018"
    tables = set(inspect(store.engine).get_table_names())
    assert {"articles", "sources", "stories", "users", "comments", "bookmarks", "follows", "tags"} <= tables
    assert "image_files" in tables
    if store.dialect == "sqlite":
        assert {"articles_fts", "articles_stems"} <= tables
    else:
        columns = {c["name"] for c in inspect(store.engine).get_columns("articles")}
        assert "search_vector" in columns
    with store.session() as session:
        slugs = set(session.scalars(select(Category.slug)))
    assert {"world", "politics", "business", "technology", "science", "health", "sports"} <= slugs


def test_article_ids_are_32_hex_characters_from_the_canonical_url(store: Store) -> None:
    source_id = make_source(store)
    with transaction(store.sessions) as session:
        article, state = save_article(session, record(source_id, 1))
    assert state == "created"
    assert article.id == make_id("https://example.org/news/1")
    assert len(article.id) == 32 and int(article.id, 16) >= 0


def test_saving_twice_does_not_duplicate_and_revisions_keep_first_seen(store: Store) -> None:
    source_id = make_source(store)
    with transaction(store.sessions) as session:
        first, _ = save_article(
            session,
            record(source_id, 1, images=[ImageRecord("https://example.org/a.jpg", "A boat", "J. Doe/GWS")]),
        )
        first_seen = first.first_seen_at
    with transaction(store.sessions) as session:
        _, state = save_article(session, record(source_id, 1))
    assert state == "unchanged"
    with transaction(store.sessions) as session:
        revised, state = save_article(
            session, record(source_id, 1, body="The bridge reopened, officials said.")
        )
    assert state == "updated"
    with store.session() as session:
        assert session.scalar(select(Article).where(Article.id == revised.id)).first_seen_at == first_seen
        assert len(list(session.scalars(select(Article)))) == 1
        assert list(session.scalars(select(ArticleImage))) == []


def test_a_failed_transaction_leaves_nothing_half_written(store: Store) -> None:
    source_id = make_source(store)
    with pytest.raises(RuntimeError), transaction(store.sessions) as session:
        save_article(session, record(source_id, 1, images=[ImageRecord("https://example.org/a.jpg")]))
        raise RuntimeError("crash mid-ingest")
    with store.session() as session:
        assert list(session.scalars(select(Article))) == []
        assert list(session.scalars(select(ArticleImage))) == []


def test_naive_datetimes_are_refused(store: Store) -> None:
    source_id = make_source(store)
    with pytest.raises(Exception, match="naive"), transaction(store.sessions) as session:
        save_article(session, record(source_id, 1, published_at=datetime(2026, 1, 1)))


def test_latest_articles_pages_newest_first_with_a_cursor(store: Store) -> None:
    source_id = make_source(store)
    with transaction(store.sessions) as session:
        for n in range(7):
            save_article(session, record(source_id, n))
    seen: list[str] = []
    cursor = None
    with store.session() as session:
        while True:
            page, cursor = latest_articles(session, limit=3, cursor=cursor)
            seen += [a.title for a in page]
            if cursor is None:
                break
    assert seen == [f"Harbour bridge reopens after repairs {n}" for n in range(7)]
    with store.session() as session, pytest.raises(BadCursor):
        latest_articles(session, cursor="not-a-cursor")


def test_full_text_search_finds_body_words_and_survives_syntax(store: Store) -> None:
    source_id = make_source(store)
    with transaction(store.sessions) as session:
        save_article(session, record(source_id, 1, body="Ferry services resumed across the estuary."))
        save_article(session, record(source_id, 2, body="Council approved a new budget for libraries."))
        save_article(session, record(source_id, 3, body="The estuary ferry <script>alert(1)</script> sank."))
    with store.session() as session:
        page = search(session, "estuary ferry")
        assert sorted(a.url for a, _ in page.hits) == [
            "https://example.org/news/1",
            "https://example.org/news/3",
        ]
        assert page.total == 2 and page.pages == 1
        snippets = " ".join(snippet for _, snippet in page.hits)
        assert f"{MARK_START}estuary{MARK_END}" in snippets or f"{MARK_START}Ferry{MARK_END}" in snippets
        for hostile in ['"', "AND (", "*", "' OR 1=1 --", "NEAR(", "", '"estuary" OR "x"']:
            assert isinstance(search(session, hostile).hits, list)
        assert search(session, "budget", SearchFilters(language="xx")).total == 0
        assert (
            search(session, "estuary", per_page=1, page=2)
            .hits[0][0]
            .url.startswith("https://example.org/news/")
        )


def test_sources_are_unique_by_feed_url_and_leased_by_one_worker(store: Store) -> None:
    first = make_source(store)
    assert make_source(store) == first
    second = make_source(store, "https://example.org/other.xml")
    with store.session() as session:
        slugs = {s.slug for s in session.scalars(select(Source))}
    assert slugs == {"example-gazette", "example-gazette-2"}
    with transaction(store.sessions) as session:
        assert set(due_source_ids(session)) == {first, second}
        assert claim_source(session, first) is not None
        assert claim_source(session, first) is None
        assert due_source_ids(session) == [second]


def test_a_source_is_claimed_only_when_due_unless_forced(store: Store) -> None:
    source_id = make_source(store)
    with transaction(store.sessions) as session:
        source = session.get(Source, source_id)
        assert source is not None
        source.next_poll_at = datetime.now(UTC) + timedelta(minutes=5)  # polled this round already
    with transaction(store.sessions) as session:
        assert claim_source(session, source_id) is None
        assert claim_source(session, source_id, force=True) is not None  # `poll --all` asked for it
        assert claim_source(session, source_id, force=True) is None  # a held lease is never taken
    with transaction(store.sessions) as session:
        later = datetime.now(UTC) + timedelta(minutes=6)
        assert claim_source(session, source_id, later + LEASE) is not None  # due again, lease over


def test_a_killed_polls_source_is_free_within_a_minute_unless_renewed(store: Store) -> None:
    source_id = make_source(store)
    start = datetime.now(UTC) + timedelta(seconds=1)
    with transaction(store.sessions) as session:
        assert claim_source(session, source_id, start) is not None  # then the poll is killed
        assert claim_source(session, source_id, start + timedelta(seconds=50)) is None
        assert claim_source(session, source_id, start + timedelta(seconds=61)) is not None
    # a poll that renews its lease keeps it past the first minute
    with transaction(store.sessions) as session:
        later = start + timedelta(seconds=61)
        assert renew_source_lease(session, source_id, later + timedelta(seconds=50))
        assert claim_source(session, source_id, later + timedelta(seconds=100)) is None
        assert claim_source(session, source_id, later + timedelta(seconds=111)) is not None
        session.execute(update(Source).values(lease_until=None))
        assert not renew_source_lease(session, source_id)  # released (the poll ended): nothing to renew


def _open_and_close(url: str) -> str:
    from newsdesk.store.db import current_revision

    store = open_store(url)
    revision = current_revision(store.engine) or ""
    store.close()
    return revision


def test_processes_starting_together_on_a_new_store_migrate_it_once(tmp_path: Path) -> None:
    import multiprocessing

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        revisions = pool.map(_open_and_close, [url] * 8)
    assert set(revisions) == {head_revision()}


def test_a_migration_that_stops_halfway_leaves_no_half_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite migrations run in one transaction with their DDL: a failure (or a kill) part-way through
    leaves the store as it was, and the next start migrates it whole."""
    from alembic import op

    real_create_index = op.create_index

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stopped halfway")

    monkeypatch.setattr(op, "create_index", fail)
    url = f"sqlite:///{tmp_path / 'half.db'}"
    with pytest.raises(RuntimeError, match="halfway"):
        open_store(url)
    store = open_store(url, migrate=False)
    assert inspect(store.engine).get_table_names() == []  # nothing of the first migration stayed
    store.close()
    monkeypatch.setattr(op, "create_index", real_create_index)
    assert _open_and_close(url) == head_revision()


def test_a_common_words_newest_hits_are_the_ones_ranked(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranking every hit of a common word cost more than the page: the newest RANKED_HITS are ranked."""
    monkeypatch.setattr(search_module, "RANKED_HITS", 2)
    source_id = make_source(store)
    with transaction(store.sessions) as session:  # stored oldest first, as a feed's items arrive
        best, _ = save_article(session, record(source_id, 3, body="Ferry, ferry, ferry: the ferry is back."))
        newer = [save_article(session, record(source_id, n, body="A ferry crossed."))[0] for n in (2, 1)]
    with store.session() as session:
        page = search(session, "ferry")
        assert {a.id for a, _ in page.hits} == {a.id for a in newer} and page.total == 3
        monkeypatch.setattr(search_module, "RANKED_HITS", 3)
        assert search(session, "ferry").hits[0][0].id == best.id


def test_search_finds_word_forms_in_the_article_language_on_both_databases(store: Store) -> None:
    source_id = make_source(store)
    with transaction(store.sessions) as session:
        english, _ = save_article(session, record(source_id, 1, body="Flash floods swept the valley."))
        german, _ = save_article(session, record(source_id, 2, body="Die Sturzfluten rissen Autos mit."))
        english.language, german.language = "en", "de"
    with store.session() as session:
        assert [a.id for a, _ in search(session, "flooded").hits] == [english.id]
        assert [a.id for a, _ in search(session, "Sturzflut").hits] == [german.id]
        hit, snippet = search(session, "flood").hits[0]
        assert hit.id == english.id and f"{MARK_START}floods{MARK_END}" in snippet
    with transaction(store.sessions) as session:
        session.delete(session.get(Article, english.id))
    with store.session() as session:
        assert search(session, "flood").hits == []
