"""Names an article shares with a story: people, places, organisations and named things in any language."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from newsdesk.enrich.entities.words import DE_NOUN_SUFFIXES, fold, german_nouns, never_tags
from newsdesk.stories.text import fold_text, stem_word
from newsdesk.text import calendar_words, stop_words

NAME_WORD = re.compile(r"[^\W\d_][^\W_]*")
WORD_OR_COMMA = re.compile(r"[^\W\d_][^\W_]*|,")  # a comma ends a run of name words
SENTENCE_BREAK = re.compile(r"(?<=[.!?:;])\s+|[\"„“”«»()\[\]]|\s[–—-]\s")
LEAD_WORDS = 80  # names of the title and the body's start: who, where and what the report is about
MIN_LETTERS = 3


def is_common_german_noun(low: str) -> bool:
    """Whether a capitalised German word is a common noun (German capitalises every noun)."""
    return low in german_nouns() or low.endswith(DE_NOUN_SUFFIXES) or len(low) >= 14


def is_generic(word: str) -> bool:
    """Whether a capitalised word is a generic noun, a role or a number word ("Police", "Inspectors",
    "Forty"): at a sentence start it is no name, and shared it says nothing about the event."""
    folded = fold(word)
    return folded in never_tags() or stem_word(folded) in never_tags()


def is_name(word: str, first: bool, lowered: set[str], language: str) -> bool:
    """Whether a word is (part of) a name: capitalised where a common word would not be."""
    if len(word) < MIN_LETTERS or not word[0].isupper():
        return False
    low = fold_text(word)
    if low in stop_words("") or low in stop_words(language) or low in calendar_words():
        return False
    if is_generic(word):
        return False
    if first and low in lowered:  # a capitalised sentence start that the text also writes in lower case
        return False
    return language != "de" or not is_common_german_noun(low)


Name = tuple[str, ...]  # the stems of one name's words ("nordvik", "star")


def article_names(title: str, text: str, language: str) -> tuple[list[Name], list[Name]]:
    """The names in an article's title and in its lead, in order (repeats kept): runs of capitalised words."""
    lead = " ".join(text.split()[:LEAD_WORDS])
    lowered = {w for w in NAME_WORD.findall(f"{title} {lead}") if w.islower()}
    return names_in(title, lowered, language), names_in(lead, lowered, language)


def names_in(part: str, lowered: set[str], language: str) -> list[Name]:
    """The runs of name words in a text, sentence by sentence."""
    names: list[Name] = []
    for sentence in SENTENCE_BREAK.split(part):
        run: list[str] = []
        for position, word in enumerate(WORD_OR_COMMA.findall(sentence)):
            if word != "," and is_name(word, position == 0, lowered, language):
                run.append(stem_word(fold_text(word)))
            elif run:
                names.append(tuple(run))
                run = []
        if run:
            names.append(tuple(run))
    return names


def distinct_names(names: Iterable[Name]) -> list[frozenset[str]]:
    """The names as word sets, those sharing a word taken as one ("Ilse Marren" and "Marren")."""
    groups: list[set[str]] = []
    for name in names:
        words = set(name)
        overlapping = [g for g in groups if g & words]
        for group in overlapping:
            words |= group
            groups.remove(group)
        groups.append(words)
    return [frozenset(g) for g in groups if g]


def name_words(names: Iterable[Name]) -> Counter[str]:
    """How often each name word occurs."""
    return Counter(word for name in names for word in name)


def repeated_names(title: Sequence[Name], lead: Sequence[Name]) -> tuple[Name, ...]:
    """The title's names that the lead names too (what the report is about; a headline alone: all)."""
    if not lead:
        return tuple(title)
    words = name_words(lead)
    return tuple(name for name in title if any(w in words for w in name))
