"""Detect the language of an article from its title and body; the declared page language is only a hint.

The detector is py3langid (its naive-Bayes model ships inside the PyPI package, 4.6 MB), restricted to
the languages that have an ISO 639-1 code, which is what pages and feeds declare; the rare codes it
also knows ("ext", "pcm", "bcl" …) otherwise steal short English and Spanish titles. Rules on top:

- only the first ``MAX_CHARS`` characters are read, so a 200k-word text costs the same as a long article;
- a text with fewer than ``MIN_LETTERS`` letters (empty, one short word, only numbers) is "und";
- a text whose letters are mostly in a script the model does not know (Cherokee, Tifinagh …) is "und";
- a declared language is taken when the model ranks it close to its best guess (``HINT_RATIO``), so a
  page that declares "en" but is written in German is still "de";
- without such a hint, a best guess below ``MIN_CONFIDENCE`` is "und";
- mixed-language texts: the language of most of the text wins, and ``other_languages`` lists any other
  language that makes up at least ``MIXED_SHARE`` of the paragraphs that could be told apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

UNDETERMINED = "und"
MAX_CHARS = 20_000
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.2
HINT_RATIO = 0.2
MIXED_SHARE = 0.25
MAX_PARAGRAPHS = 60
MIN_PARAGRAPH_LETTERS = 60
NON_LINGUISTIC = "zxx"  # py3langid's class for text with no language in it
# Unicode script names (first word of a character's name) the py3langid model has languages for.
KNOWN_SCRIPTS = frozenset(
    [
        "LATIN",
        "CYRILLIC",
        "GREEK",
        "ARABIC",
        "HEBREW",
        "DEVANAGARI",
        "BENGALI",
        "GURMUKHI",
        "GUJARATI",
        "ORIYA",
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
        "THAI",
        "LAO",
        "TIBETAN",
        "MYANMAR",
        "GEORGIAN",
        "HANGUL",
        "HIRAGANA",
        "KATAKANA",
        "CJK",
        "ETHIOPIC",
        "KHMER",
        "ARMENIAN",
    ]
)
PARAGRAPH_RE = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True)
class LanguageResult:
    """The language of a text: an ISO 639-1 code or "und", how sure, and how it was decided."""

    lang: str
    confidence: float
    # "text", "hint" (declared language confirmed by the text), "too-short", "unknown-script", "unsure"
    method: str
    declared: str = ""
    other_languages: tuple[str, ...] = field(default=())


@cache
def load_identifier() -> Any:
    """py3langid's identifier with normalised probabilities, restricted to ISO 639-1 languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    codes = sorted({code for code in identifier.nb_classes if len(code) == 2 or code == NON_LINGUISTIC})
    identifier.set_languages(codes)
    return identifier


def supported_languages() -> frozenset[str]:
    """The ISO 639-1 codes the detector can answer."""
    return frozenset(str(c) for c in load_identifier().nb_classes if c != NON_LINGUISTIC)


def normalise_declared(declared: str | None) -> str:
    """ "en-US", "EN", "de_DE" → "en", "en", "de"; anything else → ""."""
    code = re.split(r"[-_\s]", (declared or "").strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else ""


def count_letters_by_script(text: str) -> Counter[str]:
    """How many letters of each Unicode script the text has (script = first word of the name)."""
    scripts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "UNKNOWN")
            scripts[name.split(" ", 1)[0]] += 1
    return scripts


def rank_languages(text: str) -> list[tuple[str, float]]:
    """The model's languages for the text, most likely first, with normalised probabilities."""
    return [(str(code), float(p)) for code, p in load_identifier().rank(text)]


def decide(ranked: list[tuple[str, float]], hint: str) -> tuple[str, float, str]:
    """Pick the language from the ranking: the hint when the text supports it, else the best guess."""
    best, best_p = ranked[0]
    if hint:
        for code, p in ranked[:10]:
            if code == hint and p >= HINT_RATIO * best_p:
                return hint, p, "hint"
    if best == NON_LINGUISTIC:
        return UNDETERMINED, 0.0, "too-short"
    if best_p < MIN_CONFIDENCE:
        return UNDETERMINED, best_p, "unsure"
    return best, best_p, "text"


def find_other_languages(text: str, main: str) -> tuple[str, ...]:
    """Languages other than ``main`` that make up a good share of the text's paragraphs."""
    paragraphs = [p for p in PARAGRAPH_RE.split(text) if sum(c.isalpha() for c in p) >= MIN_PARAGRAPH_LETTERS]
    paragraphs = paragraphs[:MAX_PARAGRAPHS]
    if len(paragraphs) < 2:
        return ()
    found = Counter(rank_languages(p)[0][0] for p in paragraphs)
    return tuple(
        sorted(
            code
            for code, n in found.items()
            if code not in (main, NON_LINGUISTIC) and n / len(paragraphs) >= MIXED_SHARE
        )
    )


def detect_language(title: str, text: str = "", declared: str | None = None) -> LanguageResult:
    """The language of an article (title + body), with the page's declared language as a hint."""
    hint = normalise_declared(declared)
    sample = f"{title.strip()}\n\n{text.strip()}".strip()[:MAX_CHARS]
    scripts = count_letters_by_script(sample)
    letters = sum(scripts.values())
    if letters < MIN_LETTERS:
        return LanguageResult(UNDETERMINED, 0.0, "too-short", hint)
    known = sum(n for script, n in scripts.items() if script in KNOWN_SCRIPTS)
    if known * 2 < letters:
        return LanguageResult(UNDETERMINED, 0.0, "unknown-script", hint)
    if hint and hint not in supported_languages():
        hint = ""
    lang, confidence, method = decide(rank_languages(sample), hint)
    others = find_other_languages(sample, lang) if lang != UNDETERMINED else ()
    return LanguageResult(lang, round(confidence, 4), method, normalise_declared(declared), others)
