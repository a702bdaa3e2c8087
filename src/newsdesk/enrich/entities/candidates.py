"""Hashtags and entities, the candidates: capitalised runs of words and the evidence about each word."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from newsdesk.enrich.entities.words import (
    CONNECTOR_PAIRS,
    CONNECTORS,
    DE_DETERMINERS,
    DE_NOUN_SUFFIXES,
    DE_ROLE_ENDINGS,
    LOCATIVE,
    MAX_CHARS,
    NAME_PARTICLES,
    OPENERS,
    PLACE_NOUNS,
    SPEECH_VERBS,
    WORD_RE,
    fold,
    folded,
    gazetteer,
    german_nouns,
    institution_words,
    never_tags,
    role_words,
)
from newsdesk.text import split_sentences, stop_words


@dataclass
class Word:
    text: str
    low: str  # folded
    sentence: int
    position: int  # index within the sentence
    capital: bool
    possessive: bool = False  # "Northgate's"


@dataclass
class Candidate:
    words: list[Word]
    role: bool = False  # a role or title word stood before it
    locative: bool = False  # a place preposition or place noun stood before it
    initial: bool = False  # it opens a sentence or a quotation
    spoken: bool = False  # a verb of saying stands next to it ("sagte Gül Yıldırım")
    prefix: bool = False  # it stood before a role word's hyphen ("Transrail-Chefin")

    @property
    def name(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Found:
    name: str
    kind: str
    hashtag: str
    mentions: int = 0
    first: int = 0
    votes: Counter[str] = field(default_factory=Counter)


CONTRACTION = re.compile(r"^[A-Z][a-z]*['’][a-z]{1,2}$")


def tokenize_words(sentence: str, index: int) -> list[Word]:
    """Split a sentence into words, noting capitals; "Rotterdam's" loses its "'s" but keeps the mark."""
    words = []
    for position, match in enumerate(WORD_RE.finditer(sentence)):
        text = match.group(0)
        possessive = text.endswith(("'s", "’s"))
        if possessive:
            text = text[:-2]
        elif text.endswith(("'", "’")):
            text = text[:-1]  # "Operators' Council"
        elif text.endswith(".") and len(text) > 2 and not re.fullmatch(r"(?:[A-Z]\.)+", text):
            text = text[:-1]
        capital = text[:1].isupper() and text[:1].isalpha() and not CONTRACTION.match(text)
        words.append(Word(text, fold(text), index, position, capital, possessive))
    return words


def read_sentences(title: str, text: str) -> list[list[Word]]:
    """Return the words of the title and of each sentence of the text."""
    parts = [title.strip()] if title.strip() else []
    parts += [s for _, s in split_sentences(text[:MAX_CHARS])]
    return [tokenize_words(s, i) for i, s in enumerate(parts)]


def find_candidates(sentences: list[list[Word]]) -> list[Candidate]:
    """Collect runs of capitalised words, joined by name connectors ("Sierra de Almarén")."""
    candidates = []
    for words in sentences:
        i = 0
        while i < len(words):
            if not words[i].capital:
                i += 1
                continue
            end = extend_run(words, i)
            candidates.append(describe_context(words, i, end))
            i = end
    return candidates


def describe_context(words: list[Word], i: int, end: int) -> Candidate:
    """Note what stands around a run: a sentence start, a place word, a role, a verb of saying."""
    before = words[i - 1].low if i > 0 else ""
    place_before = before in folded(PLACE_NOUNS) or (
        before in ("of", "de", "von") and i > 1 and words[i - 2].low in folded(PLACE_NOUNS)
    )
    after = words[end].low if end < len(words) else ""
    return Candidate(
        words[i:end],
        role=is_role(before),
        locative=before in LOCATIVE or place_before,
        initial=i == 0 or before in OPENERS,
        spoken=before in folded(SPEECH_VERBS) or after in folded(SPEECH_VERBS),
    )


def extend_run(words: list[Word], i: int) -> int:
    """Return the end of the capitalised run starting at i. Name particles ("de", "von", "van") join
    capitals; "of", "for", "für", "der", "y" join them only after an organisation or place word."""
    end = i + 1
    while end < len(words) and end - i < 8 and not words[end - 1].possessive:
        if words[end].capital:
            end += 1
            continue
        pair = (words[end].low, words[end + 1].low if end + 1 < len(words) else "")
        skip = 2 if pair in CONNECTOR_PAIRS else 1
        if not (end + skip < len(words) and words[end + skip].capital):
            break
        institution = any(w.low in institution_words() for w in words[i:end])
        if words[end].low in NAME_PARTICLES or (words[end].low in CONNECTORS and institution):
            end += skip
            continue
        break
    return end


@dataclass
class Evidence:
    """What the text itself says about its words."""

    language: str
    lowercase: set[str]  # folded words seen written in lower case
    non_initial: Counter[str]  # folded capitalised words seen away from a sentence start
    determined: set[str]  # German: capitalised words seen after an article (common nouns)
    solo: set[str] = field(default_factory=set)  # folded names seen standing alone mid-sentence


def gather_evidence(sentences: list[list[Word]], language: str) -> Evidence:
    """Read which words the text writes in lower case, which capitals stand mid-sentence, and (German)
    which capitalised words follow an article or a number."""
    evidence = Evidence(language, set(), Counter(), set())
    for words in sentences:
        for k, word in enumerate(words):
            if not word.text[:1].isalpha():
                continue
            if not word.capital:
                evidence.lowercase.add(word.low)
            elif k > 0 and words[k - 1].text not in OPENERS:
                evidence.non_initial[word.low] += 1
            if language == "de" and word.capital and has_determiner(words, k):
                evidence.determined.add(word.low)
            alone = 0 < k < len(words) - 1 and not words[k + 1].capital and not words[k - 1].capital
            if word.capital and alone and words[k - 1].text not in OPENERS:
                evidence.solo.add(word.low)
    return evidence


def has_determiner(words: list[Word], k: int) -> bool:
    """Return True when a German word follows an article, a number, or an article and an adjective."""
    if k == 0:
        return False
    before = words[k - 1]
    if before.low in DE_DETERMINERS or before.text.isdigit():
        return True
    adjective = not before.capital and before.low.endswith(("e", "en", "er", "es", "em"))
    return adjective and k > 1 and words[k - 2].low in DE_DETERMINERS


def is_role(low: str) -> bool:
    """Return True for role and title words, German role compounds included ("Polizeisprecher")."""
    last = low.rsplit("-", 1)[-1]
    stem = last.removesuffix("n").removesuffix("e") if last.endswith(("en", "nen")) else last
    return (
        low in role_words()
        or last in role_words()
        or last.endswith(DE_ROLE_ENDINGS)
        or stem.endswith(DE_ROLE_ENDINGS)
    )


def is_never_tag(word: Word) -> bool:
    """Return True for words that are never names whatever the text: stop, generic, role words."""
    return word.low in never_tags() or len(word.low) < 2 or not word.text[:1].isalpha() or is_role(word.low)


def is_german_noun(low: str, evidence: Evidence) -> bool:
    """Return True for a German common noun: after an article, a known noun or compound, a noun suffix."""
    if low in gazetteer():
        return False
    if low in evidence.determined or low in german_nouns() or low.endswith(DE_NOUN_SUFFIXES):
        return True
    last = low.rsplit("-", 1)[-1]
    if last != low and (last in german_nouns() or last.endswith(DE_NOUN_SUFFIXES)):
        return True
    if len(low) >= 12 and "-" not in low:
        return True  # long German words are compounds of common nouns, hardly ever names
    return any(low[cut:] in german_nouns() for cut in range(3, max(3, len(low) - 3)))


def is_leading_junk(words: list[Word], first: bool, evidence: Evidence) -> bool:
    """Return True when the first word is to be trimmed from a name: a stop or role word, a capitalised
    common word opening a sentence, or (German) a common noun before a name that also stands alone."""
    word = words[0]
    if word.low in CONNECTORS or word.low in stop_words("") or is_role(word.low):
        return not (not first and word.low == "the" and len(words) > 1)
    if word.low in gazetteer():
        return False
    if word.low in never_tags() and evidence.language != "de":
        return len(words) == 1 or words[1].low in CONNECTORS
    if first and word.low in evidence.lowercase:
        return True
    if evidence.language != "de":
        return False
    if word.low in never_tags():
        return True
    rest = fold(" ".join(w.text for w in words[1:]))
    if word.low in evidence.determined and word.low not in german_nouns():
        return bool(rest) and (rest in gazetteer() or rest in evidence.solo)
    known_noun = is_german_noun(word.low, evidence)
    adjective = first and evidence.non_initial[word.low] == 0 and word.low.endswith(("e", "er", "es", "en"))
    return known_noun or adjective


def is_trailing_junk(words: list[Word], evidence: Evidence) -> bool:
    """Return True when the last word is to be trimmed from a name (surnames like "Roggendorf" stay,
    and so do generic words closing a longer name: "Kranenburg Terminal Group")."""
    word = words[-1]
    if (
        word.low in CONNECTORS
        or word.low in stop_words("")
        or is_role(word.low)
        or not word.text[:1].isalpha()
    ):
        return True
    if is_never_tag(word):
        return len(words) == 1
    if evidence.language == "de":
        return word.low not in gazetteer() and (word.low in evidence.determined or word.low in german_nouns())
    return False
