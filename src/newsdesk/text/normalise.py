"""The one text normalisation: invisible format characters dropped, then NFC."""

from __future__ import annotations

import re
import unicodedata

# Characters that change no letter a reader sees but split words for search, snippets and entities:
# soft hyphen, zero-width space, word joiner and the invisible operators, BOM / zero-width no-break space,
# Mongolian vowel separator, and the bidi marks, embeddings, overrides and isolates. Zero-width (non-)joiners
# stay: they decide how Persian, Arabic and Indic words are spelt and how emoji sequences join.
INVISIBLE = re.compile("[\u00ad\u200b\u2060-\u2064\ufeff\u180e\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def normalise_text(text: str) -> str:
    """Text as stored and indexed: soft hyphens, zero-width spaces, word joiners, bidi marks removed; NFC."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", INVISIBLE.sub("", text))
