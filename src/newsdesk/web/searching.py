"""The search page and its JSON twin: hybrid hits grouped by story, each with its best report and the rest."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.models import EmbeddingModelMissing, Vectors, load_embedder
from newsdesk.store.models import Story
from newsdesk.store.retrieval import StoryMatch, list_reports, story_matches
from newsdesk.store.search import ReportLine, SearchFilters, load_articles, load_report_lines
from newsdesk.store.snippets import MARK_END, MARK_START, marked_snippet
from newsdesk.web.context import article_summary
from newsdesk.web.i18n import current_language
from newsdesk.web.timefmt import iso_time

LISTED_REPORTS = 10  # reports of one story listed in the JSON twin's flat items
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "es": "Español"}


@cache
def embedding_available() -> bool:
    try:
        load_embedder()
    except EmbeddingModelMissing:
        return False
    return True


def query_vector(query: str) -> Vectors | None:
    """The query's multilingual sentence vector (None without the model: words alone then)."""
    if not query.strip() or not embedding_available():
        return None
    return np.asarray(load_embedder().encode([query])[0], dtype=np.float32)


def snippet_html(snippet: str) -> str:
    """Escape a search snippet, then turn the store's highlight markers into <mark> elements."""
    from markupsafe import escape

    return str(escape(snippet)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def search_context(
    session: Session, query: str, filters: SearchFilters, page: int = 1, per_page: int = 10
) -> dict[str, Any]:
    """One page of stories matching the query, each with its best report first."""
    matches = story_matches(session, query, query_vector(query), filters, listed=0) if query.strip() else []
    shown = matches[(page - 1) * per_page : page * per_page]
    list_reports(session, shown, filters)
    articles = load_articles(session, [m.reports[0].id for m in shown if m.reports])
    lines = load_report_lines(session, [r.id for m in shown for r in m.reports[1:LISTED_REPORTS]])
    titles = story_titles(session, [m.story_id for m in shown if m.story_id])
    now = datetime.now(UTC)
    groups = [
        story_group(m, articles[m.reports[0].id], lines, titles, query, now)
        for m in shown
        if m.reports and m.reports[0].id in articles
    ]
    return {
        "query": query,
        "filters": {
            "category": filters.category,
            "source": filters.source_id,
            "language": filters.language,
            "since": filters.since.date().isoformat() if filters.since else None,
            "until": filters.until.date().isoformat() if filters.until else None,
        },
        "groups": groups,
        "items": [item for group in groups for item in group["reports"]],
        "total": len(matches),
        "reports": sum(m.count for m in matches),
        "more": False,
        "page": page,
        "pages": max(1, -(-len(matches) // per_page)),
    }


def story_titles(session: Session, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    return {i: t for i, t in session.execute(select(Story.id, Story.title).where(Story.id.in_(ids)))}


def report_summary(line: ReportLine, story_id: str | None) -> dict[str, Any]:
    """A further report of a story in the results: what links to it (a list of them stays cheap)."""
    return {
        "id": line.id,
        "url": f"/{current_language.get()}/article/{line.id}",
        "title": line.title,
        "source": {"name": line.source_name, "slug": line.source_slug},
        "language": line.language,
        "published_at": iso_time(line.published_at),
        "story_id": story_id,
    }


def story_group(
    match: StoryMatch,
    lead: Any,
    lines: dict[str, ReportLine],
    titles: dict[str, str],
    query: str,
    now: datetime,
) -> dict[str, Any]:
    """A story in the results: its best report with a snippet, its other reports, and their languages."""
    reports = [
        {
            **article_summary(lead, now),
            "story_id": match.story_id,
            "snippet_html": snippet_html(marked_snippet(lead, query)),
        }
    ]
    for report in match.reports[1:LISTED_REPORTS]:
        line = lines.get(report.id)
        if line is not None:
            reports.append(report_summary(line, match.story_id))
    others = match.reports[1:]
    languages = sorted({r.language for r in others if r.language})
    story = None
    if match.story_id:
        url = f"/{current_language.get()}/story/{match.story_id}"
        story = {"id": match.story_id, "title": titles.get(match.story_id, ""), "url": url}
    return {
        "story": story,
        "lead": reports[0],
        "reports": reports,
        "more": len(others),
        "more_languages": [LANGUAGE_NAMES.get(code, code) for code in languages],
    }
