"""Counts a headline writes (digits or number words), and the headline with another value in their place."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.enrich.facts.meaning import concepts_of
from newsdesk.enrich.facts.numbers import find_figures, read_multiplier, read_number_words
from newsdesk.enrich.facts.phrases import find_cues
from newsdesk.enrich.facts.skips import is_not_a_count
from newsdesk.enrich.facts.tokens import Figure, Token, tokenize
from newsdesk.enrich.facts.vocab import concept_kinds, number_words, unit_by_id

GROUPING = {"en": ",", "de": ".", "es": "."}  # thousands separator a language writes when a text shows none
DECIMAL = {"en": ".", "de": ",", "es": ","}
WORDED_UP_TO = 12  # style guides of all three languages write counts up to twelve in words, larger in digits
NEAR = 3  # words either side of a count that may say what it counts ("toll reaches 12", "neun Tote")
NO_COUNT = frozenset(["score", "time", "%", "pp"])  # figures that count nothing


@dataclass(frozen=True)
class WrittenCount:
    """A count as a text writes it: the characters of its number, its value and what scales the number."""

    start: int
    end: int  # the digits or number words only: no currency, multiplier ("million") or unit
    number: float
    scale: float = 1.0  # "1.5 million": the number written is number / scale
    worded: bool = False
    tallies: frozenset[str] = frozenset()  # running counts the words next to it name ("killed", "missing")


def counts_in(text: str, language: str) -> list[WrittenCount]:
    """The counts a text writes, read as the facts stage reads figures (digits and number words, also a
    word with no noun after it: "Floods kill nine"); dates, times, years, ages, durations, scores, shares
    and "one" are left out."""
    tokens = tokenize(text, language)
    return [
        count
        for figure in find_figures(tokens, language)
        if is_count(tokens, figure, language)
        if (count := written_count(tokens, figure, language)) is not None
    ]


def is_count(tokens: list[Token], figure: Figure, language: str) -> bool:
    """Whether a figure counts something: a running count is no time, duration, score or share."""
    units = unit_by_id()
    if figure.number is None or figure.unit in NO_COUNT or (figure.worded and figure.number < 2):
        return False
    if figure.unit in units and units[figure.unit].cls == "duration":
        return False
    return not is_not_a_count(tokens, figure, language)


def written_count(tokens: list[Token], figure: Figure, language: str) -> WrittenCount | None:
    """Where the number of a figure is written and the scale its multiplier gives it."""
    first = figure.start + (tokens[figure.start].kind == "sym")  # after a currency sign
    number = figure.number or 0.0
    tallies = tallies_near(tokens, figure, language)
    if tokens[first].kind == "num":
        scale, _ = read_multiplier(tokens, first + 1, language, money=first > figure.start)
        return WrittenCount(tokens[first].start, tokens[first].end, number, scale, tallies=tallies)
    read = read_number_words(tokens, first, language)
    if read is None:
        return None
    return WrittenCount(tokens[first].start, tokens[read[1] - 1].end, number, worded=True, tallies=tallies)


def tallies_near(tokens: list[Token], figure: Figure, language: str) -> frozenset[str]:
    """The running counts (killed, missing …) that the words next to a figure name."""
    kinds = concept_kinds()
    before = find_cues(tokens, figure.start - NEAR, figure.start, language)
    after = find_cues(tokens, figure.end, figure.end + NEAR, language)
    return frozenset(h.concept.name for h in before + after if kinds.get(h.concept.name) == "tally")


def may_count(count: WrittenCount, what: str) -> bool:
    """Whether a count may be the running count ``what`` describes (in any language): the words next to
    it name that count ("Zwölf Vermisste" is no count of "people killed") or no running count at all."""
    return not count.tallies or bool(count.tallies & concepts_of(what, ""))


def with_count(text: str, count: WrittenCount, number: float, language: str) -> str:
    """The text with another value in place of a count, written as the count was: words stay words up to
    twelve ("neun" → "zwölf", "Nine" → "14"), digits keep their grouping ("3.000" → "3.400")."""
    written = text[count.start : count.end]
    word = number_word(number, language, capital=written[:1].isupper()) if number <= WORDED_UP_TO else None
    if count.worded:
        new = word or digits(number, "", language)
    else:
        new = digits(number / count.scale, written, language)
    return text[: count.start] + new + text[count.end :]


def number_word(number: float, language: str, *, capital: bool = False) -> str | None:
    """The language's one word for a value ("twelve", "zwölf", "doce"), from the facts stage's lexicon."""
    for word, (value, role) in number_words().get(language, {}).items():
        if role == "add" and value == number:
            return word[:1].upper() + word[1:] if capital else word
    return None


def digits(number: float, written: str, language: str) -> str:
    """Write a number as another was written ("3.000" -> "3.400", "12" -> "14", "1,5" -> "2,3")."""
    decimal = DECIMAL.get(language, ".")
    if number != int(number):
        return f"{number:.1f}".replace(".", decimal)
    shown = [c for c in written if c in ".,"]
    grouping = shown[0] if shown and written.rsplit(shown[0], 1)[-1].isdigit() else ""
    if grouping == decimal and len(written.rsplit(grouping, 1)[-1]) != 3:
        grouping = ""  # "1,5": a decimal, not a grouping
    grouping = grouping or (GROUPING.get(language, ",") if number >= 10_000 else "")
    return f"{int(number):,}".replace(",", grouping) if grouping else str(int(number))
