"""Per-language word tools for the ai stage: stop-words and a Snowball stemmer (pure Python, no model)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.text import STOP_LANGUAGES, function_words, word_set
from newsdesk.text.stems import base_language, stemmer_for

__all__ = ["LanguageTools", "base_language", "fold_accents", "language_tools", "word_set"]


@dataclass(frozen=True)
class LanguageTools:
    """What the ai stage needs to know about a language: its code, stop-words and how to stem a word."""

    code: str
    stopwords: frozenset[str]
    stem: Callable[[str], str]


@lru_cache(maxsize=64)
def language_tools(language: str) -> LanguageTools:
    """Stop-words and stemmer of a language; unknown languages get no stop-words and no stemming."""
    code = base_language(language)
    return LanguageTools(
        code, function_words(code) if code in STOP_LANGUAGES else frozenset(), stemmer_for(code)
    )


def fold_accents(text: str) -> str:
    """Lower-case text without diacritics ("Orduña" → "orduna"), for matching across spellings."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
