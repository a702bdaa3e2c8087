"""Benchmark publication dates and authors: newsdesk, htmldate and trafilatura against hand annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the bench's page type; extraction.py imports this module when it runs
    from newsdesk.bench.extraction import BenchPage


ANNOTATIONS = Path(__file__).parent / "data" / "extraction_metadata.json"
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageMeta:
    """A page's publication day (YYYY-MM-DD, or None) and authors, annotated or found by a system."""

    published: str | None
    authors: tuple[str, ...] | None  # None: the system does not look for authors


@dataclass(frozen=True)
class MetaScores:
    pages: int
    dates_right: int
    authors_exact: int | None
    authors_f1: float | None


def load_annotations(path: Path = ANNOTATIONS) -> dict[str, PageMeta]:
    """The hand annotations by page id (the file's ``_method`` says how they were made)."""
    data = json.loads(path.read_text("utf-8"))
    return {
        page_id: PageMeta(row["published"], tuple(row["authors"]))
        for page_id, row in data.items()
        if not page_id.startswith("_")
    }


def newsdesk_meta(page: BenchPage) -> PageMeta:
    """What newsdesk reads of the page: the day in the page's own time zone, and the authors."""
    from newsdesk.extract.authors import publisher_names, split_authors
    from newsdesk.extract.dates import publication_day
    from newsdesk.extract.html import load_tree
    from newsdesk.extract.metadata import read_metadata

    tree = load_tree(page.html)
    meta = read_metadata(tree, page.url)
    day = publication_day(tree, page.url, meta.published, meta.language)
    return PageMeta(
        day.isoformat() if day else None,
        split_authors(meta.authors, publisher_names(meta.site_name, page.url)),
    )


def htmldate_meta(page: BenchPage) -> PageMeta:
    """htmldate's original publication date (extensive search, the URL given); it finds no authors."""
    from htmldate import find_date

    return PageMeta(find_date(page.html.decode("utf-8"), original_date=True, url=page.url), None)


def trafilatura_meta(page: BenchPage) -> PageMeta:
    """trafilatura's metadata: its date (htmldate inside) and its authors ("A; B")."""
    from trafilatura.metadata import extract_metadata

    document = extract_metadata(page.html.decode("utf-8"), default_url=page.url)
    authors = tuple(a.strip() for a in (document.author or "").split(";") if a.strip())
    return PageMeta(document.date or None, authors)


SYSTEMS: dict[str, Callable[[BenchPage], PageMeta]] = {
    "htmldate": htmldate_meta,
    "trafilatura": trafilatura_meta,
    "newsdesk": newsdesk_meta,
}


def score_meta(truth: dict[str, PageMeta], found: dict[str, PageMeta]) -> MetaScores:
    """Dates right (the same day, or both none); authors as exact sets and as mean per-page F1."""
    dates = sum(found[i].published == truth[i].published for i in truth)
    if any(found[i].authors is None for i in truth):
        return MetaScores(len(truth), dates, None, None)
    exact, f1s = 0, []
    for page_id, expected in truth.items():
        want, got = _names(expected.authors or ()), _names(found[page_id].authors or ())
        exact += want == got
        if want or got:
            shared = len(want & got)
            f1s.append(2 * shared / (len(want) + len(got)))
    return MetaScores(len(truth), dates, exact, sum(f1s) / len(f1s) if f1s else 1.0)


def run_metadata(pages: Sequence[BenchPage], annotations: dict[str, PageMeta]) -> dict[str, MetaScores]:
    """Every system over the annotated pages, scored."""
    annotated = [page for page in pages if page.id in annotations]
    truth = {page.id: annotations[page.id] for page in annotated}
    return {
        name: score_meta(truth, {page.id: system(page) for page in annotated})
        for name, system in SYSTEMS.items()
    }


def format_meta_line(name: str, scores: MetaScores) -> str:
    line = f"{name:<12} dates {scores.dates_right}/{scores.pages} ({scores.dates_right / scores.pages:.3f})"
    if scores.authors_exact is None or scores.authors_f1 is None:
        return f"{line}  authors: not looked for"
    exact = scores.authors_exact / scores.pages
    authors = f"authors exact {scores.authors_exact}/{scores.pages} ({exact:.3f}) F1={scores.authors_f1:.3f}"
    return f"{line}  {authors}"


def _names(authors: Sequence[str]) -> frozenset[str]:
    return frozenset(SPACES.sub(" ", name).strip().casefold() for name in authors)
