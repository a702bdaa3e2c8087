"""Key facts: the figures an article reports, and where a story's sources agree or disagree on them."""

from newsdesk.enrich.facts.disagreements import compare_sources
from newsdesk.enrich.facts.facts import (
    Corroboration,
    Disagreement,
    Fact,
    FactSource,
    ReportedValue,
    extract_facts,
    facts_from_records,
    pick_key_facts,
)
from newsdesk.enrich.facts.meaning import concepts_of
from newsdesk.enrich.facts.numbers import measured_spans, numbers_in
from newsdesk.enrich.facts.rewrite import WrittenCount, counts_in, may_count, number_word, with_count
from newsdesk.enrich.facts.timelines import Timeline, figure_timelines, reported_value, story_figures_record

__all__ = [
    "Corroboration",
    "Disagreement",
    "Fact",
    "FactSource",
    "ReportedValue",
    "Timeline",
    "WrittenCount",
    "compare_sources",
    "concepts_of",
    "counts_in",
    "extract_facts",
    "facts_from_records",
    "figure_timelines",
    "may_count",
    "measured_spans",
    "number_word",
    "numbers_in",
    "pick_key_facts",
    "reported_value",
    "story_figures_record",
    "with_count",
]
