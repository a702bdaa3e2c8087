"""Key facts, reading figures: digits, number words, fractions, units, multipliers and qualifiers."""

from __future__ import annotations

import re

from newsdesk.enrich.facts.skips import dated_kind, is_skipped, is_weak_word
from newsdesk.enrich.facts.tokens import AMPM, Figure, Token, _glued, tokenize
from newsdesk.enrich.facts.vocab import Unit, qualifiers_for, unit_by_id, unit_forms, words_for
from newsdesk.text import marker_words, stop_words


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
        if end + 1 < len(tokens) and tokens[end].low == "de" and (tokens[end + 1].low,) in unit_forms():
            end += 1
    return factor, end


def money_prefix(tokens: list[Token], i: int) -> Unit | None:
    """Return the currency written just before token i ("€", "S$", "US$")."""
    if i == 0 or tokens[i - 1].kind != "sym" or tokens[i - 1].text in "%°":
        return None
    return unit_forms().get((tokens[i - 1].low,))


def numbers_in(text: str, language: str) -> list[float]:
    """The value of every figure written in a short text ("3,000", "two", "1.5 million")."""
    return [f.number for f in find_figures(tokenize(text, language), language) if f.number is not None]


def measured_spans(text: str, language: str) -> list[tuple[int, int, str]]:
    """Where a text writes a measured figure and the class of its unit (character span; "money:EUR" for
    "€23m" and "3,1 Millionen Euro", "length" for "6.1 billion km"), read as the facts stage reads it."""
    tokens = tokenize(text, language)
    units = unit_by_id()
    return [
        (tokens[f.start].start, tokens[f.end - 1].end, units[f.unit].cls)
        for f in find_figures(tokens, language)
        if f.unit in units and f.end > f.start
    ]


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
    if token.kind == "num" and is_score(tokens, i):
        return Figure(i, i + 3, None, unit="score")
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


def is_score(tokens: list[Token], i: int) -> bool:
    """Return True for a match score ("24-22", "2–1", "a 2-1 win"): two whole numbers joined by a dash with
    no unit or noun after them but a word of results (a range counts something: "10-15 people")."""
    if i + 2 >= len(tokens) or tokens[i + 1].text not in ("-", "–") or tokens[i + 2].kind != "num":
        return False
    if not (_glued(tokens, i + 1) and _glued(tokens, i + 2)):
        return False
    if not all(tokens[k].text.isdigit() and len(tokens[k].text) <= 3 for k in (i, i + 2)):
        return False
    after = tokens[i + 3] if i + 3 < len(tokens) else None
    if after is None or after.kind == "punct" or after.low in marker_words("score_followers"):
        return True  # "a 2-1 win", "22-17 ahead"
    return after.low in stop_words("")


def read_clock(tokens: list[Token], i: int) -> Figure:
    """Classify "4:12" (clock time, skipped) and "2:00:19" / "in 35:12" (durations, kept)."""
    parts = [int(p) for p in tokens[i].text.split(":")]
    after = tokens[i + 1].low if i + 1 < len(tokens) else ""
    before = tokens[i - 1].low if i > 0 else ""
    is_duration = len(parts) == 3 or parts[0] > 23 or before in ("in", "en", "of", "de", "mit", "con", "with")
    if after in AMPM or after.rstrip(".") in AMPM:
        is_duration = False
    seconds = parts[0] * 3600 + parts[1] * 60 + parts[2] if len(parts) == 3 else parts[0] * 60 + parts[1]
    return Figure(i, i + 1, float(seconds), unit="time", kind="" if is_duration else "clock")


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
    if figure.skip and not is_weak_word(tokens, figure, language):
        figure.kind = dated_kind(tokens, figure, language)
        figure.skip = not figure.kind
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
