"""What a question asks for: the kind of answer (a count, an amount, a time, a person …), terms and names."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from newsdesk.ai.lang import fold_accents, word_set
from newsdesk.ai.text import WORD
from newsdesk.text import any_function_words, read_rows

KEY_LETTERS = 5
MAX_QUESTION_TERMS = 64
QUESTION_WORDS = word_set(
    "how many much what who whom whose when where why which does did do is are was were will would can could "
    "long far big large old high heavy "
    "wie viel viele vielen was wer wen wem wann wo woher wohin warum weshalb welche welcher welches welchen "
    "lange hoch schwer alt gross groß weit "
    "cuanto cuanta cuantos cuantas que quien quienes cuando donde por porque cual cuales "
    "combien quoi qui quand ou pourquoi quel quelle quels quelles"
)
MEASURES = (
    r"price|cost|score|result|population|value|size|record|deficit|rate|total|toll|temperature|budget|"
    r"salary|tariff|duty|share|lohn\w*|preis|kosten|ergebnis|rekord|defizit|zoll|quote|precio|coste|"
    r"resultado|r[eé]cord|d[eé]ficit|tasa|arancel|cuota|marcador"
)
# The kinds of answer a question asks for, tried in this order (the first that matches wins).
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "duration",
            r"\bhow long\b|\bfor how long\b|\bwie lange?\b|\bcu[aá]nto (tiempo|dur[oó])|\bcu[aá]nto dura|"
            r"\bcombien de temps\b",
        ),
        ("age", r"\bhow old\b|\bwie alt\b|\bqu[eé] edad\b|\bcu[aá]ntos a[nñ]os tiene\b"),
        (
            "distance",
            r"\bhow far\b|\bwie weit\b|\b(a )?qu[eé] distancia\b|\bhow many (kilomet|miles)|"
            r"\bwie viele kilometer|\bcu[aá]ntos kil[oó]metros\b",
        ),
        ("count", r"\bhow many\b|\bwie viele\b|\bcu[aá]nt[oa]s\b|\bcombien de\b"),
        (
            "amount",
            r"\bhow (much|big|large|far|high|heavy|fast)\b|\bwie (viel|hoch|gro(ß|ss)|schwer|weit|"
            r"schnell)\b|\bcu[aá]nt[oa]\b|\bcombien\b|\bby how much\b|\bwhat (is|was|were) the (\w+ ){0,3}"
            rf"({MEASURES})\b|\bwhat percentage\b|\bin what minute\b|\ben qu[eé] minuto\b|"
            rf"\bin welcher minute\b|\bwelche[rs]? ({MEASURES})|\bcu[aá]l (es|era|fue) (el|la) ({MEASURES})",
        ),
        (
            "time",
            r"\bwhen\b|\bwhat time\b|\bwhat year\b|\bwann\b|\bum wie viel uhr\b|\bin welchem jahr\b|"
            r"\bcu[aá]ndo\b|\ba qu[eé] hora\b|\ben qu[eé] a[nñ]o\b|\bquand\b",
        ),
        (
            "cause",
            r"\bwhy\b|\bwhat caused\b|\bwarum\b|\bweshalb\b|\bwieso\b|\bpor qu[eé]\b|"
            r"\bqu[eé] (caus[oó]|provoc[oó])\b|\bwas (hat|verursachte)\b",
        ),
        ("person", r"\bwho\b|\bwhom\b|\bwer\b|\bwen\b|\bwem\b|\bqui[eé]n(es)?\b|\bqui\b"),
        ("place", r"\bwhere\b|\bwo\b|\bwoher\b|\bwohin\b|\bd[oó]nde\b|\bo[uù]\b"),
    )
)
GERMAN_MARKERS = word_set("wie viele wer wann welche welcher welches der die das und ist hat wurde wurden")
SPANISH_MARKERS = word_set(
    "cuanto cuanta cuantos cuantas que quien quienes cuando donde cual cuales el la los las del"
)
# Question words that open a question in one of the languages only ("was" and "wo" are not: English).
GERMAN_OPENERS = word_set(
    "wie wer wen wem wann warum weshalb wieso welche welcher welches welchen welchem woher wohin"
)
SPANISH_OPENERS = word_set("cuanto cuanta cuantos cuantas quien quienes cuando donde cual cuales")
SCORE_WORD = re.compile(r"^(score|result|ergebnis|resultado|marcador)$", re.IGNORECASE)
MEASURE_WORD = re.compile(rf"^(?:{MEASURES})$", re.IGNORECASE)
# "How much did it cost": an amount of money (the figure must be one).
MONEY_CUE = re.compile(
    r"\b(cost|costs|costing|worth|pay|paid|spend|spent|sell|sold|price|budget|fined?|salary|compensation|"
    r"(ge)?kostet|kosten|wert|bezahlt|zahlen|zahlt|verkauft|preis|costó|cuesta|cuestan|costará|vale|valor|"
    r"pag[oó]|pagar[aá]?|vendi[oó]|precio|presupuesto|multa)\b",
    re.IGNORECASE,
)
# "What colour …", "Which film …": the word right after asks for the thing itself.
WHAT_THING = re.compile(
    r"^\W*(?:what|which|welche[rsmn]?|qu[eé]|cu[aá]l(?:es)?|was)\s+"
    r"(?:(?:is|was|are|were|ist|sind|war|waren|es|son|fue|era)\s+)?"
    r"(?:(?:the|a|an|der|die|das|den|el|la|los|las|un|una)\s+)?(\w+)",
    re.IGNORECASE,
)
VERBS_AFTER_WHAT = word_set(
    "is are was were did does do will would has have had ist sind war waren hat es son fue"
)
NAME = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*)*")


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # count, amount, duration, time, person, place, or '' (anything)
    terms: Counter[str]  # content keys, question words and stop-words removed
    names: frozenset[str]  # keys of the proper names it mentions (that an answer's story must mention too)
    focus: str = ""  # the key of the thing asked about ("how many stalls": stall; "what colour": colou)
    language: str = "en"  # en, de or es, from its words
    concepts: frozenset[str] = frozenset()  # concepts its words name (~killed for died), across languages
    places: tuple[frozenset[str], ...] = ()  # per place it names, the keys of that place in every language
    focus_word: str = ""  # that thing's whole word, accent-folded ("kometenstaub": its head "staub" counts)


def match_keys(text: str) -> list[str]:
    """Accent-folded, lower-case 5-letter word prefixes (a final plural 's' dropped first): a stemmer that
    works the same in every language."""
    return [word_key(word) for word in WORD.findall(text.lower())]


def word_key(word: str) -> str:
    folded = fold_accents(word)
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        folded = folded[:-1]
    return folded[:KEY_LETTERS]


@cache
def tally_concepts() -> frozenset[str]:
    """Concepts whose count grows as reports come in (killed, missing, evacuated …)."""
    return frozenset(f"~{row[0]}" for row in read_rows("concepts.tsv") if row[1] == "tally")


@cache
def concept_cues() -> dict[str, str]:
    """One-word cues of the lexicon's concepts in every language ("died", "murieron", "Tote": killed)."""
    cues: dict[str, str] = {}
    function_words = set(any_function_words())  # "die" is English for dying, German for "the"
    for concept, kind, _language, words in read_rows("concepts.tsv"):
        if kind == "weak":
            continue
        for cue in words.split("|"):
            folded = fold_accents(cue.lower())
            if " " not in cue and not cue.endswith("*") and folded not in function_words:
                cues.setdefault(folded, f"~{concept}")
    return cues


def meaning_keys(text: str) -> list[str]:
    """The word keys of a text and the concepts its words name, which match across languages."""
    words = WORD.findall(text.lower())
    cues = concept_cues()
    return [word_key(word) for word in words] + [cues[f] for f in map(fold_accents, words) if f in cues]


def word_meanings(text: str) -> list[set[str]]:
    """Per word of the text, its key and the concept it names (for distances between words)."""
    cues = concept_cues()
    found = []
    for word in WORD.findall(text.lower()):
        folded = fold_accents(word)
        found.append({word_key(word), cues[folded]} if folded in cues else {word_key(word)})
    return found


def _stop_keys() -> frozenset[str]:
    words = set(QUESTION_WORDS) | any_function_words()
    return frozenset(key for word in words for key in match_keys(word))


STOP_KEYS = _stop_keys()


def read_question(text: str) -> Question:
    """The kind of answer, the content keys and the names of a question."""
    keys = [key for key in meaning_keys(text) if key not in STOP_KEYS]
    terms = Counter(dict(Counter(keys).most_common(MAX_QUESTION_TERMS)))
    kind, end = answer_kind(text)
    if kind == "amount" and MONEY_CUE.search(text):
        kind = "money"
    concepts = frozenset(key for key in terms if key.startswith("~"))
    language = question_language(text)
    word = focus_word(text, kind, end)
    focus = word_key(word) if word else ""
    places = places_named(text)
    return Question(text, kind, terms, name_keys(text), focus, language, concepts, places, fold_accents(word))


@cache
def place_aliases() -> dict[str, frozenset[str]]:
    """Each one-word name of a gazetteer place (folded, lower case) → the keys of all its names, so that
    "Japan", "Japón" and "Köln", "Cologne", "Colonia" each stand for one place."""
    aliases: dict[str, frozenset[str]] = {}
    for name, kind, *others in read_rows("places.tsv"):
        if kind != "place":
            continue
        names = [n for n in [name, *"|".join(others).split("|")] if n and " " not in n.strip()]
        keys = frozenset(word_key(n.strip().lower()) for n in names)
        for n in names:
            aliases.setdefault(fold_accents(n.strip().lower()), keys)
    return aliases


def places_named(text: str) -> tuple[frozenset[str], ...]:
    """The gazetteer places a question names, each as the keys of its names in every language."""
    aliases = place_aliases()
    found = {aliases[w] for w in map(fold_accents, WORD.findall(text.lower())) if w in aliases}
    return tuple(sorted(found, key=sorted))


def focus_word(text: str, kind: str, end: int) -> str:
    """The word naming the thing a question asks about, when its words say it plainly (lower case)."""
    asked_words = WORD.findall(text[:end].lower())
    if kind in ("amount", "money") and asked_words and MEASURE_WORD.match(asked_words[-1]):
        # a score or result is written as "2-1", seldom next to the word: no focus then
        return "" if SCORE_WORD.match(asked_words[-1]) else asked_words[-1]  # "which pay rise"
    if kind in ("count", "amount", "money", "distance"):
        after = WORD.findall(text[end:].lower())[:1]
        return next((word for word in after if word_key(word) not in STOP_KEYS), "")
    if kind == "person":  # "who won the elections": what the person did it to (the verb stands first)
        after = WORD.findall(text[end:].lower())[1:]
        return next((word for word in after if word_key(word) not in STOP_KEYS), "")
    thing = WHAT_THING.match(text)
    if not kind and thing and fold_accents(thing.group(1)) not in VERBS_AFTER_WHAT:
        return thing.group(1).lower()
    return ""


def question_language(text: str) -> str:
    words = [fold_accents(word) for word in WORD.findall(text.lower())]
    if words and words[0] in GERMAN_OPENERS:
        return "de"
    if words and (words[0] in SPANISH_OPENERS or text.lstrip().startswith("¿")):
        return "es"
    german = sum(word in GERMAN_MARKERS for word in words)
    spanish = sum(word in SPANISH_MARKERS for word in words) + 2 * text.lstrip().startswith("¿")
    if max(german, spanish) < 2:
        return "en"
    return "de" if german > spanish else "es"


def answer_kind(question: str) -> tuple[str, int]:
    """The kind of answer asked for, and where the words saying so end."""
    for kind, pattern in KINDS:
        found = pattern.search(question)
        if found:
            return kind, found.end()
    return "", 0


def name_keys(question: str) -> frozenset[str]:
    """Keys of the capitalised words after the first: the names a question is about ('' in German, where
    every noun is capitalised)."""
    if question_language(question) == "de":
        return frozenset()
    found: set[str] = set()
    for match in NAME.finditer(question):
        if not WORD.search(question[: match.start()]):
            continue  # the question's first word is capitalised for being first
        found.update(key for key in match_keys(match.group(0)) if key not in STOP_KEYS)
    return frozenset(found)
