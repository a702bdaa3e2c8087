"""The demo site in the reader's language: every story headline in German and Spanish when a report in it
exists, hashtags named in the reader's language, and no list showing a wire copy twice."""

from __future__ import annotations

import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from newsdesk.ai.lang import base_language
from newsdesk.enrich.facts import counts_in, with_count
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store.models import Article, Story
from newsdesk.web.app import create_app


@pytest.fixture(scope="module")
def site(demo_site_store: Store) -> TestClient:
    return TestClient(create_app(Settings(), demo_site_store))


def story_reports(store: Store) -> dict[str, list[tuple[str, str]]]:
    """Every story of the demo with its reports' (language, title), copies left out."""
    with store.session() as session:
        stories = session.scalars(select(Story.id).where(Story.merged_into.is_(None))).all()
        rows = session.execute(
            select(Article.story_id, Article.language, Article.title).where(
                Article.story_id.in_(stories), Article.duplicate_of.is_(None)
            )
        ).all()
    found: dict[str, list[tuple[str, str]]] = {}
    for story_id, language, title in rows:
        found.setdefault(story_id, []).append((base_language(language), title))
    return found


@pytest.mark.parametrize("lang", ["de", "es"])
def test_every_story_has_a_headline_in_the_readers_language_when_a_report_is(
    site: TestClient, demo_site_store: Store, lang: str
) -> None:
    reports = story_reports(demo_site_store)
    local = {story: [t for code, t in titles if code == lang] for story, titles in reports.items()}
    assert sum(1 for titles in local.values() if titles) >= 10  # the demo's stories in several languages
    wrong = []
    for story_id in reports:
        [h1] = lxml.html.fromstring(site.get(f"/{lang}/story/{story_id}").text).xpath("//h1")
        marked = h1.xpath(".//abbr[@class='lang-mark']")
        latest = latest_counts(site, story_id)
        if local[story_id] and (
            not is_report_title(h1.text_content(), local[story_id], latest, lang) or marked
        ):
            wrong.append(f"{story_id}: {h1.text_content()!r}, though {local[story_id][0]!r} is a report")
        if not local[story_id] and not marked:
            wrong.append(f"{story_id}: {h1.text_content()!r} is not marked with its language")
    assert wrong == []


def latest_counts(site: TestClient, story_id: str) -> list[float]:
    """The latest values of the running counts of a story that changed, as its page's twin gives them."""
    ai = site.get(f"/api/v1/stories/{story_id}").json()["ai"]
    return [t["latest"]["number"] for t in ai["timelines"] if t["changed"]]


def is_report_title(shown: str, titles: list[str], latest: list[float], language: str) -> bool:
    """Whether a headline is one of the reports' titles, or one with a count updated to a latest value."""
    return shown in titles or any(
        with_count(title, count, number, language) == shown
        for title in titles
        for count in counts_in(title, language)
        for number in latest
    )


@pytest.mark.parametrize(
    ("lang", "headline"),
    [
        ("de", "Sturzflut in Portugal: Mindestens 14 Tote in Valmora"),
        ("es", "El balance de muertos por las riadas de Valmora asciende a 14"),
        ("en", "Portugal flood death toll rises to 14 as search for missing goes on"),
    ],
)
def test_the_valmora_headline_gives_the_latest_toll_in_every_language(
    site: TestClient, lang: str, headline: str
) -> None:
    stories = site.get("/api/v1/stories", params={"limit": 50, "lang": lang}).json()["items"]
    [valmora] = [s for s in stories if "Valmora" in s["title"] or "Portugal" in s["title"]]
    page = lxml.html.fromstring(site.get(f"/{lang}/story/{valmora['id']}").text)
    assert page.xpath("string(//h1)").strip() == headline


def test_the_comet_story_reads_kometenstaub_in_german(site: TestClient) -> None:
    stories = site.get("/api/v1/stories", params={"limit": 50, "lang": "de"}).json()["items"]
    comet = next(s for s in stories if "Komet" in s["title"] or "comet" in s["title"].lower())
    assert comet["title"] == "Kometenstaub sicher in Australien gelandet" and comet["title_language"] == "de"


def test_german_pages_show_no_english_hashtags(site: TestClient, demo_site_store: Store) -> None:
    shown: set[str] = set()
    for story_id in story_reports(demo_site_store):
        page = lxml.html.fromstring(site.get(f"/de/story/{story_id}").text)
        shown |= {str(t) for t in page.xpath("//p[@class='tags']/a/text()")}
    assert "#Köln" in shown and "#Streik" in shown
    assert not shown & {"#Cologne", "#Strike", "#Germany", "#Vienna", "#Floods"}


def listed_ids(client: TestClient, path: str) -> list[str]:
    """The article ids a list page links, in the main list (the home page's category strips left out)."""
    page = lxml.html.fromstring(client.get(path).text)
    links = page.xpath(
        "//section[@class='latest' or @class='listing']/article[contains(@class,'card')]/h3/a/@href"
    )
    return [str(href).rsplit("/", 1)[-1] for href in links]


def test_no_list_shows_a_wire_copy_twice(site: TestClient, demo_site_store: Store) -> None:
    with demo_site_store.session() as session:
        rows = session.execute(
            select(Article.id, Article.duplicate_of).where(Article.duplicate_of.isnot(None))
        )
        copies = {article_id: original for article_id, original in rows}
    assert len(copies) >= 3  # the demo's wire copies
    categories = [c["slug"] for c in site.get("/api/v1/categories").json()["items"]]
    tags = site.get(f"/api/v1/stories/{site.get('/api/v1/stories').json()['items'][0]['id']}").json()["tags"]
    paths = ["/en/", *(f"/en/category/{c}" for c in categories), *(t["url"] for t in tags), "/en/edition/gb"]
    for path in paths:
        ids = listed_ids(site, path)
        twice = [i for i in ids if copies.get(i) in ids]
        assert twice == [] and len(ids) == len(set(ids)), path
