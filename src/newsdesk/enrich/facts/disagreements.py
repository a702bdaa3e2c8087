"""Comparing a story's sources: figures they disagree on (or a tally that changed), figures they agree on."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.enrich.facts.facts import (
    DATED_UNITS,
    MAX_CLAIMS,
    MAX_RATIO,
    MAX_SOURCES,
    Corroboration,
    Disagreement,
    Fact,
    FactSource,
    ReportedValue,
)
from newsdesk.enrich.facts.meaning import concepts_of
from newsdesk.enrich.facts.vocab import Unit, concept_kinds, unit_by_id

DATED = DATED_UNITS | {"time"}


@dataclass(frozen=True)
class Claim:
    """One article's figure for a quantity, ready to compare."""

    index: int  # position of the source in the input
    fact: Fact
    cls: str
    number: float
    concepts: frozenset[str]
    strong: frozenset[str]  # concepts specific enough to match on
    events: frozenset[str]
    low: float = 0.0  # the range of values the claim allows, given its qualifier
    high: float = 0.0


def make_claims(index: int, source: FactSource) -> list[Claim]:
    """Turn an article's facts into claims that can be compared across articles."""
    kinds = concept_kinds()
    claims = []
    for fact in source.facts:
        if fact.number is None or fact.qualifier in ("earlier", "range", "additional") or fact.unit in DATED:
            continue  # a clock time may be local or not, a year or an age is no quantity to tally
        concepts = concepts_of(fact.what, source.language)
        strong = frozenset(c for c in concepts if kinds.get(c) in ("thing", "tally", "event"))
        strong -= {"reduced", "increased"}
        if not strong:
            continue
        unit = unit_by_id().get(fact.unit)
        cls = unit.cls if unit else "count"
        if cls in ("duration", "time"):
            continue  # "five years" of a phase-in and of an age look alike: too easily confused
        events = frozenset(c for c in concepts if kinds.get(c) in ("event", "tally"))
        number = to_base_unit(fact.number, unit)
        low, high = interval(number, fact.qualifier)
        claims.append(Claim(index, fact, cls, number, concepts, strong, events, low, high))
    return claims


def to_base_unit(number: float, unit: Unit | None) -> float:
    """Convert a value to its class's base unit (hectares, metres, °C …) so 4,900 °F meets 2,700 °C."""
    if unit is None or unit.cls.startswith("money"):
        return number
    if unit.id == "°F":
        return (number - 32) * 5 / 9
    return number * unit.factor


def interval(x: float, q: str) -> tuple[float, float]:
    """Return the range of values a figure allows, given its qualifier ("about 3,000", "at least 9")."""
    is_round = x >= 20 and _significant_digits(x) <= 2
    if q == "about":
        return x * 0.97, x * 1.03
    if q == "nearly":
        return x * 0.9, x
    if q in ("at least", "more than"):
        return (x, x * 1.3) if is_round else (x, x)
    if q in ("up to", "less than"):
        return (x * 0.7, x) if is_round else (x, x)
    return x * (1 - 1e-6), x * (1 + 1e-6)


def _significant_digits(x: float) -> int:
    digits = f"{x:.6g}".replace(".", "").replace("-", "").lstrip("0").rstrip("0")
    return max(1, len(digits.split("e")[0]))


def consistent(a: Claim, b: Claim) -> bool:
    """Return True when two claims can both be right (a converted unit gets a little slack)."""
    lo_a, hi_a = (a.low, a.high) if a.low <= a.high else (a.high, a.low)
    lo_b, hi_b = (b.low, b.high) if b.low <= b.high else (b.high, b.low)
    slack = 0.03 if a.fact.unit != b.fact.unit else 0.0
    return lo_a * (1 - slack) <= hi_b * (1 + slack) and lo_b * (1 - slack) <= hi_a * (1 + slack)


def match_score(a: Claim, b: Claim) -> float:
    """Score how surely two claims measure the same quantity (0 = not the same)."""
    if a.cls != b.cls or not (a.strong & b.strong):
        return 0.0
    if a.events and b.events and not (a.events & b.events):
        return 0.0
    things_a, things_b = a.strong - a.events, b.strong - b.events
    if things_a and things_b and not (things_a & things_b):
        return 0.0
    return len(a.concepts & b.concepts) / len(a.concepts | b.concepts)


def best_partner(claim: Claim, others: list[Claim]) -> Claim | None:
    """Return the claim among others that most surely measures the same quantity."""
    scored = [(consistent(claim, o), match_score(claim, o), -abs(o.number - claim.number), o) for o in others]
    scored = [s for s in scored if s[1] > 0]
    if not scored:
        return None
    return max(scored, key=lambda s: s[:3])[3]


def index_claims(claims: list[Claim]) -> dict[str, list[Claim]]:
    """Index an article's claims by their specific concepts, to compare only claims that share one."""
    index: dict[str, list[Claim]] = {}
    for claim in claims:
        for concept in claim.strong:
            index.setdefault(concept, []).append(claim)
    return index


def candidates_for(claim: Claim, index: dict[str, list[Claim]]) -> list[Claim]:
    """Return the other article's claims sharing a concept and a unit class with this one."""
    seen: dict[int, Claim] = {}
    for concept in claim.strong:
        for other in index.get(concept, ()):
            if other.cls == claim.cls:
                seen.setdefault(id(other), other)
    return list(seen.values())


def link_claims(claims_by_article: list[list[Claim]]) -> list[tuple[Claim, Claim]]:
    """Pair each claim with its mutual best partner in every other article."""
    indexes = [index_claims(claims) for claims in claims_by_article]
    pairs = []
    for i in range(len(claims_by_article)):
        for j in range(i + 1, len(claims_by_article)):
            reverse: dict[int, Claim | None] = {}
            for a in claims_by_article[i]:
                b = best_partner(a, candidates_for(a, indexes[j]))
                if b is None:
                    continue
                if id(b) not in reverse:
                    reverse[id(b)] = best_partner(b, candidates_for(b, indexes[i]))
                if reverse[id(b)] is a:
                    pairs.append((a, b))
    return pairs


def group_pairs(pairs: list[tuple[Claim, Claim]]) -> list[list[Claim]]:
    """Join linked claims into groups (connected components)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    members: dict[int, Claim] = {}
    for a, b in pairs:
        members[id(a)], members[id(b)] = a, b
        parent[find(id(a))] = find(id(b))
    groups: dict[int, list[Claim]] = {}
    for key, claim in members.items():
        groups.setdefault(find(key), []).append(claim)
    return list(groups.values())


def compare_reports(articles: Sequence[FactSource]) -> list[list[Claim]]:
    """Groups of claims that report one quantity, each article's first mention, outliers left out."""
    claims = [make_claims(i, a)[:MAX_CLAIMS] for i, a in enumerate(articles[:MAX_SOURCES])]
    compared = []
    for group in group_pairs(link_claims(claims)):
        first_by_article: dict[int, Claim] = {}
        for claim in sorted(group, key=lambda c: (c.index, articles[c.index].facts.index(c.fact))):
            first_by_article.setdefault(claim.index, claim)
        chosen = drop_outliers(list(first_by_article.values()))
        if len(chosen) < 2:
            continue
        if len(chosen) == 2 and not strongly_linked(*chosen):
            continue  # two reports that share only a noun ("visitors") may be about different things
        compared.append(chosen)
    return compared


def all_consistent(claims: list[Claim]) -> bool:
    return all(consistent(a, b) for a in claims for b in claims)


def compare_sources(articles: Sequence[FactSource]) -> tuple[list[Corroboration], list[Disagreement]]:
    """The figures a story's sources agree on (most sources first) and those they report differently."""
    agreements, disagreements = [], []
    for claims in compare_reports(articles):
        if not all_consistent(claims):
            disagreements.append(describe(claims, articles))
            continue
        ordered = oldest_first(claims, articles)
        example = example_of(ordered, articles)
        agreements.append(Corroboration(example.what, example.value, reported_values(ordered, articles)))
    agreements.sort(key=lambda c: (-len({v.source for v in c.values}), c.what))
    return agreements, sorted(disagreements, key=lambda d: d.what)


def strongly_linked(a: Claim, b: Claim) -> bool:
    """Return True when two claims share what happened (killed, cancelled…) or two specific concepts."""
    return bool(a.events & b.events) or len(a.strong & b.strong) >= 2


def drop_outliers(claims: list[Claim]) -> list[Claim]:
    """Leave out figures far from the others (150 fans at a club against 18,000 at the stadium)."""
    numbers = sorted(abs(c.number) for c in claims)
    median = numbers[len(numbers) // 2]
    if median == 0:
        return claims
    return [c for c in claims if 1 / MAX_RATIO <= abs(c.number) / median <= MAX_RATIO]


def oldest_first(claims: list[Claim], articles: Sequence[FactSource]) -> list[Claim]:
    """The claims in the order their articles were published (undated ones first)."""

    def when(c: Claim) -> datetime:
        published = articles[c.index].published
        return published.replace(tzinfo=None) if published else datetime.min

    return sorted(claims, key=when)


def example_of(ordered: list[Claim], articles: Sequence[FactSource]) -> Fact:
    """The fact that names the quantity for readers: the oldest English report's, else the oldest's."""
    english = [c for c in ordered if articles[c.index].language == "en"]
    return (english or ordered)[0].fact


def reported_values(ordered: list[Claim], articles: Sequence[FactSource]) -> list[ReportedValue]:
    """Each claim as readers see it: its article, source, time and figure as written."""
    return [
        ReportedValue(
            articles[c.index].article_id,
            articles[c.index].source,
            articles[c.index].published,
            c.fact.value,
            c.fact.number,
        )
        for c in ordered
    ]


def describe(claims: list[Claim], articles: Sequence[FactSource]) -> Disagreement:
    """Build the Disagreement shown to readers: values oldest first, with the kind of difference."""
    ordered = oldest_first(claims, articles)
    values = reported_values(ordered, articles)
    example = example_of(ordered, articles)
    what = example.what
    unit = unit_by_id().get(example.unit)
    if unit and unit.cls not in ("percent", "count") and not unit.cls.startswith("money"):
        what = f"{example.value.split()[-1]} {what}".strip()  # "hectares burned"
    return Disagreement(what, values, classify_change(ordered))


def classify_change(ordered: list[Claim]) -> str:
    """Return "changed_over_time" when a running tally moves one way from report to report (the dead only
    grow; the missing may fall as people are found: 6, then 3), else "conflict"."""
    kinds = concept_kinds()
    is_tally = any(kinds.get(c) == "tally" for claim in ordered for c in claim.events)
    numbers = [c.number for c in ordered]
    grows = all(b >= a for a, b in itertools.pairwise(numbers))
    falls = all(b <= a for a, b in itertools.pairwise(numbers))
    return "changed_over_time" if is_tally and (grows or falls) else "conflict"
