"""Turn bylines into people's names: no agencies, desks, publications, site accounts, titles or degrees."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from newsdesk.extract.text import KNOWN_AGENCIES

BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:analysis|opinion|commentary|review|text|texto|texte|photos?)\s+)?(?:by|von|por|par|di|door)\s+",
    re.IGNORECASE,
)
AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\b(?:and|AND|und|y|et|e)\b)\s*")  # lower-case "y": "Bruce Y. Lee"
ROLE_WORDS = re.compile(
    r"\b(staff writer|staff reporter|correspondent|senior writer|writer|columnist|contributor|reporter|"
    r"editor|redakteur(?:in)?|korrespondent(?:in)?|redactor(?:a)?|corresponsal)\b.*$",
    re.IGNORECASE,
)
ORGANISATION = re.compile(
    r"\b(press|presse|prensa|wire|agency|agence|agencia|agentur|news|service|dienst|staff|redaktion|"
    r"redacción|newsroom|editorial|desk|team|sport)\b",
    re.IGNORECASE,
)
DEGREE = re.compile(r"^(?:MS|MA|BA|BS|MSc|BSc|RD|RDN|LD|PhD|MD|MPH|RN|MBA|DDS|CPT|CSCS)\.?$")
SITE_ACCOUNTS = {"admin", "administrator", "webmaster", "guest", "гость", "anonymous", "anonym", "redacción"}
TRAILING_LINKS = re.compile(r"\s*(?:view|see|read)\s+(?:more|all)\s+(?:articles|posts|stories)\b.*$", re.I)
LOWER_LATIN = re.compile(r"^[a-z0-9_.-]+$")
MAX_NAME_WORDS = 5


def split_authors(raw: Iterable[str], publishers: Sequence[str] = ()) -> tuple[str, ...]:
    """Turn bylines ('By A and B, Staff Writer') into a list of people's names; ``publishers`` are the
    site's names (its site name, its host) that are never an author."""
    names: list[str] = []
    folded_publishers = [p for p in map(_fold, publishers) if len(p) >= 3]
    for line in raw:
        line = TRAILING_LINKS.sub("", BYLINE_PREFIX.sub("", line.strip()))
        line = re.sub(r"\s+(?:with|mit|con)\s+\S+$", "", line)
        for part in AUTHOR_SPLIT.split(line):
            name = _person(BYLINE_PREFIX.sub("", part).strip(" ,.-"), folded_publishers)
            if name and name not in names:
                names.append(name)
    return tuple(names)


def publisher_names(site_name: str, url: str) -> tuple[str, ...]:
    """The names a site goes by: its declared name and the main label of its host (appleinsider.com)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    label = host.split(".")[-2] if host.count(".") >= 1 else host
    return tuple(n for n in (site_name, label) if n)


def _person(name: str, publishers: list[str]) -> str:
    """The name when it names a person, else ''."""
    role = ROLE_WORDS.search(name)
    if role:
        before = name[: role.start()].strip(" ,")
        if not before or before.split()[0].upper() in KNOWN_AGENCIES:
            return ""  # "AP National Political Writer" is a job, not a person
        name = before
    folded = _fold(name)
    if (
        not folded
        or name.upper() in KNOWN_AGENCIES
        or ORGANISATION.search(name)
        or DEGREE.match(name)
        or name.casefold() in SITE_ACCOUNTS
        or LOWER_LATIN.match(name)
        or "(" in name
        or len(name.split()) > MAX_NAME_WORDS
    ):
        return ""
    if any(folded in p or p in folded for p in publishers):
        return ""
    return name


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())
