"""The reader's language and the lists: the misbehaviours of issue 17 (items 3, 5, 6) as golden tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.ids import make_id
from newsdesk.store.models import ArticleTag, Story, Tag
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.store.stories import refresh_story
from newsdesk.web.app import create_app
from newsdesk.web.briefing import briefing_context
from newsdesk.web.i18n import current_language
from newsdesk.web.reader_language import accepted_languages, preferred_language

COMET, STRIKE = make_id("story:comet"), make_id("story:strike")
NOW = datetime.now(UTC).replace(microsecond=0)
SOURCES = [  # slug, country, language
    ("courier", "US", "en"),
    ("ledger", "GB", "en"),
    ("blick", "DE", "de"),
    ("faro", "ES", "es"),
    ("meridian", "SG", "en"),
]
# (source index, language, title, story, hours ago, copy of the report at this index)
REPORTS: list[tuple[int, str, str, str, float, int | None]] = [
    (0, "en", "Capsule carrying comet dust lands safely in Australian outback", COMET, 30, None),
    (2, "de", "Kometenstaub sicher in Australien gelandet", COMET, 29, None),
    (4, "en", "Comet dust capsule recovered in South Australia", COMET, 28, None),
    (1, "en", "Capsule carrying comet dust lands safely in Australian outback", COMET, 27, 0),  # wire copy
    (3, "es", "Huelga de trenes entre Alemania y Francia", STRIKE, 26, None),
    (2, "de", "Bahnstreik in Köln legt Pendler lahm", STRIKE, 25, None),
    (0, "en", "Rail strike strands commuters in Cologne", STRIKE, 24.5, None),
    (1, "en", "Cologne rail strike: trains cancelled", STRIKE, 24.2, None),
    (4, "en", "Strike hits Cologne rail hub", STRIKE, 23.8, None),
]
TEXT = "Officials said the capsule landed safely and crews recovered it within hours of the landing."


def add_reports(store: Store) -> list[str]:
    """Five sources, a comet story (en, de; one wire copy) and a five-source strike story (en, de, es)."""
    ids: list[str] = []
    with transaction(store.sessions) as session:
        sources = [
            add_source(
                session,
                SourceSpec(feed_url=f"https://{n}.example/feed", name=n.title(), country=c, language=lang),
            )[0]
            for n, c, lang in SOURCES
        ]
        session.add_all(
            [
                Story(id=COMET, title=REPORTS[0][2], last_seen_at=NOW, first_seen_at=NOW),
                Story(id=STRIKE, title=REPORTS[6][2], last_seen_at=NOW, first_seen_at=NOW),
            ]
        )
        tags = [
            Tag(slug="cologne", name="Cologne", kind="place"),
            Tag(slug="strike", name="Strike", kind="topic"),
        ]
        session.add_all(tags)
        session.flush()
        for n, (source, lang, title, story, hours, copy_of) in enumerate(REPORTS):
            article, _ = save_article(
                session,
                ArticleRecord(
                    source_id=sources[source].id,
                    url=f"https://x.example/{n}",
                    canonical_url=f"https://x.example/{n}",
                    title=title,
                    blocks=[{"kind": "p", "text": f"{title}. {TEXT}"}],
                    language=lang,
                    published_at=NOW - timedelta(hours=hours),
                    category_slug="science" if story == COMET else "world",
                ),
            )
            article.story_id = story
            article.duplicate_of = ids[copy_of] if copy_of is not None else None
            ids.append(article.id)
            if story == STRIKE:
                session.add_all(ArticleTag(article_id=article.id, tag_id=t.id) for t in tags)
        session.flush()
        refresh_story(session, COMET)
        refresh_story(session, STRIKE)
    return ids


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store, list[str]]]:
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    ids = add_reports(store)
    yield TestClient(create_app(Settings(), store), follow_redirects=False), store, ids
    store.close()


def page(client: TestClient, path: str) -> lxml.html.HtmlElement:
    response = client.get(path)
    assert response.status_code == 200, path
    return lxml.html.fromstring(response.text)


def test_accept_language_headers_choose_the_site_language() -> None:
    assert accepted_languages("de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7") == ["de", "de", "en", "en"]
    assert accepted_languages("en;q=0.2, es-MX;q=0.9, fr;q=0") == ["es", "en"]
    assert preferred_language(None, "de-AT,de;q=0.9") == "de"
    assert preferred_language(None, "fr-FR,fr;q=0.9,es;q=0.5") == "es"  # the first the site has
    assert preferred_language(None, "fr-FR,ja") == "en"
    assert preferred_language(None, "") == "en"
    assert preferred_language("es", "de-DE") == "es"  # the reader's own choice wins
    assert preferred_language("xx", "de-DE") == "de"


def test_the_root_redirects_a_german_browser_and_remembers_a_choice(
    site: tuple[TestClient, Store, list[str]],
) -> None:
    client = site[0]
    german = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"})
    assert german.status_code == 302 and german.headers["location"] == "/de/"
    assert "Accept-Language" in german.headers["vary"] and "private" in german.headers["cache-control"]
    assert client.get("/").headers["location"] == "/en/"
    client.cookies.set("newsdesk_lang", "es")
    assert client.get("/", headers={"Accept-Language": "de"}).headers["location"] == "/es/"


def test_the_comet_story_is_told_in_german_on_de(site: tuple[TestClient, Store, list[str]]) -> None:
    """Issue 17: "the comet story in the German interface is 'Capsule carrying comet dust…'"."""
    client = site[0]
    [h1] = page(client, f"/de/story/{COMET}").xpath("//h1")
    assert h1.text_content() == "Kometenstaub sicher in Australien gelandet" and not h1.xpath(".//*[@lang]")
    api = client.get(f"/api/v1/stories/{COMET}", params={"lang": "de"}).json()
    assert api["story"]["title"] == "Kometenstaub sicher in Australien gelandet"
    [top] = [
        s for s in page(client, "/de/").xpath("//article[@class='top-story']") if "Komet" in s.text_content()
    ]
    assert top.xpath(".//h3/a")[0].text_content() == "Kometenstaub sicher in Australien gelandet"


def test_a_story_without_a_report_in_the_readers_language_is_marked(
    site: tuple[TestClient, Store, list[str]],
) -> None:
    [h1] = page(site[0], f"/es/story/{COMET}").xpath("//h1")
    [title] = h1.xpath("./span[@lang='en']")
    assert title.text_content() == REPORTS[0][2]
    assert h1.xpath(".//abbr[@class='lang-mark']")[0].text_content() == "EN"
    assert h1.xpath(".//abbr[@class='lang-mark']/@title") == ["inglés"]


def test_german_readers_see_german_hashtags(site: tuple[TestClient, Store, list[str]]) -> None:
    """Issue 17: "German articles get English hashtags (#Cologne, #Strike)"."""
    client = site[0]
    tags = page(client, f"/de/story/{STRIKE}").xpath("//p[@class='tags']/a/text()")
    assert sorted(tags) == ["#Köln", "#Streik"]
    assert sorted(page(client, f"/es/story/{STRIKE}").xpath("//p[@class='tags']/a/text()")) == [
        "#Colonia",
        "#Huelga",
    ]
    heading = page(client, "/de/hashtag/cologne").xpath("//h1")[0].text_content()
    assert "#Köln" in heading and "Cologne" not in heading
    assert client.get("/api/v1/hashtags/strike").json()["tag"]["name"] == "Strike"


def test_a_wire_copy_is_listed_once_with_the_papers_that_printed_it(
    site: tuple[TestClient, Store, list[str]],
) -> None:
    """Issue 17: "a wire copy printed by two papers is listed twice in Health and in Latest news"."""
    client, _, ids = site
    for path in ("/en/", "/en/category/science", "/en/edition/us"):
        listed = "//section[@class='latest' or @class='listing']//*[contains(@class, 'card')]"
        cards = page(client, path).xpath(listed)  # article cards, or the home page's compact headlines
        titles = [c.xpath(".//a")[0].text_content() for c in cards]
        assert titles.count(REPORTS[0][2]) == 1, path
        [card] = [c for c in cards if c.xpath(".//a")[0].text_content() == REPORTS[0][2]]
        assert card.xpath(".//p[@class='also-published']/a/text()") == ["Ledger"], path
        assert card.xpath(".//p[@class='also-published']/a/@href") == [f"/en/article/{ids[3]}"], path
    ledger = client.get("/api/v1/sources/ledger").json()["items"]  # the copying paper's own page lists it
    assert ids[3] in [i["id"] for i in ledger]
    items = client.get("/api/v1/articles", params={"limit": 100}).json()["items"]
    assert ids[3] not in [i["id"] for i in items]


def test_source_counts_agree_with_the_sources_listed(site: tuple[TestClient, Store, list[str]]) -> None:
    """Issue 17: "a top story says '5 sources' and links 3"."""
    client = site[0]
    [top] = [
        s for s in page(client, "/en/").xpath("//article[@class='top-story']") if "strike" in s.text_content()
    ]
    assert "5 sources" in top.xpath(".//p[@class='meta']")[0].text_content()
    links = top.xpath(".//li/a")
    assert len(links) == 4 and links[-1].text_content() == "+2 more sources"
    assert links[-1].get("href") == f"/en/story/{STRIKE}"
    assert len({link.xpath("../span[@class='meta']/text()")[0] for link in links[:3]}) == 3  # 3 sources
    stories = client.get("/api/v1/stories").json()["items"]
    strike = next(s for s in stories if s["id"] == STRIKE)
    assert strike["source_count"] == len(strike["articles"]) + strike["more_sources"] == 5
    assert strike["countries"] == ["DE", "ES", "GB", "SG", "US"] and strike["languages"] == ["de", "en", "es"]
    assert "DE, ES, GB, SG, US" in top.text_content()


def test_german_lists_offer_the_german_report_of_a_foreign_article(
    site: tuple[TestClient, Store, list[str]],
) -> None:
    client, _, ids = site
    cards = page(client, "/de/category/science").xpath("//article[contains(@class, 'card')]")
    english = next(c for c in cards if c.xpath(".//h3/a")[0].text_content() == REPORTS[2][2])
    assert english.xpath(".//h3/a/@lang") == ["en"] and english.xpath(".//abbr/text()") == ["EN"]
    assert english.xpath(".//p[@class='in-reader-language']/a/@href") == [f"/de/article/{ids[1]}"]
    assert english.xpath(".//p[@class='in-reader-language']")[0].text_content().startswith("Auf Deutsch:")


def add_night(store: Store, two_am: datetime) -> None:
    """The evening before ``two_am``: a five-source story (21:00-22:00 UTC); after midnight: a local item."""
    with transaction(store.sessions) as session:
        story = make_id("story:evening")
        session.add(Story(id=story, title="Evening ferry sinks in the Channel", last_seen_at=two_am))
        for n in range(6):
            source = n if n < 5 else 2
            when = two_am - timedelta(hours=5 - n * 0.2) if n < 5 else two_am - timedelta(minutes=40)
            article, _ = save_article(
                session,
                ArticleRecord(
                    source_id=source + 1,
                    url=f"https://night.example/{n}",
                    canonical_url=f"https://night.example/{n}",
                    title="Evening ferry sinks in the Channel" if n < 5 else "Stadtrat tagt am Montag",
                    blocks=[{"kind": "p", "text": TEXT}],
                    language="en" if n < 5 else "de",
                    published_at=when,
                ),
            )
            article.story_id = story if n < 5 else None
        session.flush()
        refresh_story(session, story)
        local = make_id("story:local")
        session.add(Story(id=local, title="Stadtrat tagt am Montag", last_seen_at=two_am))
        session.flush()
        article.story_id = local


def test_the_briefing_reads_the_last_24_hours(site: tuple[TestClient, Store, list[str]]) -> None:
    """Issue 17: "the daily briefing at 02:00 UTC showed three single-source local items and none of the
    previous day's five-source stories (a calendar day in UTC, not the last 24 hours)"."""
    store = site[1]
    two_am = (NOW - timedelta(days=4)).replace(hour=2, minute=0, second=0)
    add_night(store, two_am)
    with store.session() as session:
        token = current_language.set("de")
        try:
            briefing = briefing_context(session, now=two_am)
            calendar_day = briefing_context(session, day=two_am.date(), now=two_am)
        finally:
            current_language.reset(token)
    assert briefing["last_24_hours"] and briefing["date"] == two_am.date().isoformat()
    assert [(e["title"], e["source_count"]) for e in briefing["entries"]] == [
        ("Evening ferry sinks in the Channel", 5),
        ("Stadtrat tagt am Montag", 1),
    ]
    assert [e["title"] for e in calendar_day["entries"]] == ["Stadtrat tagt am Montag"]  # the UTC day
    yesterday = (two_am - timedelta(days=1)).date().isoformat()
    assert briefing["previous_url"] == f"/de/briefing/{yesterday}" and briefing["next_url"] is None
    assert calendar_day["next_url"] is None and calendar_day["day_url"] == f"/de/briefing/{two_am.date()}"


def test_briefing_day_pages_link_the_days_around_them(site: tuple[TestClient, Store, list[str]]) -> None:
    client = site[0]
    day = (NOW - timedelta(days=3)).date()
    document = page(client, f"/es/briefing/{day.isoformat()}?edition=de")
    assert document.xpath("//a[@rel='prev']/@href") == [
        f"/es/briefing/{(day - timedelta(days=1))}?edition=de"
    ]
    assert document.xpath("//a[@rel='next']/@href") == [
        f"/es/briefing/{(day + timedelta(days=1))}?edition=de"
    ]
    assert "Resumen del día: " + day.isoformat() in document.xpath("//h1")[0].text_content()
    latest = page(client, "/es/briefing")
    assert "las últimas 24 horas" in latest.xpath("//h1")[0].text_content()
    for href in latest.xpath("//nav[@class='briefing-days']/a/@href"):
        assert client.get(href).status_code == 200, href


def test_validation_errors_are_told_in_the_readers_language(
    site: tuple[TestClient, Store, list[str]],
) -> None:
    """Issue 17: error pages show developer text ("query.since: Input should be a valid date…")."""
    client = site[0]
    german = client.get("/de/search?q=x&since=2026-13-45")
    assert german.status_code == 422 and "since: bitte ein Datum im Format JJJJ-MM-TT angeben." in german.text
    spanish = client.get("/es/search?q=x&source=abc&page=9000")
    assert "source: indique un número entero." in spanish.text
    assert "page: este valor está fuera del intervalo que admite esta página." in spanish.text
    assert "Input should be" not in german.text + spanish.text
    assert "Diese Seite haben wir nicht gefunden." in client.get("/de/nothing/here").text
    assert "query.since" in client.get("/api/v1/search?q=x&since=2026-13-45").json()["error"]["message"]


def test_spanish_plurals_are_spanish(site: tuple[TestClient, Store, list[str]]) -> None:
    """Spanish has three plural forms (one, many, other): "5 sources" showed in English on /es/."""
    [top] = [
        s
        for s in page(site[0], "/es/").xpath("//article[@class='top-story']")
        if "Huelga" in s.text_content()
    ]
    assert "5 fuentes" in top.text_content() and "+2 fuentes más" in top.text_content()
    assert "sources" not in top.text_content()
