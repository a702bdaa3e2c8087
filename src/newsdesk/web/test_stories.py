"""Story, hashtag and top-story pages, and the story parts of the article page, on a store with stories."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import feedparser
import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.enrich.facts import extract_facts
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.ids import make_id
from newsdesk.store.models import ArticleTag, Story, Tag, utcnow
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.store.stories import refresh_story
from newsdesk.web.app import create_app

STORY = make_id("story:floods")
REPORTED = [  # three sources agree on one figure, in two languages; two give different death tolls
    ("en", "About 2,200 people were evacuated. The floods killed 9 people."),
    ("en", "About 2,200 people were evacuated. The floods killed 12 people."),
    ("de", "Rund 2.200 Menschen wurden evakuiert."),
]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store: Store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    now = utcnow()
    with transaction(store.sessions) as session:
        sources = [
            add_source(
                session,
                SourceSpec(feed_url=f"https://{n}.example/feed", name=n.title(), country=c, language=lang),
            )[0]
            for n, c, lang in [
                ("courier", "US", "en"),
                ("ledger", "GB", "en"),
                ("blick", "DE", "de"),
                ("faro", "ES", "es"),
            ]
        ]
        session.add(
            Story(
                id=STORY,
                title="Floods in Valmora",
                first_seen_at=now - timedelta(hours=5),
                last_seen_at=now - timedelta(hours=1),
            )
        )
        tags = [
            Tag(slug="valmora", name="Valmora", kind="place"),
            Tag(slug="portugal", name="Portugal", kind="place"),
        ]
        session.add_all(tags)
        session.flush()
        ids = []
        for n, (source, lang, title) in enumerate(
            [
                (sources[0], "en", "Floods kill nine in Valmora"),
                (sources[1], "en", "Valmora flood toll rises to 12"),
                (sources[2], "de", "Hochwasser in Valmora"),
                (sources[3], "es", "Inundaciones en Valmora"),
                (sources[0], "en", "Portugal wildfire season begins"),
            ]
        ):
            article, _ = save_article(
                session,
                ArticleRecord(
                    source_id=source.id,
                    url=f"https://x.example/{n}",
                    canonical_url=f"https://x.example/{n}",
                    title=title,
                    blocks=[{"kind": "p", "text": f"{title}. Report number {n}."}],
                    language=lang,
                    published_at=now - timedelta(hours=5 - n),
                    category_slug="world",
                ),
            )
            ids.append(article.id)
            if n < 4:
                article.story_id = STORY
            if n < len(REPORTED):
                article.facts = [asdict(f) for f in extract_facts(REPORTED[n][1], REPORTED[n][0])]
            for tag in tags if n < 4 else tags[1:]:
                session.add(ArticleTag(article_id=article.id, tag_id=tag.id))
        session.flush()
        refresh_story(session, STORY)
    yield TestClient(create_app(Settings(), store))
    store.close()


def headline(client: TestClient, path: str) -> tuple[str, str | None]:
    """A story page's headline and the language it is marked with (None when it is the page's)."""
    [title] = lxml.html.fromstring(client.get(path).text).xpath("//h1")
    marked = title.xpath("./span[@lang]")
    return (marked[0].text_content(), marked[0].get("lang")) if marked else (title.text_content(), None)


def test_story_page_and_twin(client: TestClient) -> None:
    twin = client.get(f"/api/v1/stories/{STORY}").json()
    assert twin["story"]["source_count"] == 4 and twin["story"]["languages"] == ["de", "en", "es"]
    assert next(i["title"] for i in twin["timeline"]) == "Floods kill nine in Valmora"
    page = client.get(f"/en/story/{STORY}")
    assert page.status_code == 200 and "How the story developed" in page.text and "#Valmora" in page.text
    assert headline(client, f"/en/story/{STORY}") == ("Floods in Valmora", None)  # most reports' language
    assert headline(client, f"/de/story/{STORY}") == ("Hochwasser in Valmora", None)
    assert headline(client, f"/es/story/{STORY}") == ("Inundaciones en Valmora", None)
    assert client.get("/en/story/" + "0" * 32).status_code == 404
    feed = feedparser.parse(client.get(f"/feeds/story/{STORY}.atom").content)
    assert feed.bozo == 0 and len(feed.entries) == 4


def test_story_shows_the_figures_its_sources_agree_and_disagree_on(client: TestClient) -> None:
    ai = client.get(f"/api/v1/stories/{STORY}").json()["ai"]
    [differ] = ai["disagreements"]
    assert differ["kind"] == "changed_over_time" and [v["value"] for v in differ["values"]] == ["9", "12"]
    [shared] = ai["key_facts"]
    assert (shared["value"], shared["what"]) == ("2,200", "people evacuated")
    assert [s["source"] for s in shared["sources"]] == ["Courier", "Ledger", "Blick"]
    assert shared["sources"][2]["value"] == "2.200"
    page = client.get(f"/en/story/{STORY}").text
    assert "Key facts" in page and "<strong>2,200</strong> people evacuated" in page and "3 sources" in page
    # the toll that grew is shown once, as a figure over time, not again as a difference between sources
    assert "Figures over time" in page and ">12</a>" in page and "Where the sources differ" not in page


def test_home_ranks_top_stories_by_sources(client: TestClient) -> None:
    top = client.get("/api/v1/stories").json()["items"]
    assert top[0]["id"] == STORY and top[0]["source_count"] == 4
    assert "Top stories" in client.get("/").text


def test_article_page_shows_other_sources_and_tags_and_no_padding(client: TestClient) -> None:
    items = client.get("/api/v1/articles", params={"limit": 10}).json()["items"]
    first = next(i for i in items if i["title"] == "Floods kill nine in Valmora")
    detail = client.get(f"/api/v1/articles/{first['id']}").json()["article"]
    assert {c["source"]["name"] for c in detail["also_covered_by"]} == {"Ledger", "Blick", "Faro"}
    assert [t["name"] for t in detail["tags"]] == ["Portugal", "Valmora"] or {
        t["name"] for t in detail["tags"]
    } == {"Portugal", "Valmora"}
    # The same paper's wildfire report shares one tag (the country) only: nothing rather than padding.
    assert detail["related"] == []
    assert detail["share_url"] == f"/en/story/{STORY}"
    page = client.get(first["url"]).text
    assert "Also covered by" in page and 'href="/en/hashtag/valmora"' in page
    assert "Related articles" not in page


def test_hashtag_page(client: TestClient) -> None:
    page = client.get("/en/hashtag/portugal")
    assert page.status_code == 200 and "Latest news with #Portugal" in page.text
    assert len(client.get("/api/v1/hashtags/portugal").json()["items"]) == 5
    assert client.get("/en/hashtag/nothing-here").status_code == 404
    assert feedparser.parse(client.get("/feeds/hashtag/valmora.rss").content).bozo == 0


def test_daily_briefing_ranks_the_day_by_sources(client: TestClient) -> None:
    timeline = client.get(f"/api/v1/stories/{STORY}").json()["timeline"]
    day = timeline[-1]["published_at"][:10]
    briefing = client.get("/api/v1/briefing", params={"date": day}).json()
    assert briefing["entries"][0]["title"] == "Floods in Valmora"
    assert briefing["entries"][0]["source_count"] >= 1 and briefing["entries"][0]["sources"]
    # the figure three sources agree on first, then the first report's own
    assert briefing["entries"][0]["facts"] == ["2,200 people evacuated", "9 people killed"]
    page = client.get("/de/briefing", params={"date": day})
    assert page.status_code == 200 and "Tagesüberblick" in page.text
    empty = client.get("/api/v1/briefing", params={"date": "2001-01-01"}).json()
    assert empty["entries"] == []
