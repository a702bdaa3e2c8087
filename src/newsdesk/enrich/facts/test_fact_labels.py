"""Key-fact labels: what a figure counts, read from the sentence's structure (a golden pair per case)."""

from __future__ import annotations

import pytest

from newsdesk.enrich.facts.facts import extract_facts


@pytest.mark.parametrize(
    ("text", "language", "value", "what"),
    [
        (
            "Valmora, a town of about 21,000 people some 35 kilometers northeast of Porto, makes wine.",
            "en",
            "21,000",
            "population of town",
        ),
        (
            "Valmora, a town of about 21,000 people some 35 kilometers northeast of Porto, makes wine.",
            "en",
            "35 kilometers",
            "distance northeast of Porto",
        ),
        (
            "By dawn the Lenteira river, normally a shallow stream that winds past the old town's granite "
            "houses, had risen by almost 2 meters.",
            "en",
            "2 meters",
            "Lenteira river had risen",
        ),
        (
            '"The water has gone down, but the mud is up to a metre deep in places.',
            "en",
            "a metre",
            "depth of mud",
        ),
        (
            "Der Arbeitgeberverband EROC schätzt die Kosten des Streiks für die Volkswirtschaften "
            "beider Länder auf rund 100 Millionen Euro pro Tag.",
            "de",
            "100 Millionen Euro",
            "Kosten des Streiks",
        ),
        (
            "Northgate Ravens won the cup, beating Ashby Vale 24-22 with a try that brought a crowd of 1,800 "
            "at Fellside Park to its feet.",
            "en",
            "24-22",
            "score",
        ),
        (
            "Northgate Ravens won the cup, beating Ashby Vale 24-22 with a try that brought a crowd of 1,800 "
            "at Fellside Park to its feet.",
            "en",
            "1,800",
            "crowd",
        ),
        ("Winger Chloe Hartigan outpaced two defenders to score in the corner.", "en", "two", "defenders"),
        ("The terminal was closed for two days.", "en", "two days", "duration of terminal was closed"),
        ("Die Bauarbeiten sollen 14 Monate dauern.", "de", "14 Monate", "Bauarbeiten dauern"),
        # the head a figure belongs to: compounds, partitives, margins, intervals, sums, distances
        (
            "The prime minister quit after his five-party coalition collapsed.",
            "en",
            "five",
            "party coalition collapsed",
        ),
        (
            "Die Gewerkschaft hat zu einem 48-stündigen Streik aufgerufen.",
            "de",
            "48-stündigen",
            "Dauer von Streik",
        ),
        (
            "La huelga de 48 horas convocada por el sindicato ha dejado en tierra a miles.",
            "es",
            "48 horas",
            "duración de huelga",
        ),
        ("Nearly half the stalls are run by first-time stallholders.", "en", "half", "stalls"),
        (
            "Solar panels will cover about a fifth of its electricity needs.",
            "en",
            "a fifth",
            "electricity needs",
        ),
        ("Three of the city's 14 libraries will open on fewer days.", "en", "Three", "libraries"),
        (
            "He won in 2:00:19, 16 seconds faster than the previous best.",
            "en",
            "16 seconds",
            "margin over previous best",
        ),
        (
            "Ganó en 1:10:05, casi dos minutos por delante de la segunda clasificada.",
            "es",
            "dos minutos",
            "ventaja sobre segunda clasificada",
        ),
        (
            "Er blieb 16 Sekunden unter der bisherigen Bestzeit.",
            "de",
            "16 Sekunden",
            "Vorsprung auf bisherigen Bestzeit",
        ),
        (
            "Trains on the new line run every three minutes during peak hours.",
            "en",
            "three minutes",
            "frequency of Trains",
        ),
        (
            "Los tranvías siguen pasando cada 12 minutos en hora punta.",
            "es",
            "12 minutos",
            "frecuencia de tranvías",
        ),
        (
            "The $140 million building, clad in cedar, replaces a shed.",
            "en",
            "$140 million",
            "cost of building",
        ),
        ("Organizers hope to cap the field at 4,000.", "en", "4,000", "field cap"),
        (
            "The journey covered about 3.8 billion miles.",
            "en",
            "3.8 billion miles",
            "distance of journey covered",
        ),
        ("He was promised a €50,000 bonus for the record.", "en", "€50,000", "bonus promised"),
        ("Revenue beat the S$1.24 billion analysts had expected.", "en", "S$1.24 billion", "analysts"),
        # a figure whose noun is left out takes its neighbour's
        (
            "Es fielen 4.200 Züge aus, davon 2.600 in Deutschland.",
            "de",
            "2.600",
            "Züge ausgefallen in Deutschland",
        ),
        ("El proyecto salió adelante con 17 votos a favor y 16 en contra.", "es", "16", "votos en contra"),
        ("Observers can expect to see between 15 and 20 meteors an hour.", "en", "15", "meteors"),
        (
            "It will handle 1.2 million passengers a year, up from about 850,000 today.",
            "en",
            "850,000",
            "passengers",
        ),
        # subjects past coordination and measured phrases, time adverbials, conversions after ", or"
        ("A plan to save 3.2 billion euros, or about $3.5 billion, failed.", "en", "$3.5 billion", "savings"),
        ("Trade between the EU and India was worth about €4.6bn last year.", "en", "€4.6bn", "Trade"),
        (
            "Das Porträt im Format von 68 mal 54 Zentimetern entstand 1907.",
            "de",
            "1907",
            "Jahr: Porträt entstand",
        ),
        ("Die Feuerwehr rückte zwischen 22 Uhr und 6 Uhr aus.", "de", "22 Uhr", "Uhrzeit: Feuerwehr rückte"),
        ("Las obras han costado 4,2 millones de euros.", "es", "4,2 millones de euros", "coste de obras"),
        # places ("home to"), units after "millones de", the first figure of a change
        ("Punggol is now home to more than 190,000 people.", "en", "190,000", "population of Punggol"),
        (
            "Tras un viaje de unos 6.100 millones de kilómetros.",
            "es",
            "6.100 millones de kilómetros",
            "distancia de viaje",
        ),
        ("El bono de diez viajes se encarece, de 9,20 a 10 euros.", "es", "9,20", ""),
        # a relative clause's antecedent, the head past a figure's compound, intervals
        (
            "They ended a negotiating session in Brussels that ran for 19 hours.",
            "en",
            "19 hours",
            "duration of negotiating session ran",
        ),
        (
            "Abrió tras 14 meses de obras que han costado 4,2 millones de euros.",
            "es",
            "4,2 millones de euros",
            "coste de obras",
        ),
        ("Over the final 12 kilometres he never had a rival in sight.", "en", "12 kilometres", "distance"),
        (
            "For the first three weeks, keepers fed him every three hours and groomed his fur by hand.",
            "en",
            "three hours",
            "frequency of keepers fed",
        ),
        ("A 30-inch Victorian main ruptured at 7am.", "en", "7am", "time Victorian main ruptured"),
        (
            "The alarm sounded at 2.40am and the first police patrol arrived seven minutes later.",
            "en",
            "seven minutes",
            "duration of first police patrol arrived",
        ),
        # a distance says where from; a time is one only with a direction
        ("Clear dry brush within 30 feet of their homes.", "en", "30 feet", "distance of their homes"),
        (
            "The range lies about 60 miles inland from Valencia.",
            "en",
            "60 miles",
            "distance inland from Valencia",
        ),
        (
            "The park, about 25 minutes north of downtown, is dark.",
            "en",
            "25 minutes",
            "distance north of downtown",
        ),
        ("It reopened after nine months of renovation.", "en", "nine months", "renovation"),
    ],
)
def test_what_a_figure_counts_comes_from_the_sentence_structure(
    text: str, language: str, value: str, what: str
) -> None:
    found = {f.value: f.what for f in extract_facts(text, language)}
    assert found.get(value) == what, found


def test_a_score_is_one_figure_without_a_number_and_no_tally() -> None:
    facts = extract_facts("Costanegra came from behind to beat Real Valdeluna 2-1 in the final.", "en")
    assert [(f.value, f.number, f.what) for f in facts] == [("2-1", None, "score")]
    assert [f.value for f in extract_facts("Between 10-15 people were hurt.", "en")] != ["10-15"]
    rugby = extract_facts("They won 24-22 after a drop goal had put Ashby Vale 22-17 ahead.", "en")
    assert [(f.value, f.what) for f in rugby] == [("24-22", "score"), ("22-17", "score")]
    assert [f.value for f in extract_facts("It gave Costanegra a 2-1 win over Valdeluna.", "en")] == ["2-1"]
