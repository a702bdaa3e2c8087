"""`newsdesk bench facts`: key facts and source disagreements measured on the demo corpus's own lists.

Each demo article lists the figures it reports (value and what it counts) and the corpus lists where its
sources disagree; both were written with the corpus, before the extractor was tuned. The same scores are
the evaluation floors of ``enrich/facts/test_facts.py``.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import click

from newsdesk.demo.corpus import OUTLETS, Article, Corpus, load_corpus
from newsdesk.demo.corpus import Fact as CorpusFact
from newsdesk.enrich.facts import Fact, FactSource, compare_sources, concepts_of, extract_facts, numbers_in

NOW = datetime(2025, 1, 1, tzinfo=UTC)

CLOCK = re.compile(
    r"a\.m\.|p\.m\.|\d(am|pm)\b|uhr\b|midnight|mitternacht|madrugada|de la mañana|at night|in the morning|"
    r"^([01]?\d|2[0-3])[.:][0-5]\d$",
    re.I,
)
YEAR = re.compile(r"^(1[89]|20)\d\ds?$|^early \d+(st|nd|rd|th)-century$")
AGE_VALUE = re.compile(r"^\d{1,3}( años)?$|-year-old$|-jährige$", re.I)
AGE_WHAT = re.compile(r"\b(age|alter|edad)\b", re.I)
DATE = re.compile(
    r"\b\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre)", re.I
)
ORDINAL = re.compile(r"\d(st|nd|rd|th)\b|ª|^(seventh|ninth|elfter|decimocuarta|séptimo)$", re.I)
IDENTIFIER = re.compile(r"^[A-ZÁÉ][a-zé]+ \d+$|^[A-Z]\d+$|^\d+K$|^(kilómetro|línea) \d+$|under-16s")
VAGUE = re.compile(r"several|a few|halved|dozen|veces|triple|zweistellig|halber", re.I)


def in_scope(value: str, what: str) -> bool:
    """Return False for corpus facts the extractor skips by design: times of day, dates, years, ages of
    people, ordinals, identifiers ("Pier 9", "A614") and vague amounts ("several", "halved")."""
    if AGE_VALUE.search(value) and AGE_WHAT.search(what):
        return False
    patterns = (CLOCK, YEAR, DATE, ORDINAL, IDENTIFIER, VAGUE)
    return not any(p.search(value) for p in patterns)


def corpus_numbers(value: str, language: str) -> list[float]:
    return numbers_in(value, language)


def stems(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return {w[:5] for w in re.findall(r"[^\W\d_]+", plain) if len(w) > 2}


def find_match(value: str, language: str, facts: list[Fact]) -> Fact | None:
    numbers = corpus_numbers(value, language)
    for fact in facts:
        if fact.number is None:
            if fact.value in value or value in fact.value:
                return fact
        elif any(abs(fact.number - n) <= 1e-6 * max(1.0, abs(n)) for n in numbers) and value in fact.sentence:
            return fact
    return None


@dataclass(frozen=True)
class Judged:
    """One fact the corpus lists, the extracted fact that matches it (None when missed) and whether their
    descriptions share a word stem or a concept."""

    article_id: str
    expected: CorpusFact
    in_scope: bool
    hit: Fact | None
    sensible: bool


def judge_article(article: Article) -> tuple[list[Judged], int, int]:
    """Judge each fact an article lists; also return how many facts were extracted and how many matched."""
    facts = extract_facts("\n".join(article.body), article.lang)
    judged, used = [], set()
    for expected in article.facts:
        hit = find_match(expected.value, article.lang, facts)
        sensible = False
        if hit is not None:
            used.add(id(hit))
            shared = concepts_of(expected.what, article.lang) & concepts_of(hit.what, article.lang)
            sensible = bool(stems(expected.what) & stems(f"{hit.value} {hit.what}") or shared)
        judged.append(Judged(article.id, expected, in_scope(expected.value, expected.what), hit, sensible))
    return judged, len(facts), len(used)


def judge_corpus(corpus: Corpus) -> tuple[list[Judged], int, int]:
    """Judge every listed fact of the corpus, with the counts of extracted and matched facts."""
    judged: list[Judged] = []
    extracted = matched = 0
    for article in corpus.articles.values():
        found, n_extracted, n_matched = judge_article(article)
        judged += found
        extracted += n_extracted
        matched += n_matched
    return judged, extracted, matched


def score_facts(corpus: Corpus) -> dict[str, float]:
    """Recall of the corpus's listed facts (all, and those in scope), precision against them, and how often
    the description shares a word stem or a concept with the corpus's: label agreement over every listed
    fact (``facts_sensible_what``; figures never reported count against it) and over the listed facts the
    extractor reported."""
    judged, extracted, matched = judge_corpus(corpus)
    found = [j for j in judged if j.hit is not None]
    scope = [j for j in judged if j.in_scope]
    sensible = sum(j.sensible for j in judged)
    return {
        "facts_recall_all": len(found) / len(judged),
        "facts_recall_in_scope": sum(j.hit is not None for j in scope) / len(scope),
        "facts_precision_against_corpus": matched / extracted,
        "facts_sensible_what": sensible / len(judged),
        "facts_sensible_what_of_found": sensible / max(len(found), 1),
    }


def misses_text(judged: list[Judged]) -> list[str]:
    """One line per listed fact that is missed or labelled with nothing in common with the corpus's label:
    article id, expected value and what, then what was found (missed facts out of scope are marked)."""
    lines = []
    for j in judged:
        if j.sensible:
            continue
        expected = f"{j.article_id}\t{j.expected.value!r} / {j.expected.what!r}"
        if j.hit is None:
            lines.append(f"missed\t{expected}" + ("" if j.in_scope else "\t(out of scope)"))
        else:
            lines.append(f"label\t{expected}\t-> {j.hit.value!r} / {j.hit.what!r}")
    return lines


def sources_by_event(corpus: Corpus) -> dict[str, list[FactSource]]:
    """The corpus's reports grouped by the event they cover, as the fact comparison reads them."""
    events: dict[str, list[FactSource]] = defaultdict(list)
    for article in corpus.articles.values():
        events[article.event].append(source_of(article))
    return events


def source_of(article: Article) -> FactSource:
    facts = extract_facts("\n".join(article.body), article.lang)
    published = NOW - timedelta(hours=article.hours_ago)
    return FactSource(article.id, OUTLETS[article.outlet].name, published, article.lang, facts)


def missed_disagreements(corpus: Corpus, events: dict[str, list[FactSource]]) -> list[str]:
    """The corpus's disagreements that ``compare_sources`` does not report with every listed figure."""
    missed = []
    for expected in corpus.disagreements:
        event = corpus.articles[next(iter(expected["values"]))].event
        wanted = {
            aid: corpus_numbers(str(v), corpus.articles[aid].lang)[0] for aid, v in expected["values"].items()
        }
        found = compare_sources(events[event])[1]
        if not any(
            all(wanted[a] == n for a, n in got.items() if a in wanted) and wanted.keys() <= got.keys()
            for got in ({v.article_id: v.number for v in d.values} for d in found)
        ):
            missed.append(str(expected["what"]))
    return missed


@click.command("facts")
@click.option(
    "-v", "--misses", is_flag=True, help="Also list each listed fact missed or labelled unlike the corpus."
)
def command(misses: bool) -> None:
    """Score key facts and source disagreements on the demo corpus's own lists."""
    corpus = load_corpus()
    if misses:
        for line in misses_text(judge_corpus(corpus)[0]):
            click.echo(line)
    started = time.perf_counter()
    scores = score_facts(corpus)
    extracting = time.perf_counter() - started
    events = sources_by_event(corpus)
    started = time.perf_counter()
    compared = [compare_sources(sources) for sources in events.values()]
    comparing = time.perf_counter() - started
    missed = missed_disagreements(corpus, events)
    for name, value in scores.items():
        click.echo(f"{name:<34} {value:.3f}")
    found = len(corpus.disagreements) - len(missed)
    click.echo(
        f"{'disagreements found':<34} {found}/{len(corpus.disagreements)}"
        + (f" missed: {missed}" if missed else "")
    )
    click.echo(f"{'disagreements reported':<34} {sum(len(d) for _, d in compared)} in {len(events)} events")
    click.echo(f"{'agreements reported':<34} {sum(len(a) for a, _ in compared)}")
    click.echo(
        f"articles={len(corpus.articles)} extraction {len(corpus.articles) / extracting:.0f} articles/s "
        f"(scoring included), comparison {len(events) / comparing:.0f} events/s"
    )
