"""Hashtags and entities, the word lists: connectors, role and place words, the gazetteer, hashtag forms."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from newsdesk.text import marker_words, read_rows, read_words, stop_words

MAX_CHARS = 60_000  # longer texts are read only this far (a long article has 20,000 characters)
MAX_ENTITIES = 40
KINDS = ("person", "place", "organisation", "topic")

WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’.&][^\W\d_]+)*(?:\.|(?<=s)['’](?=\s))?|\d+|[^\w\s]")
CONNECTORS = frozenset(
    [
        "de",
        "del",
        "of",
        "von",
        "van",
        "der",
        "für",
        "fur",
        "for",
        "y",
        "&",
        "la",
        "las",
        "los",
        "da",
        "do",
        "dos",
        "du",
        "des",
    ]
)
NAME_PARTICLES = frozenset(["de", "del", "von", "van", "da", "do", "dos", "du", "des", "&"])
DE_ROLE_ENDINGS = (
    "leiter",
    "leiterin",
    "sprecher",
    "sprecherin",
    "chef",
    "chefin",
    "direktor",
    "direktorin",
    "minister",
    "ministerin",
    "prasident",
    "prasidentin",
    "referent",
    "referentin",
    "meister",
    "meisterin",
    "darsteller",
    "darstellerin",
    "produzent",
    "produzentin",
    "handler",
    "handlerin",
    "login",
    "lehrer",
    "lehrerin",
    "anwohner",
    "anwohnerin",
    "trainer",
    "trainerin",
    "berater",
    "beraterin",
    "dezernent",
    "dezernentin",
    "vorsitzende",
    "vorsitzender",
    "meteorologe",
    "meteorologin",
    "okonom",
    "okonomin",
    "experte",
    "expertin",
    "forscher",
    "forscherin",
    "wissenschaftler",
    "wissenschaftlerin",
    "analyst",
    "analystin",
    "verband",
)
CONNECTOR_PAIRS = frozenset(
    [("de", "la"), ("de", "las"), ("de", "los"), ("von", "der"), ("van", "der"), ("of", "the")]
)
DE_DETERMINERS = marker_words("de_determiners")
DE_NOUN_SUFFIXES = (
    "ung",
    "ungen",
    "heit",
    "heiten",
    "keit",
    "keiten",
    "schaft",
    "schaften",
    "tion",
    "tionen",
    "tät",
    "täten",
    "ismus",
    "nis",
    "nisse",
    "tum",
    "chen",
    "lein",
    "ling",
    "linge",
    "erei",
    "eur",
    "eure",
    "ist",
    "isten",
    "iker",
    "logie",
    "loge",
    "logen",
    "ment",
    "mente",
    "werk",
    "haus",
    "häuser",
    "zeit",
    "kräfte",
    "leute",
    "ität",
)
PLACE_NOUNS = marker_words("place_nouns")
SPEECH_VERBS = marker_words("speech_verbs")
COMPASS = frozenset(
    ["north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"]
)
OPENERS = frozenset(["«", "„", "“", '"', "‘", "(", ":", "-", "–", "—", "¿", "¡"])
LOCATIVE = frozenset(
    ["in", "near", "from", "to", "at", "nach", "bei", "aus", "en", "desde", "hacia", "cerca"]
)
ORG_WORDS = marker_words("org_words")
PLACE_WORDS = marker_words("place_words")


@cache
def gazetteer() -> dict[str, tuple[str, str]]:
    """Return folded alias -> (English name, kind) for countries, cities, regions and organisations."""
    index: dict[str, tuple[str, str]] = {}
    for name, kind, aliases in read_rows("places.tsv"):
        for alias in [name, *aliases.split("|")]:
            index.setdefault(fold(alias), (name, kind))
    return index


@cache
def acronyms() -> frozenset[str]:
    """Return the folded gazetteer aliases written in capitals ("UN", "WHO"): only capitals match them."""
    return frozenset(
        fold(alias)
        for name, _, aliases in read_rows("places.tsv")
        for alias in [name, *aliases.split("|")]
        if alias.replace(".", "").isupper() and len(alias) <= 5
    )


@cache
def topic_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Return (topic, pattern matching any of its cues; a trailing * on a word matches any ending)."""
    patterns = []
    for topic, cues in read_rows("topics.tsv"):
        alternatives = [
            r"\s+".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in cue.split())
            for cue in cues.split("|")
        ]
        patterns.append((topic, re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")))
    return tuple(patterns)


@cache
def never_tags() -> frozenset[str]:
    """Return folded words that never become hashtags: generic words, roles, months, weekdays, stop words."""
    words = read_words("generic.txt") | read_words("roles.txt") | read_words("calendar.txt") | stop_words("")
    numbers = {row[1] for row in read_rows("numbers.tsv")}
    return frozenset(fold(w) for w in words | numbers) | counted_nouns()


@cache
def role_words() -> frozenset[str]:
    """Return folded role and title words ("mayor", "Baudezernent", "alcaldesa")."""
    return frozenset(fold(w) for w in read_words("roles.txt"))


@cache
def german_nouns() -> frozenset[str]:
    """Return frequent German common nouns (folded)."""
    return frozenset(fold(w) for w in read_words("de_nouns.txt"))


@cache
def counted_nouns() -> frozenset[str]:
    """Return the folded words of units and counted things ("Quadratmeter", "Einsatzkräfte")."""
    words = {w for row in read_rows("units.tsv") for form in row[3].split("|") for w in form.split()}
    words |= {w for row in read_rows("concepts.tsv") for cue in row[3].split("|") for w in cue.split()}
    return frozenset(fold(w) for w in words if len(w) > 3)


@cache
def folded(words: frozenset[str]) -> frozenset[str]:
    """Return a word set with its words folded."""
    return frozenset(fold(w) for w in words)


@cache
def institution_words() -> frozenset[str]:
    """Return the folded words that mark organisations and places ("University", "Sierra", "Straße")."""
    return folded(ORG_WORDS) | folded(PLACE_WORDS)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Lisboa" -> "lisboa", "Köln" -> "koln", "Straße" -> "strasse"."""
    text = text.replace("ß", "ss").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "ð": "d",
    }
)


def make_hashtag(name: str) -> str:
    """Write a name as a hashtag: "Sierra de Almarén" -> "#SierraDeAlmaren", "EU" -> "#EU"."""
    decomposed = unicodedata.normalize("NFKD", name.translate(LETTERS))
    ascii_name = "".join(c for c in decomposed if not unicodedata.combining(c))
    parts = [re.sub(r"[^0-9A-Za-z]", "", p) for p in re.split(r"[\s\-'’/]+", ascii_name)]
    return "#" + "".join(p[:1].upper() + p[1:] for p in parts if p)


def hashtag_key(hashtag: str) -> str:
    """Return the key under which hashtags are the same ("#Lisbon" and "#lisbon")."""
    return hashtag.lower()
