"""Find a page's publication date where its markup gives none: in its URL, or written near the headline."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from lxml.html import HtmlElement

EARLIEST = date(1995, 1, 1)  # no news page of ours is older than the web's news sites
MONTH_NAMES = {
    1: "january jan januar jänner enero janvier janeiro gennaio januari января январь",
    2: "february feb februar febrero février fevereiro febbraio februari февраля февраль",
    3: "march mar märz marzo mars março maart марта март",
    4: "april apr abril avril aprile апреля апрель",
    5: "may mai mayo maio maggio mei мая май",
    6: "june jun juni junio juin junho giugno июня июнь",
    7: "july jul juli julio juillet julho luglio июля июль",
    8: "august aug agosto août augustus августа август ago",
    9: "september sep sept septiembre septembre setembro settembre сентября сентябрь set",
    10: "october oct oktober octubre octobre outubro ottobre okt октября октябрь out",
    11: "november nov noviembre novembre novembro ноября ноябрь",
    12: "december dec dezember diciembre décembre dezembro dicembre dez декабря декабрь dic déc",
}
MONTHS = {name: number for number, names in MONTH_NAMES.items() for name in names.split()}
MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:/|[-_.]|$)|/((?:19|20)\d\d)(\d\d)(\d\d)/")
URL_NAMED_DATE = re.compile(rf"/((?:19|20)\d\d)/({MONTH})/(\d\d?)/", re.IGNORECASE)  # /2019/nov/18/
TEXT_DATES = (
    # 2019-11-18, 2016.12.01, 2019/04/10, 2018年9月28日
    (re.compile(r"\b((?:19|20)\d\d)\s*[-./年]\s*(\d\d?)\s*[-./月]\s*(\d\d?)"), "ymd"),
    # November 18, 2019; Nov. 18th 2019
    (re.compile(rf"\b({MONTH})\.?\s+(\d\d?)(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE), "mdy"),
    # 18 November 2019; 25. September 2018; 22 de janeiro de 2018; 11 октября 2018
    (
        re.compile(rf"\b(\d\d?)\.?\s+(?:de\s+)?({MONTH})\.?,?\s+(?:de\s+)?((?:19|20)\d\d)\b", re.IGNORECASE),
        "dmy",
    ),
    # 13.11.2019, 05/10/2018, 11/19/2019 (day or month first, by the page's language)
    (re.compile(r"\b(\d\d?)[./](\d\d?)[./]((?:19|20)\d\d)\b"), "numeric"),
)
ANY_DATE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in TEXT_DATES), re.IGNORECASE)
DATE_CLASS = re.compile(r"date|time|publish|posted|byline|meta|info|datum|fecha|data|article-header", re.I)
MAX_DATE_LINE = 200  # characters of an element that states a date (a byline, a date line)
PROSE_WORDS = 30  # a paragraph of this many words is the article's text, after any date line
BEFORE_CHARACTERS = 600  # how far before it a date line is looked for
SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)")
LEAF_BLOCKS = "//body//*[self::p or self::div][not(.//p or .//div)]"
HIDDEN_TAGS = frozenset({"script", "style", "noscript"})
MONTH_FIRST_LANGUAGES = {"en", "en-us"}  # pages in US English write 11/19/2019


def is_plausible(day: date, today: date | None = None) -> bool:
    """A publication date between the web's first news sites and tomorrow."""
    today = today or datetime.now(UTC).date()
    return EARLIEST <= day <= today + timedelta(days=1)


def date_from_url(url: str) -> date | None:
    """The date a URL carries as /2019/11/18/, /2019-11-18/ or /20191118/."""
    named = URL_NAMED_DATE.search(url)
    if named:
        return _checked(int(named.group(1)), MONTHS[named.group(2).lower()], int(named.group(3)))
    match = URL_DATE.search(url)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups() if g is not None)
    return _checked(year, month, day)


def date_from_text(text: str, language: str = "") -> date | None:
    """The first date written in a line of text (numbers or month names in en/de/es/fr/pt/it/nl/ru)."""
    found: list[tuple[int, date]] = []
    for pattern, order in TEXT_DATES:
        for match in pattern.finditer(text):
            day = _read_match(match.groups(), order, language)
            if day is not None:
                found.append((match.start(), day))
                break
    return min(found)[1] if found else None


def date_from_page(tree: HtmlElement, language: str = "") -> date | None:
    """The first date stated by a short element named as a date, time, byline or meta line."""
    for element in tree.xpath("//body//*[@class or @id or @itemprop]"):
        names = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}"
        if not DATE_CLASS.search(names):
            continue
        text = " ".join(element.text_content().split())
        if 0 < len(text) <= MAX_DATE_LINE:
            day = date_from_text(text, language)
            if day is not None:
                return day
    return None


def date_before_text(tree: HtmlElement, language: str = "") -> date | None:
    """The last date written shortly before the page's first paragraph of prose (its date line)."""
    body = tree.find("body")
    texts = [] if body is None else visible_texts(body, [])
    text = " ".join(" ".join(texts).split())
    leaves = tree.xpath(LEAF_BLOCKS)
    first = next((p for p in leaves if _is_prose(p.text_content())), None)
    start = text.find(" ".join(first.text_content().split())[:60]) if first is not None else -1
    before = text[max(0, start - BEFORE_CHARACTERS) : start] if start > 0 else text[:BEFORE_CHARACTERS]
    found = [d for d in (date_from_text(m.group(0), language) for m in ANY_DATE.finditer(before)) if d]
    return found[-1] if found else None


def visible_texts(element: HtmlElement, found: list[str]) -> list[str]:
    """The element's text nodes in document order (its text, its children's, their tails), leaving out
    scripts, styles and noscript: what //text() gives without them, at half the cost of that XPath."""
    if element.text and isinstance(element.tag, str):
        found.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in HIDDEN_TAGS:
            visible_texts(child, found)
        if child.tail:
            found.append(child.tail)
    return found


def publication_day(
    tree: HtmlElement, url: str, published: datetime | None, language: str = ""
) -> date | None:
    """The day of publication in the publisher's time zone: the markup's timestamp when it has an offset;
    for a UTC or naive stamp, the date the page states if it is within a day of it (the stamp's own day
    may be the next or the previous one); without a stamp, the URL's date, else the date the page states."""
    if published is not None and published.utcoffset():
        return published.date()
    stated = date_before_text(tree, language) or date_from_page(tree, language)
    if published is None:
        return date_from_url(url) or stated
    if stated is not None and abs(stated - published.date()) <= timedelta(days=1):
        return stated
    return published.date()


def _is_prose(text: str) -> bool:
    """Text of PROSE_WORDS words or more with at least two sentence ends: a paragraph, not a menu."""
    return len(text.split()) >= PROSE_WORDS and len(SENTENCE_END.findall(text)) >= 2


def _read_match(groups: tuple[str, ...], order: str, language: str) -> date | None:
    if order == "ymd":
        return _checked(int(groups[0]), int(groups[1]), int(groups[2]))
    if order == "mdy":
        return _checked(int(groups[2]), MONTHS[groups[0].lower()], int(groups[1]))
    if order == "dmy":
        return _checked(int(groups[2]), MONTHS[groups[1].lower()], int(groups[0]))
    first, second, year = (int(g) for g in groups)
    month_first = language.lower().replace("_", "-") in MONTH_FIRST_LANGUAGES
    if first > 12 or not month_first:
        return _checked(year, second, first)
    return _checked(year, first, second)


def _checked(year: int, month: int, day: int) -> date | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if is_plausible(value) else None
