"""Clean text pieces: titles, datelines and boilerplate lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.extract.blocks import Block

TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·|»)\s+")
AUTHOR_PREFIX = re.compile(r"^\s*(?:by|von|por|par|di|door)\s+", re.IGNORECASE)
UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
PLACE = rf"[{UPPER}][\w'.-]*(?:[ -][{UPPER}][\w'.-]*){{0,3}}"
OPENERS = "\"'“„«¿¡‘"
DASH = r"(?:—|–|-{1,2}|\.\s?-|\.\s?–)"
REGION = rf"(?:\s*\([{UPPER}][^()]{{1,30}}\))?"
DATELINE = re.compile(
    rf"^(?P<place>{PLACE}(?:,\s*{PLACE})?{REGION})\s*\((?P<agency>[{UPPER}][\w./ -]{{0,30}}?)\)\s*{DASH}\s*"
    rf"(?P<rest>\S.*)$"
    rf"|^(?P<place2>[{UPPER}][{UPPER}' -]{{1,40}}(?:,\s*{PLACE})?{REGION})(?:\.\s?[-–]\s*|\s+(?:—|–|--?)\s+)"
    rf"(?P<rest2>[{UPPER}0-9{OPENERS}].*)$"
    rf"|^(?P<agency3>[{UPPER}]{{2,6}})\s*{DASH}\s+(?P<rest3>\S.*)$",
    re.DOTALL,
)
ACRONYM = re.compile(r"^[A-Z]{2,5}$")
BYLINE_LINE = re.compile(r"^(?:by|von|por|par)\s+\S+(?:\s+\S+){0,5}\s*(?:[·|,•]|$)", re.IGNORECASE)
KNOWN_AGENCIES = {
    "AP",
    "AFP",
    "REUTERS",
    "DPA",
    "EFE",
    "CNN",
    "ANSA",
    "UPI",
    "KYODO",
    "XINHUA",
    "TASS",
    "PA",
    "AAP",
    "BBC",
    "APA",
    "SDA",
    "KNA",
    "EPD",
    "ANP",
    "BELGA",
    "EUROPA PRESS",
    "GWS",
    "CPA",
    "AIN",
    "NPD",
    "PTI",
    "IANS",
    "ANI",
}
BOILERPLATE = re.compile(
    r"^(share( this)?( article| story)?|read more|related( articles| stories)?|follow us\b|sign up\b|"
    r"subscribe\b|newsletter|advertisement|anzeige|publicidad|we use cookies|accept (all )?cookies|cookie|"
    r"all rights reserved|©|copyright\b|teilen\b|compartir\b|mehr zum thema|lesen sie auch|lee también|"
    r"más información|click here|tap here|download (the|our) app|síguenos|folgen sie uns|aviso legal|"
    r"impressum|datenschutz|política de (privacidad|cookies)|privacy policy|terms of (use|service)|"
    r"comments are closed|join our whatsapp|artikel teilen|compartir en)",
    re.IGNORECASE,
)


# Scripts written without spaces between words, and the characters one word averages in each.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
SOUTHEAST_ASIAN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")  # Thai, Lao, Myanmar, Khmer
CJK_CHARS_PER_WORD = 2
SOUTHEAST_ASIAN_CHARS_PER_WORD = 4
UNSPACED = re.compile(f"(?:{CJK.pattern}|{SOUTHEAST_ASIAN.pattern})+")
# One character of those scripts: the same test as UNSPACED.search, about three times faster on long text.
UNSPACED_CHAR = re.compile(f"[{CJK.pattern[1:-1]}{SOUTHEAST_ASIAN.pattern[1:-1]}]")


def count_words(text: str) -> int:
    """Words of a text; in scripts without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) words are
    counted from characters: two CJK characters, four Southeast Asian ones make a word."""
    if text.isascii() or not UNSPACED_CHAR.search(text):
        return len(text.split())
    spaced = len(UNSPACED.sub(" ", text).split())
    cjk = len(CJK.findall(text)) / CJK_CHARS_PER_WORD
    southeast_asian = len(SOUTHEAST_ASIAN.findall(text)) / SOUTHEAST_ASIAN_CHARS_PER_WORD
    return spaced + round(cjk + southeast_asian)


def is_mostly_unspaced(text: str) -> bool:
    """Most of the text's words (counted as count_words does) are in scripts written without spaces."""
    if not UNSPACED_CHAR.search(text):
        return False
    spaced = len(UNSPACED.sub(" ", text).split())
    return count_words(text) > 2 * spaced


def clean_title(title: str, site_name: str = "", *, guess_suffix: bool = True) -> str:
    """Drop a ' | Site name' style suffix or prefix from a page title."""
    title = re.sub(r"\s+", " ", title).strip()
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site = site_name.casefold().strip()
    if site:
        kept = [p for p in parts if p.casefold() != site]
        if len(kept) < len(parts):
            return " - ".join(kept).strip()
    first, last = parts[0], parts[-1]
    if guess_suffix and len(last.split()) <= 4 < len(first.split()):
        return title[: title.rfind(last)].rstrip(" |–—-:·»")
    return title


def split_dateline(text: str) -> tuple[str, str, str]:
    """Split 'PLACE (AGENCY) — text' into (place, agency, text); empty parts when there is none."""
    match = DATELINE.match(text.strip())
    if not match:
        return "", "", text
    groups = match.groupdict()
    if groups["rest"] is not None:
        agency = groups["agency"].strip()
        if agency.upper() in KNOWN_AGENCIES or ACRONYM.match(agency):
            return groups["place"].strip(), agency, groups["rest"]
        return f"{groups['place'].strip()} ({agency})", "", groups["rest"]
    if groups["rest2"] is not None:
        place = groups["place2"].strip()
        if place.upper() in KNOWN_AGENCIES:
            return "", place, groups["rest2"]
        return place, "", groups["rest2"]
    return "", groups["agency3"], groups["rest3"]


def drop_boilerplate(blocks: Sequence[Block], captions: set[str]) -> list[Block]:
    """Remove share/follow/cookie lines and caption or credit lines from the body."""
    kept = []
    for block in blocks:
        text = block.text.strip()
        if text in captions or any(c and text.startswith(c) and len(c) > 20 for c in captions):
            continue
        if count_words(text) < 15 and (BOILERPLATE.search(text) or BYLINE_LINE.match(text)):
            continue
        kept.append(block)
    return kept
