"""Word lists of the languages newsdesk reads (stop words, markers, units, places …), read once from files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent


@cache
def read_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Return the tab-separated rows of a lexicon file, without comments and blank lines."""
    rows = []
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@cache
def read_words(name: str) -> frozenset[str]:
    """Return the lower-cased, whitespace-separated words of a lexicon file, without comments."""
    words: set[str] = set()
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(word.lower() for word in line.split())
    return frozenset(words)


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of a literal list."""
    return frozenset(text.split())


STOP_LANGUAGES = ("en", "de", "es", "fr", "it", "pt", "nl")  # the languages with a stop.LANG.txt
MAIN_LANGUAGES = ("en", "de", "es")  # the languages every list of the lexicon covers


@cache
def function_words(language: str) -> frozenset[str]:
    """A language's function words and reporting verbs (the main languages' when it has no list)."""
    codes = (language,) if language in STOP_LANGUAGES else MAIN_LANGUAGES
    return frozenset().union(*(read_words(f"stop.{code}.txt") for code in codes))


@cache
def time_words(language: str) -> frozenset[str]:
    """A main language's words of time (days, parts of the day, units); none for the other listed languages,
    the main languages' for an unknown one."""
    codes = (language,) if language in STOP_LANGUAGES else MAIN_LANGUAGES
    return frozenset().union(*(read_words(f"time.{code}.txt") for code in codes if code in MAIN_LANGUAGES))


@cache
def stop_words(language: str) -> frozenset[str]:
    """A language's stop words: its function words and its words of time (the main languages' when it has
    no list). Ask and summaries read ``function_words`` alone: a question can be about a time or a day."""
    return function_words(language) | time_words(language)


@cache
def any_function_words() -> frozenset[str]:
    """Every listed language's function words together (for text whose language is not known)."""
    return frozenset().union(*(function_words(code) for code in STOP_LANGUAGES))


@cache
def marker_words(name: str) -> frozenset[str]:
    """Return one named set of marker words from markers.tsv ("org_words", "year_cues" …)."""
    for row in read_rows("markers.tsv"):
        if row[0] == name:
            return frozenset(row[1].split())
    raise KeyError(name)
