"""The AI block of pages: summaries, key facts, and where sources agree and disagree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.enrich.facts import Corroboration, Fact, FactSource, compare_sources, pick_key_facts
from newsdesk.store.models import Article, Story
from newsdesk.web.i18n import current_language
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
    fields = ("value", "number", "unit", "what", "sentence", "qualifier")
    return [Fact(**{k: r.get(k) for k in fields}) for r in records or [] if r.get("value")]  # type: ignore[arg-type]


def fact_sources(members: list[Article]) -> list[FactSource]:
    """A story's reports as the fact comparison reads them."""
    return [FactSource(a.id, a.source.name, a.published_at, a.language, _facts(a.facts)) for a in members]


def story_fact_lines(members: list[Article], limit: int = 4) -> list[str]:
    """A story's key facts in a line each: the figures most sources agree on, then the first report's."""
    agreed = compare_sources(fact_sources(members))[0] if len(members) > 1 else []
    lines = [f"{found.value} {found.what}" for found in agreed]
    first = min(members, key=lambda a: a.published_at or datetime.max.replace(tzinfo=UTC), default=None)
    for fact in key_facts(first.facts, first.language or "") if first else []:
        line = f"{fact['value']} {fact['what']}"
        if line not in lines:
            lines.append(line)
    return lines[:limit]


def story_ai_block(session: Session, story: Story) -> dict[str, Any]:
    """A story's summary from all its sources (each sentence linked to its article), the figures its
    sources agree on and those they disagree on."""
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
    sources = fact_sources(members)
    agreements, found_disagreements = compare_sources(sources) if len(sources) > 1 else ([], [])
    disagreements = []
    for found in found_disagreements:
        disagreements.append(
            {
                "what": found.what,
                "kind": found.kind,
                "values": [
                    {
                        "value": v.value,
                        "source": v.source,
                        "url": article_url(v.article_id),
                        "published_relative": relative_time(v.published, now) if v.published else "",
                        "published_exact": exact_time(v.published) if v.published else "",
                    }
                    for v in found.values
                ],
            }
        )
    return {
        "summary": sentences,
        "key_facts": [shared_fact(found) for found in agreements[:MAX_FACTS]],
        "disagreements": disagreements,
    }


def shared_fact(found: Corroboration) -> dict[str, Any]:
    """A figure several sources agree on, with each source once (linked to its first report of it)."""
    sources: dict[str, dict[str, str]] = {}
    for v in found.values:
        sources.setdefault(v.source, {"source": v.source, "value": v.value, "url": article_url(v.article_id)})
    return {"value": found.value, "what": found.what, "sources": list(sources.values())}
