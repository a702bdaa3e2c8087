"""Key facts, the phrases around a figure: its clause, the cue words near it, the noun phrase it counts."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.enrich.facts.grammar import is_time_adverbial, word_classes
from newsdesk.enrich.facts.numbers import FRACTIONS
from newsdesk.enrich.facts.tokens import (
    CLAUSE_PUNCT,
    CLAUSE_WORDS,
    Figure,
    Token,
    _glued,
)
from newsdesk.enrich.facts.vocab import (
    Concept,
    cues_for,
    words_for,
)
from newsdesk.text import calendar_words, stop_words

WINDOW = 15  # tokens either side of a figure searched for what it counts


def clause_ids(tokens: list[Token], language: str) -> list[int]:
    """Number the clauses of a sentence: punctuation starts a new one, and so does a coordinating
    word ("and", "und", "y") when another figure follows it ("9 died and 6 are missing")."""
    ids, current = [], 0
    vocab = words_for(language)
    for index, token in enumerate(tokens):
        boundary = token.text in CLAUSE_PUNCT
        if token.low in CLAUSE_WORDS:
            ahead = tokens[index + 1 : index + 5]
            boundary = any(t.kind == "num" or (t.low in vocab and vocab[t.low][1] == "add") for t in ahead)
        if boundary and not _inside_range(tokens, index):
            current += 1
        ids.append(current)
    return ids


def _inside_range(tokens: list[Token], index: int) -> bool:
    """Return True for the "and" of "between 15 and 20" or the comma of "1,200" split oddly."""
    if tokens[index].low not in ("and", "und", "y"):
        return False
    return any(t.low in ("between", "zwischen", "entre") for t in tokens[max(0, index - 4) : index])


@dataclass(frozen=True)
class CueHit:
    concept: Concept
    start: int
    end: int


def find_cues(tokens: list[Token], lo: int, hi: int, language: str) -> list[CueHit]:
    """Find concept cues among tokens[lo:hi], longest first, without overlaps."""
    cues = cues_for(language)
    hits: list[CueHit] = []
    j = max(lo, 0)
    while j < min(hi, len(tokens)):
        if _hyphen_follows(tokens, j):
            j += 2  # "Malaria-Erkrankungen": the last part names the thing
            continue
        for length in (4, 3, 2, 1):
            if j + length > hi:
                continue
            key = tuple(t.low for t in tokens[j : j + length])
            concept = cues.get(key) or _compound_cue(key, cues, language)
            if concept:
                hits.append(CueHit(concept, j, j + length))
                j += length - 1
                break
        j += 1
    return hits


def _hyphen_follows(tokens: list[Token], j: int) -> bool:
    """Return True when tokens[j] is joined by a hyphen to the next word ("Malaria-Erkrankungen")."""
    return (
        j + 2 < len(tokens)
        and tokens[j + 1].text == "-"
        and _glued(tokens, j + 1)
        and _glued(tokens, j + 2)
        and tokens[j].kind == "word"
        and tokens[j + 2].kind == "word"
    )


def _compound_cue(
    key: tuple[str, ...], cues: dict[tuple[str, ...], Concept], language: str
) -> Concept | None:
    """Match German compounds and hyphenated words by their last part ("Malaria-Erkrankungen")."""
    if len(key) != 1:
        return None
    word = key[0]
    if "-" in word:
        return cues.get((word.rsplit("-", 1)[1],))
    if language != "de" or len(word) < 8:
        return None
    for cut in range(3, len(word) - 4):
        concept = cues.get((word[cut:],))
        if concept and concept.kind in ("thing", "weak"):
            return concept
    return None


def noun_phrase_after(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], language: str
) -> tuple[int, int]:
    """Return the token span of the words a figure counts ("trains", "container ships", "personas"); a
    measure ("48 horas convocada") counts no verb after it."""
    stops = stop_words(language)
    limit = 3 if language == "en" else 2
    j = skip_conversion(tokens, figure.end)
    if is_compound_joint(tokens, j):
        j += 1  # "five-party coalition", "Fünf-Parteien-Koalition"
    elif (
        j < len(tokens)
        and tokens[j].low in ("of", "de")
        and j + 1 < len(tokens)
        and tokens[j + 1].low not in stops
    ):
        j += 1  # "3,500 hectares of forest"
    else:
        j += partitive_length(tokens, j, language)  # "41 per cent of the people", "20 Prozent der Fernzüge"
    while j < len(tokens) and tokens[j].low in (
        "more",
        "other",
        "further",
        "más",
        "weitere",
        "otros",
        "otras",
    ):
        j += 1  # "three more bodies"
    first = j
    if figure.unit and first < len(tokens) and is_participle(tokens, tags, first, language):
        return first, first
    if is_time_adverbial(tokens, first):
        return first, first
    while j < len(tokens) and j - first < limit and clauses[j] == clauses[first]:
        token = tokens[j]
        if token.kind != "word" or token.low in stops or token.low in calendar_words():
            break
        if language == "de" and not token.text[:1].isupper() and not _capital_follows(tokens, j):
            break  # "14 Monate dauern": a verb, not what is counted
        j += 3 if _hyphen_follows(tokens, j) else 1
        if language == "de" and token.text[:1].isupper():
            break
    return first, j


def is_participle(tokens: list[Token], tags: list[str], k: int, language: str) -> bool:
    """Return True for a verb form read from its ending that no noun follows ("48 horas convocada por",
    "4,2 % repartido en"); not "planned output", nor a word that is also a noun ("a 9.5% pay raise")."""
    if tags[k] != "verb" or tokens[k].low in word_classes(language) or tokens[k].low.endswith("ing"):
        return False  # "a $140 million building"
    return not (k + 1 < len(tags) and tags[k + 1] in ("noun", "name", "adj"))


def is_compound_joint(tokens: list[Token], j: int) -> bool:
    """Return True when tokens[j] is the hyphen of a figure written into a compound ("five-party")."""
    return (
        j + 1 < len(tokens)
        and tokens[j].text == "-"
        and _glued(tokens, j)
        and _glued(tokens, j + 1)
        and tokens[j + 1].kind == "word"
    )


POSSESSIVES = frozenset(["the", "its", "their", "his", "her", "our", "los", "las", "la", "el", "sus", "su"])


def partitive_length(tokens: list[Token], j: int, language: str) -> int:
    """Return how many tokens "of the stalls" / "of the city's 14 libraries" / "of its needs" / "de los
    viajes" / "der 150 Sitze" take before the noun a share or part counts (0 when none follows); "half the
    stalls" needs no "of"."""
    k = j
    fraction = j > 0 and tokens[j - 1].low in FRACTIONS
    if k < len(tokens) and tokens[k].low in ("of", "de"):
        k += 1
        if k < len(tokens) and tokens[k].low in POSSESSIVES:
            k += 1
    elif k < len(tokens) and (
        (language == "de" and tokens[k].low in ("der", "des")) or (fraction and tokens[k].low in POSSESSIVES)
    ):
        k += 1
    if k > j and k + 1 < len(tokens) and tokens[k].low.endswith(("'s", "’s")):
        k += 1  # "of the city's 14 libraries"
    bare = k == j or (k == j + 1 and tokens[j].low not in ("der", "des") and not fraction)
    if bare and not (k < len(tokens) and tokens[k].kind == "num"):
        return 0
    if k < len(tokens) and tokens[k].kind == "num":
        k += 1
    if k >= len(tokens) or tokens[k].kind != "word" or tokens[k].low in stop_words(language):
        return 0
    if language == "de" and not tokens[k].text[:1].isupper():
        return 0
    return k - j


def _capital_follows(tokens: list[Token], j: int) -> bool:
    return j + 1 < len(tokens) and tokens[j + 1].text[:1].isupper() and tokens[j + 1].kind == "word"


def skip_conversion(tokens: list[Token], j: int) -> int:
    """Step over a figure's conversion in brackets ("€6.8 billion ($7.4 billion) chip factory")."""
    if j >= len(tokens) or tokens[j].text != "(":
        return j
    for k in range(j + 1, min(len(tokens), j + 8)):
        if tokens[k].text == ")":
            inside = tokens[j + 1 : k]
            return k + 1 if any(t.kind == "num" for t in inside) else j
    return j


def number_of_phrase(tokens: list[Token], start: int, end: int, language: str) -> tuple[int, int] | None:
    """Find "the number of X" / "die Zahl der X" / "el número de X" / "death toll" around a figure."""
    heads = {"number", "zahl", "número", "cifra", "balance", "toll", "bilanz", "anzahl"}
    links = {"of", "der", "de", "an", "von"}
    after = range(end, min(len(tokens), end + 3))
    before = range(start - 1, max(-1, start - WINDOW * 2), -1)
    for j in [*after, *before]:
        if tokens[j].low not in heads:
            continue
        k = j + 1
        while k < len(tokens) and tokens[k].low in links | {"los", "las", "the"}:
            k += 1
        if tokens[j].low == "toll":
            return j - 1 if j > 0 else j, j + 1
        if k > j + 1 and k < len(tokens) and tokens[k].kind == "word":
            stop = k + 3 if _hyphen_follows(tokens, k) else k + 1
            if (
                stop < len(tokens)
                and tokens[stop].kind == "word"
                and tokens[stop].low not in stop_words(language)
            ):
                stop += 1
            return k, stop
    return None
