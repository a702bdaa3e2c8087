"""Hybrid retrieval: stemmed full-text hits and stored-vector hits fused by reciprocal rank, then by story.

Words find reports in the query's own languages and word forms; the multilingual sentence vectors find
reports of the same event in other languages. A story found through any of its reports brings all of
them, so a language filter keeps the stories with reports in that language and shows those reports.
Ask and search share this retrieval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from newsdesk.models import Vectors
from newsdesk.store.search import SearchFilters, _filter_sql, ranked_article_ids
from newsdesk.store.topics import topic_article_ids
from newsdesk.store.vectors import nearest, vector_index

LEXICAL_HITS = 100
FEW_HITS = 20  # fewer articles with every word than this: articles with any word join them
VECTOR_HITS = 40
MIN_SIMILARITY = 0.3  # cosine of query and article vectors below which a vector hit is noise
RRF_K = 60
MAX_STORY_REPORTS = 50  # reports of one story read


@dataclass(frozen=True)
class Report:
    id: str
    story: str  # the story id, or "article:ID" for an article in no story
    language: str
    score: float  # its fused score; 0 for a report found only through its story


@dataclass
class StoryMatch:
    key: str
    story_id: str | None
    score: float
    hits: dict[str, float] = field(default_factory=dict)  # its reports in scope that were found, and scores
    count: int = 0  # its reports in scope (copies left out), at most MAX_STORY_REPORTS
    reports: list[Report] = field(default_factory=list)  # in scope, hits first; listed by list_reports

    @property
    def languages(self) -> list[str]:
        return sorted({r.language for r in self.reports if r.language})


def fuse(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion: each ranking adds 1 / (k + rank) to the score of every id it holds."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(dict.fromkeys(ranking)):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return scores


def hybrid_articles(
    session: Session, query: str, vector: Vectors | None, filters: SearchFilters | None = None
) -> dict[str, float]:
    """Article ids found by words (any word, in any form), by the topics they name in every language and
    by meaning, with their fused scores."""
    scope = filters or SearchFilters()
    lexical = word_hits(session, query, scope)
    semantic: list[str] = []
    if vector is not None:
        snapshot = vector_index(str(session.get_bind().engine.url)).current(session)
        found = [i for i, _ in nearest(snapshot, vector, VECTOR_HITS, MIN_SIMILARITY)]
        semantic = keep_in_scope(session, found, scope)
    return fuse([lexical, topic_article_ids(session, query, scope, LEXICAL_HITS), semantic])


def word_hits(session: Session, query: str, filters: SearchFilters) -> list[str]:
    """Articles with every word of the query (in some form), then, when they are few, with any word: a
    ranking of every article holding one common word would cost more than it adds."""
    every, _ = ranked_article_ids(session, query, filters, LEXICAL_HITS, count=False)
    if len(every) >= FEW_HITS:
        return every
    some, _ = ranked_article_ids(session, query, filters, LEXICAL_HITS, any_word=True, count=False)
    return list(dict.fromkeys(every + some))


def keep_in_scope(session: Session, ids: list[str], filters: SearchFilters) -> list[str]:
    """These ids, in order, less the articles the filters leave out."""
    params: dict[str, Any] = {}
    where = _filter_sql(filters, params)
    if not ids or not where:
        return ids
    sql = listing(f"SELECT a.id FROM articles a WHERE a.id IN :ids{where}", "ids")
    kept = {str(r[0]) for r in session.execute(sql, {**params, "ids": ids})}
    return [i for i in ids if i in kept]


def story_matches(
    session: Session,
    query: str,
    vector: Vectors | None,
    filters: SearchFilters | None = None,
    *,
    listed: int | None = None,
) -> list[StoryMatch]:
    """The stories of the hits, best first (a story scores as its best report), each with how many reports
    it has in the filters' scope (the language filter keeps the stories with reports in that language); the
    first ``listed`` matches (all when None) also list those reports."""
    scope = filters or SearchFilters()
    unfiltered = SearchFilters(scope.category, scope.source_id, None, scope.since, scope.until)
    scores = hybrid_articles(session, query, vector, unfiltered)
    hits = article_stories(session, list(scores))
    matches: dict[str, StoryMatch] = {}
    for article_id, story in hits.items():
        match = matches.setdefault(
            story, StoryMatch(story, None if story.startswith("article:") else story, 0.0)
        )
        match.score = max(match.score, scores[article_id])
    for article_id in reports_among(session, list(hits), scope):
        matches[hits[article_id]].hits[article_id] = scores[article_id]
    counts = report_counts(session, list(matches), scope)
    found = [m for m in matches.values() if counts.get(m.key)]
    for match in found:
        match.count = min(counts[match.key], MAX_STORY_REPORTS)
    found.sort(key=lambda m: (-m.score, -len(m.hits), m.key))
    list_reports(session, found if listed is None else found[:listed], scope)
    return found


def list_reports(session: Session, matches: Sequence[StoryMatch], filters: SearchFilters) -> None:
    """Fill in the matches' reports within the filters: the ones found first, then the rest newest first."""
    by_key = {match.key: match for match in matches}
    for match in matches:
        match.reports = []
    for report in story_reports(session, list(by_key), filters):
        match = by_key[report.story]
        match.reports.append(Report(report.id, report.story, report.language, match.hits.get(report.id, 0.0)))
    for match in matches:
        match.reports.sort(key=lambda r: -r.score)  # stable: the rest stay newest first


def listing(sql: str, *lists: str) -> TextClause:
    """SQL whose ``IN :name`` parameters each take a list (one bound list, not a parameter per item: a
    statement with 200 parameters took longer to build than to run)."""
    return text(sql).bindparams(*(bindparam(name, expanding=True) for name in lists))


def reports_among(session: Session, ids: Sequence[str], filters: SearchFilters) -> list[str]:
    """Those of these articles that are reports (not copies) within the filters."""
    if not ids:
        return []
    params: dict[str, Any] = {}
    where = _filter_sql(filters, params)
    sql = listing(f"SELECT a.id FROM articles a WHERE a.id IN :ids AND a.duplicate_of IS NULL{where}", "ids")
    return [str(r[0]) for r in session.execute(sql, {**params, "ids": list(ids)})]


def report_counts(session: Session, keys: Sequence[str], filters: SearchFilters) -> dict[str, int]:
    """How many reports (copies left out) each of these stories has within the filters (a lone article: 1
    or none)."""
    stories = [k for k in keys if not k.startswith("article:")]
    singles = [k.removeprefix("article:") for k in keys if k.startswith("article:")]
    counts = {f"article:{i}": 1 for i in reports_among(session, singles, filters)}
    if stories and filters == SearchFilters():  # a story keeps its count of reports
        sql = listing("SELECT s.id, s.article_count FROM stories s WHERE s.id IN :keys", "keys")
        counts.update({str(story): int(n) for story, n in session.execute(sql, {"keys": stories})})
    elif stories:
        params: dict[str, Any] = {"keys": stories}
        where = _filter_sql(filters, params)
        sql = listing(
            f"SELECT a.story_id, count(*) FROM articles a WHERE a.story_id IN :keys "
            f"AND a.duplicate_of IS NULL{where} GROUP BY a.story_id",
            "keys",
        )
        counts.update({str(story): int(n) for story, n in session.execute(sql, params)})
    return counts


def article_stories(session: Session, ids: list[str]) -> dict[str, str]:
    """The story key of each of these articles (a copy counts for its original's story)."""
    if not ids:
        return {}
    rows = session.execute(listing("SELECT id, story_id FROM articles WHERE id IN :ids", "ids"), {"ids": ids})
    return {str(i): str(s) if s else f"article:{i}" for i, s in rows}


def story_reports(session: Session, keys: list[str], filters: SearchFilters) -> list[Report]:
    """The reports (copies left out) of these stories within the filters, newest first per story."""
    params: dict[str, Any] = {}
    where = _filter_sql(filters, params)
    stories = [k for k in keys if not k.startswith("article:")]
    singles = [k.removeprefix("article:") for k in keys if k.startswith("article:")]
    reports: list[Report] = []
    for column, values in (("a.story_id", stories), ("a.id", singles)):
        if not values:
            continue
        sql = listing(
            f"SELECT a.id, a.story_id, a.language FROM articles a WHERE {column} IN :keys "
            f"AND a.duplicate_of IS NULL{where} ORDER BY a.published_at DESC",
            "keys",
        )
        for article_id, story_id, language in session.execute(sql, {**params, "keys": values}):
            key = str(story_id) if column == "a.story_id" else f"article:{article_id}"
            reports.append(Report(str(article_id), key, str(language or ""), 0.0))
    per_story: dict[str, int] = {}
    kept = []
    for report in reports:
        per_story[report.story] = per_story.get(report.story, 0) + 1
        if per_story[report.story] <= MAX_STORY_REPORTS:
            kept.append(report)
    return kept
