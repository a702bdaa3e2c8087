"""The search page and its JSON twin on the demo corpus: stories with their reports, in en, de and es."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsdesk.demo.corpus import Corpus
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app

MORE = {
    "en": "and 5 more reports in 2 languages (English, Español)",
    "de": "und 5 weitere Berichte in 2 Sprachen (English, Español)",
    "es": "y 5 noticias más en 2 idiomas (English, Español)",
}


@pytest.fixture(scope="module")
def client(search_store: tuple[Store, Corpus]) -> TestClient:
    return TestClient(create_app(Settings(public_url="https://news.example"), search_store[0]))


@pytest.mark.parametrize("lang", ["en", "de", "es"])
def test_hochwasser_shows_the_flood_story_with_its_reports_in_other_languages(
    client: TestClient, lang: str
) -> None:
    page = client.get(f"/{lang}/search", params={"q": "Hochwasser"})
    assert page.status_code == 200
    first = page.text.split('<article class="card search-hit">')[1]
    assert "Sturzflut in Portugal: Mindestens neun Tote in Valmora" in first  # the German report leads
    link = re.search(r'<p class="story-more"><a href="([^"]+)">([^<]+)</a>', first)
    assert link is not None and link.group(2) == MORE[lang]
    story = client.get(link.group(1))
    assert story.status_code == 200 and "Valmora" in story.text


def test_the_json_twin_lists_stories_and_their_reports(client: TestClient) -> None:
    result = client.get("/api/v1/search", params={"q": "Hochwasser"}).json()
    flood = result["groups"][0]
    assert flood["story"]["id"] == "valmora-floods" and flood["more"] == 5
    assert {r["language"] for r in flood["reports"]} == {"en", "de", "es"}
    assert [i["id"] for i in result["items"][:6]] == [r["id"] for r in flood["reports"]]


def test_language_filter_means_reports_in_that_language(client: TestClient) -> None:
    result = client.get("/api/v1/search", params={"q": "strike", "language": "de"}).json()
    assert {i["id"] for i in result["items"][:2]} == {
        "eurorail-strike-rheinblick-announce",
        "eurorail-strike-rheinblick-strike",
    }
    assert {i["language"] for i in result["items"]} == {"de"}
    page = client.get("/de/search", params={"q": "strike", "language": "de"})
    assert "Transrail ruft zu" in page.text or "Bahnstreik legt Verkehr lahm" in page.text
    assert (
        "und 1 weiterer Bericht in 1 Sprache (Deutsch)" in page.text
        and "Rail strike strands" not in page.text
    )


def test_a_query_nothing_matches_says_so(client: TestClient) -> None:
    page = client.get("/es/search", params={"q": "zzqxv"})
    assert page.status_code == 200 and "Ninguna noticia coincide con «zzqxv»." in page.text
