"""Hostile requests: crafted ids and parameters get 4xx, HEAD answers, extreme values never give a 500."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.testing.accounts import article_id, client_for, login, seeded_site_store, token
from newsdesk.web.app import create_app


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    yield from seeded_site_store(tmp_path)


@pytest.fixture
def client(store: Store) -> TestClient:
    return client_for(store)


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


CRAFTED_GETS = [
    "/en/search?q=bridge&until=9999-12-31",
    "/en/search?q=bridge&since=0001-01-01",
    "/api/v1/search?q=bridge&until=9999-12-31",
    "/en/briefing?date=9999-12-31",
    "/api/v1/briefing?date=9999-12-31",
    f"/en/?cursor={cursor_of('9999-12-31T23:59:59-23:59|' + 'f' * 32)}",
    f"/api/v1/articles?cursor={cursor_of('9999-12-31T23:59:59-23:59|' + 'f' * 32)}",
    f"/api/v1/articles?cursor={cursor_of('0001-01-01T00:00:00+23:59|' + 'f' * 32)}",
    "/api/v1/articles?source=99999999999999999999",
    "/en/article/0123456789abcdef0123456789abcdef?comments=99999999999999999999",
]
CRAFTED_POSTS = [
    "/en/admin/sources/99999999999999999999/toggle",
    "/en/admin/comments/99999999999999999999/hide",
    "/en/admin/users/99999999999999999999/ban",
    "/en/account/app-passwords/99999999999999999999/revoke",
]


@pytest.mark.parametrize("path", CRAFTED_GETS)
def test_crafted_parameters_get_4xx(store: Store, path: str) -> None:
    client = TestClient(create_app(Settings(), store), raise_server_exceptions=False)
    assert 400 <= client.get(path).status_code < 500, path


@pytest.mark.parametrize("path", CRAFTED_POSTS)
def test_crafted_ids_get_4xx(client: TestClient, path: str) -> None:
    login(client, "editor")
    status = client.post(path, data={"csrf": token(client, "/en/admin/sources")}).status_code
    assert 400 <= status < 500, path


def test_head_answers_on_every_get_route(client: TestClient, store: Store) -> None:
    aid = article_id(store)
    paths = [
        "/",
        "/en/",
        f"/en/article/{aid}",
        "/en/search?q=bridge",
        "/en/briefing",
        "/en/login",
        "/feeds/latest.atom",
        "/api/v1/articles",
        "/api/v1/openapi.json",
        "/sw.js",
        "/healthz",
        "/en/source/the-gazette",
        "/static/site.css",
    ]
    for path in paths:
        head, get = client.head(path), client.get(path)
        assert head.status_code == get.status_code == (302 if path == "/" else 200), path
        assert head.content == b"" and head.headers.get("content-type") == get.headers.get("content-type")
    assert client.head("/en/logout").status_code == 405  # POST-only routes stay so


EXTREMES = [
    "99999999999999999999",
    "-1",
    "0",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59-23:59|" + "f" * 32,
    cursor_of("9999-12-31T23:59:59-23:59|" + "f" * 32),
    "\x00",
    "１２",
    "x" * 3000,
    "../../etc/passwd",
    "%ff",
]


def get_routes(app: object) -> list[tuple[str, list[str], list[str]]]:
    """(path, path parameters, query parameters) of every GET route the site serves."""
    from fastapi.routing import APIRoute

    routes = []
    for route in app.routes:  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and "GET" in route.methods:
            dependant = route.dependant
            routes.append(
                (
                    route.path,
                    [p.name for p in dependant.path_params],
                    [p.alias for p in dependant.query_params],
                )
            )
    return routes


def test_every_get_route_answers_extreme_parameters_without_a_500(store: Store) -> None:
    """Each path and query parameter of every GET route, HTML and API alike, filled with extremes."""
    from urllib.parse import quote

    client = TestClient(create_app(Settings(), store), raise_server_exceptions=False)
    tried, failures = 0, []
    for path, path_params, query_params in get_routes(client.app):
        if path.startswith("/api/greader") or path.startswith("/static"):
            continue  # the Reader API's own auth answers first; static files have no parameters
        for name in [*path_params, *query_params]:
            for value in EXTREMES:
                filled = path
                for other in path_params:
                    given = value if other == name else ("en" if other == "lang" else "x")
                    filled = filled.replace("{" + other + "}", quote(given, safe="") if given else "x")
                query = f"?{quote(name)}={quote(value, safe='')}" if name in query_params else ""
                response = client.get(filled + query)
                tried += 1
                if response.status_code >= 500:
                    failures.append((filled + query, response.status_code))
    assert tried > 200 and failures == []
