"""The fixed category taxonomy, how AG News classes map onto it, how publishers' categories map onto it.

Taxonomy (slugs): world, politics, business, technology, science, health, sports, entertainment. A source
may also name a default category (one of these slugs), used when an article gives nothing to go on.

The trained model learns AG News's four classes (World, Sports, Business, Sci/Tech), so it decides the
*group*; inside a group the finer label is chosen by similarity to short label descriptions in the
multilingual embedding space (``REFINEMENT``):

- AG "World"    → group world: world, politics or entertainment (culture news in a general feed);
- AG "Sci/Tech" → group technology: technology, science or health. AG's Sci/Tech class is mostly
  technology business and computing, so technology is the default of the group and science or health is
  taken only when the article is closer to their descriptions;
- AG "Business" → business; AG "Sports" → sports.

For the AG benchmark the taxonomy maps back as the benchmark's README says: world, politics → World;
business → Business; technology, science, health → Sci/Tech; sports → Sports; entertainment → no AG class.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

TAXONOMY = ("world", "politics", "business", "technology", "science", "health", "sports", "entertainment")
GENERAL = "general"  # the menu's "General": only for an article that gives nothing to go on
GROUPS = ("world", "sports", "business", "technology")  # the model's classes, in model column order
AG_TO_GROUP = {"World": "world", "Sports": "sports", "Business": "business", "Sci/Tech": "technology"}
TAXONOMY_TO_AG = {
    "world": "World",
    "politics": "World",
    "business": "Business",
    "technology": "Sci/Tech",
    "science": "Sci/Tech",
    "health": "Sci/Tech",
    "sports": "Sports",
}
# Finer labels inside each group, each with descriptions embedded to choose among them (first = default).
REFINEMENT: dict[str, dict[str, tuple[str, ...]]] = {
    "world": {
        "world": (
            "international news: war, conflict, disaster, diplomacy, crime and events around the world",
            "floods, earthquakes, storms and accidents kill people; rescue teams search",
        ),
        "politics": (
            "politics: government, parliament, elections, political parties, ministers and coalition",
            "the prime minister resigned; lawmakers vote on the budget bill; the opposition leader",
        ),
        "entertainment": (
            "culture and entertainment: film, cinema, music, festival, actors, celebrities, television",
            "the movie won the award at the film festival; the band's new album; the exhibition opens",
        ),
    },
    "technology": {
        "technology": (
            "technology: computers, software, internet, smartphones, tech companies and gadgets",
            "the company released new software and chips; a security flaw in the app",
        ),
        "science": (
            "science: research, scientists, space, astronomy, physics, biology, climate and the environment",
            "astronomers discovered a comet; the space probe returned samples; researchers found a fossil",
        ),
        "health": (
            "health and medicine: disease, vaccine, hospitals, doctors, patients and drugs",
            "a new vaccine against malaria; the hospital treated patients; health officials warn of a virus",
        ),
    },
    "business": {"business": ("business, economy, markets, companies, trade and jobs",)},
    "sports": {"sports": ("sports: football, tennis, athletics, matches, teams and championships",)},
}
# Words of publishers' section and feed categories, in the languages newsdesk meets most (en, de, es,
# fr, it, pt), matched after lower-casing and removing accents; whole words only.
FEED_TERMS: dict[str, tuple[str, ...]] = {
    "world": (
        "world",
        "international",
        "internacional",
        "internationale",
        "welt",
        "ausland",
        "mundo",
        "monde",
        "mondo",
        "global",
        "europe",
        "europa",
        "asia",
        "africa",
        "americas",
        "middle east",
        "nahost",
    ),
    "politics": (
        "politics",
        "political",
        "politik",
        "politica",
        "politique",
        "government",
        "elections",
        "election",
        "wahlen",
        "elecciones",
        "parliament",
    ),
    "business": (
        "business",
        "economy",
        "economics",
        "economia",
        "economie",
        "wirtschaft",
        "finance",
        "finanzen",
        "finanzas",
        "markets",
        "markte",
        "mercados",
        "money",
        "geld",
        "empresas",
        "unternehmen",
        "borse",
        "companies",
        "negocios",
        "economy & business",
    ),
    "technology": (
        "technology",
        "tech",
        "technik",
        "technologie",
        "tecnologia",
        "digital",
        "internet",
        "netzwelt",
        "gadgets",
        "computing",
        "ciencia y tecnologia",
    ),
    "science": (
        "science",
        "sciences",
        "wissenschaft",
        "wissen",
        "ciencia",
        "ciencias",
        "scienza",
        "space",
        "environment",
        "umwelt",
        "medio ambiente",
        "climate",
        "klima",
    ),
    "health": ("health", "gesundheit", "salud", "sante", "salute", "saude", "medicine", "medizin", "sanidad"),
    "sports": (
        "sport",
        "sports",
        "deportes",
        "deporte",
        "sportif",
        "esporte",
        "esportes",
        "football",
        "soccer",
        "futbol",
        "fussball",
        "tennis",
        "cricket",
        "rugby",
        "golf",
        "olympics",
        "motorsport",
        "formula 1",
        "basketball",
        "baloncesto",
        "nba",
        "nfl",
    ),
    "entertainment": (
        "entertainment",
        "culture",
        "kultur",
        "cultura",
        "arts",
        "art",
        "film",
        "films",
        "movies",
        "cine",
        "kino",
        "music",
        "musik",
        "musica",
        "tv",
        "television",
        "celebrity",
        "celebrities",
        "showbiz",
        "unterhaltung",
        "espectaculos",
        "books",
        "feuilleton",
        "stars",
        "leute",
        "gente",
    ),
}
SPLIT_RE = re.compile(r"\s*[/,;|>&:·•–-]\s*")


def fold(text: str) -> str:
    """Lower-case, strip accents and squeeze spaces: "Economía " → "economia"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def build_term_index() -> dict[str, str]:
    return {fold(term): label for label, terms in FEED_TERMS.items() for term in terms}


TERM_INDEX = build_term_index()


def map_feed_category(category: str) -> str | None:
    """The taxonomy label a publisher's category names ("Deportes" → sports), or None."""
    folded = fold(category)
    if not folded:
        return None
    if folded in TAXONOMY or folded in TERM_INDEX:
        return folded if folded in TAXONOMY else TERM_INDEX[folded]
    for part in [folded, *SPLIT_RE.split(folded)]:
        if part in TERM_INDEX:
            return TERM_INDEX[part]
    words = folded.split()
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            label = TERM_INDEX.get(" ".join(words[start : start + size]))
            if label:
                return label
    return None


def map_feed_categories(categories: Iterable[str]) -> list[str]:
    """Taxonomy labels named by the categories, first mention first, without repeats."""
    labels: list[str] = []
    for category in categories:
        label = map_feed_category(category)
        if label and label not in labels:
            labels.append(label)
    return labels
