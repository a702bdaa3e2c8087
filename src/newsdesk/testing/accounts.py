"""A small store with one source, one article and an administrator, and a reader's steps through the site."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.community import create_user
from newsdesk.store.models import Article
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.web.app import create_app

PASSWORD = "correct horse battery"


def seeded_store(url: str) -> Store:
    """A store with The Gazette, its article 'Harbour bridge reopens' and the administrator 'editor'."""
    store = open_store(url)
    with transaction(store.sessions) as session:
        source, _ = add_source(
            session, SourceSpec(feed_url="https://gazette.example/feed", name="The Gazette")
        )
        save_article(
            session,
            ArticleRecord(
                source_id=source.id,
                url="https://gazette.example/a",
                canonical_url="https://gazette.example/a",
                title="Harbour bridge reopens",
                blocks=[{"kind": "p", "text": "The bridge reopened today."}],
                published_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
            ),
        )
        create_user(session, "editor", PASSWORD, is_admin=True)
    return store


def seeded_site_store(folder: Path) -> Iterator[Store]:
    """``seeded_store`` in an SQLite file in ``folder``, closed afterwards (for a fixture to yield from)."""
    store = seeded_store(f"sqlite:///{folder / 'site.db'}")
    yield store
    store.close()


def client_for(store: Store, **settings: object) -> TestClient:
    """A client of the site on ``store`` that does not follow redirects (tests read them)."""
    return TestClient(create_app(Settings(**settings), store), follow_redirects=False)  # type: ignore[arg-type]


def article_id(store: Store) -> str:
    with store.session() as session:
        return str(session.scalars(select(Article.id)).first())


def token(client: TestClient, path: str = "/en/login") -> str:
    """The form token a page prints for this client's session."""
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def register(client: TestClient, name: str = "reader", password: str = PASSWORD) -> int:
    response = client.post(
        "/en/register", data={"username": name, "password": password, "csrf": token(client, "/en/register")}
    )
    return int(response.status_code)


def login(client: TestClient, name: str, password: str = PASSWORD, next_path: str = "") -> Any:
    return client.post(
        "/en/login", data={"username": name, "password": password, "csrf": token(client), "next": next_path}
    )


def comment(client: TestClient, article: str, body: str) -> Any:
    csrf = token(client, f"/en/article/{article}")
    return client.post(f"/en/article/{article}/comments", data={"body": body, "csrf": csrf})
