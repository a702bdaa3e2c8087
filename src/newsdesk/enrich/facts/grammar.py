"""Key facts, the grammar: word classes of a sentence's tokens and the phrases a figure is attached to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsdesk.enrich.facts.tokens import AMPM, Figure, Token
from newsdesk.enrich.facts.vocab import unit_forms, words_for
from newsdesk.text import marker_words, read_rows

WINDOW = 30  # tokens either side of a figure its clause's phrases are looked for in
NOMINAL = frozenset(["noun", "name", "adj"])
LIGHT_VERBS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "worth",
        "liegt",
        "lag",
        "beträgt",
        "betrug",
        "sitúa",
        "situó",
        "ronda",
    ]
)
ATTACHING = frozenset(["at", "auf", "en", "on"])  # "put the cost at", "schätzt die Kosten auf"
PLACE_PREPOSITIONS = frozenset(["in", "at", "near", "from", "en", "aus", "bei", "im"])
COORDINATORS = frozenset(["and", "or", "und", "oder", "y", "e", "o"])
RELATIVES = frozenset(["which", "who", "that", "que", "quien", "quienes", "die", "der", "das", "welche"])
EN_MODALS = frozenset(["will", "would", "can", "could", "may", "might", "must", "should", "shall"])
EN_ADJ_ENDINGS = ("al", "ous", "ive", "ic", "ful", "less", "able", "ible", "ary", "ern", "ese", "ish")
ES_ADJ_ENDINGS = ("al", "oso", "osa", "ivo", "iva", "ico", "ica", "ble", "ense", "ano", "ana", "ario")
ES_VERB_ENDINGS = (
    "ado",
    "ada",
    "ados",
    "adas",
    "ido",
    "ida",
    "idos",
    "idas",
    "ó",
    "aron",
    "ieron",
    "aba",
    "aban",
    "ía",
    "ían",
    "ará",
    "arán",
    "irá",
    "erá",
    "ando",
    "iendo",
)
DE_VERB_ENDINGS = ("en", "rn", "ln", "t", "te", "ten", "tet")


@cache
def word_classes(language: str) -> dict[str, str]:
    """Return word -> closed class (det, prep, aux, pron, conj, adv, verb) for a language."""
    table: dict[str, str] = {}
    for lang, cls, words in read_rows("grammar.tsv"):
        if lang == language and cls not in ("dimension", "moneyverb"):
            for word in words.split():
                table.setdefault(word, cls)
    return table


@cache
def dimension_nouns(language: str) -> dict[str, str]:
    """Return dimension adjective -> noun ("deep" -> "depth", "tief" -> "Tiefe")."""
    return word_pairs(language, "dimension")


@cache
def money_nouns(language: str) -> dict[str, str]:
    """Return a verb of money -> what its sum is ("cost" -> "cost", "raised" -> "money raised")."""
    return word_pairs(language, "moneyverb")


def word_pairs(language: str, cls: str) -> dict[str, str]:
    rows = [row[2] for row in read_rows("grammar.tsv") if row[0] == language and row[1] == cls]
    text = " ".join(rows)
    return {
        k: v.replace("_", " ")
        for k, v in (pair.split(":") for pair in re.findall(r"\S+:[^:]+?(?= \S+:|$)", text))
    }


def tag_tokens(tokens: list[Token], language: str) -> list[str]:
    """Tag each token with a word class: num, punct, det, prep, aux, pron, conj, adv, verb, noun, adj …"""
    classes = word_classes(language)
    tags: list[str] = []
    for i, token in enumerate(tokens):
        if token.kind in ("num", "time", "sym", "ident"):
            tags.append("num")
        elif token.kind == "punct":
            tags.append("punct")
        elif i > 0 and tags[i - 1] == "num" and token.low.rstrip(".") in AMPM | {"a.m", "p.m"}:
            tags.append("num")  # "2.40 am", "2 Uhr": part of the time
        elif i > 1 and tokens[i - 1].text == "-" and tokens[i - 1].end == token.start:
            tags.append("adj")  # "European-built", "five-party": one adjective
        elif token.low in classes and (language != "de" or not token.text[:1].isupper() or i == 0):
            tags.append(classes[token.low])
        else:
            tags.append(open_class(tokens, i, language, tags))
    return tags


def open_class(tokens: list[Token], i: int, language: str, tags: list[str]) -> str:
    """Guess the class of a word no closed list has, from its ending, its capital and its neighbours."""
    token = tokens[i]
    previous = tags[i - 1] if i > 0 else ""
    capital = token.text[:1].isupper()
    if language == "de":
        if capital:
            return "noun"
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and following.text[:1].isupper() and following.kind == "word":
            return "adj"
        return "verb" if token.low.endswith(DE_VERB_ENDINGS) else "adv"
    if capital and i > 0:
        return "name"
    low = token.low
    if language == "es":
        if previous in ("det", "prep") and not low.endswith(("ado", "ada", "ido", "ida")):
            return "noun"
        if low.endswith(ES_VERB_ENDINGS) and previous != "det":
            return "verb"
        return "adj" if low.endswith(ES_ADJ_ENDINGS) and previous in ("noun", "name") else "noun"
    if (low.endswith("ed") and len(low) > 3) or (low.endswith("ing") and len(low) > 4 and previous != "det"):
        return "verb"
    if i > 0 and (tokens[i - 1].low in EN_MODALS or _is_infinitive(tokens, i, language)):
        return "verb"  # "will add", "must offer", "hoping to cap the field"
    return "adj" if low.endswith(EN_ADJ_ENDINGS) and _noun_follows(tokens, i, language) else "noun"


def _is_infinitive(tokens: list[Token], i: int, language: str) -> bool:
    """Return True for the verb of "to cap the field", "to donate about $85,000": "to" before a word that a
    determiner, a figure or a qualifier follows ("to the town" and "to Porto" are no verbs)."""
    if tokens[i - 1].low != "to" or i + 1 >= len(tokens):
        return False
    following = tokens[i + 1]
    opener = word_classes(language).get(following.low) in ("det", "pron") or following.low in ("about", "at")
    return following.kind in ("num", "sym") or opener


def _noun_follows(tokens: list[Token], i: int, language: str) -> bool:
    """Return True when the next token is a word of no closed class (an adjective's noun)."""
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    return following is not None and following.kind == "word" and following.low not in word_classes(language)


@dataclass(frozen=True)
class Attachment:
    """The phrases of a figure's clause: its subject, verb, object and a predicate adjective."""

    subject: tuple[int, int] | None
    verb: tuple[int, int] | None  # auxiliary (when next to it) and main verb
    object: tuple[int, int] | None
    adjective: int | None  # "a metre deep": the dimension it measures


def attach(tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int]) -> Attachment:
    """Find the subject, verb and object a figure belongs to, and a dimension adjective after it."""
    verb = clause_verb(tokens, tags, figure, clauses)
    subject = obj = None
    if verb is not None:
        subject = subject_before(tokens, tags, min(verb[0], figure.start))
        if verb[1] <= figure.start:
            obj = object_between(tags, verb[1], figure.start)
            same_clause = figure.end < len(tokens) and clauses[figure.end] == clauses[figure.start]
            measured = (tokens[figure.end].low,) in unit_forms() if same_clause else False
            if obj is None and same_clause and not measured and not is_time_adverbial(tokens, figure.end):
                obj = object_between(tags, figure.end, min(len(tokens), figure.end + 4))
    adjective = (
        figure.end if figure.end < len(tokens) and tags[figure.end] in ("adj", "noun", "adv") else None
    )
    return Attachment(subject, verb, obj, adjective)


def is_time_adverbial(tokens: list[Token], k: int) -> bool:
    """Return True for "last year", "this week", "next month" at token k: when, not what is counted."""
    if k + 1 >= len(tokens) or tokens[k].low not in ("last", "this", "next", "past"):
        return False
    unit = unit_forms().get((tokens[k + 1].low,))
    return unit is not None and unit.cls == "duration"


def clause_verb(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int]
) -> tuple[int, int] | None:
    """Return the span of the verb nearest the figure in its clause (speech verbs and "said" left out),
    an auxiliary or copula when there is no other verb."""
    clause = clauses[figure.start]
    speech = marker_words("speech_verbs")
    near = range(max(0, figure.start - WINDOW), min(len(tokens), figure.end + WINDOW))
    inside = [k for k in near if clauses[k] == clause and not figure.start <= k < figure.end]
    verbs = [k for k in inside if tags[k] == "verb" and tokens[k].low not in speech]
    if not verbs:
        verbs = [k for k in inside if tags[k] == "aux"]
    if not verbs:
        return None
    before = [k for k in verbs if k < figure.start]
    if any(tags[k] == "verb" for k in before):
        verbs = [k for k in before if tags[k] == "verb"] or before  # the verb whose object or adjunct it is
    main = min(verbs, key=lambda k: (abs(k - figure.start), k > figure.start))
    start = main - 1 if main > 0 and tags[main - 1] == "aux" else main
    return start, main + 1


def subject_before(tokens: list[Token], tags: list[str], k: int) -> tuple[int, int] | None:
    """Return the noun phrase before token k that is not inside a prepositional phrase, stepping over an
    insertion between commas ("the river, normally a shallow stream, had risen")."""
    j = k - 1
    while j >= max(0, k - WINDOW):
        if tokens[j].text == ",":
            previous = next((m for m in range(j - 1, -1, -1) if tokens[m].text == ","), -1)
            j = previous - 1 if previous > 0 else j - 1
            continue
        if tags[j] in ("noun", "name"):
            start = j
            while start > 0 and tags[start - 1] in NOMINAL and j - start < 3:
                start -= 1
            before = start - 1
            while before >= 0 and tags[before] in ("det", "adj", "num", "adv"):
                before -= 1
            if before > 0 and tokens[before].low in COORDINATORS and tags[before - 1] in ("noun", "name"):
                j = before - 1  # "vehicles and batteries", "the EU and India": the first conjunct decides
                continue
            if before < 0 or tags[before] != "prep":
                return past_compound(tokens, start), j + 1
            j = before - 1
            continue
        if tokens[j].low in RELATIVES and j > 0:
            j -= 1 + (tokens[j - 1].text == ",")  # "the library, which opened": its antecedent
            return antecedent(tokens, tags, j)
        if tags[j] in ("punct", "conj", "pron"):
            return None  # a pronoun is the subject ("it had burned"), or the clause starts here
        j -= 1
    return None


def past_compound(tokens: list[Token], start: int) -> int:
    """Step a noun phrase's start past the second half of a figure's compound ("68-jährige Rentner"
    names the pensioner, "jährige" alone says nothing; "EU-India trade" keeps both)."""
    if start < 2 or start >= len(tokens) - 1 or tokens[start - 1].text != "-":
        return start
    number = tokens[start - 2]
    if number.kind == "num" or number.low in words_for(""):
        return start + 1
    return start


def antecedent(tokens: list[Token], tags: list[str], j: int) -> tuple[int, int] | None:
    """Return the noun phrase ending at token j that a relative pronoun after it refers to, stepping over
    a phrase of place ("a negotiating session in Brussels that ran": the session; "14 meses de obras que
    han costado": the works)."""
    if j < 0 or tags[j] not in ("noun", "name"):
        return None
    start = j
    while start > 0 and tags[start - 1] in NOMINAL and j - start < 3:
        start -= 1
    before = start - 1
    while before >= 0 and tags[before] == "det":
        before -= 1
    if before > 0 and tokens[before].low in PLACE_PREPOSITIONS and tags[before - 1] in ("noun", "name"):
        return antecedent(tokens, tags, before - 1)
    return past_compound(tokens, start), j + 1


def object_between(tags: list[str], lo: int, hi: int) -> tuple[int, int] | None:
    """Return the first noun phrase in tags[lo:hi] that no preposition introduces."""
    j = lo
    while j < hi and tags[j] in ("det", "adj", "adv"):
        j += 1
    if j < hi and tags[j] in ("noun", "name"):
        end = j
        while end < hi and tags[end] in NOMINAL and end - j < 3:
            end += 1
        return j, end
    return None


def genitive_after(tokens: list[Token], tags: list[str], end: int) -> int:
    """Extend a noun phrase over its complement ("Kosten des Streiks", "cost of the strike")."""
    if end + 1 < len(tokens) and tokens[end].low in ("of", "des", "der", "del", "de"):
        k = end + 1
        while k < len(tokens) and tags[k] in ("det", "adj"):
            k += 1
        if k < len(tokens) and tags[k] in ("noun", "name"):
            return k + 1
    return end


def words(tokens: list[Token], span: tuple[int, int] | None) -> str:
    """Return the text of a token span as written: tokens glued in the text stay glued ("EU-Elektroautos",
    "water-dropping planes")."""
    if span is None:
        return ""
    chosen = tokens[span[0] : span[1]]
    return "".join(
        ("" if k == 0 or chosen[k - 1].end == t.start else " ") + t.text for k, t in enumerate(chosen)
    )
