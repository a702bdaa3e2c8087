"""A story's reports in time order with what each added (figures, names), and whether it is developing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from newsdesk.ai.lang import base_language
from newsdesk.enrich.facts import counts_in, facts_from_records, may_count, pick_key_facts, with_count
from newsdesk.store.article_views import MAX_FACTS
from newsdesk.store.models import Article, Story, Tag
from newsdesk.store.stories import tags_of
from newsdesk.web.i18n import current_language
from newsdesk.web.telling import story_headline
from newsdesk.web.understanding import figures_record

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


def followed_headline(story: Story, reports: list[Article], reader: str | None = None) -> dict[str, str]:
    """The story's headline for the reader (``story_headline``), following the latest figures its reports
    gave, with the language it is in."""
    reader = reader or current_language.get()
    headline = story_headline(story.title, reports, reader)
    timelines = figures_record(story, reports)["timelines"]
    titles = {a.id: (a.title, base_language(a.language or "")) for a in reports}
    title = headline_following_figures(headline["title"], timelines, titles, reader, headline["language"])
    own = {t for t, language in titles.values() if language == reader}
    language = reader if title != headline["title"] and title in own else headline["language"]
    return {"title": title, "language": language}


def headline_following_figures(
    title: str,
    timelines: list[dict[str, Any]],
    reports: dict[str, tuple[str, str]],
    language: str,
    title_language: str,
) -> str:
    """The story's headline, unless it gives an earlier value of a count that changed ("toll rises to 12",
    "Mindestens neun Tote" while the latest report says 14): then a headline in the reader's language giving
    the latest value, else the same headline with the figure updated, written as it was (digits or words).

    ``timelines`` are the story's figures record's; ``reports`` maps its reports to their title and language.
    """
    counts = counts_in(title, title_language)
    for timeline in timelines:
        latest = timeline["values"][-1]
        if not timeline["changed"] or latest["number"] is None:
            continue
        earlier = {v["number"] for v in timeline["values"] if v["number"] != latest["number"]}
        found = next((c for c in counts if c.number in earlier and may_count(c, timeline["what"])), None)
        if found is None:
            continue
        same = [v["article_id"] for v in timeline["values"] if v["number"] == latest["number"]]
        own = [reports[a][0] for a in same if a in reports and reports[a][1] == language]
        if own:
            return own[-1]
        return with_count(title, found, latest["number"], title_language)
    return title


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
