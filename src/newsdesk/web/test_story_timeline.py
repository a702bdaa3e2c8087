"""The story page's figures over time, its reports' additions and the developing mark (issue 16, 17)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.enrich.facts import extract_facts
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.ids import make_id
from newsdesk.store.models import Story, utcnow
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.store.stories import refresh_story
from newsdesk.web.app import create_app
from newsdesk.web.story_timeline import headline_following_figures

STORY = make_id("story:valmora-timeline")
REPORTS = [  # hours ago, source, language, title, text
    (50, "courier", "en", "Floods kill 9 in Valmora", "Flash floods killed 9 people. 6 people are missing."),
    (
        26,
        "ledger",
        "en",
        "Valmora flood toll rises to 12",
        "The floods killed 12 people. 3 people are missing.",
    ),
    (
        2,
        "faro",
        "es",
        "Ya son 14 los muertos en Valmora",
        "Ya son 14 las personas muertas por las inundaciones.",
    ),
]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store: Store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    now = utcnow()
    with transaction(store.sessions) as session:
        session.add(Story(id=STORY, title="Valmora flood toll rises to 12"))
        for n, (hours, slug, lang, title, text) in enumerate(REPORTS):
            source = add_source(
                session, SourceSpec(feed_url=f"https://{slug}.example/feed", name=slug.title(), language=lang)
            )[0]
            article, _ = save_article(
                session,
                ArticleRecord(
                    source_id=source.id,
                    url=f"https://{slug}.example/{n}",
                    canonical_url=f"https://{slug}.example/{n}",
                    title=title,
                    blocks=[{"kind": "p", "text": text}],
                    language=lang,
                    published_at=now - timedelta(hours=hours),
                    category_slug="world",
                ),
            )
            article.story_id = STORY
            article.facts = [asdict(f) for f in extract_facts(text, lang)]
        session.flush()
        refresh_story(session, STORY)
    yield TestClient(create_app(Settings(), store))
    store.close()


def test_changed_counts_are_timelines_with_the_latest_first_and_marked(client: TestClient) -> None:
    ai = client.get(f"/api/v1/stories/{STORY}").json()["ai"]
    by_what = {t["what"]: t for t in ai["timelines"]}
    killed = next(t for w, t in by_what.items() if "killed" in w)
    assert killed["changed"] and killed["latest"]["value"] == "14"
    assert [v["value"] for v in killed["values"]] == ["9", "12", "14"]
    missing = next(t for w, t in by_what.items() if "missing" in w)
    assert missing["changed"] and [v["value"] for v in missing["values"]] == ["6", "3"]
    assert "14 people killed, up from 9 and 12 in earlier reports" in ai["figure_changes"]
    assert any(s.startswith("3 ") and "down from 6" in s for s in ai["figure_changes"])


def test_the_headline_follows_the_latest_report_s_figure(client: TestClient) -> None:
    story = client.get(f"/api/v1/stories/{STORY}").json()["story"]
    assert story["title"] == "Valmora flood toll rises to 14"  # no English report says 14: figure updated
    page = client.get(f"/en/story/{STORY}").text
    assert "toll rises to 12</h1>" not in page and "Valmora flood toll rises to 14</h1>" in page
    spanish = client.get(f"/es/story/{STORY}").text  # a report in the reader's language gives 14
    assert "Ya son 14 los muertos en Valmora</h1>" in spanish


def test_the_timeline_says_what_each_report_added_and_that_the_story_is_developing(
    client: TestClient,
) -> None:
    twin = client.get(f"/api/v1/stories/{STORY}").json()
    assert twin["story"]["developing"] is True
    added = [entry["added"]["figures"] for entry in twin["timeline"]]
    assert added[0] and any(line.startswith("12 ") for line in added[1]) and added[2]
    page = client.get(f"/en/story/{STORY}").text
    assert "Developing" in page and "Figures over time" in page and "New figures:" in page
    german = client.get(f"/de/story/{STORY}").text
    assert "Neue Zahlen:" in german and "Zahlen im Verlauf" in german
    spanish = client.get(f"/es/story/{STORY}").text
    assert "Cifras nuevas:" in spanish and "En desarrollo" in spanish


def count_timeline(what: str, numbers: list[int]) -> dict[str, Any]:
    """A changed running count as a story's figures record keeps it (report n says numbers[n])."""
    values = [{"value": str(n), "number": float(n), "article_id": f"r{i}"} for i, n in enumerate(numbers)]
    return {"what": what, "changed": True, "values": values}


FIGURES = [count_timeline("people killed", [9, 12, 14]), count_timeline("missing", [12, 9])]
HEADLINES = [  # headline, its language, as it reads once it follows the latest figures
    (
        "Sturzflut in Portugal: Mindestens neun Tote in Valmora",
        "de",
        "Sturzflut in Portugal: Mindestens 14 Tote in Valmora",
    ),
    (
        "Portugal declares state of calamity as Valmora flood toll reaches 12",
        "en",
        "Portugal declares state of calamity as Valmora flood toll reaches 14",
    ),
    (
        "Al menos nueve muertos por las riadas de Valmora",
        "es",
        "Al menos 14 muertos por las riadas de Valmora",
    ),
    ("Twelve dead as floods hit Valmora", "en", "14 dead as floods hit Valmora"),
    ("Doce muertos en Valmora", "es", "14 muertos en Valmora"),
    ("Zwölf Vermisste nach dem Unwetter", "de", "Neun Vermisste nach dem Unwetter"),
    ("Drei Tage Regen, neun Tote", "de", "Drei Tage Regen, 14 Tote"),
    ("Floods kill nine in Valmora", "en", "Floods kill 14 in Valmora"),
]


@pytest.mark.parametrize(("title", "language", "expected"), HEADLINES)
def test_a_headline_follows_the_latest_figure_written_in_digits_or_words(
    title: str, language: str, expected: str
) -> None:
    assert headline_following_figures(title, FIGURES, {}, "en", language) == expected


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("Three days of rain, two bridges down and nine dead in Valmora", "en"),
        ("Zwei Brücken zerstört, sieben Dörfer ohne Strom: neun Tote", "de"),
        ("Cinco días de lluvia y nueve muertos en Valmora", "es"),
    ],
)
def test_number_words_that_are_not_the_changed_figure_stay_as_they_are(title: str, language: str) -> None:
    followed = headline_following_figures(title, FIGURES, {}, "en", language)
    assert followed == title.replace("nine", "14").replace("neun", "14").replace("nueve", "14")
    assert followed != title


def test_a_headline_giving_no_earlier_figure_stays_as_it_is() -> None:
    for title, language in [("Ya son 14 los muertos en Valmora", "es"), ("Nine years after the dam", "en")]:
        assert headline_following_figures(title, FIGURES, {}, "en", language) == title


def test_the_home_page_and_the_briefing_give_the_headline_that_follows_the_figures(
    client: TestClient,
) -> None:
    home = client.get("/en/", headers={"Accept": "application/json"}).json()
    assert [s["title"] for s in home["top_stories"]] == ["Valmora flood toll rises to 14"]
    briefing = client.get("/en/briefing", headers={"Accept": "application/json"}).json()
    assert [e["title"] for e in briefing["entries"]] == ["Valmora flood toll rises to 14"]
    german = client.get("/de/", headers={"Accept": "application/json"}).json()
    assert [s["title"] for s in german["top_stories"]] == ["Valmora flood toll rises to 14"]
