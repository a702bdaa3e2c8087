"""Key facts, the text side: the tokens of a sentence in English, German or Spanish, and figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.text import ABBREVIATIONS, marker_words

LANGUAGES = ("en", "de", "es")


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
    r"|(?P<sym>(?i:S\$|US\$|A\$|C\$|HK\$)|[€$£¥₹%°])"
    r"|(?P<ampm>[aApP]\.\s?[mM]\.)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?\.?)"
    r"|(?P<punct>\S)"
)
SPACED_GROUPS = re.compile(r"\b\d{1,3}(?: \d{3})+\b(?![.,]\d)")
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
    kind: str = ""  # "clock", "date" (a year) or "age": no count, but a fact with a time, a year or an age


def _glued(tokens: list[Token], j: int) -> bool:
    """Return True when token j follows the previous one with no space ("35km", "6am")."""
    return j > 0 and tokens[j - 1].end == tokens[j].start
