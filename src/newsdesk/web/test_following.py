"""The following page (issue 18): what the reader follows with unfollow forms, and followed stories marked
when they have new reports since the reader's last visit; comment times, relative with the full time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.models import Follow, Source, Story, Tag, utcnow
from newsdesk.store.stories import refresh_story
from newsdesk.testing.accounts import article_id, comment, register, seeded_store, token
from newsdesk.web.app import create_app

STORY = "c" * 32


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    the_store = seeded_store(f"sqlite:///{tmp_path / 'web.db'}")
    now = utcnow()
    with transaction(the_store.sessions) as session:
        session.add(Story(id=STORY, title="Ferry strike", first_seen_at=now, last_seen_at=now))
        session.add(Tag(slug="ferries", name="Ferries", kind="topic"))
    add_report(the_store, 0)
    yield the_store
    the_store.close()


def add_report(store: Store, n: int) -> None:
    """Report number ``n`` of the followed story, first seen now."""
    with transaction(store.sessions) as session:
        source = session.scalars(select(Source)).one()
        record = ArticleRecord(
            source_id=source.id,
            url=f"https://gazette.example/strike{n}",
            canonical_url=f"https://gazette.example/strike{n}",
            title=f"Ferry strike, day {n + 1}",
            blocks=[{"kind": "p", "text": f"Day {n + 1} of the ferry strike."}],
            published_at=utcnow() - timedelta(minutes=5),
        )
        article, _ = save_article(session, record)
        article.story_id = STORY
        session.flush()
        refresh_story(session, STORY)


@pytest.fixture
def reader(store: Store) -> TestClient:
    client = TestClient(create_app(Settings(), store), follow_redirects=False)
    assert register(client) == 303
    return client


def follow(client: TestClient, kind: str, target: str, action: str = "") -> int:
    data = {"kind": kind, "target": target, "csrf": token(client, "/en/following"), "action": action}
    return int(client.post("/en/follow", data=data).status_code)


def followed_items(client: TestClient) -> list[lxml.html.HtmlElement]:
    page = lxml.html.fromstring(client.get("/en/following").text)
    return list(page.xpath("//ul[@class='follows']/li"))


def test_the_following_page_lists_what_the_reader_follows_by_name(reader: TestClient) -> None:
    for kind, target in [
        ("story", STORY),
        ("source", "the-gazette"),
        ("category", "world"),
        ("tag", "ferries"),
    ]:
        assert follow(reader, kind, target, "follow") == 303
    items = followed_items(reader)
    links = [(i.xpath(".//a")[0].text_content(), i.xpath(".//a")[0].get("href")) for i in items]
    assert links == [
        ("Ferry strike", f"/en/story/{STORY}"),
        ("The Gazette", "/en/source/the-gazette"),
        ("World", "/en/category/world"),
        ("#Ferries", "/en/hashtag/ferries"),
    ]
    for _name, href in links:
        assert reader.get(href).status_code == 200, href
    # the articles of what is followed stay below the list
    assert "Harbour bridge reopens" in reader.get("/en/following").text


def test_unfollow_buttons_are_plain_forms_that_do_what_they_say(reader: TestClient, store: Store) -> None:
    follow(reader, "source", "the-gazette", "follow")
    follow(reader, "source", "the-gazette", "follow")  # a second click changes nothing
    [item] = followed_items(reader)
    form = item.xpath(".//form")[0]
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
    assert form.get("method") == "post" and form.get("action") == "/en/follow"
    assert fields["action"] == "unfollow" and fields["target"] == "the-gazette"
    assert form.xpath(".//button")[0].text_content() == "Unfollow The Gazette"
    for _ in range(2):  # the form sent twice (a double click, a reload) leaves it unfollowed
        assert reader.post("/en/follow", data=fields).status_code == 303
    with store.session() as session:
        assert session.scalars(select(Follow)).all() == []
    assert followed_items(reader) == []
    assert "You follow nothing yet" in reader.get("/en/following").text


def new_reports_mark(client: TestClient) -> str:
    [item] = followed_items(client)
    marks = item.xpath(".//span[@class='new-reports']")
    return str(marks[0].text_content()) if marks else ""


def test_a_followed_story_is_marked_when_it_has_new_reports_since_the_last_visit(
    reader: TestClient, store: Store
) -> None:
    assert follow(reader, "story", STORY, "follow") == 303
    assert new_reports_mark(reader) == ""  # what was there when the reader followed it is not new
    add_report(store, 1)
    add_report(store, 2)
    assert new_reports_mark(reader) == "2 new reports since your last visit"
    assert new_reports_mark(reader) == "2 new reports since your last visit"  # the list itself clears nothing
    assert reader.get(f"/en/story/{STORY}").status_code == 200  # the visit
    assert new_reports_mark(reader) == ""
    add_report(store, 3)
    assert new_reports_mark(reader) == "1 new report since your last visit"
    german = lxml.html.fromstring(reader.get("/de/following").text)
    assert (
        german.xpath("//span[@class='new-reports']")[0].text_content()
        == "1 neue Meldung seit Ihrem letzten Besuch"
    )


def test_another_readers_visit_clears_nothing(reader: TestClient, store: Store) -> None:
    follow(reader, "story", STORY, "follow")
    add_report(store, 1)
    other = TestClient(reader.app, follow_redirects=False)
    assert register(other, "other-reader") == 303
    assert other.get(f"/en/story/{STORY}").status_code == 200
    assert TestClient(reader.app).get(f"/en/story/{STORY}").status_code == 200
    assert new_reports_mark(reader) == "1 new report since your last visit"


def test_the_following_page_asks_for_a_log_in(store: Store) -> None:
    anonymous = TestClient(create_app(Settings(), store), follow_redirects=False)
    response = anonymous.get("/en/following")
    assert response.status_code == 303 and response.headers["location"].startswith("/en/login")


def test_comments_show_their_time_relative_with_the_full_time_on_hover(
    reader: TestClient, store: Store
) -> None:
    aid = article_id(store)
    assert comment(reader, aid, "Good to have the bridge back.").status_code == 303
    page = lxml.html.fromstring(reader.get(f"/en/article/{aid}").text)
    [when] = page.xpath("//article[@class='comment']//time")
    assert when.text_content() in ("just now", "1 minute ago")
    assert when.get("datetime").endswith("Z") and when.get("title").endswith("UTC")
