"""The one text normalisation: golden pairs for each invisible character class the issue names."""

from __future__ import annotations

import pytest

from newsdesk.text import normalise_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mit\u00adtel\u00adal\u00adter", "Mittelalter"),  # soft hyphens (&shy;) between syllables
        ("Update\u200b Nutzer", "Update Nutzer"),  # zero-width space
        ("Wort\u2060verbinder", "Wortverbinder"),  # word joiner
        ("\u200fשלום\u200e abc", "שלום abc"),  # right-to-left and left-to-right marks
        ("\u202bembedded\u202c \u2067isolate\u2069", "embedded isolate"),  # bidi embedding, isolate
        ("\ufeffStart", "Start"),  # byte order mark inside text
        ("Cafe\u0301", "Café"),  # decomposed accent composed (NFC)
        ("\u1100\u1161", "\uac00"),  # Hangul jamo composed
        ("plain ASCII stays", "plain ASCII stays"),
    ],
)
def test_invisible_characters_are_removed_and_text_composed(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_joiners_that_spell_words_are_kept() -> None:
    persian = "می\u200cخواهم"  # zero-width non-joiner inside a Persian word
    family = "👩\u200d👧"  # zero-width joiner in an emoji sequence
    assert normalise_text(persian) == persian
    assert normalise_text(family) == family
