"""The story page's figures over time, its reports' additions and the developing mark (issue 16, 17)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

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
