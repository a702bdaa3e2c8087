"""Reading state on the site and app passwords on the account page (no JavaScript: plain forms)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.testing.accounts import PASSWORD, article_id, login, register, seeded_store, token
from newsdesk.web.app import create_app


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    the_store = seeded_store(f"sqlite:///{tmp_path / 'web.db'}")
    yield the_store
    the_store.close()


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(Settings(), store), follow_redirects=False)


def test_app_passwords_are_made_listed_and_revoked_on_the_account_page(client: TestClient) -> None:
    assert register(client) == 303
    page = client.get("/en/account").text
    assert "/api/greader" in page and "/api/fever.php" in page
    made = client.post(
        "/en/account/app-passwords", data={"label": "phone", "csrf": token(client, "/en/account")}
    )
    match = re.search(r'<code class="app-password">([^<]+)</code>', made.text)
    assert made.status_code == 200 and match
    login_data = {"Email": "reader", "Passwd": match[1]}
    assert client.post("/api/greader/accounts/ClientLogin", data=login_data).status_code == 200
    page = client.get("/en/account").text
    assert "phone" in page and match[1] not in page  # shown once, never again
    revoke = re.search(r'action="(/en/account/app-passwords/\d+/revoke)"', page)
    assert revoke
    assert client.post(revoke[1], data={"csrf": token(client, "/en/account")}).status_code == 303
    assert client.post("/api/greader/accounts/ClientLogin", data=login_data).status_code == 401
    assert client.post("/en/account/app-passwords", data={"label": "x"}).status_code == 403  # no form token


def test_the_log_in_password_never_logs_an_app_in(client: TestClient) -> None:
    assert register(client) == 303
    attempt = {"Email": "reader", "Passwd": PASSWORD}
    assert client.post("/api/greader/accounts/ClientLogin", data=attempt).status_code == 401
    assert login(client, "reader").status_code == 303


def test_unread_marks_and_the_mark_as_read_form_work_without_javascript(
    client: TestClient, store: Store
) -> None:
    aid = article_id(store)
    assert "unread-mark" not in client.get("/en/").text  # nobody logged in: no marks
    assert register(client) == 303
    for path in ("/en/", "/en/source/the-gazette"):
        page = client.get(path).text
        assert 'class="unread-mark"' in page and f'action="/en/article/{aid}/read"' in page
    marked = client.post(
        f"/en/article/{aid}/read",
        data={"read": "1", "next": "/en/source/the-gazette", "csrf": token(client, "/en/")},
    )
    assert marked.status_code == 303 and marked.headers["location"] == "/en/source/the-gazette"
    assert "unread-mark" not in client.get("/en/source/the-gazette").text
    article = client.get(f"/en/article/{aid}").text
    assert "Mark as unread" in article
    csrf = token(client, f"/en/article/{aid}")
    client.post(f"/en/article/{aid}/read", data={"read": "0", "csrf": csrf})
    assert "unread-mark" in client.get("/en/source/the-gazette").text
    assert client.post(f"/en/article/{aid}/read", data={"read": "1"}).status_code == 403
    assert client.post(f"/en/article/{'0' * 32}/read", data={"read": "1", "csrf": csrf}).status_code == 404


def test_a_mark_made_in_an_app_shows_on_the_site(client: TestClient, store: Store) -> None:
    aid = article_id(store)
    assert register(client) == 303
    made = client.post("/en/account/app-passwords", data={"label": "", "csrf": token(client, "/en/account")})
    password = re.search(r'<code class="app-password">([^<]+)</code>', made.text)
    assert password
    auth = client.post("/api/greader/accounts/ClientLogin", data={"Email": "reader", "Passwd": password[1]})
    headers = {"Authorization": "GoogleLogin auth=" + auth.text.split("Auth=")[1].strip()}
    refs = client.get("/api/greader/reader/api/0/stream/items/ids", headers=headers).json()["itemRefs"]
    edit = {"i": refs[0]["id"], "a": "user/-/state/com.google/read"}
    assert client.post("/api/greader/reader/api/0/edit-tag", data=edit, headers=headers).text == "OK"
    assert f'action="/en/article/{aid}/read"' not in client.get("/en/").text
