"""Comment abuse: rate and length limits, paging, moderation in bulk, bans, and held first comments."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from newsdesk.store import Store, transaction
from newsdesk.store.models import Comment, User, utcnow
from newsdesk.testing.accounts import (
    article_id,
    client_for,
    comment,
    login,
    register,
    seeded_site_store,
    token,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    yield from seeded_site_store(tmp_path)


@pytest.fixture
def client(store: Store) -> TestClient:
    return client_for(store)


def reader_with_comments(store: Store, client: TestClient, count: int, age: timedelta) -> str:
    assert register(client) == 303
    aid = article_id(store)
    with transaction(store.sessions) as session:
        user = session.scalars(select(User).where(User.username == "reader")).one()
        for n in range(count):
            session.add(Comment(article_id=aid, user_id=user.id, body=f"note {n}", created_at=utcnow() - age))
    return aid


def test_the_sixth_comment_in_a_minute_is_refused(client: TestClient, store: Store) -> None:
    aid = reader_with_comments(store, client, 0, timedelta())
    statuses = [comment(client, aid, f"comment {n}").status_code for n in range(6)]
    assert statuses == [303] * 5 + [429]


def test_the_101st_comment_in_a_day_is_refused_with_a_clear_message(client: TestClient, store: Store) -> None:
    aid = reader_with_comments(store, client, 100, timedelta(hours=2))
    refused = comment(client, aid, "one more")
    assert refused.status_code == 429 and "100 comments a day" in refused.text


def test_a_comment_over_the_length_cap_is_refused_not_cut(client: TestClient, store: Store) -> None:
    aid = reader_with_comments(store, client, 0, timedelta())
    response = comment(client, aid, "x" * 4001)
    assert response.status_code == 400 and "at most 4000 characters" in response.text


def test_comments_are_paged_on_the_article(client: TestClient, store: Store) -> None:
    aid = reader_with_comments(store, client, 120, timedelta(hours=2))
    page = TestClient(client.app).get(f"/en/article/{aid}")
    assert page.text.count('class="comment"') == 50 and "Page 1 of 3" in page.text
    last = TestClient(client.app).get(f"/en/article/{aid}?comments=3")
    assert last.text.count('class="comment"') == 20 and "note 119" in last.text and "note 0<" not in last.text
    assert TestClient(client.app).get(f"/en/article/{aid}?comments=0").status_code == 422


def test_moderation_is_paged_bulk_and_can_ban(client: TestClient, store: Store) -> None:
    aid = reader_with_comments(store, client, 60, timedelta(hours=2))
    admin = TestClient(client.app, follow_redirects=False)
    assert login(admin, "editor").status_code == 303
    first, second = admin.get("/en/admin/moderation"), admin.get("/en/admin/moderation?page=2")
    assert first.text.count('class="comment ') == 50 and second.text.count('class="comment ') == 10
    assert first.text != second.text
    with store.session() as session:
        ids = [str(i) for i in session.scalars(select(Comment.id).limit(3))]
        reader_id = session.scalars(select(User.id).where(User.username == "reader")).one()
    csrf = token(admin, "/en/admin/moderation")
    assert (
        admin.post("/en/admin/comments", data={"action": "hide", "ids": ids, "csrf": csrf}).status_code == 303
    )
    with store.session() as session:
        assert session.query(Comment).filter(Comment.status == "hidden").count() == 3
    assert admin.post(f"/en/admin/users/{reader_id}/ban", data={"csrf": csrf}).status_code == 303
    with store.session() as session:
        assert session.query(Comment).filter(Comment.status == "visible").count() == 0
    assert client.get("/en/account").status_code == 303  # the banned reader's session ended
    banned = login(TestClient(client.app, follow_redirects=False), "reader")
    assert banned.status_code == 403 and "suspended" in banned.text
    assert "note 5" not in TestClient(client.app).get(f"/en/article/{aid}").text


def test_a_new_readers_first_comment_can_be_held(store: Store) -> None:
    client = client_for(store, hold_first_comment=True)
    aid = reader_with_comments(store, client, 0, timedelta())
    held = comment(client, aid, "my very first words")
    assert held.status_code == 303 and "held=1" in held.headers["location"]
    assert "my very first words" not in TestClient(client.app).get(f"/en/article/{aid}").text
    admin = TestClient(client.app, follow_redirects=False)
    login(admin, "editor")
    assert "my very first words" in admin.get("/en/admin/moderation?status=held").text
