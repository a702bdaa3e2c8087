"""Story figures over time: each running count as its reports gave it, and the record a story keeps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsdesk.enrich.facts.disagreements import (
    compare_reports,
    compare_sources,
    oldest_first,
    reported_values,
)
from newsdesk.enrich.facts.facts import FactSource, ReportedValue
from newsdesk.enrich.facts.vocab import concept_kinds

RECORD_VERSION = 1


@dataclass(frozen=True)
class Timeline:
    """A running count (dead, missing, evacuated, hectares burned …) as the story's reports gave it."""

    what: str
    values: list[ReportedValue]  # oldest report first

    @property
    def latest(self) -> ReportedValue:
        return self.values[-1]

    @property
    def changed(self) -> bool:
        return len({v.number for v in self.values}) > 1


def figure_timelines(articles: Sequence[FactSource]) -> list[Timeline]:
    """The running counts several reports of a story give, each with its values oldest first."""
    kinds = concept_kinds()
    timelines = []
    for claims in compare_reports(articles):
        if not any(kinds.get(c) == "tally" for claim in claims for c in claim.events):
            continue
        ordered = oldest_first(claims, articles)
        english = [c for c in ordered if articles[c.index].language == "en"]
        what = (english or ordered)[-1].fact.what
        timelines.append(Timeline(what, reported_values(ordered, articles)))
    return sorted(timelines, key=lambda t: (not t.changed, t.what))


def story_figures_record(articles: Sequence[FactSource]) -> dict[str, Any]:
    """What a story keeps of its figures (JSON): agreements, disagreements and timelines, computed when its
    reports change so pages only read them."""
    agreements, disagreements = compare_sources(articles) if len(articles) > 1 else ([], [])
    return {
        "version": RECORD_VERSION,
        "agreements": [{"what": a.what, "value": a.value, "values": _values(a.values)} for a in agreements],
        "disagreements": [
            {"what": d.what, "kind": d.kind, "values": _values(d.values)} for d in disagreements
        ],
        "timelines": [
            {"what": t.what, "changed": t.changed, "values": _values(t.values)}
            for t in figure_timelines(articles)
        ],
    }


def _values(values: list[ReportedValue]) -> list[dict[str, Any]]:
    return [
        {
            "article_id": v.article_id,
            "source": v.source,
            "published": v.published.isoformat() if v.published else None,
            "value": v.value,
            "number": v.number,
        }
        for v in values
    ]


def reported_value(record: dict[str, Any]) -> ReportedValue:
    """Read back one value of a story's figures record."""
    published = datetime.fromisoformat(record["published"]) if record.get("published") else None
    return ReportedValue(
        str(record["article_id"]),
        str(record["source"]),
        published,
        str(record["value"]),
        record.get("number"),
    )
