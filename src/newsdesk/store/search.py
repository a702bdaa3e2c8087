"""Full-text search with filters, highlighted snippets and pages: FTS5 on SQLite, tsvector on PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from newsdesk.store.articles import PROCESSING_ONLY
from newsdesk.store.models import Article

# Highlight markers from the private-use area: the snippet is escaped first, then they become <mark>.
MARK_START, MARK_END = "\ue000", "\ue001"
MAX_WORDS = 20
MAX_COUNT = 1000  # counting every hit of a common word costs more than the page: "1000+" is enough


@dataclass(frozen=True)
class SearchFilters:
    category: str | None = None
    source_id: int | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class SearchPage:
    query: str
    hits: list[tuple[Article, str]] = field(default_factory=list)  # article and its marked snippet
    total: int = 0
    page: int = 1
    per_page: int = 20
    more: bool = False  # more hits than MAX_COUNT

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def query_words(query: str) -> list[str]:
    """The words of a query; operators and punctuation are not syntax here, just separators."""
    return re.findall(r"\w+", query)[:MAX_WORDS]


def _filter_sql(filters: SearchFilters, params: dict[str, Any]) -> str:
    clauses = []
    if filters.category:
        clauses.append("a.category_slug = :category")
        params["category"] = filters.category
    if filters.source_id is not None:
        clauses.append("a.source_id = :source_id")
        params["source_id"] = filters.source_id
    if filters.language:
        clauses.append("a.language = :language")
        params["language"] = filters.language
    if filters.since:
        clauses.append("a.published_at >= :since")
        params["since"] = filters.since.replace(tzinfo=None)
    if filters.until:
        clauses.append("a.published_at < :until")
        params["until"] = filters.until.replace(tzinfo=None)
    return "".join(f" AND {c}" for c in clauses)


def search(
    session: Session,
    query: str,
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 20,
    *,
    any_word: bool = False,
) -> SearchPage:
    """One page of articles with every word of ``query`` (any word, for retrieval), best first, snippets."""
    result = SearchPage(query=query, page=max(page, 1), per_page=per_page)
    words = query_words(query)
    if not words:
        return result
    params: dict[str, Any] = {"limit": per_page, "offset": (result.page - 1) * per_page}
    where = _filter_sql(filters or SearchFilters(), params)
    if session.get_bind().dialect.name == "sqlite":
        joiner = " OR " if any_word else " "
        params["match"] = joiner.join('"' + w.replace('"', "") + '"' for w in words)
        # Articles are joined only when a filter needs their columns: joining every hit before ranking
        # cost more than the ranking itself. Snippets are made for the page's hits only.
        join = " JOIN articles a ON a.rowid = f.rowid" if where else ""
        base = f"FROM articles_fts f{join} WHERE articles_fts MATCH :match" + where
        ranked_sql = (
            f"SELECT f.rowid {base} ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT :limit OFFSET :offset"
        )
        rows_sql = (
            f"SELECT a.id, snippet(articles_fts, 1, '{MARK_START}', '{MARK_END}', '…', 24), f.rowid "
            "FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            "WHERE articles_fts MATCH :match AND f.rowid IN ({rowids})"
        )
    else:
        params["q"] = (" | " if any_word else " & ").join(words)
        tsquery = "to_tsquery('simple', :q)"
        base = f"FROM articles a WHERE a.search_vector @@ {tsquery}" + where
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12"
        ranked_sql = ""
        rows_sql = (
            f"SELECT a.id, ts_headline('simple', a.body_text, {tsquery}, '{options}') {base} "
            f"ORDER BY ts_rank(a.search_vector, {tsquery}) DESC, a.published_at DESC "
            "LIMIT :limit OFFSET :offset"
        )
    counted = session.execute(
        text(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {MAX_COUNT + 1}) AS hits"), params
    )
    result.total = int(counted.scalar() or 0)
    result.more = result.total > MAX_COUNT
    result.total = min(result.total, MAX_COUNT)
    rows = _page_rows(session, ranked_sql, rows_sql, params)
    ids = [r[0] for r in rows]
    loading = select(Article).where(Article.id.in_(ids)).options(*PROCESSING_ONLY)  # ask reads the text
    found = {a.id: a for a in session.scalars(loading)}
    result.hits = [(found[r[0]], str(r[1] or "")) for r in rows if r[0] in found]
    return result


def _page_rows(
    session: Session, ranked_sql: str, rows_sql: str, params: dict[str, Any]
) -> list[tuple[str, str]]:
    """(article id, snippet) of the page's hits, best first; on SQLite ranked first, then snippets."""
    if not ranked_sql:
        return [(str(r[0]), str(r[1] or "")) for r in session.execute(text(rows_sql), params)]
    rowids = [int(r[0]) for r in session.execute(text(ranked_sql), params)]
    if not rowids:
        return []
    listed = ", ".join(str(rowid) for rowid in rowids)  # integers from the database itself
    found = {
        int(r[2]): (str(r[0]), str(r[1] or ""))
        for r in session.execute(text(rows_sql.format(rowids=listed)), params)
    }
    return [found[rowid] for rowid in rowids if rowid in found]
