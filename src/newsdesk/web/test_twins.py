"""Every reader page's JSON twin, at `<page>.json` and for `Accept: application/json`, from its model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import select

from newsdesk.enrich.facts import extract_facts
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.community import create_user
from newsdesk.store.ids import make_id
from newsdesk.store.models import ArticleTag, Story, Tag, User, utcnow
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.store.stories import refresh_story
from newsdesk.testing.accounts import PASSWORD, login, token
from newsdesk.web.app import create_app
from newsdesk.web.pages.answer_models import AskPage, BriefingPage, SearchPage
from newsdesk.web.pages.listing_models import (
    BookmarksPage,
    CategoryPage,
    EditionPage,
    FollowingPage,
    HashtagPage,
    HomePage,
    SourcePage,
)
from newsdesk.web.pages.models import ArticlePage, StoryPage
from newsdesk.web.pages.respond import prefers_json

STORY = make_id("story:harbour")
TITLES = ["Harbour bridge reopens", "Hafenbrücke wieder offen", "Harbour bridge toll rises", "Storm warning"]
FACTS = "The bridge carries 40,000 cars a day."
JSON_ACCEPT = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder: Path = tmp_path_factory.mktemp("twins")
    store = open_store(f"sqlite:///{folder / 'twins.db'}")
    now = utcnow()
    with transaction(store.sessions) as session:
        gazette = add_source(
            session, SourceSpec(feed_url="https://gazette.example/feed", name="The Gazette", country="GB")
        )[0]
        blatt = add_source(
            session,
            SourceSpec(feed_url="https://blatt.example/feed", name="Das Blatt", country="DE", language="de"),
        )[0]
        session.add(
            Story(id=STORY, title=TITLES[0], first_seen_at=now - timedelta(hours=4), last_seen_at=now)
        )
        tag = Tag(slug="harbour", name="Harbour", kind="place")
        session.add(tag)
        session.flush()
        for n, title in enumerate(TITLES):
            source = blatt if n == 1 else gazette
            article, _ = save_article(
                session,
                ArticleRecord(
                    source_id=source.id,
                    url=f"https://x.example/{n}",
                    canonical_url=f"https://x.example/{n}",
                    title=title,
                    blocks=[{"kind": "p", "text": f"{title}. {FACTS}"}],
                    language="de" if n == 1 else "en",
                    published_at=now - timedelta(hours=4 - n),
                    category_slug="world",
                ),
            )
            article.facts = [asdict(f) for f in extract_facts(FACTS, "en")]
            if n < 3:
                article.story_id = STORY
                session.add(ArticleTag(article_id=article.id, tag_id=tag.id))
        session.flush()
        refresh_story(session, STORY)
        for name in ["reader", "other"]:
            create_user(session, name, PASSWORD).email = f"{name}@example.org"
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(Settings(), store))


def article_id(client: TestClient, title: str) -> str:
    items = client.get("/api/v1/articles").json()["items"]
    return str(next(i["id"] for i in items if i["title"] == title))


def twin(client: TestClient, page: str, model: type[BaseModel], **kwargs: Any) -> dict[str, Any]:
    """The page's twin at <page>.json and for Accept: application/json, checked against its model."""
    path, _, query = page.partition("?")
    json_path = ("/en/index" if path == "/en/" else path) + ".json" + (f"?{query}" if query else "")
    by_suffix = client.get(json_path, **kwargs)
    by_accept = client.get(page, headers=JSON_ACCEPT, **kwargs)
    for response in (by_suffix, by_accept):
        assert response.status_code == 200, (page, response.text)
        assert response.headers["content-type"] == "application/json"
        model.model_validate(response.json())
    assert by_accept.headers["vary"].startswith("Accept")
    volatile = {"since", "until"}  # the briefing's window ends at the time of the request
    assert {k: v for k, v in by_suffix.json().items() if k not in volatile} == {
        k: v for k, v in by_accept.json().items() if k not in volatile
    }
    body: dict[str, Any] = by_suffix.json()
    return body


def page_text(client: TestClient, page: str) -> tuple[str, set[str]]:
    """What the HTML page shows: its text and the links it prints."""
    response = client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    tree = lxml.html.fromstring(response.text)
    return tree.text_content(), {str(a.get("href")) for a in tree.iter("a")}


def shows(client: TestClient, page: str, titles: list[str], urls: list[str]) -> None:
    """The HTML page shows every headline and links every item its twin lists."""
    text, links = page_text(client, page)
    assert titles and all(t in text for t in titles), (page, titles)
    assert set(urls) <= links, (page, set(urls) - links)


def test_listing_twins_hold_what_their_pages_show(client: TestClient) -> None:
    listings: list[tuple[str, type[BaseModel]]] = [
        ("/en/category/world", CategoryPage),
        ("/en/hashtag/harbour", HashtagPage),
        ("/en/edition/gb", EditionPage),
        ("/en/source/the-gazette", SourcePage),
    ]
    for page, model in listings:
        body = twin(client, page, model)
        items = body["items"]
        assert items and body["kind"] == page.split("/")[2]
        shows(client, page, [i["title"] for i in items], [i["url"] for i in items])
    assert {i["title"] for i in twin(client, "/en/edition/de", EditionPage)["items"]} == {TITLES[1]}
    assert "feed_url" not in twin(client, "/en/source/the-gazette", SourcePage)["source"]


def test_home_article_and_story_twins(client: TestClient) -> None:
    home = twin(client, "/en/", HomePage)
    assert [s["id"] for s in home["top_stories"]] == [STORY]
    shows(client, "/en/", [a["title"] for a in home["articles"]], [a["url"] for a in home["articles"]])
    article = twin(client, f"/en/article/{article_id(client, TITLES[0])}", ArticlePage)["article"]
    assert article["title"] == TITLES[0] and article["story_id"] == STORY
    assert article["tags"][0]["slug"] == "harbour" and article["ai"]["key_facts"]
    shows(client, article["url"], [article["title"]], [t["url"] for t in article["tags"]])
    story = twin(client, f"/en/story/{STORY}", StoryPage)
    assert story["story"]["source_count"] == 2 and len(story["timeline"]) == 3
    shows(client, f"/en/story/{STORY}", [e["title"] for e in story["timeline"]], [story["tags"][0]["url"]])
    german = twin(client, f"/de/story/{STORY}", StoryPage)
    assert german["story"]["title"] == TITLES[1]  # the twin speaks its page's language too


def test_search_ask_and_briefing_twins_take_the_page_parameters(client: TestClient) -> None:
    found = twin(client, "/en/search?q=bridge", SearchPage)
    assert found["query"] == "bridge" and found["items"]
    shows(client, "/en/search?q=bridge", [g["lead"]["title"] for g in found["groups"]], [])
    filtered = twin(client, "/en/search?q=bridge&language=de", SearchPage)
    assert filtered["filters"]["language"] == "de"
    assert {i["title"] for i in filtered["items"]} <= {TITLES[1]}
    assert twin(client, "/en/ask", AskPage)["question"] == ""
    answer = twin(client, "/en/ask?q=How+many+cars+does+the+bridge+carry", AskPage)
    assert answer["question"].startswith("How many cars")
    briefing = twin(client, "/en/briefing", BriefingPage)
    assert briefing["last_24_hours"] and [e["title"] for e in briefing["entries"]] == [TITLES[0]]
    shows(client, "/en/briefing", [TITLES[0]], [briefing["entries"][0]["url"]])
    day = briefing["date"]
    assert twin(client, f"/en/briefing/{day}", BriefingPage)["date"] == day


def test_paging_parameters_work_on_the_twin(client: TestClient) -> None:
    first = twin(client, "/en/category/world?cursor=", CategoryPage)
    assert len(first["items"]) == len(TITLES) and first["next_cursor"] is None
    bad = client.get("/en/category/world.json", params={"cursor": "not-ours"})
    assert bad.status_code == 400 and bad.json()["error"]["status"] == 400


def test_unknown_ids_give_a_json_404(client: TestClient) -> None:
    for page in [
        "/en/article/" + "0" * 32,
        "/en/story/" + "0" * 32,
        "/en/hashtag/nowhere",
        "/en/category/nowhere",
        "/en/edition/zz",
        "/en/source/nowhere",
    ]:
        for response in (client.get(page + ".json"), client.get(page, headers=JSON_ACCEPT)):
            assert response.status_code == 404 and response.headers["content-type"] == "application/json"
            assert response.json()["error"]["status"] == 404
        assert "<html" in client.get(page).text  # the page itself keeps its error page
    assert client.get("/xx/category/world.json").json()["error"]["status"] == 404


def test_a_readers_own_twins_need_their_session_and_show_only_their_data(store: Store) -> None:
    anonymous = TestClient(create_app(Settings(), store))
    for page in ["/en/following", "/en/bookmarks"]:
        assert anonymous.get(page + ".json").status_code == 401
        assert anonymous.get(page, headers=JSON_ACCEPT).json()["error"]["status"] == 401
        assert anonymous.get(page, follow_redirects=False).status_code == 303  # the page: to the log-in
    reader, other = TestClient(create_app(Settings(), store)), TestClient(create_app(Settings(), store))
    login(reader, "reader")
    login(other, "other")
    article = article_id(reader, TITLES[3])
    reader.post(f"/en/article/{article}/bookmark", data={"csrf": token(reader, f"/en/article/{article}")})
    reader.post("/en/follow", data={"kind": "tag", "target": "harbour", "csrf": token(reader, "/en/")})
    following = reader.get("/en/following.json")
    assert following.headers["cache-control"] == "private, no-store"
    assert [f["target"] for f in twin(reader, "/en/following", FollowingPage)["followed"]] == ["harbour"]
    assert [i["id"] for i in twin(reader, "/en/bookmarks", BookmarksPage)["items"]] == [article]
    assert twin(other, "/en/following", FollowingPage)["followed"] == []
    assert twin(other, "/en/bookmarks", BookmarksPage)["items"] == []
    home = twin(reader, "/en/", HomePage)
    assert home["top_stories"][0]["followed"] is True
    assert twin(other, "/en/", HomePage)["top_stories"][0]["followed"] is False
    assert twin(anonymous, "/en/", HomePage)["top_stories"][0]["followed"] is False
    twins = " ".join(reader.get(f"/en/{p}.json").text for p in ["following", "bookmarks", "index"])
    with store.session() as session:
        secrets = [
            secret for user in session.scalars(select(User)) for secret in (user.password_hash, user.email)
        ]
    assert not [secret for secret in secrets if secret in twins]
    assert "csrf" not in twins and "password" not in twins


def test_the_api_documents_every_twin_with_its_schema(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    pages = {path: ops["get"] for path, ops in paths.items() if "pages" in ops.get("get", {}).get("tags", [])}
    twins = {path: operation for path, operation in pages.items() if path.endswith(".json")}
    assert set(twins) >= {
        "/{lang}/index.json",
        "/{lang}/article/{article_id}.json",
        "/{lang}/story/{story_id}.json",
        "/{lang}/category/{slug}.json",
        "/{lang}/hashtag/{slug}.json",
        "/{lang}/edition/{code}.json",
        "/{lang}/source/{slug}.json",
        "/{lang}/search.json",
        "/{lang}/ask.json",
        "/{lang}/briefing.json",
        "/{lang}/briefing/{day}.json",
        "/{lang}/following.json",
        "/{lang}/bookmarks.json",
    }
    for operation in twins.values():
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].startswith("#/components/schemas/")


def test_only_an_accept_header_that_ranks_json_first_asks_for_the_twin() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert not prefers_json(browser) and not prefers_json("*/*") and not prefers_json("")
    assert prefers_json("application/json") and prefers_json("application/json, text/plain, */*")
    assert prefers_json("text/html;q=0.5, application/json") and not prefers_json(
        "application/json;q=x, text/html"
    )
