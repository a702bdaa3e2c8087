"""The sentence splitter of English, German and Spanish prose, with the character offset of each sentence."""

from __future__ import annotations

import re
from functools import cache

from newsdesk.text.lexicon import marker_words, read_words

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+(?=[\"«„“‘(¿¡]*[A-ZÄÖÜÁÉÍÓÚÑ0-9])|\n+")
ABBREVIATIONS = marker_words("abbreviations")


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


@cache
def calendar_words() -> frozenset[str]:
    """Return month and weekday names of all known languages."""
    return read_words("calendar.txt")
