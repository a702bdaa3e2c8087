"""Key facts: the figures an article reports, what they count, and the sentence they come from.

The reading is split by step: ``newsdesk.text`` (sentences), ``tokens`` (tokens), ``vocab`` (number
words, units, cues per language), ``skips`` (figures that are not facts), ``numbers`` (reading a figure)
and ``meaning`` (what it counts); ``disagreements`` compares the facts of several sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import NamedTuple

from newsdesk.enrich.facts.grammar import tag_tokens, words
from newsdesk.enrich.facts.labels import dated_text, skip_qualifier
from newsdesk.enrich.facts.meaning import concepts_of, read_what
from newsdesk.enrich.facts.numbers import EACH, FRACTIONS, find_figures
from newsdesk.enrich.facts.phrases import clause_ids, noun_phrase_after, skip_conversion
from newsdesk.enrich.facts.tokens import AMPM, PHONE_RE, Figure, Token, tokenize
from newsdesk.enrich.facts.vocab import concept_kinds, unit_by_id, words_for
from newsdesk.text import split_sentences

MAX_CHARS = 60_000  # longer texts are read only this far: the figures that matter come early
MAX_FACTS = 200
MAX_SENTENCE_TOKENS = 400  # a longer "sentence" is no prose (a table, a list run together): read this far
MAX_SOURCES = 200  # articles of one story compared
MAX_CLAIMS = 40  # comparable figures per article (an article has a dozen or two)
DATED_UNITS = frozenset(["clock", "date", "age"])  # the units of facts that tell when or how old
MAX_RATIO = 2.5  # figures further than this from the others' median are about something else


@dataclass(frozen=True)
class Fact:
    value: str  # as written, with its unit ("€6.8bn", "3.500 hectáreas", "78 %")
    number: float | None  # the value in the unit below; None for a score such as "2-1"
    unit: str  # "%", "EUR", "ha", "km", "h" … or "" for a plain count
    what: str  # what is counted, in the article's language ("trains cancelled", "personas desalojadas")
    sentence: str
    qualifier: str  # "", at least, more than, nearly, about, up to, less than, earlier, range, additional


@dataclass(frozen=True)
class FactSource:
    article_id: str
    source: str
    published: datetime | None
    language: str
    facts: Sequence[Fact]


class ReportedValue(NamedTuple):
    article_id: str
    source: str
    published: datetime | None
    value: str
    number: float | None


@dataclass(frozen=True)
class Disagreement:
    what: str
    values: list[ReportedValue]  # oldest report first
    kind: str  # "conflict" or "changed_over_time"


@dataclass(frozen=True)
class Corroboration:
    """A figure that several sources report alike (within what their qualifiers allow)."""

    what: str
    value: str  # as the oldest English report wrote it, else the oldest report
    values: list[ReportedValue]  # oldest report first


def extract_facts(text: str, language: str) -> list[Fact]:
    """Return the figures an article reports, with what they count and the sentence they come from."""
    language = (language or "").split("-")[0].lower()
    facts: list[Fact] = []
    seen: set[tuple[float | str, str, str]] = set()
    text = mask_phone_numbers(text[:MAX_CHARS])
    for _, sentence in split_sentences(text):
        for fact in facts_in_sentence(sentence.strip(), language):
            key = (fact.number if fact.number is not None else fact.value, fact.unit, fact.what.lower())
            if key not in seen:
                seen.add(key)
                facts.append(fact)
            if len(facts) >= MAX_FACTS:
                return facts
    return facts


def facts_from_records(records: Sequence[dict[str, object]] | None) -> list[Fact]:
    """Read back facts stored as records (``dataclasses.asdict`` of each Fact)."""
    fields = ("value", "number", "unit", "what", "sentence", "qualifier")
    return [Fact(**{k: r.get(k) for k in fields}) for r in records or [] if r.get("value")]  # type: ignore[arg-type]


def pick_key_facts(facts: Sequence[Fact], language: str, limit: int) -> list[Fact]:
    """The facts to show first, in the text's order: described figures, the minor ones and the parts of a
    figure already shown only to fill."""
    described = [f for f in facts if f.what and f.value]
    order = sorted(
        range(len(described)),
        key=lambda i: (is_minor(described[i], language) or is_breakdown(described[i], described[:i]), i),
    )
    return [described[i] for i in sorted(order[:limit])]


def is_breakdown(fact: Fact, earlier: Sequence[Fact]) -> bool:
    """A part of a figure the same sentence gave just before ("4.200 Züge …, davon 2.600 in Deutschland"):
    its label is the earlier one's with a place added."""
    return any(e.sentence == fact.sentence and fact.what.startswith(f"{e.what} ") for e in earlier)


def is_minor(fact: Fact, language: str) -> bool:
    """A duration ("two hours", "seven years"), a time of day, a year, an age, or a few of something
    written in words ("two schools"); never a tally ("three people missing")."""
    if fact.unit in DATED_UNITS:
        return True
    kinds = concept_kinds()
    if any(kinds.get(c) == "tally" for c in concepts_of(fact.what, language)):
        return False
    unit = unit_by_id().get(fact.unit)
    if unit is not None and unit.cls == "duration":
        return True
    few = fact.number is not None and fact.number < 10 and not any(c.isdigit() for c in fact.value)
    return fact.unit == "" and few


def mask_phone_numbers(text: str) -> str:
    """Blank out phone numbers (many digits in odd groups) so they are never read as figures."""

    def blank(match: re.Match[str]) -> str:
        raw = match.group(0)
        digits = sum(c.isdigit() for c in raw)
        odd = raw.startswith("+") or "(" in raw or re.search(r"\d{3,5}[/-]\d{4,}", raw)
        thousands = re.fullmatch(r"\d{1,3}(?:[., ]\d{3})+(?:[.,]\d+)?", raw.strip())
        if (digits >= 9 or (odd and digits >= 7)) and not thousands:
            return " " * len(raw)
        return raw

    return PHONE_RE.sub(blank, text)


@cache
def numberish(language: str) -> re.Pattern[str]:
    """Return a pattern finding a digit or a number or fraction word: sentences without one have no figure."""
    words = sorted({*words_for(language), *FRACTIONS, *EACH}, key=len, reverse=True)
    return re.compile(r"\d|(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


def facts_in_sentence(sentence: str, language: str) -> list[Fact]:
    """Return the facts of one sentence."""
    if not numberish(language).search(sentence):
        return []
    tokens = tokenize(sentence, language)[:MAX_SENTENCE_TOKENS]
    if not any(t.kind in ("num", "time") for t in tokens) and not _has_number_word(tokens, language):
        return []
    clauses = clause_ids(tokens, language)
    tags = tag_tokens(tokens, language)
    found = [f for f in find_figures(tokens, language) if not f.skip]
    placed = [(f.start, dated_fact(sentence, tokens, tags, f, clauses, language)) for f in found if f.kind]
    figures = [f for f in found if not f.kind]
    readings = [read_what(tokens, figure, clauses, language, tags).what for figure in figures]
    counted = [len(range(*noun_phrase_after(tokens, tags, f, clauses, language))) > 0 for f in figures]
    bracket_end, converted = -1, ""
    for index, figure in enumerate(figures):
        what = elided_what(tokens, tags, figures, readings, counted, index)
        if figure.end < bracket_end or is_converted(tokens, figures, index, language):
            what = converted  # "$7.4 billion" in "€6.8bn ($7.4bn)" and in "€6.8bn, or $7.4bn"
        bracket_end, converted = skip_conversion(tokens, figure.end), what
        if is_increment(tokens, figure):
            figure.qualifier = "additional"
        value = sentence[tokens[figure.start].start : tokens[figure.end - 1].end]
        number = round(figure.number, 6) if figure.number is not None else None
        placed.append((figure.start, Fact(value, number, figure.unit, what, sentence, figure.qualifier)))
    return [
        fact for _, fact in sorted(placed, key=lambda p: p[0]) if fact.what or fact.unit not in DATED_UNITS
    ]


def is_converted(tokens: list[Token], figures: list[Figure], index: int, language: str) -> bool:
    """Return True for a sum given again in another currency after ", or": "3.2 billion euros, or about
    $3.5 billion"."""
    if index == 0:
        return False
    k = skip_qualifier(tokens, figures[index].start, language) - 1
    if k < 1 or tokens[k].low not in ("or", "oder", "o") or tokens[k - 1].text != ",":
        return False
    units = unit_by_id()
    pair = [units.get(figures[i].unit) for i in (index - 1, index)]
    return all(u is not None and u.cls.startswith("money") for u in pair) and figures[index - 1].end == k - 1


def dated_fact(
    sentence: str, tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], language: str
) -> Fact:
    """A time of day, a year or an age as a fact: its unit is its kind ("clock", "date", "age"), so it is
    never compared as a count, and its value keeps "a.m.", "Uhr" or "-year-old" ("4:12 a.m.")."""
    end = figure.end
    while end < len(tokens) and _glued_or_marker(tokens, end):
        end += 1
    value = sentence[tokens[figure.start].start : tokens[end - 1].end]
    what = dated_text(tokens, tags, replace(figure, end=end), clauses, language)
    number = round(figure.number, 6) if figure.number is not None else None
    return Fact(value, number, figure.kind, what, sentence, figure.qualifier)


def _glued_or_marker(tokens: list[Token], k: int) -> bool:
    """Return True for what a time or an age carries after its number: "am", "a.m.", "Uhr", "-year-old"."""
    low = tokens[k].low.rstrip(".")
    if low in AMPM or low in ("a.m", "p.m"):
        return True
    after_hyphen = k > 0 and tokens[k - 1].text == "-"
    return tokens[k].text == "-" or (after_hyphen and (low in ("old", "year") or low.startswith("jährig")))


def elided_what(
    tokens: list[Token],
    tags: list[str],
    figures: list[Figure],
    readings: list[str],
    counted: list[bool],
    index: int,
) -> str:
    """Describe a figure by what its neighbour counts: the first of "between 15 and 20 meteors" by the noun
    the second counts; a figure whose noun is left out ("davon 2.600 in Deutschland", "17 votos a favor y
    16 en contra", "up from about 850,000") by the figure before it, with the place it adds."""
    figure = figures[index]
    ends = figure.qualifier in ("range", "earlier") and index + 1 < len(figures)
    if ends and counted[index + 1] and not counted[index]:
        partner = figures[index + 1]  # the same quantity, before and after or at both ends
        if partner.start - figure.end <= 2 and (partner.unit == figure.unit or not figure.unit):
            return readings[index + 1]
    if readings[index] or ends:
        return readings[index]
    before = [k for k in range(index) if figures[k].unit == figure.unit and readings[k]]
    if not before:
        return ""
    added = words(tokens, adjunct_after(tokens, tags, figure.end))
    return f"{readings[before[-1]]} {added}".strip()


def adjunct_after(tokens: list[Token], tags: list[str], k: int) -> tuple[int, int]:
    """Return the span of a prepositional phrase at token k ("in Deutschland", "en contra": "contra" is a
    preposition too), empty if none."""
    if k >= len(tokens) or tags[k] != "prep":
        return k, k
    end = k + 1
    while end < len(tokens) and tags[end] == "det":
        end += 1
    start_noun = end
    while end < len(tokens) and tags[end] in ("noun", "name", "adj", "prep") and end - start_noun < 2:
        end += 1
    return (k, end) if end > start_noun else (k, k)


def is_increment(tokens: list[Token], figure: Figure) -> bool:
    """Return True for "three more bodies", "dos cuerpos más", "weitere drei Tote", "another 3"."""
    after = [t.low for t in tokens[figure.end : figure.end + 3]]
    before = tokens[figure.start - 1].low if figure.start > 0 else ""
    more_after = after[:1] in (["more"], ["additional"], ["further"], ["weitere"]) or after[1:2] == ["más"]
    return more_after or before in ("another", "weitere", "additional")


def _has_number_word(tokens: list[Token], language: str) -> bool:
    vocab = words_for(language)
    return any(t.low.split("-")[0] in vocab or t.low in FRACTIONS for t in tokens if t.kind == "word")
