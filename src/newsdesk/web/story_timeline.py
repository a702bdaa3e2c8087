"""A story's reports in time order with what each added (figures, names), and whether it is developing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from newsdesk.enrich.facts import facts_from_records, pick_key_facts
from newsdesk.store.article_views import MAX_FACTS
from newsdesk.store.models import Article, Tag
from newsdesk.store.stories import tags_of

DEVELOPING_WITHIN = timedelta(hours=24)  # a report this recent …
DEVELOPING_SPAN = timedelta(days=1)  # … in a story whose reports span more than this
MAX_ADDED = 4
NAME_KINDS = frozenset(["person", "place", "organisation"])


def report_additions(session: Session, reports: list[Article]) -> dict[str, dict[str, list[Any]]]:
    """For each report (oldest first), the key figures and the names no earlier report of the story gave."""
    tags = tags_of(session, [a.id for a in reports])
    seen_figures: set[tuple[float | str, str]] = set()
    seen_names: set[int] = set()
    added: dict[str, dict[str, list[Any]]] = {}
    for article in sorted(reports, key=published_key):
        figures = []
        for fact in pick_key_facts(facts_from_records(article.facts), article.language or "", MAX_FACTS):
            key = (fact.number if fact.number is not None else fact.value, fact.unit)
            if key not in seen_figures:
                figures.append(f"{fact.value} {fact.what}")
            seen_figures.add(key)
        names = [t for t in tags.get(article.id, []) if t.kind in NAME_KINDS and t.id not in seen_names]
        seen_names |= {t.id for t in tags.get(article.id, [])}
        added[article.id] = {"figures": figures[:MAX_ADDED], "names": names[:MAX_ADDED]}
    return added


def published_key(article: Article) -> datetime:
    published = article.published_at or datetime.min
    return published.replace(tzinfo=None)


def is_developing(reports: list[Article], now: datetime) -> bool:
    """Return True while reports keep coming: one in the last 24 hours, two or more over more than a day."""
    times = sorted(_aware(a.published_at) for a in reports if a.published_at)
    if len(times) < 2:
        return False
    return now - times[-1] <= DEVELOPING_WITHIN and times[-1] - times[0] > DEVELOPING_SPAN


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def headline_following_figures(
    title: str, ai: dict[str, Any], reports: dict[str, tuple[str, str]], language: str
) -> str:
    """The story's headline, unless it gives an earlier value of a count that changed ("toll rises to 12"
    while the latest report says 14): then a headline in the reader's language giving the latest value, else
    the same headline with the figure updated."""
    for timeline in ai.get("timelines", []):
        if not timeline["changed"]:
            continue
        latest = timeline["latest"]
        earlier = {v["value"] for v in timeline["values"] if v["number"] != latest["number"]}
        found = next(
            (m for v in earlier if (m := re.search(rf"(?<![\d.,]){re.escape(v)}(?![\d.,])", title))), None
        )
        if found is None:
            continue
        same = [article_id(v["url"]) for v in timeline["values"] if v["number"] == latest["number"]]
        own = [reports[a][0] for a in same if a in reports and reports[a][1] == language]
        if own:
            return own[-1]
        return title[: found.start()] + written_like(latest["number"], found.group(0)) + title[found.end() :]
    return title


def article_id(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def written_like(number: float | None, written: str) -> str:
    """Write a number as another was written ("3.000" -> "3.400", "12" -> "14")."""
    value = int(number or 0)
    grouping = next((c for c in written if c in ".,"), "")
    return f"{value:,}".replace(",", grouping) if grouping else str(value)


def timeline_entries(
    session: Session, articles: list[Article], describe_tag: Callable[[Tag], dict[str, str]]
) -> list[dict[str, list[Any]]]:
    """What each report of the story added, in the order of ``articles`` (wire copies add nothing)."""
    reports = [a for a in articles if a.duplicate_of is None]
    added = report_additions(session, reports)
    entries: list[dict[str, list[Any]]] = []
    for article in articles:
        found = added.get(article.id, {"figures": [], "names": []})
        entries.append({"figures": found["figures"], "names": [describe_tag(t) for t in found["names"]]})
    return entries
