"""The AI block of pages: summaries, key facts, and where sources agree and disagree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.enrich.facts import (
    Fact,
    FactSource,
    facts_from_records,
    pick_key_facts,
    reported_value,
    story_figures_record,
)
from newsdesk.enrich.facts.timelines import RECORD_VERSION
from newsdesk.store.models import Article, Story
from newsdesk.web.i18n import current_language, gettext
from newsdesk.web.timefmt import exact_time, relative_time

MAX_FACTS = 6


def article_url(article_id: str) -> str:
    return f"/{current_language.get()}/article/{article_id}"


def key_facts(facts: list[dict[str, Any]] | None, language: str) -> list[dict[str, str]]:
    """The facts worth showing (``pick_key_facts``): a figure with what it counts, at most six."""
    return [
        {"value": str(f.value), "what": str(f.what), "sentence": str(f.sentence or "")}
        for f in pick_key_facts(_facts(facts), language, MAX_FACTS)
    ]


def article_ai_block(article: Article) -> dict[str, Any]:
    """Summary and key facts of an article, when understanding has run (otherwise nothing is shown)."""
    summary = (article.summary_cache or {}).get("sentences") or []
    return {"summary": list(summary), "key_facts": key_facts(article.facts, article.language or "")}


def _facts(records: list[dict[str, Any]] | None) -> list[Fact]:
    return facts_from_records(records)


def fact_sources(members: list[Article]) -> list[FactSource]:
    """A story's reports as the fact comparison reads them."""
    return [FactSource(a.id, a.source.name, a.published_at, a.language, _facts(a.facts)) for a in members]


def figures_record(story: Story, members: list[Article]) -> dict[str, Any]:
    """The story's stored figures (computed when its reports changed); stories stored before that record
    existed get it computed here."""
    if story.facts_cache and story.facts_cache.get("version") == RECORD_VERSION:
        return story.facts_cache
    return story_figures_record(fact_sources(members))


def story_fact_lines(story: Story, members: list[Article], limit: int = 4) -> list[str]:
    """A story's key facts in a line each: the figures most sources agree on, then the first report's."""
    agreed = figures_record(story, members)["agreements"] if len(members) > 1 else []
    lines = [f"{found['value']} {found['what']}" for found in agreed]
    first = min(members, key=lambda a: a.published_at or datetime.max.replace(tzinfo=UTC), default=None)
    for fact in key_facts(first.facts, first.language or "") if first else []:
        line = f"{fact['value']} {fact['what']}"
        if line not in lines:
            lines.append(line)
    return lines[:limit]


def story_ai_block(session: Session, story: Story) -> dict[str, Any]:
    """A story's summary from all its sources (each sentence linked to its article), the figures its
    sources agree on and those they disagree on, and how its running counts changed (from the story's
    stored figures record)."""
    now = datetime.now(UTC)
    members = list(
        session.scalars(
            select(Article)
            .where(Article.story_id == story.id, Article.duplicate_of.is_(None))
            .order_by(Article.published_at)
        )
    )
    by_id = {a.id: a for a in members}
    sentences = []
    for cited in (story.summary_cache or {}).get("sentences") or []:
        source = by_id.get(cited.get("article_id", ""))
        if source is not None:
            sentences.append(
                {"text": cited["text"], "url": article_url(source.id), "source": source.source.name}
            )
    record = figures_record(story, members)
    timelines = [timeline_view(t, now) for t in record["timelines"]]
    return {
        "summary": sentences,
        "figure_changes": [t["sentence"] for t in timelines if t["changed"]],
        "key_facts": [shared_fact(found) for found in record["agreements"][:MAX_FACTS]],
        "disagreements": [
            {"what": d["what"], "kind": d["kind"], "values": [value_view(v, now) for v in d["values"]]}
            for d in record["disagreements"]
        ],
        "timelines": timelines,
    }


def value_view(record: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One reported value as pages show it: the figure, its source and article, and when."""
    v = reported_value(record)
    return {
        "value": v.value,
        "number": v.number,
        "source": v.source,
        "url": article_url(v.article_id),
        "published_relative": relative_time(v.published, now) if v.published else "",
        "published_exact": exact_time(v.published) if v.published else "",
    }


def timeline_view(record: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A running count: its latest value first, its history oldest first, and a sentence saying how it
    changed ("14 people killed, up from 9 and 12 in earlier reports")."""
    values = [value_view(v, now) for v in record["values"]]
    return {
        "what": record["what"],
        "changed": bool(record["changed"]),
        "latest": values[-1],
        "values": values,
        "sentence": change_sentence(record),
    }


def change_sentence(record: dict[str, Any]) -> str:
    """Say how a running count changed: "14 people killed, up from 9 and 12 in earlier reports"."""
    values = record["values"]
    latest = values[-1]
    earlier: dict[float | None, str] = {}
    for v in values[:-1]:
        if v["number"] != latest["number"]:
            earlier.setdefault(v["number"], str(v["value"]))  # "3.000" and "3,000" are one earlier value
    if not earlier:
        return f"{latest['value']} {record['what']}"
    up = (latest["number"] or 0) > (values[0]["number"] or 0)
    shown = list(earlier.values())
    joined = gettext(" and ").join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
    template = (
        gettext("%(latest)s %(what)s, up from %(earlier)s in earlier reports")
        if up
        else gettext("%(latest)s %(what)s, down from %(earlier)s in earlier reports")
    )
    return template % {"latest": latest["value"], "what": record["what"], "earlier": joined}


def shared_fact(found: dict[str, Any]) -> dict[str, Any]:
    """A figure several sources agree on, with each source once (linked to its first report of it)."""
    sources: dict[str, dict[str, str]] = {}
    for v in found["values"]:
        sources.setdefault(
            v["source"], {"source": v["source"], "value": v["value"], "url": article_url(v["article_id"])}
        )
    return {"value": found["value"], "what": found["what"], "sources": list(sources.values())}
