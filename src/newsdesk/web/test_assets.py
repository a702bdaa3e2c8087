"""Static files under fingerprinted relative URLs, the service worker that keeps them, the API docs page."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.assets import IMMUTABLE, STATIC

FINGERPRINTED = re.compile(r"/static/(?P<name>[\w.-]+)\?v=(?P<v>[0-9a-f]{12})")


@pytest.fixture
def client(sqlite_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), sqlite_store)) as test_client:
        yield test_client


def asset_links(html: str) -> list[str]:
    """The stylesheet, icon and script URLs a page prints."""
    document = lxml.html.fromstring(html)
    found = document.xpath("//link[@rel='stylesheet' or @rel='icon']/@href | //script/@src")
    return [str(link) for link in found]


def test_asset_links_are_relative_and_fingerprinted_whatever_the_host_header(client: TestClient) -> None:
    forged = client.get("/en/", headers={"Host": "evil.example"})
    page = client.get("/en/")  # the same shared copy of the page, for every reader
    for html in (forged.text, page.text):
        links = asset_links(html)
        assert {"site.css", "app.js", "icon.svg"} <= {
            m["name"] for m in map(FINGERPRINTED.fullmatch, links) if m
        }
        assert all(FINGERPRINTED.fullmatch(link) for link in links), links
    assert "evil.example" not in page.text


def test_a_fingerprinted_asset_is_cached_for_a_year_and_only_that(client: TestClient) -> None:
    link = next(link for link in asset_links(client.get("/en/").text) if "site.css" in link)
    body = (STATIC / "site.css").read_bytes()
    assert link.endswith("?v=" + hashlib.sha256(body).hexdigest()[:12])
    current = client.get(link)
    assert current.status_code == 200 and current.content == body
    assert current.headers["cache-control"] == IMMUTABLE
    for other in ("/static/site.css", "/static/site.css?v=000000000000"):
        response = client.get(other)
        assert response.status_code == 200 and response.headers.get("cache-control") != IMMUTABLE


def test_the_service_worker_keeps_the_urls_pages_print(client: TestClient) -> None:
    page_assets = asset_links(client.get("/offline").text)
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["cache-control"] == "no-cache"
    line = next(line for line in worker.text.splitlines() if line.startswith("var SITE = "))
    site = json.loads(line.removeprefix("var SITE = ").removesuffix(";"))
    css = next(link for link in page_assets if "site.css" in link)
    script = next(link for link in page_assets if "app.js" in link)
    icon = next(link for link in page_assets if "icon.svg" in link)
    offline_pages = {"/offline", "/en/offline", "/de/offline", "/es/offline"}  # one in each reader's language
    assert {css, script, icon, *offline_pages} == set(site["precache"])
    assert site["languages"] == ["en", "de", "es"]
    assert re.fullmatch(r"[0-9a-f]{12}", site["version"])
    assert all(client.get(url).status_code == 200 for url in site["precache"])


def test_api_docs_are_served_from_the_site_with_no_inline_script(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    document = lxml.html.fromstring(page.text)
    scripts = document.xpath("//script")
    assert scripts and all(script.get("src") and not (script.text or "").strip() for script in scripts)
    links = [str(link) for link in document.xpath("//@href | //@src")]
    assert len(links) == 4 and all(link.startswith("/static/") for link in links), links
    kinds = {client.get(link).headers["content-type"].split(";")[0] for link in links}
    assert kinds == {"text/css", "text/javascript", "image/svg+xml"}
    assert "SwaggerUIBundle" in client.get(next(link for link in links if "bundle" in link)).text
    openapi = document.xpath("//*[@id='swagger-ui']/@data-openapi-url")[0]
    assert client.get(str(openapi)).json()["paths"]["/api/v1/articles"]
