"""Load and validate the demo corpus of fictional outlets, events and articles."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).parent / "corpus"
CATEGORIES = (
    "world",
    "politics",
    "business",
    "technology",
    "science",
    "health",
    "sports",
    "entertainment",
)
AGENCIES = {
    "GWS": "Global Wire Service",
    "CPA": "Continental Press Agency",
    "AIN": "Agencia Ibérica de Noticias",
    "NPD": "Nordpresse Dienst",
}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class CorpusError(ValueError):
    """A corpus file does not follow the format in corpus/README.md."""


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    language: str
    country: str
    feed_format: str  # rss, atom, jsonfeed or sitemap
    city: str
    timezone: str


OUTLETS: dict[str, Outlet] = {
    o.key: o
    for o in (
        Outlet("harbor-courier", "The Harbor Courier", "en", "US", "rss", "Port Calder", "America/New_York"),
        Outlet("northgate-ledger", "Northgate Ledger", "en", "GB", "atom", "Northgate", "Europe/London"),
        Outlet("rheinblick", "Rheinblick Zeitung", "de", "DE", "jsonfeed", "Köln", "Europe/Berlin"),
        Outlet("el-faro", "El Faro Diario", "es", "ES", "rss", "Valencia", "Europe/Madrid"),
        Outlet("meridian-times", "The Meridian Times", "en", "SG", "sitemap", "Singapore", "Asia/Singapore"),
    )
}


@dataclass(frozen=True)
class Image:
    after: int
    alt: str
    caption: str
    credit: str


@dataclass(frozen=True)
class Fact:
    value: str
    what: str


@dataclass(frozen=True)
class Article:
    id: str
    event: str
    outlet: str
    lang: str
    hours_ago: float
    updated_hours_after: float | None
    title: str
    subtitle: str
    authors: tuple[str, ...]
    agency: str
    dateline: str
    section: str
    category: str
    tags: tuple[str, ...]
    body: tuple[str, ...]
    images: tuple[Image, ...]
    facts: tuple[Fact, ...]
    copy_of: str | None = None


@dataclass(frozen=True)
class Question:
    q: str
    article: str
    quote: str


@dataclass
class Corpus:
    articles: dict[str, Article] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)  # event -> category
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    def by_outlet(self, outlet: str) -> list[Article]:
        """Return the outlet's articles, newest first."""
        found = [a for a in self.articles.values() if a.outlet == outlet]
        return sorted(found, key=lambda a: a.hours_ago)


def _require(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise CorpusError(f"{where}: {message}")


def _text(raw: dict[str, Any], key: str, where: str, *, allow_empty: bool = False) -> str:
    value = raw.get(key)
    _require(isinstance(value, str), where, f"'{key}' must be a string")
    assert isinstance(value, str)
    _require(allow_empty or bool(value.strip()), where, f"'{key}' must not be empty")
    return value


def _parse_original(raw: dict[str, Any], event: str, event_category: str, where: str) -> Article:
    outlet = _text(raw, "outlet", where)
    _require(outlet in OUTLETS, where, f"unknown outlet {outlet!r}")
    lang = _text(raw, "lang", where)
    _require(lang in ("en", "de", "es"), where, f"unknown lang {lang!r}")
    body = raw.get("body")
    _require(isinstance(body, list) and len(body) >= 3, where, "'body' must be a list of 3+ paragraphs")
    assert isinstance(body, list)
    _require(all(isinstance(p, str) and p.strip() for p in body), where, "empty paragraph")
    category = raw.get("category") or event_category
    _require(category in CATEGORIES, where, f"unknown category {category!r}")
    agency = raw.get("agency", "")
    _require(agency in ("", *AGENCIES), where, f"unknown agency {agency!r}")
    images = tuple(_parse_image(i, len(body), where) for i in raw.get("images", []))
    facts = tuple(Fact(str(f["value"]), str(f["what"])) for f in raw.get("facts", []))
    return Article(
        id=raw["id"],
        event=event,
        outlet=outlet,
        lang=lang,
        hours_ago=float(raw["hours_ago"]),
        updated_hours_after=_optional_float(raw.get("updated_hours_after")),
        title=_text(raw, "title", where),
        subtitle=_text(raw, "subtitle", where, allow_empty=True) if "subtitle" in raw else "",
        authors=tuple(raw.get("authors", [])),
        agency=agency,
        dateline=raw.get("dateline", ""),
        section=raw.get("section", "") or category.title(),
        category=category,
        tags=tuple(raw.get("tags", [])),
        body=tuple(body),
        images=images,
        facts=facts,
    )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _parse_image(raw: dict[str, Any], paragraphs: int, where: str) -> Image:
    image = Image(int(raw["after"]), raw["alt"], raw["caption"], raw["credit"])
    _require(0 <= image.after < paragraphs, where, f"image after={image.after} is past the body")
    _require(bool(image.caption and image.credit), where, "image needs caption and credit")
    return image


def _apply_copy(raw: dict[str, Any], original: Article, where: str) -> Article:
    _require(bool(original.agency), where, f"copied article {original.id} credits no agency")
    body = [p for i, p in enumerate(original.body) if i not in set(raw.get("drop_paragraphs", []))]
    for added in sorted(raw.get("add_paragraphs", []), key=lambda a: -int(a["after"])):
        body.insert(int(added["after"]) + 1, added["text"])
    outlet = _text(raw, "outlet", where)
    _require(outlet in OUTLETS, where, f"unknown outlet {outlet!r}")
    images = tuple(i for i in original.images if i.after < len(body))
    return Article(
        **{
            **original.__dict__,
            "id": raw["id"],
            "outlet": outlet,
            "hours_ago": float(raw["hours_ago"]),
            "updated_hours_after": _optional_float(raw.get("updated_hours_after")),
            "title": raw.get("title") or original.title,
            "subtitle": raw.get("subtitle", original.subtitle),
            "authors": tuple(raw.get("authors", original.authors)),
            "body": tuple(body),
            "images": images,
            "copy_of": original.id,
        }
    )


def _check_article(article: Article, where: str) -> None:
    _require(bool(ID_PATTERN.match(article.id)), where, f"bad id {article.id!r}")
    _require(0.1 <= article.hours_ago <= 168, where, "hours_ago must be within 0.1..168")
    text = "\n".join(article.body)
    for fact in article.facts:
        _require(fact.value in text, where, f"fact value {fact.value!r} is not in the body")
    for image in article.images:
        _require(image.caption not in text, where, "a caption is repeated in the body")


def load_event_file(path: Path, corpus: Corpus) -> None:
    """Parse one event file into ``corpus``, raising CorpusError on the first problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path.name}: invalid JSON: {exc}") from exc
    event = data.get("event") or path.stem
    category = data.get("category", "")
    _require(category in (*CATEGORIES, "local"), path.name, f"unknown category {category!r}")
    corpus.events[event] = category
    pending_copies = []
    for raw in data.get("articles", []):
        where = f"{path.name}:{raw.get('id', '?')}"
        _require(raw.get("id") not in corpus.articles, where, "duplicate id")
        if "copy_of" in raw:
            pending_copies.append((raw, where))
            continue
        article = _parse_original(raw, event, category, where)
        _check_article(article, where)
        corpus.articles[article.id] = article
    for raw, where in pending_copies:
        original = corpus.articles.get(raw["copy_of"])
        _require(original is not None, where, f"copy_of {raw['copy_of']!r} not found")
        assert original is not None
        corpus.articles[raw["id"]] = _apply_copy(raw, original, where)
    corpus.disagreements.extend(data.get("disagreements", []))
    for q in data.get("questions", []):
        corpus.questions.append(Question(q["q"], q["article"], q["quote"]))


def check_references(corpus: Corpus) -> None:
    """Check that questions and disagreements point at real articles and text."""
    for q in corpus.questions:
        article = corpus.articles.get(q.article)
        _require(article is not None, "question", f"unknown article {q.article!r}")
        assert article is not None
        _require(q.quote in "\n".join(article.body), q.article, f"quote not in body: {q.quote!r}")
    for d in corpus.disagreements:
        for article_id, value in d["values"].items():
            article = corpus.articles.get(article_id)
            _require(article is not None, "disagreement", f"unknown article {article_id!r}")
            assert article is not None
            _require(str(value) in "\n".join(article.body), article_id, f"value {value!r} not in body")


@lru_cache(maxsize=1)
def load_corpus(directory: Path = CORPUS_DIR) -> Corpus:
    """Load every event file of the corpus."""
    corpus = Corpus()
    for path in sorted(directory.glob("*.json")):
        load_event_file(path, corpus)
    check_references(corpus)
    return corpus


def main(argv: list[str]) -> int:
    """Validate the given event files (or the whole corpus) and print counts."""
    corpus = Corpus()
    paths = [Path(p) for p in argv] or sorted(CORPUS_DIR.glob("*.json"))
    try:
        for path in paths:
            load_event_file(path, corpus)
        check_references(corpus)
    except CorpusError as exc:
        print(f"ERROR {exc}")
        return 1
    words = sum(len(" ".join(a.body).split()) for a in corpus.articles.values())
    print(f"ok: {len(corpus.articles)} articles, {len(corpus.events)} events, {words} words")
    for article in corpus.articles.values():
        n = len(" ".join(article.body).split())
        if not article.copy_of and not 200 <= n <= 700:
            print(f"warning: {article.id} has {n} words (aim for 250-600)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
