"""Key facts, what a figure counts: the cue words and noun phrase around it, within its clause."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.enrich.facts.grammar import attach, dimension_nouns, words
from newsdesk.enrich.facts.labels import (
    clause_verb_text,
    describe_by_structure,
    dimension_text,
    frequency_text,
    is_distance,
    label_template,
    label_templates,
    margin_text,
    money_phrase,
    noun_before_of,
    noun_numbered,
    owner_text,
    person_before_de,
    skip_qualifier,
    where_from,
)
from newsdesk.enrich.facts.phrases import (
    WINDOW,
    CueHit,
    find_cues,
    noun_phrase_after,
    number_of_phrase,
    skip_conversion,
)
from newsdesk.enrich.facts.tokens import (
    CLAUSE_WORDS,
    Figure,
    Token,
    _glued,
    tokenize,
)
from newsdesk.enrich.facts.vocab import (
    Unit,
    concept_kinds,
    cues_for,
    qualifiers_for,
    unit_by_id,
    unit_forms,
    words_for,
)
from newsdesk.text import stop_words


@dataclass(frozen=True)
class Reading:
    what: str
    concepts: frozenset[str]


def read_what(
    tokens: list[Token], figure: Figure, clauses: list[int], language: str, tags: list[str]
) -> Reading:
    """Describe what a figure counts: the words after it plus the event around it."""
    np_start, np_end = noun_phrase_after(tokens, tags, figure, clauses, language)
    parts: list[str] = []
    concepts: set[str] = set()
    clause = clauses[figure.start]
    lo = (
        next((k for k in range(figure.start, max(-1, figure.start - WINDOW), -1) if clauses[k] != clause), -1)
        + 1
    )
    lo = max(lo, figure.start - WINDOW)
    hi = next(
        (k for k in range(np_end, min(len(tokens), np_end + WINDOW)) if clauses[k] != clause), len(tokens)
    )
    hi = min(hi, np_end + WINDOW)
    hits = find_cues(tokens, lo, hi, language)
    things = [h for h in hits if h.concept.kind == "thing" and not np_start <= h.start < np_end]
    events = [
        h
        for h in hits
        if h.concept.kind in ("event", "tally")
        and not np_start <= h.start < np_end
        and not any(joins_clauses(tokens, k, language) for k in range(figure.end, h.start))
    ]
    if figure.unit == "score":
        return Reading(label_template(language, "score"), frozenset())
    if figure.unit == "year" and (person := person_before_de(tokens, tags, figure)):
        return Reading(label_template(language, "age", person), frozenset())
    for special in (
        margin_text(tokens, tags, figure, language),
        frequency_text(tokens, tags, figure, clauses, language),
    ):
        if special:
            return Reading(special, concepts_of(special, language))
    if np_end == np_start + 1 and tokens[np_start].low in dimension_nouns(language):
        what = dimension_text(tokens, tags, figure, clauses, language)
        return Reading(what, concepts_of(what, language))
    unit = unit_by_id().get(figure.unit)
    travel = unit is not None and (
        unit.cls == "length"
        or (unit.cls == "duration" and is_distance(tokens, figure.end, language, strict=True))
    )  # "25 minutes north of downtown" is a distance too
    if np_end <= np_start + 1 and travel and is_distance(tokens, figure.end, language):
        return Reading(
            f"{label_template(language, 'length')} {where_from(tokens, figure.end, language)}", frozenset()
        )
    if np_end > np_start:
        parts.append(words(tokens, (np_start, np_end)))
        if unit is not None and is_priced_thing(tokens, tags, figure, (np_start, np_end), unit, language):
            parts[-1] = label_template(language, "cost", parts[-1])  # "a $140 million building"
        elif unit and is_compound_measure(tokens, figure, unit, language):
            noun = label_template(language, unit.cls)  # "a 118-pound machine": its weight
            parts[-1] = label_template(language, "dimension", noun, parts[-1])
        concepts |= {h.concept.name for h in find_cues(tokens, np_start, np_end, language)}
        owner = noun_before_of(tokens, tags, figure, language)
        home = None if owner else home_of(tokens, tags, figure, clauses, language)
        if (owner or home) and concepts and all(concept_kinds().get(c) == "weak" for c in concepts):
            if owner:
                what = owner_text(tokens, owner, language)
            else:
                what = label_template(language, "population", words(tokens, home))
            return Reading(what, concepts_of(what, language))
    else:
        phrase = number_of_phrase(tokens, figure.start, figure.end, language)
        if phrase:
            parts.append(" ".join(t.text for t in tokens[phrase[0] : phrase[1]]))
            concepts |= {h.concept.name for h in find_cues(tokens, phrase[0], phrase[1], language)}
        elif (head := noun_before_of(tokens, tags, figure, language)) is not None:
            parts.append(" ".join(t.text for t in tokens[head[0] : head[1]]))
            concepts |= {h.concept.name for h in find_cues(tokens, head[0], head[1], language)}
        elif money := money_phrase(tokens, tags, figure, language):
            parts.append(money)
            concepts |= concepts_of(money, language)
        elif named := noun_numbered(tokens, tags, figure, clauses, language):
            parts.append(named)
            concepts |= concepts_of(named, language)
        elif structured := describe_by_structure(tokens, tags, figure, clauses, language):
            parts.append(structured)
            concepts |= concepts_of(structured, language)
        elif things:
            nearest = nearest_thing(things, events, figure)
            parts.append(" ".join(t.text for t in tokens[nearest.start : nearest.end]))
            concepts.add(nearest.concept.name)
    described = any(concept_kinds().get(c) in ("event", "tally") for c in concepts)
    event = None if described else choose_event(events, figure, concepts)
    if event:
        concepts.add(event.concept.name)
        parts.append(_event_words(tokens, event, figure))
    elif np_end > np_start and concepts and all(concept_kinds().get(c) == "weak" for c in concepts):
        verb = clause_verb_text(tokens, tags, figure, clauses)  # "2.000 Menschen kamen"
        if verb and verb not in parts[-1].split():
            parts.append(verb)
    if not parts:
        parts = _words_before(tokens, lo, figure.start, language)
    what = " ".join(parts).strip()
    measure = unit_by_id().get(figure.unit) or (Unit("time", "time", 1.0) if figure.unit == "time" else None)
    if (
        measure is not None
        and measure.cls == "length"
        and not is_travelled(tokens, figure, measure, language)
    ):
        measure = None  # "risen by 2 metres" is no distance; "covered 3.8 billion miles" is
    if np_end == np_start and measure is not None and (language, measure.cls) in label_templates():
        noun = label_template(language, measure.cls)
        if concepts_of(what, language) & concepts_of(noun, language):
            return Reading(what, frozenset(concepts))  # "temperatures of 2,700C" names its measure
        near = range(max(0, lo - WINDOW), min(len(tokens), hi + WINDOW))
        verbal = {tokens[k].text for k in near if tags[k] in ("verb", "aux")}
        nominal = bool(what) and what.split()[0] not in verbal
        if not nominal and len(what.split()) == 1 and measure.cls == "length":
            what = ""  # "Over the final 12 kilometres he never had": a distance, "had" says nothing more
        what = label_template(language, "dimension", noun, what) if nominal else f"{noun} {what}".strip()
        concepts |= concepts_of(noun, language)
    return Reading(what, frozenset(concepts))


def home_of(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], language: str
) -> tuple[int, int] | None:
    """Return the place of "Punggol is now home to more than 190,000 people": the subject of "home to"."""
    k = skip_qualifier(tokens, figure.start, language)
    if k < 2 or (tokens[k - 2].low, tokens[k - 1].low) != ("home", "to"):
        return None
    return attach(tokens, tags, figure, clauses).subject


def is_priced_thing(
    tokens: list[Token], tags: list[str], figure: Figure, span: tuple[int, int], unit: Unit, language: str
) -> bool:
    """Return True when a sum stands before the thing it pays for ("a $140 million building", "a €6.8bn
    chip factory"): not an amount named by its noun ("a €50,000 bonus", "a £38 million gap"), nor the
    subject of a clause that follows ("S$1.24 billion analysts had expected")."""
    if language != "en" or not unit.cls.startswith("money"):
        return False
    if span[0] not in (figure.end, skip_conversion(tokens, figure.end)):
        return False
    if span[1] < len(tokens) and tags[span[1]] in ("aux", "verb"):
        return False
    return "cost" not in {h.concept.name for h in find_cues(tokens, span[0], span[1], language)}


def is_compound_measure(tokens: list[Token], figure: Figure, unit: Unit, language: str) -> bool:
    """Return True for a measure written into a compound adjective, with a label for its kind: "118-pound",
    "48-stündigen", "10-kilometre" (not "300-millimeter wafers": a size is no distance)."""
    compound = figure.end - figure.start >= 3 and tokens[figure.end - 2].text == "-"
    if not compound or not _glued(tokens, figure.end - 1) or (language, unit.cls) not in label_templates():
        return False
    return unit.cls != "length" or is_travelled(tokens, figure, unit, language)


def is_travelled(tokens: list[Token], figure: Figure, unit: Unit, language: str) -> bool:
    """Return True for a distance: a length measured from somewhere ("35 km northeast of Porto"), or in
    kilometres or miles and not the amount of a change ("covered 3.8 billion miles"; not "risen by 2
    metres", nor "164 mm of rain")."""
    if is_distance(tokens, figure.end, language):
        return True
    k = skip_qualifier(tokens, figure.start, language) - 1
    return unit.factor >= 1000 and not (k >= 0 and tokens[k].low in ("by", "um"))


def joins_clauses(tokens: list[Token], k: int, language: str) -> bool:
    """Return True when tokens[k] is "and"/"und"/"y" starting a new clause ("y había calcinado"),
    not joining two nouns ("Wald und Buschland")."""
    if tokens[k].low not in CLAUSE_WORDS or k + 1 >= len(tokens):
        return False
    nxt = tokens[k + 1]
    if language == "de":
        return not nxt.text[:1].isupper()
    return nxt.low in stop_words(language) or (nxt.low,) in cues_for(language)


def nearest_thing(things: list[CueHit], events: list[CueHit], figure: Figure) -> CueHit:
    """Pick the thing a figure describes: the object of the verb before it ("reduced cases … by 78%"),
    else the thing nearest to the figure."""
    verbs = [e for e in events if e.end <= figure.start]
    if verbs:
        verb = max(verbs, key=lambda e: e.end)
        objects = [t for t in things if verb.end <= t.start < figure.start]
        if objects:
            return min(objects, key=lambda t: t.start)
    return min(things, key=lambda h: _distance(h, figure))


def _distance(hit: CueHit, figure: Figure) -> int:
    return figure.start - hit.end if hit.end <= figure.start else hit.start - figure.end


def choose_event(events: list[CueHit], figure: Figure, concepts: set[str]) -> CueHit | None:
    """Pick the event a figure belongs to: the nearest tally (killed, evacuated…), else the nearest event."""
    near = [h for h in events if _distance(h, figure) <= 8]
    tallies = [h for h in events if h.concept.kind == "tally" and h.concept.name not in concepts]
    if tallies:
        return min(tallies, key=lambda h: _distance(h, figure))
    return min(near, key=lambda h: _distance(h, figure)) if near else None


def _event_words(tokens: list[Token], event: CueHit, figure: Figure) -> str:
    """Write the event: the participle as written when it follows the figure, else the concept's label."""
    if event.start >= figure.end and event.end - event.start == 1:
        return tokens[event.start].text
    return event.concept.label


def _words_before(tokens: list[Token], lo: int, start: int, language: str) -> list[str]:
    """Return up to three content words just before the figure, in text order."""
    quals = {word for phrase in qualifiers_for(language) for word in phrase}
    stops = stop_words(language) | quals
    numbers = words_for(language)
    words: list[str] = []
    for token in tokens[lo:start]:
        if token.kind in ("num", "time", "sym") or is_number_word(token.low, numbers):
            words = []
        elif token.kind == "word" and token.low not in stops and (token.low,) not in unit_forms():
            words.append(token.text)
    return words[-3:]


def is_number_word(word: str, numbers: dict[str, tuple[float, str]]) -> bool:
    """Return True for "seven", "twenty-five", "million"; not for "a" or "one", which are also articles."""
    parts = word.split("-")
    return all(p in numbers for p in parts) and any(numbers[p][1] != "one" for p in parts)


def concepts_of(what: str, language: str) -> frozenset[str]:
    """Return the concepts named in a fact's description (as compare_sources sees them)."""
    tokens = tokenize(what, language)
    return frozenset(h.concept.name for h in find_cues(tokens, 0, len(tokens), language))
