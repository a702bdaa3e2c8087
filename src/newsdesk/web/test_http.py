"""Feeds on every page (home and editions too)."""

from __future__ import annotations

import feedparser
import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.feeds import FORMATS


@pytest.fixture(scope="module")
def client(demo_site_store: Store) -> TestClient:
    return TestClient(create_app(Settings(), demo_site_store))


def advertised_feeds(html: str) -> dict[str, str]:
    """The page's <link rel=alternate> feeds: media type -> href."""
    document = lxml.html.fromstring(html)
    return {
        str(link.get("type")): str(link.get("href")) for link in document.xpath("//link[@rel='alternate']")
    }


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
        assert parsed.entries and {e.get("author") or e.source.title for e in parsed.entries} == {
            "Rheinblick Zeitung"
        }
    json_feed = client.get("/feeds/edition/de.json").json()
    assert {item["authors"][0]["name"] for item in json_feed["items"]} == {"Rheinblick Zeitung"}
    api = client.get("/api/v1/editions/de").json()
    assert len(json_feed["items"]) == len(api["items"])
    assert client.get("/feeds/edition/zz.rss").status_code == 404
    assert (
        advertised_feeds(client.get("/es/edition/de").text)["application/rss+xml"] == "/feeds/edition/de.rss"
    )
