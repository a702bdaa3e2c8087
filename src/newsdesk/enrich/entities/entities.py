"""Hashtags and entities: the people, places, organisations and topics of an article and of a story."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.enrich.entities.candidates import (
    Candidate,
    Evidence,
    Found,
    Word,
    find_candidates,
    gather_evidence,
    is_german_noun,
    is_leading_junk,
    is_role,
    is_trailing_junk,
    read_sentences,
)
from newsdesk.enrich.entities.words import (
    COMPASS,
    CONNECTORS,
    MAX_CHARS,
    MAX_ENTITIES,
    ORG_WORDS,
    PLACE_NOUNS,
    PLACE_WORDS,
    acronyms,
    fold,
    folded,
    gazetteer,
    hashtag_key,
    institution_words,
    make_hashtag,
    topic_patterns,
)
from newsdesk.text import stop_words


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str  # person, place, organisation or topic
    hashtag: str  # "#Lisbon": one per entity across languages and spellings
    mentions: int


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
