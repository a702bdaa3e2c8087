"""Per-language word tools for the ai stage: stop-words and a Snowball stemmer (pure Python, no model)."""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.text import SUMMARY_STOP_WORDS as STOPWORDS
from newsdesk.text import word_set

__all__ = ["STOPWORDS", "LanguageTools", "base_language", "fold_accents", "language_tools", "word_set"]


SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
MAX_WORD = 40  # longer "words" (URLs, unspaced scripts) are not stemmed


@dataclass(frozen=True)
class LanguageTools:
    """What the ai stage needs to know about a language: its code, stop-words and how to stem a word."""

    code: str
    stopwords: frozenset[str]
    stem: Callable[[str], str]


def base_language(language: str) -> str:
    """The two-letter base of a language tag ("en-GB" → "en"), lower-case; '' when unknown."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else ""


@lru_cache(maxsize=64)
def language_tools(language: str) -> LanguageTools:
    """Stop-words and stemmer of a language; unknown languages get no stop-words and no stemming."""
    code = base_language(language)
    return LanguageTools(code, STOPWORDS.get(code, frozenset()), _stemmer(SNOWBALL.get(code, "")))


def _stemmer(algorithm: str) -> Callable[[str], str]:
    if not algorithm:
        return _identity
    module = importlib.import_module("snowballstemmer")
    stemmer = module.stemmer(algorithm)

    @lru_cache(maxsize=50_000)
    def stem(word: str) -> str:
        return word if len(word) > MAX_WORD else str(stemmer.stemWord(word))

    return stem


def _identity(word: str) -> str:
    return word


def fold_accents(text: str) -> str:
    """Lower-case text without diacritics ("Orduña" → "orduna"), for matching across spellings."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
