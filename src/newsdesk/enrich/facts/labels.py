"""Key facts, labels from a figure's clause: subject and verb, dimension, age, distance, the noun it names."""

from __future__ import annotations

from functools import cache

from newsdesk.enrich.facts.grammar import (
    ATTACHING,
    LIGHT_VERBS,
    attach,
    dimension_nouns,
    genitive_after,
    money_nouns,
    object_between,
    subject_before,
    words,
)
from newsdesk.enrich.facts.tokens import Figure, Token
from newsdesk.enrich.facts.vocab import qualifiers_for, unit_by_id, unit_forms
from newsdesk.text import marker_words, read_rows, read_words, stop_words


@cache
def label_templates() -> dict[tuple[str, str], str]:
    """Return (language, name) -> how a label of that kind is written ("population of {}")."""
    return {(lang, name): template for lang, name, template in read_rows("fact_labels.tsv")}


def label_template(language: str, name: str, *phrases: str) -> str:
    """Write a label of a kind in a language (English when the language has none)."""
    template = label_templates().get((language, name)) or label_templates()[("en", name)]
    return template.format(*phrases)


def dimension_text(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], language: str
) -> str:
    """Describe "the mud is up to a metre deep" as the depth of the mud."""
    subject = words(tokens, attach(tokens, tags, figure, clauses).subject)
    noun = dimension_nouns(language)[tokens[figure.end].low]
    return label_template(language, "dimension", noun, subject) if subject else noun


def is_distance(tokens: list[Token], end: int, language: str, *, strict: bool = False) -> bool:
    """Return True when a length is followed by where it is measured from ("1.4 miles from the spot",
    "35 kilometers northeast of Porto", "a 35 kilómetros de Oporto", "weit entfernt"); ``strict`` for a
    time, which is a distance only with a direction or "from" ("25 minutes north of downtown", not "nine
    months of renovation")."""
    following = [t.low for t in tokens[end : end + 4]]
    turned = False
    while following[:1] and following[0] in marker_words("directions"):
        following, turned = following[1:], True
    if strict and not turned:
        return bool(following) and following[0] in ("from", "away", "von", "entfernt")
    return bool(following) and following[0] in ("from", "away", "of", "von", "entfernt", "de", "del")


def where_from(tokens: list[Token], end: int, language: str) -> str:
    """Return where a distance is measured from: "northeast of Porto", "al noreste de Oporto"."""
    k = end
    while k < len(tokens) and tokens[k].low not in DISTANCE_FROM and k < end + 3:
        k += 1  # a direction: "northeast", "al noreste", "nordöstlich"
    k += 1
    while k < len(tokens) and tokens[k].low in PLACE_DETERMINERS:
        k += 1
    stop, stops = k, stop_words(language)
    while (
        stop < len(tokens) and tokens[stop].kind == "word" and tokens[stop].low not in stops and stop < k + 3
    ):
        stop += 1  # the place: "Porto", "the predicted spot"
    return " ".join(t.text for t in tokens[end:stop])


def describe_by_structure(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], language: str
) -> str:
    """Describe a figure that counts no noun by the clause it belongs to: what a dimension adjective
    measures ("a metre deep": depth of the mud), the object of an estimate ("die Kosten … auf 100 Millionen
    Euro"), else the subject and verb ("the river had risen by 2 metres")."""
    link = attach(tokens, tags, figure, clauses)
    subject = words(tokens, link.subject)
    if link.adjective is not None and tokens[link.adjective].low in dimension_nouns(language):
        noun = dimension_nouns(language)[tokens[link.adjective].low]
        return label_template(language, "dimension", noun, subject) if subject else noun
    quals = {word for phrase in qualifiers_for(language) for word in phrase}
    k = figure.start - 1
    while k >= 0 and tokens[k].low in quals:
        k -= 1
    if link.object and k >= 0 and tokens[k].low in ATTACHING:
        return words(tokens, (link.object[0], genitive_after(tokens, tags, link.object[1])))
    changed = changed_thing(tokens, tags, figure, clauses)
    if changed:
        return changed
    unit = unit_by_id().get(figure.unit)
    money = money_nouns(language).get(tokens[link.verb[1] - 1].low) if link.verb else None
    if money and unit is not None and unit.cls.startswith("money"):
        owner = subject if money in ("cost", "Kosten", "coste") else ""  # what costs it is the subject
        return label_template(language, "dimension", money, owner) if owner else money
    verb = words(tokens, link.verb) if link.verb else ""
    if tokens[link.verb[1] - 1].low in LIGHT_VERBS if link.verb else True:
        verb = ""
    elif not subject and link.verb:
        verb = tokens[link.verb[1] - 1].text  # "it had burned 2,600 hectares": burned
    if link.object:  # "cut cases by 78%": what changed is the object
        return " ".join(p for p in (words(tokens, link.object), verb) if p)
    return " ".join(p for p in (subject, verb) if p)


def person_before_de(tokens: list[Token], tags: list[str], figure: Figure) -> str:
    """Return the person of "el delantero de 21 años" / "menores de 30 años" (an age, not a duration)."""
    k = figure.start - 1
    if k < 1 or tokens[k].low != "de":
        return ""
    person = tokens[k - 1]
    is_person = tags[k - 1] == "name" or person.low in read_words("roles.txt")
    return person.text if is_person else ""


def noun_numbered(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], language: str
) -> str:
    """Describe a number that names a common noun before it ("en el minuto 92", "the 17th kilometre" is an
    ordinal): the noun, with the verb of its clause ("minuto cabeceó")."""
    k = skip_qualifier(tokens, figure.start, language) - 1
    if k < 1 or tags[k] != "noun" or tags[k - 1] != "det" or figure.unit or figure.worded:
        return ""
    if language != "de" and tokens[k].text[:1].isupper():
        return ""
    link = attach(tokens, tags, figure, clauses)
    verb = tokens[link.verb[1] - 1].text if link.verb and tags[link.verb[1] - 1] == "verb" else ""
    return f"{tokens[k].text} {verb}".strip()


def clause_verb_text(tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int]) -> str:
    """Return the main verb of a figure's clause as written ("" when it has only a copula)."""
    link = attach(tokens, tags, figure, clauses)
    if link.verb is None or tags[link.verb[1] - 1] != "verb":
        return ""
    verb = tokens[link.verb[1] - 1]
    return "" if verb.low in LIGHT_VERBS else verb.text


def skip_qualifier(tokens: list[Token], start: int, language: str) -> int:
    """Return where the qualifier phrases written before a figure begin ("alrededor de", "more than")."""
    phrases = qualifiers_for(language)
    for _ in range(2):
        found = next(
            (n for n in (3, 2, 1) if tuple(t.low for t in tokens[max(0, start - n) : start]) in phrases), 0
        )
        if not found or start - found < 0:
            break
        start -= found
    return start


def noun_before_of(
    tokens: list[Token], tags: list[str], figure: Figure, language: str
) -> tuple[int, int] | None:
    """Return the noun of "a payment of €1,000" / "Prämie von 1.000 Euro" / "un plan de 3.200 millones"."""
    links = ("of", "von", "de", "del", "in")
    k = skip_qualifier(tokens, figure.start, language) - 1
    if k < 1 or tokens[k].low not in links:
        return None
    if tokens[k].low == "in" and language != "en":
        return None
    stops = stop_words(language)
    end = k
    start = end
    while (
        start > 0
        and end - start < 2
        and tokens[start - 1].kind == "word"
        and tokens[start - 1].low not in stops
        and tags[start - 1] in ("noun", "name", "adj")
    ):
        start -= 1
    return (start, end) if start < end else None


def owner_text(tokens: list[Token], owner: tuple[int, int], language: str) -> str:
    """Describe "a town of 21,000 people" as the town's population, "a crowd of 1,800 people" as the crowd."""
    head = " ".join(t.text for t in tokens[owner[0] : owner[1]])
    if tokens[owner[1] - 1].low in marker_words("settlement_nouns"):
        return label_template(language, "population", head)
    return head


PLACE_DETERMINERS = frozenset(
    ["the", "their", "its", "his", "her", "our", "la", "el", "los", "las", "su", "sus", "der", "dem", "den"]
) | {"ihrem", "ihren", "seinem", "seinen"}
DISTANCE_FROM = frozenset(["from", "away", "of", "von", "entfernt", "de", "del"])
FROM_WORDS = frozenset(["from", "von", "del", "de", "desde"])
PER_WORDS = frozenset(["a", "an", "per", "pro", "por", "je"])
IN_WORDS = frozenset(["in", "en", "an"])


def changed_thing(tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int]) -> str:
    """Name what changed in "cut its import duty on cars from 70% to 15%" / "reducirá el arancel del 70% al
    15%" / "senkt den Zoll von 70 auf 15 Prozent": the object of the verb before "from"."""
    clause = clauses[figure.start]
    lo = max(0, figure.start - 8)
    marks = [k for k in range(lo, figure.start) if tokens[k].low in FROM_WORDS and clauses[k] == clause]
    if not marks or not any(t.kind == "num" for t in tokens[marks[-1] : figure.start + 1]):
        return ""
    mark = marks[-1]
    verbs = [k for k in range(max(0, mark - 12), mark) if tags[k] == "verb" and clauses[k] == clause]
    if not verbs:
        return ""
    found = object_between(tags, verbs[-1] + 1, mark)
    return words(tokens, found) if found else ""


def money_phrase(tokens: list[Token], tags: list[str], figure: Figure, language: str) -> str:
    """Name a sum by what follows it: "€1.7bn in state aid" (the aid), "$4 a dose" (per dose)."""
    unit = unit_by_id().get(figure.unit)
    if unit is None or not unit.cls.startswith("money") or figure.end + 1 >= len(tokens):
        return ""
    link = tokens[figure.end].low
    k = figure.end + 1
    while k < len(tokens) and tags[k] == "det":
        k += 1
    end = k
    while end < len(tokens) and tags[end] in ("noun", "adj", "name") and end - k < 3:
        end += 1
    if end == k or tags[end - 1] == "adj":
        return ""
    phrase = words(tokens, (k, end))
    if link in PER_WORDS and end == k + 1:  # "$4 a dose"; a rate per day or year says nothing of what
        return "" if (tokens[k].low,) in unit_forms() else label_template(language, "per", phrase)
    return phrase if link in IN_WORDS else ""


def margin_text(tokens: list[Token], tags: list[str], figure: Figure, language: str) -> str:
    """Describe "16 seconds faster than the previous best" / "casi dos minutos por delante de la segunda" /
    "16 Sekunden unter der bisherigen Bestzeit" as the margin over what follows the comparison."""
    unit = unit_by_id().get(figure.unit)
    if unit is None or unit.cls not in ("duration", "length"):
        return ""
    k = figure.end + (figure.end < len(tokens) and tokens[figure.end].low == "por")
    if k >= len(tokens) or tokens[k].low not in marker_words("margin_words"):
        return ""
    k += 1
    while k < len(tokens) and (tokens[k].low in ("of", "than", "de", "del", "als") or tags[k] == "det"):
        k += 1
    end = k
    while end < len(tokens) and tags[end] in ("noun", "name", "adj", "verb") and end - k < 3:
        end += 1
    return label_template(language, "margin", words(tokens, (k, end))) if end > k else ""


def frequency_text(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], language: str
) -> str:
    """Describe "trains run every three minutes" / "los tranvías siguen pasando cada 12 minutos" as how often
    the subject comes: a duration after "every", "cada", "alle" is an interval."""
    unit = unit_by_id().get(figure.unit)
    k = skip_qualifier(tokens, figure.start, language) - 1
    if unit is None or unit.cls != "duration" or k < 0 or tokens[k].low not in marker_words("every_words"):
        return ""
    link = attach(tokens, tags, figure, clauses)
    anchor = min(link.verb[0], figure.start) if link.verb else figure.start
    subject = link.subject or (nearest_noun_before(tags, anchor, clauses) if link.verb else None)
    return label_template(language, "frequency", words(tokens, subject)) if subject else ""


def nearest_noun_before(tags: list[str], k: int, clauses: list[int]) -> tuple[int, int] | None:
    """Return the noun phrase nearest before token k in its clause, inside a prepositional phrase or not
    ("with replacement buses running": replacement buses)."""
    j = k - 1
    while j >= 0 and clauses[j] == clauses[k] and tags[j] not in ("noun", "name"):
        j -= 1
    if j < 0 or clauses[j] != clauses[k]:
        return None
    start = j
    while start > 0 and tags[start - 1] in ("noun", "name") and j - start < 2:
        start -= 1
    return start, j + 1


def dated_text(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], language: str
) -> str:
    """Describe a time of day or a year by what happened then ("time alarm sounded", "year portrait
    painted"), an age by whose it is ("age of Lode Verhaeghen"); "" when the sentence names no event or
    no one (a bare "time" or "age" tells a reader nothing)."""
    if figure.kind == "age":
        person = aged_person(tokens, tags, figure, language)
        return label_template(language, "age", person) if person else ""
    event = event_text(tokens, tags, figure, clauses)
    return label_template(language, figure.kind, event) if event else ""


def event_text(tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int]) -> str:
    """Name what happened at a time or in a year: the subject and main verb of its clause ("alarm
    sounded", "portrait painted"), read on into the next clause after a fronted phrase ("By 6 p.m.,
    firefighters had stopped"); "" when the subject or the verb is missing."""
    event = clause_event(tokens, tags, figure, clauses)
    if event or figure.end >= len(tokens) or tokens[figure.end].text != ",":
        return event
    following = clauses[figure.end]
    joined = [clauses[figure.start] if c == following else c for c in clauses]
    return clause_event(tokens, tags, figure, joined, after=figure.end)


def clause_event(
    tokens: list[Token], tags: list[str], figure: Figure, clauses: list[int], after: int = 0
) -> str:
    """Return the subject and main verb of a figure's clause, the subject after the verb when none is
    before it ("verschafften sich die Täter": Täter), or the object; "" when either is missing or the
    subject comes before token ``after``."""
    link = attach(tokens, tags, figure, clauses)
    if link.verb is None or tags[link.verb[1] - 1] != "verb" or tokens[link.verb[1] - 1].low in LIGHT_VERBS:
        return ""
    if tokens[link.verb[1] - 1].low.endswith("ing") and link.verb[1] - link.verb[0] == 1:
        return ""  # "telescopes in the parking lot", "skies rolling in": no finite verb, no event
    behind = link.verb[1] + (link.verb[1] < len(tokens) and tokens[link.verb[1]].low in REFLEXIVES)
    inverted = object_between(tags, behind, figure.start) if behind < figure.start else None
    subject = link.subject or link.object or inverted
    if subject is None and link.verb[0] > figure.end:  # the verb of the main clause after "By 6 p.m.,"
        subject = subject_before(tokens, tags, link.verb[0])
    if subject is None and link.verb[0] >= figure.end:  # "Gegen 3.15 Uhr meldete die Polizei": inverted
        subject = object_between(tags, behind, min(len(tokens), behind + 4))
    if subject is None or subject[0] < after:
        return ""
    return f"{words(tokens, subject)} {tokens[link.verb[1] - 1].text}"


REFLEXIVES = frozenset(["sich", "se", "itself", "themselves"])


def aged_person(tokens: list[Token], tags: list[str], figure: Figure, language: str) -> str:
    """Return whose age a figure is: the name before it ("Verhaeghen, 54", "Lea Hoffmann (27)", "Lemayan,
    de 24 años") or the noun after "-year-old" ("a 28-year-old science teacher")."""
    k = figure.start - 1
    if k >= 0 and tokens[k].low == "de":
        k -= 1
    if k >= 1 and tokens[k].text in (",", "("):
        end = k
        start = end
        while start > 0 and tags[start - 1] in ("name", "noun") and tokens[start - 1].text[:1].isupper():
            start -= 1
        if start < end and end - start <= 4:
            return words(tokens, (start, end))
    k = figure.end
    while k < len(tokens) and (tokens[k].text == "-" or tokens[k].low in ("old", "year", "years", "alt")):
        k += 1
    if k < len(tokens) and tokens[k].low.startswith("jährig") and tokens[k].text[:1].islower():
        k += 1  # "die 27-jährige Studentin Lea Hoffmann"; "die 24-Jährige" names no one
    end = k
    while end < len(tokens) and tags[end] in ("noun", "adj", "name") and end - k < 4:
        end += 1
    return words(tokens, (k, end)) if end > k and tags[end - 1] != "adj" else ""
