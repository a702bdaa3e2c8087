"""The AI block of pages: summaries, key facts, and where sources agree and disagree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.ai.lang import base_language
from newsdesk.enrich.facts import (
    Fact,
    FactSource,
    ReportedValue,
    facts_from_records,
    reported_value,
    story_figures_record,
)
from newsdesk.enrich.facts.timelines import RECORD_VERSION
from newsdesk.store.article_views import MAX_FACTS, key_facts
from newsdesk.store.models import Article, Story
from newsdesk.web.i18n import current_language, gettext
from newsdesk.web.telling import first_in_language, in_language
from newsdesk.web.timefmt import exact_time, relative_time


def article_url(article_id: str) -> str:
    return f"/{current_language.get()}/article/{article_id}"


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
    """A story's key facts in a line each: the figures most sources agree on, then those of its first
    report (in the reader's language when one is), worded as reports in the reader's language word them."""
    reader = current_language.get()
    by_id = {a.id: a for a in members}
    agreed = figures_record(story, members)["agreements"] if len(members) > 1 else []
    lines = []
    for found in agreed:
        value, what, _ = fact_label(record_values(found), found["what"], by_id, reader, found["value"])
        lines.append(f"{value} {what}")
    first = first_in_language(members, reader) or min(
        members, key=lambda a: a.published_at or datetime.max.replace(tzinfo=UTC), default=None
    )
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
    reader = current_language.get()
    sentences = []
    for cited in summary_in_language(story.summary_cache, reader):
        source = by_id.get(cited.get("article_id", ""))
        if source is not None:
            sentences.append(
                {
                    "text": cited["text"],
                    "url": article_url(source.id),
                    "source": source.source.name,
                    "language": base_language(source.language or ""),
                }
            )
    record = figures_record(story, members)
    timelines = [timeline_view(t, now) for t in record["timelines"]]
    return {
        "summary": sentences,
        "figure_changes": [t["sentence"] for t in timelines if t["changed"]],
        "key_facts": [shared_fact(found, by_id, reader) for found in record["agreements"][:MAX_FACTS]],
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


def shared_fact(found: dict[str, Any], by_id: dict[str, Article], reader: str) -> dict[str, Any]:
    """A figure several sources agree on, with each source once (linked to its first report of it);
    its label from a report in the reader's language when one gives the figure."""
    sources: dict[str, dict[str, str]] = {}
    for v in found["values"]:
        sources.setdefault(
            v["source"], {"source": v["source"], "value": v["value"], "url": article_url(v["article_id"])}
        )
    value, what, language = fact_label(record_values(found), found["what"], by_id, reader, found["value"])
    return {"value": value, "what": what, "language": language, "sources": list(sources.values())}


def record_values(found: dict[str, Any]) -> list[ReportedValue]:
    return [reported_value(v) for v in found["values"]]


def summary_in_language(cache: dict[str, Any] | None, reader: str) -> list[dict[str, Any]]:
    """A story's cited summary sentences from its reports in the reader's language when it has any,
    else those of its main summary (each cites its article, whose language the page marks)."""
    record = cache or {}
    local = (record.get("languages") or {}).get(reader)
    if isinstance(local, dict) and local.get("sentences"):
        return list(local["sentences"])
    return list(record.get("sentences") or [])


def fact_label(
    values: Sequence[ReportedValue], what: str, by_id: dict[str, Article], reader: str, value: str = ""
) -> tuple[str, str, str]:
    """(value, what it counts, the label's language) for a figure several reports give: as a report in
    the reader's language words it when one does, else the given label and the language it is in."""
    for reported in values:
        article = by_id.get(reported.article_id)
        local = fact_named(article, reported.value) if article and in_language(article, reader) else None
        if local:
            return reported.value, local, reader
    for reported in values:
        article = by_id.get(reported.article_id)
        if article is not None and fact_named(article, reported.value) == what:
            return value or reported.value, what, base_language(article.language or "")
    return value, what, ""


def fact_named(article: Article, value: str) -> str:
    """What an article says a figure counts ("" when it has no such figure)."""
    return next((str(f.get("what") or "") for f in article.facts or [] if f.get("value") == value), "")
