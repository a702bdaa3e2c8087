"""Stories and lists as a reader sees them: headlines from a report in the reader's language, each wire
copy once with the papers that also printed it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.ai.lang import base_language
from newsdesk.store.articles import UNLISTED, copies_by_original
from newsdesk.store.models import Article
from newsdesk.web.i18n import current_language, gettext

_LATEST = datetime.max.replace(tzinfo=UTC)


def language_name(code: str) -> str:
    """A language's name in the reader's language ("de" -> "German", "Deutsch", "alemán")."""
    names = {
        "en": gettext("English"),
        "de": gettext("German"),
        "es": gettext("Spanish"),
        "fr": gettext("French"),
        "it": gettext("Italian"),
        "pt": gettext("Portuguese"),
        "nl": gettext("Dutch"),
    }
    return names.get(base_language(code), code.upper())


def in_language(article: Article, language: str) -> bool:
    return base_language(article.language or "") == language


def first_in_language(reports: Iterable[Article], language: str) -> Article | None:
    """The earliest of the reports written in ``language`` (None when none is)."""
    matching = [a for a in reports if in_language(a, language)]
    return min(matching, key=lambda a: (a.published_at or _LATEST, a.id), default=None)


def story_headline(title: str, reports: Sequence[Article], reader: str | None = None) -> dict[str, str]:
    """A story's headline for the reader: its own when written in their language, else the title of its
    earliest report in their language, else its own marked with the language it is in.

    The story's own title is in the language of the report that carries it; one that no report carries
    (written for the story) is taken to be in the language most reports are in. Returns the title and
    its language ("" when not known).
    """
    reader = reader or current_language.get()
    own = next((a for a in reports if a.title == title), None)
    language = base_language(own.language or "") if own is not None else main_language(reports)
    if language == reader:
        return {"title": title, "language": reader}
    local = first_in_language(reports, reader)
    if local is not None:
        return {"title": local.title, "language": reader}
    return {"title": title, "language": language}


def main_language(reports: Sequence[Article]) -> str:
    """The language most reports are in (the earliest report's breaks a tie)."""
    codes = [base_language(a.language or "") for a in sorted(reports, key=lambda a: a.published_at)]
    codes = [c for c in codes if c]
    return max(codes, key=codes.count, default="")


def reports_in_language(session: Session, story_ids: Iterable[str], language: str) -> dict[str, Article]:
    """For each story, its earliest report (not a copy) in ``language``, in one query."""
    ids = sorted({s for s in story_ids if s})
    if not ids:
        return {}
    query = (
        select(Article)
        .where(Article.story_id.in_(ids), Article.duplicate_of.is_(None))
        .order_by(Article.published_at, Article.id)
        .options(*UNLISTED)
    )
    found: dict[str, Article] = {}
    for article in session.scalars(query):
        if in_language(article, language) and article.story_id:
            found.setdefault(article.story_id, article)
    return found


def tell_items(session: Session, items: list[dict[str, Any]], articles: Sequence[Article]) -> None:
    """Add to list items what the reader's list shows beside each article (two queries for the page):

    ``also_published_by``: the other papers that printed this wire copy (each linked to its copy);
    ``in_reader_language``: when the article is in another language and its story has a report in the
    reader's, that report's title and link.
    """
    reader = current_language.get()
    copies = copies_by_original(session, [a.id for a in articles])
    foreign = {a.id: a for a in articles if a.language and not in_language(a, reader)}
    local = reports_in_language(session, (a.story_id or "" for a in foreign.values()), reader)
    by_id = {a.id: a for a in articles}
    for item in items:
        article = by_id.get(item["id"])
        if article is None:
            continue
        item["also_published_by"] = [
            {"source": {"name": c.source.name, "slug": c.source.slug}, "url": f"/{reader}/article/{c.id}"}
            for c in copies.get(article.id, [])
            if c.source_id != article.source_id
        ]
        report = local.get(article.story_id or "") if article.id in foreign else None
        item["in_reader_language"] = (
            {"title": report.title, "url": f"/{reader}/article/{report.id}", "language": reader}
            if report is not None and report.id != article.id
            else None
        )
