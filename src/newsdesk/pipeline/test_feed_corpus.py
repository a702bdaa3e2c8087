"""The feed corpus served on loopback and ingested: every entry a reader could use is stored, every drop is
recorded with its URL and reason, and each class of feed in the wild keeps what it carries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from newsdesk.bench.feedcorpus import CorpusFeed, ingest_corpus, load_corpus, serve_corpus
from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.pipeline.discover import SourceProblem, find_feeds
from newsdesk.pipeline.entries import PAGE_ATTEMPTS, retry_page
from newsdesk.pipeline.ingest import poll_source, reingest_article
from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.drops import source_drops
from newsdesk.store.models import Article, Source, utcnow
from newsdesk.store.sources import SourceSpec, add_source

CORPUS = load_corpus()


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    the_fetcher = make_fetcher(settings)
    yield the_fetcher
    the_fetcher.close()


@pytest.fixture
def base() -> Iterator[str]:
    with serve_corpus(CORPUS) as url:
        yield url


def feed(name: str) -> CorpusFeed:
    return next(f for f in CORPUS if f.name == name)


def test_every_corpus_file_names_its_origin_and_licence() -> None:
    assert len(CORPUS) >= 8
    assert all(f.origin and f.licence for f in CORPUS)


@pytest.mark.parametrize("name", [f.name for f in CORPUS])
def test_each_feed_stores_what_a_reader_could_use_and_explains_each_drop(
    sqlite_store: Store, fetcher: Fetcher, base: str, name: str
) -> None:
    corpus_feed = feed(name)
    (outcome,) = ingest_corpus(sqlite_store, fetcher, base, [corpus_feed])
    assert outcome.report.status == "ok", outcome.report.error
    assert sorted(outcome.titles) == sorted(corpus_feed.stored)
    with sqlite_store.session() as session:
        source = session.scalars(select(Source).where(Source.name == name)).one()
        drops = [(d.url or d.guid, d.reason) for d in source_drops(session, source.id)]
    assert len(drops) == len(corpus_feed.dropped) == outcome.report.dropped
    for (key, reason), (stored_key, stored_reason) in zip(corpus_feed.dropped, drops, strict=True):
        assert stored_key.endswith(key) and reason in stored_reason


def articles_of(store: Store, base: str, name: str) -> list[Article]:
    with store.session() as session:
        source = session.scalars(select(Source).where(Source.feed_url == f"{base}/feeds/{name}")).one()
        query = select(Article).where(Article.source_id == source.id).order_by(Article.published_at.desc())
        return list(session.scalars(query))


def test_a_page_not_fetched_is_marked_and_the_feed_text_shown(
    sqlite_store: Store, fetcher: Fetcher, base: str
) -> None:
    ingest_corpus(sqlite_store, fetcher, base, [feed("heise-rdf.rdf")])
    articles = articles_of(sqlite_store, base, "heise-rdf.rdf")
    assert all(a.page_pending and a.page_attempts == 1 and a.page_retry_at for a in articles)
    assert all(
        a.extraction_note.startswith("text not fetched yet: page not fetched (HTTP 404") for a in articles
    )
    by_title = {a.title: a for a in articles}
    assert by_title["Sicherheitslücke in verbreiteten Routern"].body_text == (
        "Hersteller verteilt ein Update Nutzer sollen es rasch einspielen."  # zero-width space removed
    )
    assert by_title["Störung bei der Bahn-App behoben"].body_text == ""  # a title and a link suffice


def test_a_page_that_was_not_fetched_is_fetched_at_a_later_poll_of_an_unchanged_feed(
    sqlite_store: Store, fetcher: Fetcher, base: str
) -> None:
    corpus_feed = feed("atom-feed-author.xml")
    ingest_corpus(sqlite_store, fetcher, base, [corpus_feed])
    otters = next(a for a in articles_of(sqlite_store, base, corpus_feed.name) if "otters" in a.title)
    assert otters.page_pending and otters.body_text == "Cleaner water, fewer weirs, and a lot of patience."
    corpus_feed.pages["/blog/2026/11/otters"] = "salmon-runs.html"  # the page is there now
    try:
        with transaction(sqlite_store.sessions) as session:
            session.execute(update(Article).values(page_retry_at=utcnow() - timedelta(seconds=1)))
            session.execute(update(Source).values(lease_until=None))
        source_id = otters.source_id
        report = poll_source(sqlite_store, fetcher, source_id, force=True)
    finally:
        del corpus_feed.pages["/blog/2026/11/otters"]
    assert report.status == "not_modified" and report.pages_fetched == 1
    with sqlite_store.session() as session:
        fetched = session.get(Article, otters.id)
        assert fetched is not None and not fetched.page_pending and fetched.page_retry_at is None
        assert "Forty-one salmon went up the fish pass" in fetched.body_text


def test_a_dropped_entry_is_tried_again_although_the_feed_is_unchanged(
    sqlite_store: Store, fetcher: Fetcher, base: str
) -> None:
    (first,) = ingest_corpus(sqlite_store, fetcher, base, [feed("notes-untitled.xml")])
    assert first.report.dropped == 1 and first.report.drops[0].retry  # its page may answer later
    with transaction(sqlite_store.sessions) as session:
        session.execute(update(Source).values(lease_until=None))
        source_id = session.scalars(select(Source.id)).one()
    again = poll_source(sqlite_store, fetcher, source_id, force=True)
    assert again.status == "ok" and again.dropped == 1 and again.unchanged == 4


def test_entries_stored_from_another_source_are_counted_as_known(
    sqlite_store: Store, fetcher: Fetcher, base: str
) -> None:
    ingest_corpus(sqlite_store, fetcher, base, [feed("podcast.xml")])
    with transaction(sqlite_store.sessions) as session:
        mirror = add_source(session, SourceSpec(f"{base}/feeds/podcast.xml?mirror=1", "Mirror"))[0].id
    report = poll_source(sqlite_store, fetcher, mirror)
    assert (report.new, report.unchanged, report.dropped) == (0, 3, 0)


def test_feed_values_are_decoded_inherited_and_kept(sqlite_store: Store, fetcher: Fetcher, base: str) -> None:
    names = ["atom-feed-author.xml", "items-without-url.json", "podcast.xml", "media-video.xml"]
    ingest_corpus(sqlite_store, fetcher, base, [feed(n) for n in names])
    atom = {a.title: a for a in articles_of(sqlite_store, base, "atom-feed-author.xml")}
    assert atom["That’s the last of the autumn salmon runs"].authors == ["Ines Marlow"]  # page byline too
    assert atom["Why otters came back"].authors == ["Ines Marlow"]  # the feed's author
    assert atom["Guest post: reed beds in winter"].authors == ["Tomasz Wirth"]  # the entry's own
    notices = {a.title: a for a in articles_of(sqlite_store, base, "items-without-url.json")}
    assert notices["Bin collections move to Tuesday"].authors == ["Waste Services"]
    closure = notices["Road closure: Mill Lane & Quay Street"]
    assert closure.authors == ["Clerk of the Council"] and closure.url == f"{base}/notices/"
    assert len({a.id for a in notices.values()}) == 4  # link-less items keep apart under the feed's link
    with pytest.raises(ValueError, match="no page of its own"):
        reingest_article(sqlite_store, fetcher, closure.id)  # the feed's home page is not its article
    (pdf,) = notices["Council tax – payment dates for 2027"].enclosures
    assert (pdf.url, pdf.type, pdf.length, pdf.medium) == (
        f"{base}/notices/files/council-tax-2027.pdf",
        "application/pdf",
        182044,
        "document",
    )
    episodes = articles_of(sqlite_store, base, "podcast.xml")
    assert [(e.enclosures[0].medium, e.enclosures[0].type, e.enclosures[0].length) for e in episodes] == [
        ("audio", "audio/mpeg", 31457280),
        ("audio", "audio/mpeg", 28311552),
        ("video", "video/mp4", 104857600),
    ]
    assert all(e.authors == ["Harbour Hours"] for e in episodes)  # itunes:author of the channel
    ferry = articles_of(sqlite_store, base, "media-video.xml")[0]
    assert [(v.medium, v.type, v.length) for v in ferry.enclosures] == [("video", "video/mp4", 52428800)]
    assert ferry.lead_image_url == f"{base}/primorye/img/parom.jpg"
    assert ferry.body_text == "Паром снова ходит по расписанию."  # not the image's media:description
    assert [(i.url, i.caption, i.credit) for i in ferry.images] == [
        (
            f"{base}/primorye/img/parom.jpg",
            "Паром у причала, 29 ноября",
            "Фото: И. Петров",
        )  # no zero-width space
    ]


def test_sources_named_in_other_scripts_get_readable_slugs(
    sqlite_store: Store, fetcher: Fetcher, base: str
) -> None:
    slugs = []
    for name in ("media-video.xml", "japanese-names.xml"):
        ((url, parsed),) = find_feeds(fetcher, f"{base}/feeds/{name}")
        with transaction(sqlite_store.sessions) as session:
            slugs.append(add_source(session, SourceSpec(url, parsed.title))[0].slug)
    assert slugs == ["novosti-primorya", "gang-ting-ri-bao"]


def test_a_broken_json_feed_is_reported_as_invalid_json(fetcher: Fetcher, base: str) -> None:
    with pytest.raises(SourceProblem, match=r"invalid JSON at line 6, column 3: Expecting ',' delimiter"):
        find_feeds(fetcher, f"{base}/feeds/broken.json")


def test_a_page_is_tried_with_back_off_then_given_up(
    sqlite_store: Store, fetcher: Fetcher, base: str
) -> None:
    ingest_corpus(sqlite_store, fetcher, base, [feed("japanese-names.xml")])
    (article,) = articles_of(sqlite_store, base, "japanese-names.xml")
    waits = []
    states = []
    for _ in range(PAGE_ATTEMPTS - 1):
        before = utcnow()
        states.append(retry_page(sqlite_store, fetcher, article.id))
        with sqlite_store.session() as session:
            stored = session.get(Article, article.id)
            assert stored is not None
            waits.append(
                round((stored.page_retry_at - before).total_seconds() / 60) if stored.page_retry_at else 0
            )
    assert states == ["pending"] * (PAGE_ATTEMPTS - 2) + ["given up"]
    assert waits == [30, 60, 120, 240, 0]  # minutes: doubling from 15 (the first wait, at ingestion)
    assert not stored.page_pending and stored.page_attempts == PAGE_ATTEMPTS
    assert (
        stored.extraction_note.startswith("page not fetched (HTTP 404")
        and "the last" in stored.extraction_note
    )
    assert stored.body_text == "港と島を結ぶ新しいフェリーが今日から運航を始めた。"  # the feed's text stays
