"""Fever API: request and response pairs of every part and mark, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.app_passwords import (
    create_app_password,
    fever_key,
    list_app_passwords,
    revoke_app_password,
)
from newsdesk.store.community import create_user, set_banned
from newsdesk.store.models import User
from newsdesk.testing.apps import NOW, add_articles
from newsdesk.web.app import create_app
from newsdesk.web.fever import group_id


@dataclass
class Fever:
    client: TestClient
    store: Store
    key: str
    gazette: int
    courier: int

    def ask(self, query: str, key: str = "", **form: str) -> dict[str, Any]:
        response = self.client.post(f"/api/fever.php?api&{query}", data={"api_key": key or self.key, **form})
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "private, no-store"
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def fever(store: Store, settings: Settings) -> Fever:
    gazette, courier = add_articles(store)
    with transaction(store.sessions) as session:
        reader = create_user(session, "reader", "correct horse battery")
        password = create_app_password(session, reader, "reeder").password
    client = TestClient(create_app(settings, store), follow_redirects=False)
    return Fever(client, store, fever_key("reader", password), gazette, courier)


def item_ids(fever: Fever, query: str, **form: str) -> list[int]:
    return [item["id"] for item in fever.ask(query, **form)["items"]]


def test_wrong_keys_get_auth_0(fever: Fever) -> None:
    assert fever.ask("")["auth"] == 1 and fever.ask("")["api_version"] == 3
    assert fever.ask("", key=fever_key("reader", "correct horse battery")) == {"api_version": 3, "auth": 0}
    assert fever.ask("items", key="0" * 32) == {"api_version": 3, "auth": 0}
    with transaction(fever.store.sessions) as session:
        user = session.scalars(select(User).where(User.username == "reader")).one()
        set_banned(session, user.id, True)
    assert fever.ask("")["auth"] == 0


def test_a_revoked_app_password_ends_its_key(fever: Fever) -> None:
    with transaction(fever.store.sessions) as session:
        user = session.scalars(select(User).where(User.username == "reader")).one()
        revoke_app_password(session, user.id, list_app_passwords(session, user.id)[0].id)
    assert fever.ask("groups")["auth"] == 0


def test_groups_and_feeds(fever: Fever) -> None:
    body = fever.ask("groups&feeds&favicons")
    assert body["groups"] == [{"id": group_id("World news"), "title": "World news"}]
    assert body["feeds_groups"] == [{"group_id": group_id("World news"), "feed_ids": str(fever.gazette)}]
    feeds = {f["title"]: f for f in body["feeds"]}
    assert (
        feeds["The Gazette"]["id"] == fever.gazette
        and feeds["The Courier"]["url"] == "https://courier.example/feed"
    )
    assert feeds["The Gazette"]["last_updated_on_time"] > 0
    assert body["favicons"] == [] and body["last_refreshed_on_time"] > 0


def test_items_since_max_and_with_ids(fever: Fever) -> None:
    everything = fever.ask("items")
    ids = [item["id"] for item in everything["items"]]
    assert len(ids) == 7 and ids == sorted(ids) and everything["total_items"] == 7
    assert item_ids(fever, f"items&since_id={ids[2]}") == ids[3:]
    assert item_ids(fever, f"items&max_id={ids[2]}") == [ids[1], ids[0]]
    assert item_ids(fever, f"items&with_ids={ids[4]},{ids[0]},junk") == [ids[0], ids[4]]
    first = everything["items"][0]
    assert (
        first["feed_id"] in (fever.gazette, fever.courier)
        and first["is_read"] == 0
        and first["is_saved"] == 0
    )
    assert first["html"].startswith("<p>") and first["author"] == "Hannah Okoro"


def test_marks_on_items_feeds_and_groups(fever: Fever) -> None:
    items = {item["title"]: item["id"] for item in fever.ask("items")["items"]}
    all_ids = ",".join(str(i) for i in sorted(items.values()))
    assert fever.ask("unread_item_ids")["unread_item_ids"] == all_ids
    fever.ask("", mark="item", **{"as": "read"}, id=str(items["Report 0"]))
    fever.ask("", mark="item", **{"as": "saved"}, id=str(items["Report 1"]))
    assert str(items["Report 0"]) not in fever.ask("unread_item_ids")["unread_item_ids"].split(",")
    assert fever.ask("saved_item_ids")["saved_item_ids"] == str(items["Report 1"])
    fever.ask("", mark="item", **{"as": "unread"}, id=str(items["Report 0"]))
    fever.ask("", mark="item", **{"as": "unsaved"}, id=str(items["Report 1"]))
    assert fever.ask("saved_item_ids")["saved_item_ids"] == ""
    before = str(int((NOW - timedelta(hours=5, minutes=30)).timestamp()))
    fever.ask("", mark="feed", **{"as": "read"}, id=str(fever.courier), before=before)  # Report 6 only
    unread = fever.ask("unread_item_ids")["unread_item_ids"].split(",")
    assert str(items["Report 6"]) not in unread and str(items["Report 5"]) in unread
    fever.ask("", mark="group", **{"as": "read"}, id=str(group_id("World news")))
    unread = fever.ask("unread_item_ids")["unread_item_ids"].split(",")
    assert unread == [str(items["Report 5"])]
    fever.ask("", mark="group", **{"as": "read"}, id="0")
    assert fever.ask("unread_item_ids")["unread_item_ids"] == ""
    read = {item["id"]: item["is_read"] for item in fever.ask("items")["items"]}
    assert set(read.values()) == {1}


def test_a_malformed_mark_is_refused(fever: Fever) -> None:
    response = fever.client.post(
        "/api/fever.php?api", data={"api_key": fever.key, "mark": "item", "as": "read", "id": "x"}
    )
    assert response.status_code == 400
