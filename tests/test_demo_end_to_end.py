"""End to end: `newsdesk demo` as a user runs it, ingesting through the real worker, checked over HTTP."""

from __future__ import annotations

import httpx
import pytest

from newsdesk.testing.demo_run import DemoRun


@pytest.mark.slow
def test_demo_serves_the_ingested_sample_within_two_minutes(demo_run: DemoRun) -> None:
    # The session's demo (tests/conftest.py): started as a user starts it, timed from its start.
    assert demo_run.wait_ready(120), "".join(demo_run.lines)
    base = demo_run.base
    items, cursor = [], None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        body = httpx.get(f"{base}/api/v1/articles", params=params).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(items) >= 80
    assert len({item["source"]["name"] for item in items}) >= 4
    languages = {item["language"] for item in items}
    assert {"en", "de", "es"} <= languages
    home = httpx.get(base + "/", follow_redirects=True)  # "/" sends readers to their language
    assert home.status_code == 200 and "ago</time>" in home.text
    article = httpx.get(base + items[0]["url"])
    assert article.status_code == 200
    assert article.text.count(f"<h1>{items[0]['title']}</h1>".replace("'", "&#39;")) == 1
    # Then it says when the worker has grouped every article, and the front page has its top stories.
    assert demo_run.wait_for_line("top stories are ready", 900), "".join(demo_run.lines)
    stories = httpx.get(f"{base}/api/v1/stories").json()["items"]
    assert stories and stories[0]["source_count"] >= 3
