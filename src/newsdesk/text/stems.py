"""Snowball stems of words per language: one stemmer per language and process, shared by every stage."""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

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
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def base_language(language: str) -> str:
    """The two-letter base of a language tag ("en-GB" → "en"), lower-case; '' when unknown."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else ""


def stemmer_for(language: str) -> Callable[[str], str]:
    """The Snowball stemmer of a language tag (words unchanged for a language Snowball lacks)."""
    return snowball_stemmer(SNOWBALL.get(base_language(language), ""))


@cache
def snowball_stemmer(algorithm: str) -> Callable[[str], str]:
    """One cached, thread-safe stemmer per Snowball algorithm ('' stems nothing)."""
    if not algorithm:
        return _identity
    stemmer = importlib.import_module("snowballstemmer").stemmer(algorithm)
    lock = threading.Lock()  # a Snowball stemmer keeps its state in the object while it works

    @lru_cache(maxsize=100_000)
    def stem(word: str) -> str:
        if len(word) > MAX_WORD:
            return word
        with lock:
            return str(stemmer.stemWord(word))

    return stem


def _identity(word: str) -> str:
    return word


def stem_words(words: Iterable[str], language: str) -> list[str]:
    """The lower-cased stems of these words in a language."""
    stem = stemmer_for(language)
    return [stem(word.lower()) for word in words]


def stemmed_text(text: str | None, language: str | None) -> str:
    """The text as its words' stems in its language, space-separated (what a stemmed index holds)."""
    return " ".join(stem_words(WORD.findall(text or ""), language or ""))
