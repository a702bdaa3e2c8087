"""Full-text search over word stems, with filters: FTS5 on SQLite, per-language tsvector on PostgreSQL.

Articles are indexed as Snowball stems of their own language; a query is stemmed in every language the
store holds, so "flood" finds "floods" and "Überschwemmungen" finds "Überschwemmung".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, joinedload

from newsdesk.store.articles import PROCESSING_ONLY
from newsdesk.store.models import Article, Source
from newsdesk.store.snippets import MARK_END, MARK_START, marked_snippet, query_words
from newsdesk.text import stop_words
from newsdesk.text.stems import SNOWBALL, base_language, stem_words

__all__ = [
    "MARK_END",
    "MARK_START",
    "SearchFilters",
    "SearchPage",
    "query_terms",
    "query_words",
    "ranked_article_ids",
    "search",
]

MAX_COUNT = 1000  # counting every hit of a common word costs more than the page: "1000+" is enough
# Hits ranked by relevance: the newest ones when there are more. BM25 of all 9,800 articles holding two
# common words of 200,000 took 20 ms, of their newest 2,000 6 ms; a page never reaches past MAX_COUNT.
RANKED_HITS = 2_000
LANGUAGES_TTL = 300.0  # seconds the store's list of languages is reused
POSTGRES_CONFIGS = {"en": "english", "de": "german", "es": "spanish", "fr": "french", "it": "italian"}
_languages: dict[str, tuple[float, tuple[str, ...]]] = {}


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


def store_languages(session: Session) -> tuple[str, ...]:
    """The base languages of the stored articles that Snowball stems (looked up every few minutes)."""
    key = str(session.get_bind().engine.url)
    cached = _languages.get(key)
    if cached and time.monotonic() - cached[0] < LANGUAGES_TTL:
        return cached[1]
    found = session.scalars(select(Article.language).distinct()).all()
    languages = tuple(sorted({base_language(code) for code in found} & set(SNOWBALL)))
    _languages[key] = (time.monotonic(), languages)
    return languages


def query_terms(query: str, languages: tuple[str, ...]) -> list[list[str]]:
    """Each content word of the query as its stems in these languages (and as written), in query order."""
    words = [w.lower() for w in query_words(query)]
    stops = set().union(*(stop_words(code) for code in languages)) if languages else stop_words("")
    content = [w for w in words if w not in stops] or words
    terms = []
    for word in dict.fromkeys(content):
        forms = [word, *(stem_words([word], code)[0] for code in languages)]
        terms.append(list(dict.fromkeys(f for f in forms if f)))
    return terms


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


def _sqlite_base(terms: list[list[str]], any_word: bool, where: str, params: dict[str, Any]) -> str:
    """FROM … WHERE of the stemmed FTS5 index (articles joined only when a filter needs their columns)."""
    groups = ["(" + " OR ".join('"' + t.replace('"', "") + '"' for t in forms) + ")" for forms in terms]
    params["match"] = (" OR " if any_word else " AND ").join(groups)
    join = " JOIN articles a ON a.rowid = f.rowid" if where else ""
    return f"FROM articles_stems f{join} WHERE articles_stems MATCH :match" + where


def _postgres_query(terms: list[list[str]], any_word: bool, params: dict[str, Any]) -> str:
    """A tsquery: each word in every language's configuration (and as written), joined by AND or OR."""
    parts = []
    for index, forms in enumerate(terms):
        params[f"w{index}"] = forms[0]
        configs = ["simple", *POSTGRES_CONFIGS.values()]
        parts.append("(" + " || ".join(f"plainto_tsquery('{c}', :w{index})" for c in configs) + ")")
    return "(" + (" || " if any_word else " && ").join(parts) + ")"


def ranked_article_ids(
    session: Session,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    *,
    any_word: bool = False,
    count: bool = True,
) -> tuple[list[str], int]:
    """Ids of the best-matching articles among the newest RANKED_HITS matches (BM25 on SQLite, ts_rank on
    PostgreSQL) and how many match (counted up to MAX_COUNT + 1 when ``count``, else 0)."""
    terms = query_terms(query, store_languages(session))
    if not terms:
        return [], 0
    params: dict[str, Any] = {"limit": limit, "offset": offset, "ranked": RANKED_HITS}
    where = _filter_sql(filters or SearchFilters(), params)
    if session.get_bind().dialect.name == "sqlite":
        base = _sqlite_base(terms, any_word, where, params)
        newest = (  # rowids grow with insertion: the newest hits first
            f"SELECT f.rowid AS hit, bm25(articles_stems, 5.0, 1.0) AS score {base} "
            "ORDER BY f.rowid DESC LIMIT :ranked"
        )
        ranked = f"SELECT hit FROM ({newest}) ORDER BY score, hit DESC LIMIT :limit OFFSET :offset"
        rowids = [int(r[0]) for r in session.execute(text(ranked), params)]
        ids = _ids_of_rowids(session, rowids)
    else:
        tsquery = _postgres_query(terms, any_word, params)
        base = f"FROM articles a WHERE a.search_vector @@ {tsquery}" + where
        newest = (
            f"SELECT a.id, a.published_at, ts_rank(a.search_vector, {tsquery}) AS score {base} "
            "ORDER BY a.published_at DESC LIMIT :ranked"
        )
        ranked = (
            f"SELECT id FROM ({newest}) AS newest ORDER BY score DESC, published_at DESC "
            "LIMIT :limit OFFSET :offset"
        )
        ids = [str(r[0]) for r in session.execute(text(ranked), params)]
    if not count:
        return ids, 0
    counted = session.execute(
        text(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {MAX_COUNT + 1}) AS hits"), params
    )
    return ids, int(counted.scalar() or 0)


def _ids_of_rowids(session: Session, rowids: list[int]) -> list[str]:
    if not rowids:
        return []
    listed = ", ".join(str(rowid) for rowid in rowids)  # integers from the database itself
    found = {
        int(r[1]): str(r[0])
        for r in session.execute(text(f"SELECT id, rowid FROM articles WHERE rowid IN ({listed})"))
    }
    return [found[rowid] for rowid in rowids if rowid in found]


def load_articles(session: Session, ids: list[str]) -> dict[str, Article]:
    """The articles with these ids (their source loaded, processing-only columns left in the database)."""
    if not ids:
        return {}
    loading = select(Article).where(Article.id.in_(ids)).options(*PROCESSING_ONLY, joinedload(Article.source))
    return {a.id: a for a in session.scalars(loading)}


@dataclass(frozen=True)
class ReportLine:
    """What a further report in a list of results shows: a link with its source, language and time."""

    id: str
    title: str
    language: str
    published_at: datetime
    source_name: str
    source_slug: str


def load_report_lines(session: Session, ids: list[str]) -> dict[str, ReportLine]:
    """The report lines of these articles, read as plain rows (no ORM objects)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Article.id, Article.title, Article.language, Article.published_at, Source.name, Source.slug)
        .join(Source, Source.id == Article.source_id)
        .where(Article.id.in_(ids))
    )
    return {
        str(row[0]): ReportLine(str(row[0]), row[1], row[2] or "", row[3], row[4], row[5]) for row in rows
    }


def search(
    session: Session,
    query: str,
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 20,
    *,
    any_word: bool = False,
) -> SearchPage:
    """One page of articles with every word of ``query`` in some form (any word, for retrieval), best
    first, with snippets marking the matched words."""
    result = SearchPage(query=query, page=max(page, 1), per_page=per_page)
    ids, total = ranked_article_ids(
        session, query, filters, per_page, (result.page - 1) * per_page, any_word=any_word
    )
    result.more = total > MAX_COUNT
    result.total = min(total, MAX_COUNT)
    found = load_articles(session, ids)
    result.hits = [(found[i], marked_snippet(found[i], query)) for i in ids if i in found]
    return result
