"""Key facts, the vocabularies: number words, units, qualifiers and what figures count, per language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from newsdesk.enrich.facts.tokens import LANGUAGES, tokenize
from newsdesk.text import read_rows


@dataclass(frozen=True)
class Unit:
    id: str
    cls: str
    factor: float


@dataclass(frozen=True)
class Concept:
    name: str
    kind: str  # thing, weak, event, tally
    label: str


@cache
def number_words() -> dict[str, dict[str, tuple[float, str]]]:
    """Return language -> word -> (value, role)."""
    table: dict[str, dict[str, tuple[float, str]]] = {}
    for lang, word, value, role in read_rows("numbers.tsv"):
        table.setdefault(lang, {})[word] = (float(value), role)
    return table


@cache
def words_for(language: str) -> dict[str, tuple[float, str]]:
    """Return the number words of a language, or of all languages when it is unknown."""
    table = number_words()
    if language in table:
        return table[language]
    merged: dict[str, tuple[float, str]] = {}
    for lang in LANGUAGES:
        merged.update(table[lang])
    return merged


@cache
def unit_forms() -> dict[tuple[str, ...], Unit]:
    """Return the surface forms of units (as token tuples) mapped to their units."""
    forms: dict[tuple[str, ...], Unit] = {}
    for unit_id, cls, factor, surfaces in read_rows("units.tsv"):
        unit = Unit(unit_id, cls, float(factor))
        for surface in surfaces.split("|"):
            forms.setdefault(tuple(t.low for t in tokenize(surface, "en")), unit)
    return forms


@cache
def unit_by_id() -> dict[str, Unit]:
    """Return the units by their ids."""
    return {unit.id: unit for unit in unit_forms().values()}


@cache
def qualifier_phrases() -> dict[str, dict[tuple[str, ...], str]]:
    """Return language -> qualifier phrase (token tuple) -> canonical qualifier."""
    table: dict[str, dict[tuple[str, ...], str]] = {}
    for lang, phrase, canonical in read_rows("qualifiers.tsv"):
        table.setdefault(lang, {})[tuple(t.low for t in tokenize(phrase, lang))] = canonical
    return table


@cache
def qualifiers_for(language: str) -> dict[tuple[str, ...], str]:
    """Return the qualifier phrases of a language, or of all languages when it is unknown."""
    table = qualifier_phrases()
    if language in table:
        return table[language]
    merged: dict[tuple[str, ...], str] = {}
    for lang in LANGUAGES:
        merged.update(table[lang])
    return merged


@cache
def concept_cues() -> dict[str, dict[tuple[str, ...], Concept]]:
    """Return language -> cue (token tuple, a trailing * on a word for any ending) -> concept."""
    table: dict[str, dict[tuple[str, ...], Concept]] = {}
    for name, kind, lang, cues in read_rows("concepts.tsv"):
        surfaces = cues.split("|")
        concept = Concept(name, kind, surfaces[0])
        for surface in surfaces:
            key = tuple(surface.lower().split())
            table.setdefault(lang, {}).setdefault(key, concept)
    return table


@cache
def cues_for(language: str) -> dict[tuple[str, ...], Concept]:
    """Return the concept cues of a language, or of all languages when it is unknown."""
    table = concept_cues()
    if language in table:
        return table[language]
    merged: dict[tuple[str, ...], Concept] = {}
    for lang in LANGUAGES:
        for key, concept in table[lang].items():
            merged.setdefault(key, concept)
    return merged


@cache
def concept_kinds() -> dict[str, str]:
    """Return concept name -> kind."""
    return {c.name: c.kind for table in concept_cues().values() for c in table.values()}
