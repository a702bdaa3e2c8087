"""Output feeds a reader app is glad to get: every format parsed by feedparser (bozo 0) with real authors,
the text, the lead image, update times, languages, the origin feed, absolute links and Last-Modified."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.sources import parse_feed
from newsdesk.store import Store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.web.app import create_app

PUBLISHED = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
UPDATED = PUBLISHED + timedelta(hours=3)
BASE = "https://news.example"


def add_articles(store: Store) -> None:
    """Rheinblick (German): one article by Hannah Okoro with a lead image, revised 3 hours later; the
    Courier (English): one article with no known author."""
    with transaction(store.sessions) as session:
        rhein, _ = add_source(session, SourceSpec("https://rheinblick.example/feed.xml", "Rheinblick"))
        courier, _ = add_source(session, SourceSpec("https://courier.example/rss", "The Courier"))
        for source, n, language in ((rhein, 1, "de"), (courier, 2, "en")):
            save_article(
                session,
                ArticleRecord(
                    source_id=source.id,
                    url=f"https://{source.slug}.example/story-{n}",
                    canonical_url=f"https://{source.slug}.example/story-{n}",
                    title=f"Brücke {n} wieder offen" if language == "de" else f"Bridge {n} reopens",
                    blocks=[
                        {"kind": "p", "text": f"Erster Absatz {n} über die Brücke <am Fluss>."},
                        {"kind": "h", "text": "Zweiter Teil"},
                        {"kind": "p", "text": "Der Rest des Textes, den nur der volle Inhalt zeigt."},
                    ],
                    published_at=PUBLISHED - timedelta(hours=n - 1),
                    updated_at=UPDATED if n == 1 else None,
                    authors=["Hannah Okoro"] if n == 1 else [],
                    language=language,
                    lead_image_url=f"https://{source.slug}.example/img/bridge-{n}.png" if n == 1 else "",
                ),
            )


@pytest.fixture
def client(sqlite_store: Store) -> TestClient:
    add_articles(sqlite_store)
    return TestClient(create_app(Settings(public_url=BASE), sqlite_store))


def parsed(client: TestClient, path: str, **headers: str) -> Any:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    result = feedparser.parse(response.content)
    assert result.bozo == 0, result.get("bozo_exception")
    return result


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_entries_carry_authors_text_image_dates_language_and_origin(client: TestClient, fmt: str) -> None:
    result = parsed(client, f"/feeds/latest.{fmt}")
    rhein, courier = result.entries
    assert rhein.link.startswith(f"{BASE}/en/article/") and rhein.id == rhein.link
    assert [a["name"] for a in rhein.authors] == ["Hannah Okoro"]
    assert "Der Rest des Textes" in rhein.content[0].value and "&lt;am Fluss&gt;" in rhein.content[0].value
    assert html.unescape(rhein.summary) == "Erster Absatz 1 über die Brücke <am Fluss>."  # RSS: as HTML
    assert rhein.published_parsed[:5] == (2026, 11, 30, 8, 0)
    assert rhein.updated_parsed[:5] == (2026, 11, 30, 11, 0)
    image = "https://rheinblick.example/img/bridge-1.png"
    assert [(e.href, e.type) for e in rhein.enclosures] == [(image, "image/png")]
    assert rhein.media_content[0]["url"] == image
    assert courier.updated_parsed == courier.published_parsed  # never revised
    assert courier.get("authors", [{}])[0].get("name") != "Hannah Okoro"
    assert courier.get("enclosures") == [] and "media_content" not in courier


def test_atom_entries_name_language_and_origin_feed(client: TestClient) -> None:
    rhein, courier = parsed(client, "/feeds/latest.atom").entries
    assert (rhein.title_detail.language, courier.title_detail.language) == ("de", "en")
    assert rhein.source.title == "Rheinblick" and rhein.source.id == f"{BASE}/feeds/source/rheinblick.atom"
    assert [link.href for link in rhein.links if link.rel == "via"] == ["https://rheinblick.example/story-1"]
    assert [a["name"] for a in courier.authors] == ["The Courier"]  # no known author: the publisher


def test_rss_items_name_their_origin_feed_and_language(client: TestClient) -> None:
    rhein, courier = parsed(client, "/feeds/latest.rss").entries
    # The source's feed on this site: the publisher's feed URL is for administrators only.
    assert rhein.source == {"href": f"{BASE}/feeds/source/rheinblick.rss", "title": "Rheinblick"}
    assert courier.source == {"href": f"{BASE}/feeds/source/the-courier.rss", "title": "The Courier"}
    assert "rheinblick.example/feed.xml" not in client.get("/feeds/latest.rss").text
    assert "authors" not in courier or not courier.authors[0].get("name")


def test_a_feed_of_one_language_says_so_and_a_mixed_one_does_not(client: TestClient) -> None:
    rss = client.get("/feeds/source/rheinblick.rss").text
    atom = client.get("/feeds/source/rheinblick.atom").text
    assert "<language>de</language>" in rss and '<feed xmlns="http://www.w3.org/2005/Atom"' in atom
    assert 'xml:lang="de"' in atom.split("<entry", 1)[0]
    assert client.get("/feeds/source/rheinblick.json").json()["language"] == "de"
    latest = client.get("/feeds/latest.rss").text
    assert "<language>" not in latest.split("<item>", 1)[0]
    assert "<dc:language>en</dc:language>" in latest and "<dc:language>de</dc:language>" in latest


def test_json_feed_items_have_image_date_modified_and_authors(client: TestClient) -> None:
    body = client.get("/feeds/latest.json").content
    feed = parse_feed(body, f"{BASE}/feeds/latest.json")  # newsdesk's own JSON Feed reader: no warnings
    assert feed.warnings == () and [e.authors for e in feed.entries] == [("Hannah Okoro",), ("The Courier",)]
    item = json.loads(body)["items"][0]
    assert item["image"] == "https://rheinblick.example/img/bridge-1.png"
    assert item["date_modified"] == UPDATED.isoformat() and item["date_published"] == PUBLISHED.isoformat()
    assert item["authors"] == [{"name": "Hannah Okoro"}]
    assert item["external_url"] == "https://rheinblick.example/story-1"
    assert "<h2>Zweiter Teil</h2>" in item["content_html"] and item["content_html"] != item["summary"]


def test_last_modified_and_if_modified_since(client: TestClient) -> None:
    response = client.get("/feeds/latest.atom")
    stamp = response.headers["last-modified"]
    assert parsedate_to_datetime(stamp) == UPDATED
    for fmt in ("atom", "rss", "json"):
        again = client.get(f"/feeds/latest.{fmt}", headers={"If-Modified-Since": stamp})
        assert again.status_code == 304 and again.content == b""
    earlier = format_datetime(UPDATED - timedelta(seconds=1), usegmt=True)
    assert client.get("/feeds/latest.atom", headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.get("/feeds/latest.atom", headers={"If-Modified-Since": "yesterday"}).status_code == 200


def test_the_content_can_be_the_excerpt_only(sqlite_store: Store) -> None:
    add_articles(sqlite_store)
    client = TestClient(create_app(Settings(public_url=BASE, feed_content="excerpt"), sqlite_store))
    entry = parsed(client, "/feeds/latest.atom").entries[0]
    assert "Der Rest des Textes" not in entry.content[0].value
    assert entry.content[0].value == "<p>Erster Absatz 1 über die Brücke &lt;am Fluss&gt;.</p>"


def test_links_use_the_public_url_never_the_host_header(client: TestClient) -> None:
    text = client.get("/feeds/latest.rss", headers={"Host": "evil.example"}).text
    assert "evil.example" not in text and f"{BASE}/en/article/" in text
