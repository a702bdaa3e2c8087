"""Key facts: the figures an article reports, what they count, and where sources disagree on them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from newsdesk.enrich.lexicon import marker_words, read_rows, read_words, stop_words

MAX_CHARS = 60_000  # longer texts are read only this far: the figures that matter come early
MAX_FACTS = 200
MAX_SOURCES = 200  # articles of one story compared
MAX_CLAIMS = 40  # comparable figures per article (an article has a dozen or two)
WINDOW = 15  # tokens either side of a figure searched for what it counts
MAX_RATIO = 2.5  # figures further than this from the others' median are about something else
LANGUAGES = ("en", "de", "es")


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


# ---------------------------------------------------------------------------------------------
# Tokens


@dataclass(frozen=True)
class Token:
    text: str
    low: str
    start: int
    end: int
    kind: str  # num, time, word, ident, sym, punct


TOKEN_RE = re.compile(
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
    r"|(?P<ident>[^\W\d_]+\d[\w]*|\d+[.,]?[ªº]|\d+(?:st|nd|rd|th|er|e|ème)\b)"
    r"|(?P<num>\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"|(?P<sym>S\$|US\$|A\$|C\$|HK\$|[€$£¥₹%°])"
    r"|(?P<ampm>[aApP]\.\s?[mM]\.)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?\.?)"
    r"|(?P<punct>\S)"
)
SPACED_GROUPS = re.compile(r"\b\d{1,3}(?: \d{3})+\b(?![.,]\d)")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+(?=[\"«„“‘(¿¡]*[A-ZÄÖÜÁÉÍÓÚÑ0-9])|\n+")
ABBREVIATIONS = marker_words("abbreviations")
CLAUSE_PUNCT = frozenset(',;:()–—"“”«»„‘’[]')
CLAUSE_WORDS = marker_words("clause_words")
PHONE_RE = re.compile(r"\+?\(?\d[\d ()./-]{6,}\d")
AMPM = frozenset(["am", "pm", "a.m", "p.m", "uhr", "h", "hrs", "horas", "o'clock"])
DAYPARTS = (
    "de la mañana",
    "de la tarde",
    "de la noche",
    "de la madrugada",
    "in the morning",
    "in the evening",
    "in the afternoon",
    "at night",
    "am morgen",
    "am abend",
    "in der nacht",
)
TIME_CUES = frozenset(["at", "um", "las", "gegen", "ab", "until", "till", "by", "before", "after", "since"])
YEAR_CUES = marker_words("year_cues")
AGE_AFTER = frozenset(["year-old", "years-old", "jährige", "jährigen", "jähriger", "jähriges", "jährig"])
AGE_BEFORE = frozenset(["aged", "age", "alter", "edad"])
IDENT_BEFORE = marker_words("ident_before")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split text into (offset, sentence) pairs, keeping abbreviations and German ordinals together."""
    sentences: list[tuple[int, str]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        before = text[max(start, match.start() - 12) : match.start()]
        last = before.rsplit(None, 1)[-1].rstrip(".").lower() if before.strip() else ""
        if "\n" not in match.group(0) and (
            last in ABBREVIATIONS or len(last) == 1 or _is_ordinal_dot(text, match)
        ):
            continue
        if text[start : match.start()].strip():
            sentences.append((start, text[start : match.start()]))
        start = match.end()
    if text[start:].strip():
        sentences.append((start, text[start:]))
    return sentences


def _is_ordinal_dot(text: str, match: re.Match[str]) -> bool:
    """Return True for a German "3. Oktober": a short number, a dot, then a month name."""
    if not re.search(r"(?<![\d.,])\d{1,2}\.$", text[max(0, match.start() - 6) : match.start()]):
        return False
    following = text[match.end() : match.end() + 12].split(maxsplit=1)
    return bool(following) and following[0].strip(".,").lower() in calendar_words()


def tokenize(sentence: str, language: str) -> list[Token]:
    """Split a sentence into tokens; digit groups separated by spaces join outside English."""
    if language != "en":
        sentence = SPACED_GROUPS.sub(lambda m: m.group(0).replace(" ", "\u00a0"), sentence)
    tokens = []
    for match in TOKEN_RE.finditer(sentence):
        kind = match.lastgroup or "punct"
        text = match.group(0)
        if kind == "ampm":
            kind, text = "word", text.replace(" ", "")
        if kind == "word" and text.endswith(".") and text[:-1].lower() not in ABBREVIATIONS:
            tokens.append(Token(text[:-1], text[:-1].lower(), match.start(), match.end() - 1, kind))
            tokens.append(Token(".", ".", match.end() - 1, match.end(), "punct"))
            continue
        tokens.append(Token(text, text.lower(), match.start(), match.end(), kind))
    return tokens


@cache
def calendar_words() -> frozenset[str]:
    """Return month and weekday names of all known languages."""
    return read_words("calendar.txt")


# ---------------------------------------------------------------------------------------------
# Vocabularies


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


# ---------------------------------------------------------------------------------------------
# Numbers


def parse_digits(text: str, language: str) -> float | None:
    """Read a digit string with the language's separators: 1,200 / 1.200 / 1 200 / 4,6 / 4.6."""
    text = re.sub(r"[\u00a0\u202f\u2009 ]", "", text)
    if "." in text and "," in text:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        return _to_float(text.replace("," if decimal == "." else ".", ""), decimal)
    for sep in ".,":
        if sep not in text:
            continue
        parts = text.split(sep)
        grouped = len(parts) > 2 or len(parts[1]) == 3
        if grouped and len(parts) == 2 and sep == _decimal_separator(language):
            grouped = False
        if grouped and all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
            return _to_float("".join(parts), sep)
        return _to_float(text, sep) if len(parts) == 2 else None
    return _to_float(text, ".")


def _decimal_separator(language: str) -> str:
    """Return the decimal separator of a language ("" when it is unknown)."""
    return {"en": ".", "de": ",", "es": ","}.get(language, "")


def _to_float(text: str, decimal: str) -> float | None:
    try:
        return float(text.replace(decimal, ".") if decimal == "," else text)
    except ValueError:
        return None


@dataclass
class Figure:
    """A figure found among the tokens, before it becomes a Fact."""

    start: int  # first token (qualifier excluded, currency included)
    end: int  # one past the last token (unit included)
    number: float | None
    unit: str = ""
    qualifier: str = ""
    worded: bool = False  # written in words ("two bridges")
    skip: bool = False


def read_number_words(tokens: list[Token], i: int, language: str) -> tuple[float, int] | None:
    """Read "forty thousand", "Twenty-five", "a million", "dos" starting at token i."""
    vocab = words_for(language)
    total, current, j, seen = 0.0, 0.0, i, False
    if vocab.get(tokens[i].low, (0.0, ""))[1] == "mult":
        return None  # "Millionen Fahrgäste", "thousands": no figure
    while j < len(tokens):
        if (
            tokens[j].text == "-"
            and seen
            and j + 1 < len(tokens)
            and _glued(tokens, j)
            and tokens[j + 1].low in vocab
        ):
            j += 1
            continue
        parts = tokens[j].low.split("-")
        if not all(p in vocab for p in parts) or tokens[j].kind != "word":
            if tokens[j].low in ("and", "y") and seen and j + 1 < len(tokens) and tokens[j + 1].low in vocab:
                j += 1
                continue
            break
        for part in parts:
            value, role = vocab[part]
            if role == "one":
                if seen:
                    return _finish_words(total + current, j, i, seen)
                if j + 1 >= len(tokens) or vocab.get(tokens[j + 1].low, (0.0, ""))[1] != "mult":
                    unit = read_unit(tokens, j + 1)
                    return (1.0, j + 1) if unit and unit[0].cls in ("duration", "length") else None
                current = 1.0
            elif role == "mult":
                current = (current or 1.0) * value
                if value >= 1000:
                    total, current = total + current, 0.0
            else:
                current += value
            seen = True
        j += 1
    return _finish_words(total + current, j, i, seen)


def _finish_words(value: float, j: int, i: int, seen: bool) -> tuple[float, int] | None:
    return (value, j) if seen and value > 0 else None


def read_unit(tokens: list[Token], j: int) -> tuple[Unit, int] | None:
    """Read the longest unit form starting at token j."""
    forms = unit_forms()
    for length in (4, 3, 2, 1):
        key = tuple(t.low for t in tokens[j : j + length])
        if len(key) == length and key in forms:
            unit = forms[key]
            if len(key) == 1 and len(key[0]) == 1 and key[0] not in "%€$£¥₹" and not _glued(tokens, j):
                return None
            return unit, j + length
    return None


def _glued(tokens: list[Token], j: int) -> bool:
    """Return True when token j follows the previous one with no space ("35km", "6am")."""
    return j > 0 and tokens[j - 1].end == tokens[j].start


def read_multiplier(tokens: list[Token], j: int, language: str, money: bool) -> tuple[float, int]:
    """Read "million", "bn", "Millionen", "millones", "m" (after money) at token j."""
    if j >= len(tokens):
        return 1.0, j
    low = tokens[j].low
    short = {"bn": 1e9, "b": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3, "tn": 1e12, "mio": 1e6, "mrd": 1e9}
    if low in short and (money or low in ("bn", "mn", "mio", "mrd") or (low == "k" and _glued(tokens, j))):
        end = j + 2 if j + 1 < len(tokens) and tokens[j + 1].text == "." and low in ("mio", "mrd") else j + 1
        return short[low], end
    vocab = words_for(language)
    factor, end = 1.0, j
    while end < len(tokens) and vocab.get(tokens[end].low, (0.0, ""))[1] == "mult":
        factor *= vocab[tokens[end].low][0]
        end += 1
        if end + 1 < len(tokens) and tokens[end].low == "de" and tokens[end + 1].low in ("euros", "dólares"):
            end += 1
    return factor, end


def money_prefix(tokens: list[Token], i: int) -> Unit | None:
    """Return the currency written just before token i ("€", "S$", "US$")."""
    if i == 0 or tokens[i - 1].kind != "sym" or tokens[i - 1].text in "%°":
        return None
    return unit_forms().get((tokens[i - 1].low,))


def find_figures(tokens: list[Token], language: str) -> list[Figure]:
    """Find every figure in a sentence's tokens, marking dates, times, years, ages and ids to skip."""
    figures: list[Figure] = []
    i = 0
    while i < len(tokens):
        figure = read_figure(tokens, i, language)
        if figure is None:
            i += 1
            continue
        figures.append(figure)
        i = max(figure.end, i + 1)
    return figures


def read_figure(tokens: list[Token], i: int, language: str) -> Figure | None:
    """Read one figure starting at token i, or None."""
    token = tokens[i]
    if token.kind == "time":
        return read_clock(tokens, i)
    if token.kind == "num":
        number = parse_digits(token.text, language)
        if number is None:
            return Figure(i, i + 1, None, skip=True)
        return complete_figure(tokens, i, i + 1, number, language, worded=False)
    if token.kind == "word" and (i == 0 or tokens[i - 1].kind != "num"):
        fraction = read_fraction(tokens, i)
        if fraction is not None:
            return complete_figure(tokens, i, fraction[1], fraction[0], language, worded=True, unit="%")
        read = read_number_words(tokens, i, language)
        if read is None:
            return None
        number, end = read
        return complete_figure(tokens, i, end, number, language, worded=True)
    return None


def read_clock(tokens: list[Token], i: int) -> Figure:
    """Classify "4:12" (clock time, skipped) and "2:00:19" / "in 35:12" (durations, kept)."""
    parts = [int(p) for p in tokens[i].text.split(":")]
    after = tokens[i + 1].low if i + 1 < len(tokens) else ""
    before = tokens[i - 1].low if i > 0 else ""
    is_duration = len(parts) == 3 or parts[0] > 23 or before in ("in", "en", "of", "de", "mit", "con", "with")
    if after in AMPM or after.rstrip(".") in AMPM:
        is_duration = False
    seconds = parts[0] * 3600 + parts[1] * 60 + parts[2] if len(parts) == 3 else parts[0] * 60 + parts[1]
    return Figure(i, i + 1, float(seconds), unit="time", skip=not is_duration)


FRACTIONS = {
    "half": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "tenth": 10,
    "hälfte": 2,
    "drittel": 3,
    "viertel": 4,
    "fünftel": 5,
    "zehntel": 10,
    "mitad": 2,
    "tercio": 3,
    "tercios": 3,
    "cuarta": 4,
    "quinta": 5,
    "décima": 10,
}
NUMERATORS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "un": 1,
    "una": 1,
    "ein": 1,
    "eine": 1,
    "einem": 1,
    "einer": 1,
    "die": 1,
    "la": 1,
    "two": 2,
    "three": 3,
    "zwei": 2,
    "drei": 3,
    "dos": 2,
    "tres": 3,
}
EACH = {"jeder": 1, "jede": 1, "jedes": 1}
ORDINAL_DENOMINATORS = {"zweite": 2, "dritte": 3, "vierte": 4, "fünfte": 5, "zehnte": 10}
FRACTION_FOLLOWERS = {"of", "der", "des", "de", "del", "aller", "all", ".", ",", ";", ")"}


def read_fraction(tokens: list[Token], i: int) -> tuple[float, int] | None:
    """Read "a quarter of", "Nearly half of", "two thirds", "jeder fünfte", "un tercio del" at token i."""
    low = tokens[i].low
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else "."
    after = tokens[i + 2].low if i + 2 < len(tokens) else "."
    ordinal_before = i > 0 and tokens[i - 1].low in (
        "first",
        "second",
        "primera",
        "segunda",
        "ersten",
        "zweiten",
    )
    if (
        low in ("half", "hälfte", "mitad")
        and nxt in FRACTION_FOLLOWERS | {"the", "its", "their"}
        and not ordinal_before
    ):
        return 0.5, i + 1
    if low in EACH and nxt in ORDINAL_DENOMINATORS:
        return 1 / ORDINAL_DENOMINATORS[nxt], i + 2
    if low in NUMERATORS and nxt in FRACTIONS:
        end = i + 3 if after == "parte" else i + 2
        follower = tokens[end].low if end < len(tokens) else "."
        if (nxt in ("cuarta", "quinta", "décima") and after != "parte") or follower not in FRACTION_FOLLOWERS:
            return None
        return NUMERATORS[low] / FRACTIONS[nxt], end
    return None


def complete_figure(
    tokens: list[Token], i: int, end: int, number: float, language: str, *, worded: bool, unit: str = ""
) -> Figure:
    """Add currency, multiplier, unit and qualifier to the number read at tokens[i:end]."""
    if unit:
        figure = Figure(i, end, round(number * 100, 4), unit, worded=True)
        figure.qualifier = read_qualifier(tokens, i, language)
        return figure
    currency = money_prefix(tokens, i) if not worded else None
    start = i - 1 if currency else i
    factor, end = read_multiplier(tokens, end, language, money=currency is not None)
    found_unit: Unit | None = currency
    hyphen = end < len(tokens) and tokens[end].text == "-" and end + 1 < len(tokens) and _glued(tokens, end)
    found = read_unit(tokens, end + 1 if hyphen else end)  # "30-inch", "48-hour"
    if found and (found_unit is None or found[0].id == found_unit.id):
        found_unit, end = found
    figure = Figure(start, end, number * factor, found_unit.id if found_unit else "", worded=worded)
    figure.qualifier = read_qualifier(tokens, start, language)
    figure.skip = is_skipped(tokens, figure, language)
    return figure


def read_qualifier(tokens: list[Token], start: int, language: str) -> str:
    """Return the canonical qualifier written before the figure ("rund" -> "about"); "earlier" wins."""
    phrases = qualifiers_for(language)
    found: list[str] = []
    j = start
    for _ in range(2):
        for length in (3, 2, 1):
            key = tuple(t.low for t in tokens[max(0, j - length) : j])
            if j - length >= 0 and key in phrases:
                found.append(phrases[key])
                j -= length
                break
        else:
            break
    if "earlier" in found or _starts_change(tokens, j, start):
        return "earlier"
    if _is_range(tokens, start, j) or _opens_span(tokens, start):
        return "range"
    return found[0] if found else ""


def _starts_change(tokens: list[Token], j: int, start: int) -> bool:
    """Return True for the first figure of "from 9 to 12" / "von 9 auf 12" / "de 9 a 12"."""
    if j == 0 or tokens[j - 1].low not in ("from", "von", "desde", "de"):
        return False
    k = start + 1
    while k < len(tokens) and tokens[k].kind not in ("num", "punct") and k < start + 4:
        if tokens[k].low in ("to", "auf", "a", "hasta"):
            return k + 1 < len(tokens) and tokens[k + 1].kind in ("num", "sym")
        k += 1
    return False


def _opens_span(tokens: list[Token], start: int) -> bool:
    """Return True for the first figure of "12 to 28 nanometres" / "6 bis 22 Uhr" / "52 to 44 hours"."""
    k = start + 1
    if k < len(tokens) and tokens[k].kind in ("num", "sym"):
        k += 1
    if k + 1 < len(tokens) and tokens[k].low in ("to", "bis", "a", "-", "und", "and", "y"):
        return (tokens[k + 1].kind == "num" and tokens[k].low != "a") or tokens[k + 1].low == "%"
    return False


def _is_range(tokens: list[Token], start: int, j: int) -> bool:
    """Return True for "between 15 and 20" / "zwischen" / "entre"."""
    window = {t.low for t in tokens[max(0, j - 1) : start]} | {t.low for t in tokens[max(0, j - 3) : j]}
    return bool(window & {"between", "zwischen", "entre"})


def is_skipped(tokens: list[Token], figure: Figure, language: str) -> bool:
    """Return True for times of day, dates, years, ages, identifiers and lone small words."""
    checks = (_is_time_of_day, _is_date, _is_year, _is_age, _is_identifier, _is_weak_word)
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
    """Return True for "Sofia Teixeira, 34," / "Fernanda Rocha, de 63 años" / "Lea Hoffmann (27)"."""
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


def _is_weak_word(tokens: list[Token], figure: Figure, language: str) -> bool:
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


# ---------------------------------------------------------------------------------------------
# What a figure counts


def clause_ids(tokens: list[Token], language: str) -> list[int]:
    """Number the clauses of a sentence: punctuation starts a new one, and so does a coordinating
    word ("and", "und", "y") when another figure follows it ("9 died and 6 are missing")."""
    ids, current = [], 0
    vocab = words_for(language)
    for index, token in enumerate(tokens):
        boundary = token.text in CLAUSE_PUNCT
        if token.low in CLAUSE_WORDS:
            ahead = tokens[index + 1 : index + 5]
            boundary = any(t.kind == "num" or (t.low in vocab and vocab[t.low][1] == "add") for t in ahead)
        if boundary and not _inside_range(tokens, index):
            current += 1
        ids.append(current)
    return ids


def _inside_range(tokens: list[Token], index: int) -> bool:
    """Return True for the "and" of "between 15 and 20" or the comma of "1,200" split oddly."""
    if tokens[index].low not in ("and", "und", "y"):
        return False
    return any(t.low in ("between", "zwischen", "entre") for t in tokens[max(0, index - 4) : index])


@dataclass(frozen=True)
class CueHit:
    concept: Concept
    start: int
    end: int


def find_cues(tokens: list[Token], lo: int, hi: int, language: str) -> list[CueHit]:
    """Find concept cues among tokens[lo:hi], longest first, without overlaps."""
    cues = cues_for(language)
    hits: list[CueHit] = []
    j = max(lo, 0)
    while j < min(hi, len(tokens)):
        if _hyphen_follows(tokens, j):
            j += 2  # "Malaria-Erkrankungen": the last part names the thing
            continue
        for length in (4, 3, 2, 1):
            if j + length > hi:
                continue
            key = tuple(t.low for t in tokens[j : j + length])
            concept = cues.get(key) or _compound_cue(key, cues, language)
            if concept:
                hits.append(CueHit(concept, j, j + length))
                j += length - 1
                break
        j += 1
    return hits


def _hyphen_follows(tokens: list[Token], j: int) -> bool:
    """Return True when tokens[j] is joined by a hyphen to the next word ("Malaria-Erkrankungen")."""
    return (
        j + 2 < len(tokens)
        and tokens[j + 1].text == "-"
        and _glued(tokens, j + 1)
        and _glued(tokens, j + 2)
        and tokens[j].kind == "word"
        and tokens[j + 2].kind == "word"
    )


def _compound_cue(
    key: tuple[str, ...], cues: dict[tuple[str, ...], Concept], language: str
) -> Concept | None:
    """Match German compounds and hyphenated words by their last part ("Malaria-Erkrankungen")."""
    if len(key) != 1:
        return None
    word = key[0]
    if "-" in word:
        return cues.get((word.rsplit("-", 1)[1],))
    if language != "de" or len(word) < 8:
        return None
    for cut in range(3, len(word) - 4):
        concept = cues.get((word[cut:],))
        if concept and concept.kind in ("thing", "weak"):
            return concept
    return None


def noun_phrase_after(tokens: list[Token], end: int, clauses: list[int], language: str) -> tuple[int, int]:
    """Return the token span of the words a figure counts ("trains", "container ships", "personas")."""
    stops = stop_words(language)
    limit = 3 if language == "en" else 2
    j = end
    if (
        j < len(tokens)
        and tokens[j].low in ("of", "de")
        and j + 1 < len(tokens)
        and tokens[j + 1].low not in stops
    ):
        j += 1  # "3,500 hectares of forest"
    while j < len(tokens) and tokens[j].low in (
        "more",
        "other",
        "further",
        "más",
        "weitere",
        "otros",
        "otras",
    ):
        j += 1  # "three more bodies"
    first = j
    while j < len(tokens) and j - first < limit and clauses[j] == clauses[end - 1]:
        token = tokens[j]
        if token.kind != "word" or token.low in stops or token.low in calendar_words():
            break
        j += 3 if _hyphen_follows(tokens, j) else 1
        if language == "de" and token.text[:1].isupper():
            break
    return first, j


def number_of_phrase(tokens: list[Token], start: int, end: int, language: str) -> tuple[int, int] | None:
    """Find "the number of X" / "die Zahl der X" / "el número de X" / "death toll" around a figure."""
    heads = {"number", "zahl", "número", "cifra", "balance", "toll", "bilanz", "anzahl"}
    links = {"of", "der", "de", "an", "von"}
    after = range(end, min(len(tokens), end + 3))
    before = range(start - 1, max(-1, start - WINDOW * 2), -1)
    for j in [*after, *before]:
        if tokens[j].low not in heads:
            continue
        k = j + 1
        while k < len(tokens) and tokens[k].low in links | {"los", "las", "the"}:
            k += 1
        if tokens[j].low == "toll":
            return j - 1 if j > 0 else j, j + 1
        if k > j + 1 and k < len(tokens) and tokens[k].kind == "word":
            stop = k + 3 if _hyphen_follows(tokens, k) else k + 1
            if (
                stop < len(tokens)
                and tokens[stop].kind == "word"
                and tokens[stop].low not in stop_words(language)
            ):
                stop += 1
            return k, stop
    return None


@dataclass(frozen=True)
class Reading:
    what: str
    concepts: frozenset[str]


def read_what(tokens: list[Token], figure: Figure, clauses: list[int], language: str) -> Reading:
    """Describe what a figure counts: the words after it plus the event around it."""
    np_start, np_end = noun_phrase_after(tokens, figure.end, clauses, language)
    parts: list[str] = []
    concepts: set[str] = set()
    clause = clauses[figure.start]
    lo = (
        next((k for k in range(figure.start, max(-1, figure.start - WINDOW), -1) if clauses[k] != clause), -1)
        + 1
    )
    lo = max(lo, figure.start - WINDOW)
    hi = next(
        (k for k in range(np_end, min(len(tokens), np_end + WINDOW)) if clauses[k] != clause), len(tokens)
    )
    hi = min(hi, np_end + WINDOW)
    hits = find_cues(tokens, lo, hi, language)
    things = [h for h in hits if h.concept.kind == "thing" and not np_start <= h.start < np_end]
    events = [
        h
        for h in hits
        if h.concept.kind in ("event", "tally")
        and not np_start <= h.start < np_end
        and not any(joins_clauses(tokens, k, language) for k in range(figure.end, h.start))
    ]
    if np_end > np_start:
        parts.append(" ".join(t.text for t in tokens[np_start:np_end]))
        concepts |= {h.concept.name for h in find_cues(tokens, np_start, np_end, language)}
        nearby = [h for h in things if 0 <= figure.start - h.end <= 3]
        if nearby and all(concept_kinds().get(c) == "weak" for c in concepts):
            parts.insert(0, " ".join(t.text for t in tokens[nearby[-1].start : nearby[-1].end]))
            concepts.add(nearby[-1].concept.name)
    else:
        phrase = number_of_phrase(tokens, figure.start, figure.end, language)
        if phrase:
            parts.append(" ".join(t.text for t in tokens[phrase[0] : phrase[1]]))
            concepts |= {h.concept.name for h in find_cues(tokens, phrase[0], phrase[1], language)}
        elif (head := noun_before_of(tokens, figure, language)) is not None:
            parts.append(" ".join(t.text for t in tokens[head[0] : head[1]]))
            concepts |= {h.concept.name for h in find_cues(tokens, head[0], head[1], language)}
        elif things:
            nearest = nearest_thing(things, events, figure)
            parts.append(" ".join(t.text for t in tokens[nearest.start : nearest.end]))
            concepts.add(nearest.concept.name)
    event = choose_event(events, figure, concepts)
    if event:
        concepts.add(event.concept.name)
        parts.append(_event_words(tokens, event, figure))
    if not parts:
        parts = _words_before(tokens, lo, figure.start, language)
    return Reading(" ".join(parts).strip(), frozenset(concepts))


def noun_before_of(tokens: list[Token], figure: Figure, language: str) -> tuple[int, int] | None:
    """Return the noun of "a payment of €1,000" / "Prämie von 1.000 Euro" / "un plan de 3.200 millones"."""
    quals = {word for phrase in qualifiers_for(language) for word in phrase}
    k = figure.start - 1
    while k >= 0 and tokens[k].low in quals:
        k -= 1
    if k < 1 or tokens[k].low not in ("of", "von", "de", "del", "in"):
        return None
    if tokens[k].low == "in" and language != "en":
        return None
    stops = stop_words(language)
    end = k
    start = end
    while (
        start > 0
        and end - start < 2
        and tokens[start - 1].kind == "word"
        and tokens[start - 1].low not in stops
    ):
        start -= 1
    return (start, end) if start < end else None


def joins_clauses(tokens: list[Token], k: int, language: str) -> bool:
    """Return True when tokens[k] is "and"/"und"/"y" starting a new clause ("y había calcinado"),
    not joining two nouns ("Wald und Buschland")."""
    if tokens[k].low not in CLAUSE_WORDS or k + 1 >= len(tokens):
        return False
    nxt = tokens[k + 1]
    if language == "de":
        return not nxt.text[:1].isupper()
    return nxt.low in stop_words(language) or (nxt.low,) in cues_for(language)


def nearest_thing(things: list[CueHit], events: list[CueHit], figure: Figure) -> CueHit:
    """Pick the thing a figure describes: the object of the verb before it ("reduced cases … by 78%"),
    else the thing nearest to the figure."""
    verbs = [e for e in events if e.end <= figure.start]
    if verbs:
        verb = max(verbs, key=lambda e: e.end)
        objects = [t for t in things if verb.end <= t.start < figure.start]
        if objects:
            return min(objects, key=lambda t: t.start)
    return min(things, key=lambda h: _distance(h, figure))


def _distance(hit: CueHit, figure: Figure) -> int:
    return figure.start - hit.end if hit.end <= figure.start else hit.start - figure.end


def choose_event(events: list[CueHit], figure: Figure, concepts: set[str]) -> CueHit | None:
    """Pick the event a figure belongs to: the nearest tally (killed, evacuated…), else the nearest event."""
    near = [h for h in events if _distance(h, figure) <= 8]
    tallies = [h for h in events if h.concept.kind == "tally" and h.concept.name not in concepts]
    if tallies:
        return min(tallies, key=lambda h: _distance(h, figure))
    return min(near, key=lambda h: _distance(h, figure)) if near else None


def _event_words(tokens: list[Token], event: CueHit, figure: Figure) -> str:
    """Write the event: the participle as written when it follows the figure, else the concept's label."""
    if event.start >= figure.end and event.end - event.start == 1:
        return tokens[event.start].text
    return event.concept.label


def _words_before(tokens: list[Token], lo: int, start: int, language: str) -> list[str]:
    """Return up to three content words just before the figure, in text order."""
    quals = {word for phrase in qualifiers_for(language) for word in phrase}
    stops = stop_words(language) | quals
    words: list[str] = []
    for token in tokens[lo:start]:
        if token.kind in ("num", "time", "sym"):
            words = []
        elif token.kind == "word" and token.low not in stops and (token.low,) not in unit_forms():
            words.append(token.text)
    return words[-3:]


def concepts_of(what: str, language: str) -> frozenset[str]:
    """Return the concepts named in a fact's description (as find_disagreements sees them)."""
    tokens = tokenize(what, language)
    return frozenset(h.concept.name for h in find_cues(tokens, 0, len(tokens), language))


# ---------------------------------------------------------------------------------------------
# Facts


def extract_facts(text: str, language: str) -> list[Fact]:
    """Return the figures an article reports, with what they count and the sentence they come from."""
    language = (language or "").split("-")[0].lower()
    facts: list[Fact] = []
    seen: set[tuple[float | None, str, str]] = set()
    text = mask_phone_numbers(text[:MAX_CHARS])
    for _, sentence in split_sentences(text):
        for fact in facts_in_sentence(sentence.strip(), language):
            key = (fact.number, fact.unit, fact.what.lower())
            if key not in seen:
                seen.add(key)
                facts.append(fact)
            if len(facts) >= MAX_FACTS:
                return facts
    return facts


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
    tokens = tokenize(sentence, language)
    if not any(t.kind in ("num", "time") for t in tokens) and not _has_number_word(tokens, language):
        return []
    clauses = clause_ids(tokens, language)
    facts = []
    for figure in find_figures(tokens, language):
        if figure.skip:
            continue
        reading = read_what(tokens, figure, clauses, language)
        if is_increment(tokens, figure):
            figure.qualifier = "additional"
        value = sentence[tokens[figure.start].start : tokens[figure.end - 1].end]
        number = round(figure.number, 6) if figure.number is not None else None
        facts.append(Fact(value, number, figure.unit, reading.what, sentence, figure.qualifier))
    return facts


def is_increment(tokens: list[Token], figure: Figure) -> bool:
    """Return True for "three more bodies", "dos cuerpos más", "weitere drei Tote", "another 3"."""
    after = [t.low for t in tokens[figure.end : figure.end + 3]]
    before = tokens[figure.start - 1].low if figure.start > 0 else ""
    more_after = after[:1] in (["more"], ["additional"], ["further"], ["weitere"]) or after[1:2] == ["más"]
    return more_after or before in ("another", "weitere", "additional")


def _has_number_word(tokens: list[Token], language: str) -> bool:
    vocab = words_for(language)
    return any(t.low.split("-")[0] in vocab for t in tokens if t.kind == "word")


@cache
def concept_kinds() -> dict[str, str]:
    """Return concept name -> kind."""
    return {c.name: c.kind for table in concept_cues().values() for c in table.values()}
