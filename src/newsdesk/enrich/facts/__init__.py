"""Key facts: the figures an article reports, and where a story's sources agree or disagree on them."""

from newsdesk.enrich.facts.disagreements import compare_sources
from newsdesk.enrich.facts.facts import (
    Corroboration,
    Disagreement,
    Fact,
    FactSource,
    ReportedValue,
    extract_facts,
    pick_key_facts,
)
from newsdesk.enrich.facts.meaning import concepts_of
from newsdesk.enrich.facts.numbers import numbers_in

__all__ = [
    "Corroboration",
    "Disagreement",
    "Fact",
    "FactSource",
    "ReportedValue",
    "compare_sources",
    "concepts_of",
    "extract_facts",
    "numbers_in",
    "pick_key_facts",
]
