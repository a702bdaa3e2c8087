"""Key facts, figures that are not facts: times of day, dates, years, ages, identifiers, lone words."""

from __future__ import annotations

import re

from newsdesk.enrich.facts.tokens import (
    AGE_AFTER,
    AGE_BEFORE,
    AMPM,
    DAYPARTS,
    IDENT_BEFORE,
    TIME_CUES,
    YEAR_CUES,
    Figure,
    Token,
    _glued,
)
from newsdesk.enrich.facts.vocab import qualifiers_for
from newsdesk.text import calendar_words, stop_words


def is_skipped(tokens: list[Token], figure: Figure, language: str) -> bool:
    """Return True for times of day, dates, years, ages, identifiers and lone small words."""
    return is_not_a_count(tokens, figure, language) or is_weak_word(tokens, figure, language)


def dated_kind(tokens: list[Token], figure: Figure, language: str) -> str:
    """Return "clock" for a time of day, "date" for a year and "age" for a person's age: figures that count
    nothing but still tell the reader when something happened or how old someone is ("" otherwise)."""
    if _is_time_of_day(tokens, figure, language):
        return "clock"
    if _is_year(tokens, figure, language):
        return "date"
    return "age" if _is_age(tokens, figure, language) else ""


def is_not_a_count(tokens: list[Token], figure: Figure, language: str) -> bool:
    """Return True for times of day, dates, years, ages and identifiers (a number word with no noun after
    it may still count, as in a headline: "Floods kill nine")."""
    checks = (_is_time_of_day, _is_date, _is_year, _is_age, _is_identifier)
    return any(check(tokens, figure, language) for check in checks)


def _is_time_of_day(tokens: list[Token], figure: Figure, language: str) -> bool:
    after = " ".join(t.low for t in tokens[figure.end : figure.end + 4])
    if figure.end < len(tokens) and tokens[figure.end].low.rstrip(".") in AMPM | {"a.m", "p.m"}:
        return True
    if any(after.startswith(part) for part in DAYPARTS) or after.split(" ")[0] in (
        "abends",
        "morgens",
        "nachts",
    ):
        return True
    before = tokens[figure.start - 1].low if figure.start > 0 else ""
    first = tokens[figure.start].text
    clock = re.fullmatch(r"([01]?\d|2[0-3])[.,:][0-5]\d", first)
    if clock and not figure.unit and before in TIME_CUES | {"las"}:
        return True
    if figure.end + 2 < len(tokens) and tokens[figure.end].low in ("bis", "and", "y", "to", "a"):
        return tokens[figure.end + 2].low.rstrip(".") in AMPM
    return False


def _is_date(tokens: list[Token], figure: Figure, language: str) -> bool:
    """Return True for a day of the month next to a month or weekday name ("17 October", "Monday 3")."""
    months = calendar_words()
    if (figure.number is not None and figure.number > 31) or "," in tokens[figure.start].text:
        return False
    near = [t.low.rstrip(".") for t in tokens[max(0, figure.start - 2) : figure.start]]
    near += [t.low.rstrip(".") for t in tokens[figure.end : figure.end + 2]]
    if figure.unit or figure.number is None or figure.number > 2100 or figure.number != int(figure.number):
        return False
    return any(word in months for word in near)


def _is_year(tokens: list[Token], figure: Figure, language: str) -> bool:
    text = tokens[figure.start].text
    if figure.unit or figure.worded or not re.fullmatch(r"1[89]\d\d|20\d\d", text):
        return False
    before = tokens[figure.start - 1].low if figure.start > 0 else ""
    after = tokens[figure.end] if figure.end < len(tokens) else None
    if before in YEAR_CUES or after is None or after.kind != "word":
        return True
    return after.low in stop_words(language) or after.low in calendar_words() or after.low in ("s", "er")


def _is_age(tokens: list[Token], figure: Figure, language: str) -> bool:
    if figure.number is None or figure.number > 120 or figure.unit not in ("", "year"):
        return False
    following = [t.low for t in tokens[figure.end : figure.end + 3]]
    if following and (following[0] in AGE_AFTER or following[0].startswith(("year-old", "jährig"))):
        return True
    joined = "".join(t.low for t in tokens[figure.start + 1 : figure.start + 6])
    if joined.startswith(("-year-old", "-years-old", "year-old", "-jährig", "-año")):
        return True
    if (figure.unit == "year" and following[:1] in (["old"], ["alt"])) or following[:2] == ["de", "edad"]:
        return True
    before = [t.low for t in tokens[max(0, figure.start - 3) : figure.start]]
    if (before[-1:] and before[-1] in AGE_BEFORE) or before[-3:] == ["im", "alter", "von"]:
        return True
    return _is_apposition_age(tokens, figure)


def _is_apposition_age(tokens: list[Token], figure: Figure) -> bool:
    """Return True for "Sofia Teixeira, 34," / "Fernanda Rocha, de 63 años" / "Lea Hoffmann (27)" (such an
    age is written in digits: "Drei Tage Regen, neun Tote" counts the dead)."""
    if figure.worded:
        return False
    k = figure.start - 1
    if k >= 0 and tokens[k].low == "de" and figure.unit == "year":
        k -= 1
    if k < 1 or tokens[k].text not in (",", "("):
        return False
    name = tokens[k - 1]
    closing = tokens[figure.end].text if figure.end < len(tokens) else "."
    after_name = figure.unit == "year" or closing in (",", ")", ".", ";") or tokens[figure.end].kind == "word"
    return (
        name.kind == "word"
        and name.text[:1].isupper()
        and after_name
        and figure.number == int(figure.number or 0)
    )


def _is_identifier(tokens: list[Token], figure: Figure, language: str) -> bool:
    """Return True for "Pier 9", "line 4", "Autobahn 4", "A614", "phase 3", phone numbers."""
    if figure.unit or figure.start == 0 or figure.worded:
        return False
    before = tokens[figure.start - 1]
    if before.low in IDENT_BEFORE or (
        before.text == "-"
        and _glued(tokens, figure.start)
        and figure.start > 1
        and tokens[figure.start - 2].kind == "word"
    ):
        return True
    sentence_start = figure.start - 1 == 0
    possessive = before.low.endswith(("'s", "’s"))
    is_name = before.kind == "word" and before.text[:1].isupper() and not sentence_start and not possessive
    return (
        is_name and (before.low,) not in qualifiers_for(language) and before.low not in stop_words(language)
    )


def is_weak_word(tokens: list[Token], figure: Figure, language: str) -> bool:
    """Return True for a number word with nothing counted after it ("the two of them", "one day")."""
    if not figure.worded:
        return False
    if figure.unit:
        return figure.number == 1 and (_is_vague_one(tokens, figure) or not figure.qualifier)
    if figure.number is not None and figure.number < 2:
        return True
    if figure.number is not None and figure.number >= 1000:
        return False
    return counted_word(tokens, figure.end, language) is None


def counted_word(tokens: list[Token], j: int, language: str) -> int | None:
    """Return the index of the noun a number word counts: "two bridges", "six more stations",
    "cuatro de los espacios", "un centenar de aficionados"; None when there is none."""
    stops = stop_words(language)
    skippable = {"more", "other", "further", "más", "weitere", "weiteren", "andere", "otros", "otras"}
    partitive = {"of", "de", "der", "the", "los", "las", "del", "them", "ellos"}
    k = j + 1 if j < len(tokens) and tokens[j].text == "-" and _glued(tokens, j) else j
    while k < len(tokens) and k < j + 3 and tokens[k].low in skippable | partitive:
        k += 1
    if k < len(tokens) and tokens[k].kind == "word" and tokens[k].low not in stops:
        return k
    return None


def _is_vague_one(tokens: list[Token], figure: Figure) -> bool:
    """Return True for "a year ago", "once a week", "per hour", "one day" that are no figures."""
    before = tokens[figure.start - 1].low if figure.start > 0 else ""
    after = tokens[figure.end].low if figure.end < len(tokens) else ""
    vague_after = {
        "ago",
        "later",
        "earlier",
        "after",
        "before",
        "long",
        "or",
        "más",
        "später",
        "zuvor",
        "lang",
    }
    vague_before = {
        "once",
        "twice",
        "per",
        "every",
        "each",
        "a",
        "pro",
        "por",
        "al",
        "im",
        "zum",
        "hace",
        "cada",
        "last",
        "next",
    }
    return after in vague_after or before in vague_before or tokens[figure.start].low == "one"
