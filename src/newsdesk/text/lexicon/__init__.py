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


@cache
def stop_words(language: str) -> frozenset[str]:
    """Return the function words of a language (all known languages' words when it is unknown)."""
    if language in ("en", "de", "es"):
        return read_words(f"stop.{language}.txt")
    return read_words("stop.en.txt") | read_words("stop.de.txt") | read_words("stop.es.txt")


@cache
def marker_words(name: str) -> frozenset[str]:
    """Return one named set of marker words from markers.tsv ("org_words", "year_cues" …)."""
    for row in read_rows("markers.tsv"):
        if row[0] == name:
            return frozenset(row[1].split())
    raise KeyError(name)
