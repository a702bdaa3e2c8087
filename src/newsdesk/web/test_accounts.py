"""Accounts, comments, bookmarks, follows and admin pages, with the hostile cases of the catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.models import Comment, Source
from newsdesk.testing.accounts import PASSWORD, article_id, login, register, seeded_store, token
from newsdesk.web.app import create_app


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    the_store = seeded_store(f"sqlite:///{tmp_path / 'web.db'}")
    yield the_store
    the_store.close()


@pytest.fixture
def app_client(store: Store) -> TestClient:
    return TestClient(create_app(Settings(), store), follow_redirects=False)


def test_register_comment_and_escaping(app_client: TestClient, store: Store) -> None:
    assert register(app_client) == 303
    aid = article_id(store)
    csrf = token(app_client, f"/en/article/{aid}")
    hostile = "<img src=x onerror=alert(1)>\u202e evil\x00 [x](javascript:alert(1))"
    response = app_client.post(f"/en/article/{aid}/comments", data={"body": hostile, "csrf": csrf})
    assert response.status_code == 303
    page = app_client.get(f"/en/article/{aid}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert "\u202e" not in page and "\x00" not in page
    assert 'href="javascript:' not in page


def test_forms_without_the_token_change_nothing(app_client: TestClient, store: Store) -> None:
    assert register(app_client) == 303
    aid = article_id(store)
    for body in ({"body": "hello"}, {"body": "hello", "csrf": "forged"}):
        assert app_client.post(f"/en/article/{aid}/comments", data=body).status_code == 403
    with store.session() as session:
        assert session.query(Comment).count() == 0
    assert app_client.get("/en/logout").status_code in (404, 405)  # no state change on GET
    fresh = TestClient(app_client.app, follow_redirects=False)
    assert fresh.post("/en/register", data={"username": "x" * 5, "password": PASSWORD}).status_code == 403


def test_login_failures_are_uniform_and_throttled(app_client: TestClient) -> None:
    unknown = login(app_client, "nobody", "wrong password")
    wrong = login(app_client, "editor", "wrong password")
    assert unknown.status_code == wrong.status_code == 401
    assert "do not match" in wrong.text
    statuses = [login(app_client, "editor", "wrong again").status_code for _ in range(6)]
    assert statuses[-1] == 429
    assert login(app_client, "editor").status_code == 429


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "%2F%2Fevil.example",
        "////evil.example",
        "https://evil.example/",
    ],
)
def test_login_redirects_only_to_this_site(app_client: TestClient, target: str) -> None:
    response = login(app_client, "editor", next_path=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/en/"


def test_usernames_are_normalised_and_unique(app_client: TestClient) -> None:
    assert register(app_client, "Alice") == 303
    other = TestClient(app_client.app, follow_redirects=False)
    for twin in ("ALICE", "ａｌｉｃｅ", " alice "):
        assert register(other, twin) == 400
    for bad in ("al", "al\u200bice", "<b>x</b>", "a" * 40):
        assert register(other, bad) == 400
    assert register(other, "bob", "short") == 400


def test_bookmarks_and_follows(app_client: TestClient, store: Store) -> None:
    assert app_client.get("/en/bookmarks").status_code == 303  # log in first
    assert register(app_client) == 303
    aid = article_id(store)
    csrf = token(app_client, f"/en/article/{aid}")
    assert app_client.post(f"/en/article/{aid}/bookmark", data={"csrf": csrf}).status_code == 303
    assert "Harbour bridge reopens" in app_client.get("/en/bookmarks").text
    assert app_client.post(f"/en/article/{aid}/bookmark", data={"csrf": csrf}).status_code == 303
    assert "Harbour bridge reopens" not in app_client.get("/en/bookmarks").text
    follow = {"kind": "source", "target": "the-gazette", "csrf": csrf, "next": "//evil"}
    response = app_client.post("/en/follow", data=follow)
    assert response.headers["location"] == "/en/following"
    assert "Harbour bridge reopens" in app_client.get("/en/following").text
    assert app_client.post("/en/follow", data={**follow, "kind": "password"}).status_code == 400


def test_admin_pages_are_for_admins_only(app_client: TestClient, store: Store, tmp_path: Path) -> None:
    assert app_client.get("/en/admin/sources").status_code == 403
    assert register(app_client) == 303
    assert app_client.get("/en/admin/sources").status_code == 403
    admin = TestClient(app_client.app, follow_redirects=False)
    assert login(admin, "editor").status_code == 303
    page = admin.get("/en/admin/sources")
    assert page.status_code == 200 and "The Gazette" in page.text
    csrf = token(admin, "/en/admin/sources")
    with store.session() as session:
        source_id = session.query(Source).one().id
    assert admin.post(f"/en/admin/sources/{source_id}/toggle", data={"csrf": csrf}).status_code == 303
    with store.session() as session:
        assert session.get(Source, source_id).enabled is False  # type: ignore[union-attr]
    exported = admin.get("/admin/opml")
    assert exported.status_code == 200 and b"gazette.example/feed" in exported.content
    opml = b'<opml version="2.0"><body><outline text="News"><outline text="Other" xmlUrl="https://other.example/rss"/></outline></body></opml>'
    imported = admin.post("/en/admin/opml", data={"csrf": csrf}, files={"file": ("s.opml", opml, "text/xml")})
    assert imported.status_code == 200 and "1 added" in imported.text
    assert (
        admin.post("/en/admin/sources", data={"csrf": csrf, "url": "file:///etc/passwd"}).status_code == 400
    )


def test_moderators_hide_comments(app_client: TestClient, store: Store) -> None:
    assert register(app_client) == 303
    aid = article_id(store)
    app_client.post(
        f"/en/article/{aid}/comments",
        data={"body": "spam spam spam", "csrf": token(app_client, f"/en/article/{aid}")},
    )
    admin = TestClient(app_client.app, follow_redirects=False)
    login(admin, "editor")
    queue = admin.get("/en/admin/moderation")
    assert "spam spam spam" in queue.text
    comment_id = re.search(r"/admin/comments/(\d+)/hide", queue.text).group(1)  # type: ignore[union-attr]
    csrf = token(admin, "/en/admin/moderation")
    assert (
        app_client.post(
            f"/en/admin/comments/{comment_id}/hide", data={"csrf": token(app_client, "/en/")}
        ).status_code
        == 403
    )
    assert admin.post(f"/en/admin/comments/{comment_id}/hide", data={"csrf": csrf}).status_code == 303
    assert "spam spam spam" not in app_client.get(f"/en/article/{aid}").text


def test_readers_not_logged_in_share_a_page_that_follows_new_comments(
    app_client: TestClient, store: Store
) -> None:
    aid = article_id(store)
    anonymous = TestClient(app_client.app, follow_redirects=False)
    first = anonymous.get(f"/en/article/{aid}")
    assert first.status_code == 200 and "set-cookie" not in first.headers  # no session for a mere reader
    assert "No comments yet" in first.text and 'name="csrf"' not in first.text
    assert register(app_client) == 303
    own = app_client.get(f"/en/article/{aid}").text
    assert 'name="csrf"' in own and "Post comment" in own  # a logged-in reader gets a page of their own
    assert "Post comment" not in anonymous.get(f"/en/article/{aid}").text
    csrf = token(app_client, f"/en/article/{aid}")
    app_client.post(f"/en/article/{aid}/comments", data={"body": "Good news at last", "csrf": csrf})
    assert "Good news at last" in anonymous.get(f"/en/article/{aid}").text  # the shared copy was dropped
    assert "Good news at last" in anonymous.get(f"/de/article/{aid}").text


def test_a_shared_page_may_not_carry_a_form_token(store: Store) -> None:
    import asyncio

    from starlette.requests import Request
    from starlette.responses import HTMLResponse

    from newsdesk.web.accounts import LazyCsrfToken
    from newsdesk.web.cache import TTLCache
    from newsdesk.web.shared_pages import page_for

    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "session": {}})

    def render_with_token() -> HTMLResponse:
        return HTMLResponse(f"<input name=csrf value={LazyCsrfToken(request)}>")

    with pytest.raises(RuntimeError, match="form token"):
        asyncio.run(page_for(request, TTLCache(10), "home:en:None", render_with_token))


def test_what_a_reader_follows_leads_their_front_page(app_client: TestClient, store: Store) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from newsdesk.store.models import ArticleTag, Story, Tag, utcnow
    from newsdesk.store.stories import refresh_story

    now = utcnow()
    with transaction(store.sessions) as session:
        source = session.scalars(select(Source)).one()
        tag = Tag(slug="ferries", name="Ferries", kind="topic")
        session.add(tag)
        for n, (story_id, title) in enumerate(
            [("a" * 32, "Harbour bridge reopens"), ("b" * 32, "Ferry fares")]
        ):
            session.add(Story(id=story_id, title=title, first_seen_at=now, last_seen_at=now))
            article, _ = save_article(
                session,
                ArticleRecord(
                    source_id=source.id,
                    url=f"https://gazette.example/s{n}",
                    canonical_url=f"https://gazette.example/s{n}",
                    title=title,
                    blocks=[{"kind": "p", "text": f"{title} today."}],
                    published_at=now - timedelta(hours=1 + n),  # the ferry story is older: second
                ),
            )
            article.story_id = story_id
            if n == 1:
                session.flush()
                session.add(ArticleTag(article_id=article.id, tag_id=tag.id))
            session.flush()
            refresh_story(session, story_id)

    def top_titles(client: TestClient) -> list[str]:
        return re.findall(
            r'<article class="top-story">\s*<h3><a href="[^"]+">([^<]+)</a>', client.get("/en/").text
        )

    assert top_titles(app_client) == ["Harbour bridge reopens", "Ferry fares"]
    assert register(app_client) == 303
    hashtag = app_client.get("/en/hashtag/ferries").text
    assert "Follow #Ferries" in hashtag
    follow = {"kind": "tag", "target": "ferries", "next": "/en/hashtag/ferries"}
    response = app_client.post(
        "/en/follow", data={**follow, "csrf": token(app_client, "/en/hashtag/ferries")}
    )
    assert response.status_code == 303 and response.headers["location"] == "/en/hashtag/ferries"
    assert "Unfollow #Ferries" in app_client.get("/en/hashtag/ferries").text
    assert top_titles(app_client) == ["Ferry fares", "Harbour bridge reopens"]
    assert "You follow this" in app_client.get("/en/").text
    assert "Ferry fares" in app_client.get("/en/following").text
    anonymous = TestClient(app_client.app)
    assert top_titles(anonymous) == ["Harbour bridge reopens", "Ferry fares"]  # others' pages unchanged
    assert "Follow #Ferries" not in anonymous.get("/en/hashtag/ferries").text
