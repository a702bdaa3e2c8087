"""Feeds on every page (home and editions too); gzip that keeps ETags and shared pages right."""

from __future__ import annotations

import gzip
import re

import feedparser
import httpx
import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.feeds import FORMATS

GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def client(demo_site_store: Store) -> TestClient:
    return TestClient(create_app(Settings(), demo_site_store))


def advertised_feeds(html: str) -> dict[str, str]:
    """The page's <link rel=alternate> feeds: media type -> href."""
    document = lxml.html.fromstring(html)
    return {
        str(link.get("type")): str(link.get("href")) for link in document.xpath("//link[@rel='alternate']")
    }


def raw_get(client: TestClient, path: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
    """A response and its body as it went over the wire (not decompressed)."""
    with client.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


@pytest.mark.parametrize("path", ["/", "/de/"])
def test_home_advertises_the_latest_feed_in_every_format(client: TestClient, path: str) -> None:
    feeds = advertised_feeds(client.get(path).text)
    assert feeds == {kind.split(";")[0]: f"/feeds/latest.{fmt}" for fmt, kind in FORMATS.items()}
    for href in feeds.values():
        assert client.get(href).status_code == 200


def test_edition_feeds_hold_that_countrys_sources_and_are_advertised(client: TestClient) -> None:
    feeds = advertised_feeds(client.get("/en/edition/de").text)
    assert sorted(feeds.values()) == [
        "/feeds/edition/de.atom",
        "/feeds/edition/de.json",
        "/feeds/edition/de.rss",
    ]
    for fmt in ("atom", "rss"):
        response = client.get(f"/feeds/edition/de.{fmt}")
        assert response.status_code == 200 and response.headers["content-type"] == FORMATS[fmt]
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0 and parsed.feed.title == "newsdesk: Deutschland edition"
        assert parsed.entries and {e.source.title for e in parsed.entries} == {"Rheinblick Zeitung"}
    json_feed = client.get("/feeds/edition/de.json").json()
    atom = feedparser.parse(client.get("/feeds/edition/de.atom").content)
    assert {item["url"] for item in json_feed["items"]} == {e.link for e in atom.entries}  # the same articles
    api = client.get("/api/v1/editions/de").json()
    assert len(json_feed["items"]) == len(api["items"])
    assert client.get("/feeds/edition/zz.rss").status_code == 404
    assert (
        advertised_feeds(client.get("/es/edition/de").text)["application/rss+xml"] == "/feeds/edition/de.rss"
    )


@pytest.mark.parametrize("path", ["/en/", "/api/v1/articles?limit=20", "/feeds/latest.rss", "/en/edition/sg"])
def test_pages_json_and_feeds_are_gzipped_for_readers_who_accept_it(client: TestClient, path: str) -> None:
    zipped, zipped_body = raw_get(client, path, GZIP)
    plain, plain_body = raw_get(client, path, PLAIN)
    assert (
        zipped.headers["content-encoding"] == "gzip" and "accept-encoding" in zipped.headers["vary"].lower()
    )
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(zipped_body) == plain_body and len(zipped_body) < len(plain_body) / 2


def test_small_answers_are_not_gzipped(client: TestClient) -> None:
    response, _ = raw_get(client, "/healthz", GZIP)
    assert response.status_code == 200 and "content-encoding" not in response.headers


def test_etags_and_304_work_through_compression(client: TestClient) -> None:
    path = "/api/v1/articles?limit=10"
    zipped, plain = client.get(path, headers=GZIP), client.get(path, headers=PLAIN)
    etag = zipped.headers["etag"]
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', etag) and plain.headers["etag"] == etag  # same content, weak tag
    again, body = raw_get(client, path, {**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and body == b"" and again.headers["etag"] == etag
    stripped = client.get(path, headers={**GZIP, "If-None-Match": etag.removeprefix("W/")})
    assert stripped.status_code == 304  # If-None-Match compares weakly


def test_the_shared_page_copy_is_plain_whoever_asked_first(client: TestClient) -> None:
    zipped, zipped_body = raw_get(client, "/es/", GZIP)  # the home page is one copy shared for a few seconds
    plain, plain_body = raw_get(client, "/es/", PLAIN)
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert plain_body.startswith(b"<!doctype html>") and gzip.decompress(zipped_body) == plain_body
