"""What in a sentence answers a question's kind: a figure counting the thing asked about, a time, a name."""

from __future__ import annotations

import re

from newsdesk.ai.lang import fold_accents
from newsdesk.ai.question import Question, match_keys, tally_concepts, word_meanings
from newsdesk.ai.text import WORD
from newsdesk.enrich.facts import measured_spans

MEASURED = {"money": "money", "distance": "length"}  # question kind: the unit class its figure must have
FIGURE_KINDS = ("count", "amount", "money", "distance", "duration", "age")
NEAR_BONUS = 0.15  # the figure stands next to another word of the question
FOCUS_WORDS, CONCEPT_WORDS = 3, 8  # how near a figure the thing it counts stands (a word, a concept)
MIN_HEAD = 4  # letters of the last part of a compound that may stand for it ("Staub" for "Kometenstaub")
PREFIX = 4  # letters compared when asking whether a text mentions a word at all (seat/seats/seating)
NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundreds?|thousands?|millions?|"
    r"billions?|single|a few|ein|eine|einen|einem|zwei|drei|vier|f[uü]nf|sechs|sieben|acht|neun|zehn|elf|"
    r"zw[oö]lf|hundert|tausend|millionen|milliarden|einzigen?|uno|una|un|dos|tres|cuatro|cinco|seis|siete|"
    r"ocho|nueve|diez|once|doce|cien|mil|millones|solo|sola"
)
FIGURE = re.compile(rf"\d+(?:[.,:\s]\d+)*|\b(?:{NUMBER_WORDS})\b", re.IGNORECASE)
ORDINAL = re.compile(r"^(st|nd|rd|th|º|ª|\.ª|\.º|er|e)\b", re.IGNORECASE)
UNIT_OF_TIME = re.compile(
    r"\b(seconds?|minutes?|hours?|days?|nights?|weeks?|fortnight|months?|years?|decades?|sekunden?|minuten?|"
    r"stunden?|tage[ns]?|tag|n[aä]chte?|wochen?|monate[ns]?|monat|jahre[ns]?|jahr|jahrzehnte?|segundos?|"
    r"minutos?|horas?|d[ií]as?|noches?|semanas?|mes|meses|a[nñ]os?|d[eé]cadas?)\b",
    re.IGNORECASE,
)
TIME = re.compile(
    r"\b\d{1,2}[.:]\d{2}\b|\b\d{1,2}\s?(a\.?m|p\.?m|uhr|h)\b|\b(monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|yesterday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|gestern|lunes|"
    r"martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|ayer|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|januar|februar|m[aä]rz|mai|juni|juli|oktober|dezember|enero|"
    r"febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|midnight|noon|"
    r"mitternacht|medianoche|madrugada)\b|\b(1[89]|20)\d{2}\b",
    re.IGNORECASE,
)
DURATION = re.compile(
    rf"(?:\d+(?:[.,]\d+)?|\b(?:{NUMBER_WORDS}|a|an|half an?|several|few))[\s-]+{UNIT_OF_TIME.pattern}",
    re.IGNORECASE,
)
AGE = re.compile(
    r"\b(\d{1,3})(?:-year-old|-j[aä]hrige[nr]?| years old| a[nñ]os\b)|(?<=, )(\d{1,3})(?=,)|"
    r"\b(?:aged|age of|im alter von|de) (\d{1,3})\b",
    re.IGNORECASE,
)
CAUSE = re.compile(
    r"\b(caused by|because|due to|blamed (on|for)|the cause|triggered by|led to|verursacht|ausgelöst|wegen|"
    r"weil|schuld|Ursache|causad[oa] por|debido a|porque|provocad[oa] por|la causa)\b",
    re.IGNORECASE,
)
# "€100m a day", "40 million doses a year": a rate, not how long something lasts.
RATE = re.compile(
    r"(?:[\d€$£%]|\d\s?(?:m|bn|k)|\b(?:million|billion|millionen|milliarden|millones|euros?|dollars?))\W*$",
    re.IGNORECASE,
)
YEAR = re.compile(r"^(1[89]|20)\d{2}$")
NAME = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+(?:de |da |van |von |del )?[A-ZÀ-ÖØ-Þ][\w'’-]+)*")


def answer_in(asked: Question, sentence: str, language: str = "") -> str | None:
    """What in ``sentence`` answers the kind of question asked ('' for any sentence), or None if nothing."""
    if asked.kind in ("count", "amount", "money", "distance"):
        return first_figure(asked, sentence, language or asked.language)
    if asked.kind == "duration":
        return first_duration(sentence)
    if asked.kind == "age":
        found = AGE.search(sentence)
        return next(group for group in found.groups() if group) if found else None
    if asked.kind == "time":
        found = TIME.search(sentence)
        return found.group(0) if found else None
    if asked.kind in ("person", "place"):
        return new_name(asked, sentence)
    return ""


def first_figure(asked: Question, sentence: str, language: str) -> str | None:
    """The figure of the sentence that counts what is asked about, else the nearest to a word of the
    question, else the first (ordinals such as '27th' are not counts)."""
    figures = [
        m
        for m in FIGURE.finditer(sentence)
        if m.group(0).strip()
        and not is_a_year(m)  # a year is a time, not an amount
        and not (asked.kind == "count" and is_not_a_count(sentence, m))
    ]
    if asked.kind in MEASURED:  # a sum of money, a distance: as the facts stage reads the figure's unit
        spans = [
            (a, b)
            for a, b, unit in measured_spans(sentence, language)
            if unit.startswith(MEASURED[asked.kind])
        ]
        figures = [m for m in figures if any(a <= m.start() < b for a, b in spans)]
    if not figures:
        return None
    focused = [
        m for m in figures if asked.focus and distance(sentence, m.start(), m.end(), {asked.focus}) <= 3
    ]
    near = [m for m in figures if distance(sentence, m.start(), m.end(), set(asked.terms)) <= 6]
    return (focused or near or figures)[0].group(0).strip()


def first_duration(sentence: str) -> str | None:
    """How long something lasts ("48 hours", "a 48-hour strike"); a rate ("€100m a day") is not one."""
    for found in DURATION.finditer(sentence):
        if found.group(0)[:1].isdigit() or not RATE.search(sentence[: found.start()]):
            return found.group(0)
    return None


def is_not_a_count(sentence: str, figure: re.Match[str]) -> bool:
    """An ordinal ("27th") or a measurement glued to its unit ("20mph", "6am") counts nothing."""
    rest = sentence[figure.end() :]
    return bool(ORDINAL.match(rest)) or (figure.group(0)[-1:].isdigit() and rest[:1].isalpha())


def is_a_year(figure: re.Match[str]) -> bool:
    return bool(YEAR.match(figure.group(0).strip()))


def distance(sentence: str, start: int, end: int, keys: set[str]) -> int:
    """Words between a span of the sentence and the nearest of ``keys`` (a large number when none is near)."""
    before = word_meanings(sentence[:start])[-CONCEPT_WORDS:]
    after = word_meanings(sentence[end:])[:CONCEPT_WORDS]
    hits = [len(before) - i for i, meant in enumerate(before) if meant & keys]
    hits += [i + 1 for i, meant in enumerate(after) if meant & keys]
    return min(hits, default=99)


def counts_tally(asked: Question, sentence: str, figure: str) -> bool:
    """For a question about a running count (dead, missing, evacuated), whether the figure is told with
    that count's words: "1,500 people" a workshop employs is no earlier death toll (True for others)."""
    tallies = set(asked.concepts) & tally_concepts()
    start = sentence.find(figure)
    if asked.kind != "count" or not tallies or start < 0:
        return True
    return distance(sentence, start, start + len(figure), tallies) <= CONCEPT_WORDS


def counts_focus(asked: Question, sentence: str, figure: str) -> bool:
    """Whether the figure counts what is asked about: the word next to it, or a word naming the same
    concept (in any language) in its clause."""
    start = sentence.find(figure)
    if start < 0:
        return False
    end = start + len(figure)
    if asked.focus and distance(sentence, start, end, {asked.focus}) <= FOCUS_WORDS:
        return True
    near = near_words(sentence, start, end)
    if asked.focus and any(asked.focus[:PREFIX] in word for word in near):
        return True  # inside a compound: "42 Gramm Kometenstaub" counts Staub
    if len(asked.focus_word) > MIN_HEAD + 2 and any(
        len(word) >= MIN_HEAD and asked.focus_word.endswith(word.lower()) for word in near
    ):
        return True  # the head of the compound asked about: "Wie viel Kometenstaub" — "42 Gramm Staub"
    tallies = set(asked.concepts) & tally_concepts()
    if asked.kind == "count" and tallies and distance(sentence, start, end, tallies) <= CONCEPT_WORDS:
        return True  # a toll is told in a clause: "el número de fallecidos … ha ascendido a 14"
    return bool(asked.concepts) and distance(sentence, start, end, set(asked.concepts)) <= FOCUS_WORDS


def near_words(sentence: str, start: int, end: int) -> list[str]:
    """The accent-folded words within FOCUS_WORDS of a span of the sentence."""
    before = WORD.findall(fold_accents(sentence[:start]))[-FOCUS_WORDS:]
    return before + WORD.findall(fold_accents(sentence[end:]))[:FOCUS_WORDS]


def figure_bonus(asked: Question, sentence: str, figure: str) -> float:
    """A small bonus for a figure standing next to other words of the question."""
    start = sentence.find(figure)
    if start < 0:
        return 0.0
    return NEAR_BONUS if distance(sentence, start, start + len(figure), set(asked.terms)) <= 4 else 0.0


def new_name(asked: Question, sentence: str) -> str | None:
    """A name in the sentence that the question does not already give (the person or place asked for)."""
    for match in NAME.finditer(sentence):
        keys = set(match_keys(match.group(0)))
        whole_name = " " in match.group(0) or asked.kind == "place"  # a person is named in full
        if (
            keys - set(asked.terms) - asked.names
            and whole_name
            and (match.start() > 0 or asked.kind == "person")
        ):
            return match.group(0)
    return None
