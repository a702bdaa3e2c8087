"""Hashtags and entities: the people, places, organisations and topics of an article and of a story."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from newsdesk.enrich.fact_text import split_sentences
from newsdesk.enrich.lexicon import marker_words, read_rows, read_words, stop_words

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


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str  # person, place, organisation or topic
    hashtag: str  # "#Lisbon": one per entity across languages and spellings
    mentions: int


# ---------------------------------------------------------------------------------------------
# Word lists


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


# ---------------------------------------------------------------------------------------------
# Hashtags


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


# ---------------------------------------------------------------------------------------------
# Candidates


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


# ---------------------------------------------------------------------------------------------
# Evidence about words


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


# ---------------------------------------------------------------------------------------------
# From candidates to entities


def split_candidate(candidate: Candidate, evidence: Evidence) -> list[Candidate]:
    """Split a run at role words ("Finance Minister Geert Vanhoudt") and after a leading demonym
    ("Kenyan Amos Lemayan"), then trim each part; parts that are no names are dropped."""
    candidate = drop_function_words(candidate)
    words = candidate.words
    roles = [k for k, w in enumerate(words) if is_role(w.low) and fold(candidate.name) not in gazetteer()]
    parts: list[Candidate] = []
    if roles:
        cut = roles[-1]
        head = Candidate(words[:cut], initial=candidate.initial, locative=candidate.locative)
        prefix = words[cut].text.rsplit("-", 1)[0] if "-" in words[cut].text else ""
        if prefix and prefix[:1].isupper():
            word = Word(prefix, fold(prefix), words[cut].sentence, words[cut].position, True)
            parts.append(Candidate([word], prefix=True))
        if len(head.words) > 1 or (head.words and head.words[0].low in gazetteer()):
            parts.append(head)
        tail = Candidate(words[cut + 1 :], role=True, spoken=candidate.spoken)
        parts.append(tail)
    elif (
        len(words) >= 3
        and words[0].low in gazetteer()
        and gazetteer()[words[0].low][1] == "place"
        and not any(w.low in institution_words() for w in words)
    ):
        parts = [
            Candidate(words[:1], initial=candidate.initial),
            Candidate(words[1:], spoken=candidate.spoken),
        ]
        parts[1].role = candidate.role
    else:
        parts = [candidate]
    parts = [drop_function_words(part) for part in parts]
    if evidence.language == "de":
        parts = [piece for part in parts for piece in split_german(part, evidence)]
    trimmed = [trim(part, evidence) for part in parts if part.words]
    return [part for part in trimmed if part is not None]


def drop_function_words(candidate: Candidate) -> Candidate:
    """Drop an article or particle opening a sentence or following a role ("Der Kölner …", "des Kölner …");
    a capitalised "The" inside a sentence stays ("The Last Tide"), and so do names such as "Los Angeles"."""
    words = candidate.words
    while len(words) > 1 and (
        words[0].low in CONNECTORS or (words[0].low in stop_words("") and candidate.initial)
    ):
        if any(fold(" ".join(w.text for w in words[:k])) in gazetteer() for k in range(2, len(words) + 1)):
            break
        words = words[1:]
    if words is candidate.words:
        return candidate
    return Candidate(words, candidate.role, candidate.locative, candidate.initial, candidate.spoken)


def split_german(candidate: Candidate, evidence: Evidence) -> list[Candidate]:
    """Split German runs at "von"/"des"/"der"/"für" after a common noun ("Hinterland von Valencia") and
    after a place adjective ("Kölner Innenstadt": Köln, then the rest)."""
    words = candidate.words
    if not words:
        return []
    for k in range(1, len(words) - 1):
        institution = words[k + 1].low in folded(ORG_WORDS) or words[k + 1].low in ("der", "den", "dem")
        german = words[k].low in ("von", "der", "des", "fur", "den", "dem", "vom")
        if german and (is_german_noun(words[k - 1].low, evidence) or institution):
            head = Candidate(
                words[:k], candidate.role, candidate.locative, candidate.initial, candidate.spoken
            )
            return [head, *split_german(Candidate(words[k + 1 :]), evidence)]
    first = words[0].low
    if len(first) > 4 and first.endswith("er") and first[:-2] in gazetteer() and first not in gazetteer():
        place = Word(words[0].text[:-2], first[:-2], words[0].sentence, words[0].position, True)
        return [
            Candidate([place], locative=True),
            Candidate(words[1:], candidate.role, False, False, candidate.spoken),
        ]
    return [candidate]


def trim(candidate: Candidate, evidence: Evidence) -> Candidate | None:
    """Trim articles, roles and common words from the ends of a candidate; None when nothing is left."""
    if fold(candidate.name) in gazetteer() and not is_acronym_clash(candidate):
        return candidate
    words = list(candidate.words)
    while words and is_leading_junk(words, candidate.initial and words[0] is candidate.words[0], evidence):
        candidate.role = candidate.role or is_role(words[0].low)
        candidate.locative = candidate.locative or words[0].low in folded(PLACE_NOUNS)
        words.pop(0)
    while words and is_trailing_junk(words, evidence):
        words.pop()
    if not words:
        return None
    initial = candidate.initial and words[0] is candidate.words[0]
    lone = words[0].low
    if initial and len(words) == 1 and evidence.non_initial[lone] == 0 and lone not in gazetteer():
        return None  # a capitalised word only ever seen opening a sentence
    return Candidate(words, candidate.role, candidate.locative, initial, candidate.spoken, candidate.prefix)


def is_acronym_clash(candidate: Candidate) -> bool:
    """Return True when a gazetteer acronym ("UN", "WHO") is matched by an ordinary word ("Un", "Who")."""
    return fold(candidate.name) in acronyms() and not candidate.name.replace(".", "").isupper()


def resolve(candidate: Candidate, evidence: Evidence) -> tuple[str, str] | None:
    """Return (English name, kind) when a candidate is, or plainly contains, a gazetteer entry:
    "Köln-Neuehrenfeld" is in Köln, "Teile Nordrhein-Westfalens" names North Rhine-Westphalia."""
    if is_acronym_clash(candidate):
        return None
    name = fold(candidate.name)
    for key in (name, name[:-1] if evidence.language == "de" and name.endswith("s") else ""):
        if key in gazetteer():
            return gazetteer()[key]
    if len(candidate.words) == 1 and "-" in name and name.split("-")[0] in gazetteer():
        return gazetteer()[name.split("-")[0]]
    if evidence.language == "de" and 2 <= len(candidate.words) <= 3:
        places = [
            w.low.removesuffix("s") if w.low.removesuffix("s") in gazetteer() else w.low
            for w in candidate.words
        ]
        known = [p for p in places if p in gazetteer()]
        others = [w for w, p in zip(candidate.words, places, strict=True) if p not in gazetteer()]
        if len(known) == 1 and all(is_german_noun(w.low, evidence) for w in others):
            return gazetteer()[known[0]]
    return None


def classify(candidate: Candidate) -> str:
    """Guess whether a name is a person, place or organisation from its words and context."""
    lows = [w.low for w in candidate.words]
    if any(w in folded(ORG_WORDS) for w in lows) or (len(lows) == 1 and candidate.words[0].text.isupper()):
        return "organisation"
    if any(w in folded(PLACE_WORDS) for w in lows):
        return "place"
    if candidate.role or candidate.spoken:
        return "person"
    if candidate.locative:
        return "place"
    if 2 <= len(lows) <= 4 and not any(w in CONNECTORS for w in lows):
        return "person"
    return "unknown"


def collect(candidates: list[Candidate], evidence: Evidence) -> dict[str, Found]:
    """Turn candidates into entities keyed by hashtag, counting mentions and kind votes."""
    found: dict[str, Found] = {}
    cleaned = [part for raw in candidates for part in split_candidate(raw, evidence)]
    counts = Counter(fold(c.name) for c in cleaned)
    for order, candidate in enumerate(cleaned):
        known = resolve(candidate, evidence)
        if not known and not acceptable_name(candidate, evidence, counts[fold(candidate.name)] > 1):
            continue
        name, kind = known if known else (candidate.name, classify(candidate))
        add_mention(found, name, kind, order, known is not None, len(candidate.words))
        tail = gazetteer_tail(candidate) if not known else None
        if tail:
            add_mention(found, tail[0], tail[1], order, True, 1)
    return found


def add_mention(found: dict[str, Found], name: str, kind: str, order: int, known: bool, length: int) -> None:
    """Count one mention of a name under its hashtag; the longest written form names the entity."""
    tag = make_hashtag(name)
    if len(tag) < 3:
        return
    entry = found.setdefault(hashtag_key(tag), Found(name, kind, tag, first=order))
    entry.mentions += 1
    entry.votes[kind] += 3 if known else 1
    if length > len(entry.name.split()) and not known:
        entry.name, entry.hashtag = name, tag


def gazetteer_tail(candidate: Candidate) -> tuple[str, str] | None:
    """Return the place inside a longer name: "Centro de Estudios Europeos de Valencia" -> Valencia,
    "Singapore Institute for Planetary Materials" -> Singapore, "South Australia" -> Australia."""
    words = candidate.words
    head = words[0].low
    if len(words) > 1 and head in gazetteer() and gazetteer()[head][1] == "place" and head not in acronyms():
        return gazetteer()[head]
    last = words[-1].low
    if len(words) == 2 and head in COMPASS and last in gazetteer() and last not in acronyms():
        return gazetteer()[last]
    for k in range(1, len(words)):
        if words[k - 1].low in ("de", "of", "del", "von"):
            tail = fold(" ".join(w.text for w in words[k:]))
            if tail in gazetteer() and gazetteer()[tail][1] == "place":
                return gazetteer()[tail]
    return None


def acceptable_name(candidate: Candidate, evidence: Evidence, repeated: bool) -> bool:
    """Return True when a name not in the gazetteer is likely a name. Short acronyms must come back; a
    single German word must not look like a common noun and must come back."""
    words = candidate.words
    if len(words) == 1 and words[0].text.isupper() and len(words[0].text) <= 2 and not repeated:
        return False
    if candidate.prefix:
        return True
    if evidence.language != "de":
        return True
    if len(words) > 1:
        named = candidate.role or candidate.spoken or any(w.low in institution_words() for w in words)
        return named or repeated or any(w.low in evidence.solo for w in words)
    if is_german_noun(words[0].low, evidence) or words[0].low.endswith(("en", "ern", "es")):
        return False
    return repeated


def merge_short_names(found: dict[str, Found]) -> dict[str, Found]:
    """Fold "Verhaeghen" into "Lode Verhaeghen" and "Kranenburg" into "Kranenburg Terminal Group"."""
    longer: dict[str, set[str]] = {}
    for key, entry in found.items():
        parts = entry.name.split()
        if len(parts) > 1 and best_kind(entry) != "place":
            for part in parts if best_kind(entry) == "person" else parts[:1]:
                longer.setdefault(fold(part), set()).add(key)
    merged = dict(found)
    for key, entry in found.items():
        targets = longer.get(fold(entry.name), set()) | longer.get(fold(entry.name).removesuffix("s"), set())
        if " " in entry.name or len(targets) != 1 or key in targets:
            continue
        target = merged[next(iter(targets))]
        target.mentions += entry.mentions
        target.votes.update(entry.votes)
        target.first = min(target.first, entry.first)
        del merged[key]
    return merged


def best_kind(entry: Found) -> str:
    """Return the kind most mentions point to; names without any clue count as organisations."""
    votes = Counter({k: v for k, v in entry.votes.items() if k != "unknown"})
    return votes.most_common(1)[0][0] if votes else "organisation"


def drop_excluded(found: dict[str, Found], exclude: Sequence[str]) -> dict[str, Found]:
    """Remove outlet and agency names, their multi-word parts and their last word ("the Ledger")."""
    banned: set[str] = set()
    for name in exclude:
        words = [w for w in fold(name).split() if w not in ("the", "el", "la", "der", "die", "das")]
        banned.add(" ".join(words))
        if words:
            banned.add(words[-1])
        banned.update(" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1))
    return {k: v for k, v in found.items() if fold(v.name).removeprefix("the ") not in banned}


def find_topics(title: str, text: str) -> list[Found]:
    """Find the news topics named at least twice (title included)."""
    lowered = f"{title}\n{text[:MAX_CHARS]}".lower()
    topics = []
    for topic, pattern in topic_patterns():
        count = len(pattern.findall(lowered))
        if count >= 2:
            found = Found(topic, "topic", make_hashtag(topic), mentions=count, first=10_000)
            found.votes["topic"] = 1
            topics.append(found)
    return topics


def extract_entities(title: str, text: str, language: str, exclude: Sequence[str] = ()) -> list[Entity]:
    """Return the people, places, organisations and topics of an article, most mentioned first.

    ``exclude`` holds names never to tag: the outlet's name and the agencies it credits."""
    language = (language or "").split("-")[0].lower()
    sentences = read_sentences(title or "", text or "")
    if not sentences:
        return []
    evidence = gather_evidence(sentences, language)
    found = merge_short_names(collect(find_candidates(sentences), evidence))
    found = drop_excluded(found, exclude)
    for topic in find_topics(title or "", text or ""):
        key = hashtag_key(topic.hashtag)
        if key in found:
            found[key].mentions = max(found[key].mentions, topic.mentions)
        else:
            found[key] = topic
    entries = sorted(found.values(), key=lambda e: (-e.mentions, e.first))
    return [Entity(e.name, best_kind(e), e.hashtag, e.mentions) for e in entries[:MAX_ENTITIES]]


def story_hashtags(articles: Sequence[Sequence[Entity]], limit: int = 12) -> list[Entity]:
    """Merge the entities of a story's articles by hashtag; rank by how many articles name them."""
    merged: dict[str, Found] = {}
    coverage: Counter[str] = Counter()
    for entities in articles:
        for entity in entities:
            key = hashtag_key(entity.hashtag)
            entry = merged.setdefault(key, Found(entity.name, entity.kind, entity.hashtag))
            entry.mentions += entity.mentions
            entry.votes[entity.kind] += entity.mentions
        coverage.update({hashtag_key(e.hashtag) for e in entities})
    ranked = sorted(merged.items(), key=lambda kv: (-coverage[kv[0]], -kv[1].mentions, kv[1].name))
    return [Entity(e.name, best_kind(e), e.hashtag, e.mentions) for _, e in ranked[:limit]]
